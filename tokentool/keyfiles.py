"""Key files for ``tokentool``: generate a key pair, read private keys, gather verification keys.

The only module of tokentool that touches files and the network for keys (a JWKS URL is
fetched with httpx); ``tokentool.keys`` stays pure.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Final

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from tokentool.keys import (
    KeySet,
    KeysUnusable,
    PublicKey,
    algorithm_of,
    jwks_document,
    keys_from_jwks,
    keys_from_pem,
    load_private_key,
    thumbprint,
)

KEY_ALGORITHMS: Final = ("EdDSA", "ES256", "RS256")


def generate(algorithm: str) -> Any:
    """A new private key for ``algorithm`` (Ed25519, P-256, or RSA 3072).

    Raises:
        KeysUnusable: an algorithm other than EdDSA, ES256 or RS256.
    """
    if algorithm == "EdDSA":
        return ed25519.Ed25519PrivateKey.generate()
    if algorithm == "ES256":
        return ec.generate_private_key(ec.SECP256R1())
    if algorithm == "RS256":
        return rsa.generate_private_key(public_exponent=65537, key_size=3072)
    raise KeysUnusable(f"unknown algorithm {algorithm!r} (use {', '.join(KEY_ALGORITHMS)})")


def write_key_pair(algorithm: str, private_path: Path, jwks_path: Path, kid: str | None = None) -> str:
    """Write a new private key (PEM, mode 0600, never overwritten) and add its public key to a JWKS.

    An existing JWKS file keeps its keys: publish the result, sign with the new key once every
    gateway has fetched it, then remove the old key (docs/tokens.md, "Rotation").

    Returns:
        The new key's kid (its RFC 7638 thumbprint unless given).

    Raises:
        KeysUnusable: the private key file exists, the JWKS is unreadable, or the kid is taken.
        OSError: a file cannot be written.
    """
    key = generate(algorithm)
    public = key.public_key()
    kid = kid or thumbprint(public)
    existing = KeySet()
    if jwks_path.exists():
        existing = keys_from_jwks(jwks_path.read_bytes())
        if existing.find(kid) is not None:
            raise KeysUnusable(f"{jwks_path} already has kid {kid!r}")
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    try:
        fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeysUnusable(f"{private_path} exists; not overwriting a private key") from None
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    document = jwks_document((*existing.keys, PublicKey(kid, algorithm_of(public), public)))
    jwks_path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return kid


def read_private_key(path: Path) -> tuple[Any, str, str]:
    """``(key, algorithm, thumbprint kid)`` of a private key PEM file.

    Raises:
        KeysUnusable: unreadable, or not an unencrypted Ed25519, P-256 or RSA private key.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KeysUnusable(f"cannot read {path}: {exc.strerror}") from None
    return load_private_key(data)


def verification_keys(jwks: str | None, public_key: Path | None) -> KeySet:
    """The keys of a JWKS (file or http(s) URL) and of a public key PEM file, merged.

    Raises:
        KeysUnusable: a file or URL cannot be read or holds no usable key.
    """
    keys = KeySet()
    if public_key is not None:
        try:
            keys = keys.merged(keys_from_pem(public_key.read_bytes()))
        except OSError as exc:
            raise KeysUnusable(f"cannot read {public_key}: {exc.strerror}") from None
    if jwks:
        if jwks.lower().startswith(("http://", "https://")):
            try:
                response = httpx.get(jwks, timeout=10.0, follow_redirects=False)
            except httpx.HTTPError as exc:
                raise KeysUnusable(f"cannot fetch {jwks}: {type(exc).__name__}") from None
            if response.status_code != 200:
                raise KeysUnusable(f"cannot fetch {jwks}: HTTP {response.status_code}")
            data = response.content
        else:
            try:
                data = Path(jwks).read_bytes()
            except OSError as exc:
                raise KeysUnusable(f"cannot read {jwks}: {exc.strerror}") from None
        keys = keys.merged(keys_from_jwks(data))
    return keys
