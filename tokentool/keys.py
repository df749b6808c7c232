"""Asymmetric token keys: PEM and JWKS parsing, signing, and one verifier for HS256 and public keys.

Pure (pyjwt[crypto] and stdlib): no I/O beyond what the caller passes in, no logging. The
algorithm is chosen by the key, never by the token alone: an ``HS*`` token is checked only
against the shared secret, an ``EdDSA``/``ES256``/``RS256`` token only against a public key of
that type; ``none`` and every other algorithm are refused; ``jku``, ``x5u``, ``jwk`` and ``x5c``
headers are never read.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

from tokentool.claims import (
    Claims,
    TokenBadAlgorithm,
    TokenBadSignature,
    TokenError,
    TokenMalformed,
    check_claims,
    go_json_bytes,
    unverified_parts,
    verified_hmac_payload,
)

PUBLIC_ALGORITHMS: Final[tuple[str, ...]] = ("EdDSA", "ES256", "RS256")
HMAC_ALGORITHMS: Final[tuple[str, ...]] = ("HS256", "HS384", "HS512")
MAX_KEYS: Final = 64  # a key set larger than this is refused: every token without kid tries each key
MIN_RSA_BITS: Final = 2048
PublicKeyObject = ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey


class KeysUnusable(ValueError):
    """A PEM file or JWKS cannot be used; the message says why (never any key material)."""


class TokenUnknownKey(TokenError):
    """The token's ``kid`` names no key this verifier holds (a refetch of a JWKS URL may help)."""

    def __init__(self, kid: str) -> None:
        super().__init__(f"unknown key id (kid) {kid[:40]!r}")
        self.kid = kid


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def algorithm_of(key: object) -> str:
    """The one algorithm a public key verifies.

    Raises:
        KeysUnusable: a key type or curve Relay does not accept (or RSA under 2048 bits).
    """
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "EdDSA"
    if isinstance(key, ec.EllipticCurvePublicKey):
        if not isinstance(key.curve, ec.SECP256R1):
            raise KeysUnusable(f"EC key on curve {key.curve.name}: only P-256 (ES256) is accepted")
        return "ES256"
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size < MIN_RSA_BITS:
            raise KeysUnusable(f"RSA key of {key.key_size} bits: at least {MIN_RSA_BITS} are required")
        return "RS256"
    raise KeysUnusable(f"unsupported key type {type(key).__name__} (Ed25519, P-256 or RSA only)")


def public_jwk(key: PublicKeyObject, kid: str) -> dict[str, Any]:
    """The public JWK of ``key`` with ``kid``, ``alg`` and ``use``."""
    alg = algorithm_of(key)
    if isinstance(key, ed25519.Ed25519PublicKey):
        jwk: dict[str, Any] = dict(OKPAlgorithm.to_jwk(key, as_dict=True))
    elif isinstance(key, ec.EllipticCurvePublicKey):
        jwk = dict(ECAlgorithm.to_jwk(key, as_dict=True))
    else:
        jwk = dict(RSAAlgorithm.to_jwk(key, as_dict=True))
    jwk.pop("key_ops", None)
    jwk.update(kid=kid, alg=alg, use="sig")
    return jwk


def thumbprint(key: PublicKeyObject) -> str:
    """The RFC 7638 SHA-256 thumbprint of a public key: the kid of a PEM key that has none."""
    jwk = public_jwk(key, "")
    members = {"OKP": ("crv", "kty", "x"), "EC": ("crv", "kty", "x", "y"), "RSA": ("e", "kty", "n")}
    required = {name: jwk[name] for name in members[jwk["kty"]]}
    canonical = json.dumps(required, separators=(",", ":"), sort_keys=True).encode("ascii")
    return _b64url(hashlib.sha256(canonical).digest())


@dataclass(frozen=True, slots=True)
class PublicKey:
    kid: str  # from the JWKS, or the RFC 7638 thumbprint for a PEM key
    algorithm: str  # the one algorithm this key verifies (EdDSA, ES256 or RS256)
    key: PublicKeyObject
    named: bool = True  # False for a PEM key: a token's kid need not match its thumbprint


@dataclass(frozen=True, slots=True)
class KeySet:
    """Public keys by ``kid``; immutable, so a refresh swaps the whole set at once."""

    keys: tuple[PublicKey, ...] = ()

    def __post_init__(self) -> None:
        if len(self.keys) > MAX_KEYS:
            raise KeysUnusable(f"{len(self.keys)} keys: at most {MAX_KEYS} are accepted")

    def find(self, kid: str) -> PublicKey | None:
        return next((k for k in self.keys if k.kid == kid), None)

    def of_algorithm(self, alg: str, *, unnamed_only: bool = False) -> list[PublicKey]:
        return [k for k in self.keys if k.algorithm == alg and not (unnamed_only and k.named)]

    def kids(self) -> tuple[str, ...]:
        return tuple(k.kid for k in self.keys)

    def merged(self, other: KeySet) -> KeySet:
        return KeySet((*self.keys, *(k for k in other.keys if self.find(k.kid) is None)))


def _as_public(key: object) -> PublicKeyObject:
    public = key.public_key() if hasattr(key, "public_key") else key
    algorithm_of(public)
    return public  # type: ignore[return-value]


def keys_from_pem(text: str | bytes) -> KeySet:
    """Every ``PUBLIC KEY`` block of a PEM text (private keys are accepted for their public half).

    Raises:
        KeysUnusable: no block, a block that does not parse, or an unsupported key.
    """
    data = text.encode("ascii", "replace") if isinstance(text, str) else text
    blocks = [b"-----BEGIN" + part for part in data.split(b"-----BEGIN")[1:]]
    if not blocks:
        raise KeysUnusable("no PEM block (-----BEGIN PUBLIC KEY-----) found")
    keys: list[PublicKey] = []
    for n, block in enumerate(blocks, 1):
        try:
            if b"PRIVATE KEY" in block.split(b"\n", 1)[0]:
                loaded: object = serialization.load_pem_private_key(block, password=None)
            else:
                loaded = serialization.load_pem_public_key(block)
        except (ValueError, TypeError) as exc:
            raise KeysUnusable(f"PEM block {n} is not a public key Relay can read") from exc
        public = _as_public(loaded)
        keys.append(PublicKey(thumbprint(public), algorithm_of(public), public, named=False))
    return KeySet(tuple(keys))


def keys_from_jwks(text: str | bytes) -> KeySet:
    """The signing keys of a JWKS document (``{"keys": [...]}``).

    Keys of other types (``oct`` above all: a shared secret is never taken from a JWKS), keys
    for encryption (``use`` other than ``sig``) and keys whose ``alg`` does not match their
    type are left out. A JWKS with no usable key is a valid, empty set (rotation may empty it).

    Raises:
        KeysUnusable: not JSON, not a JWKS, a duplicate ``kid`` or too many keys.
    """
    try:
        document = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise KeysUnusable("JWKS is not valid JSON") from exc
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise KeysUnusable('JWKS is not an object with a "keys" list')
    keys: list[PublicKey] = []
    for entry in document["keys"][: MAX_KEYS + 1]:
        key = _jwk_key(entry)
        if key is None:
            continue
        if any(k.kid == key.kid for k in keys):
            raise KeysUnusable(f"JWKS has kid {key.kid[:40]!r} twice")
        keys.append(key)
    return KeySet(tuple(keys))


def _jwk_key(entry: object) -> PublicKey | None:
    if not isinstance(entry, dict) or entry.get("kty") not in ("OKP", "EC", "RSA"):
        return None
    if entry.get("use", "sig") != "sig":
        return None
    public_only = {k: v for k, v in entry.items() if k not in ("d", "p", "q", "dp", "dq", "qi", "oth")}
    try:
        loaded = jwt.PyJWK(public_only).key
        public = _as_public(loaded)
        alg = algorithm_of(public)
    except (jwt.PyJWKError, jwt.InvalidKeyError, KeysUnusable, ValueError, TypeError):
        return None
    if entry.get("alg", alg) != alg:
        return None  # e.g. an RSA key labelled HS256 or PS256
    kid = entry.get("kid")
    return PublicKey(kid if isinstance(kid, str) and kid else thumbprint(public), alg, public)


def load_private_key(pem: bytes) -> tuple[Any, str, str]:
    """A private key PEM → ``(key, algorithm, kid)``; the kid is the public key's thumbprint.

    Raises:
        KeysUnusable: not an unencrypted Ed25519, P-256 or RSA private key.
    """
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise KeysUnusable("not an unencrypted PEM private key") from exc
    public = _as_public(key)
    return key, algorithm_of(public), thumbprint(public)


def encode_signed(claims: Claims, private_key: Any, *, algorithm: str, kid: str) -> str:
    """Sign ``claims`` (practable's payload serialisation) with a private key, ``kid`` in the header."""
    header = {"alg": algorithm, "kid": kid, "typ": "JWT"}
    signing_input = (
        f"{_b64url(json.dumps(header, separators=(',', ':')).encode())}.{_b64url(go_json_bytes(claims))}"
    )
    algo = jwt.get_algorithm_by_name(algorithm)
    signature = algo.sign(signing_input.encode("ascii"), private_key)
    return f"{signing_input}.{_b64url(signature)}"


def _verified_public_payload(token: str, header: Mapping[str, object], keys: KeySet) -> bytes:
    alg = str(header.get("alg"))
    kid = header.get("kid")
    if kid is not None and not isinstance(kid, str):
        raise TokenMalformed("malformed token: kid is not a string")
    found = keys.find(kid) if kid else None
    if found is not None:
        if found.algorithm != alg:
            raise TokenBadAlgorithm(f"algorithm {alg!r} does not match key {kid!r:.40} ({found.algorithm})")
        candidates = [found]
    else:
        # No kid, or one no JWKS key has: PEM keys (which carry no kid) of the token's type may
        # still match; without a kid, every key of that type is tried.
        candidates = keys.of_algorithm(alg, unnamed_only=bool(kid))
        if not candidates and not kid:
            raise TokenBadAlgorithm(f"algorithm {alg!r}: no public key of that type is configured")
    for candidate in candidates:
        try:
            # Only the candidate's own algorithm is allowed, with the key object (never bytes).
            complete = jwt.api_jws.decode_complete(token, key=candidate.key, algorithms=[candidate.algorithm])
        except jwt.InvalidSignatureError:
            continue
        except jwt.InvalidTokenError as exc:
            raise TokenMalformed(f"malformed token: {str(exc)[:60]}") from exc
        payload: bytes = complete["payload"]
        return payload
    if kid and found is None:
        raise TokenUnknownKey(kid)  # a JWKS URL refetch may bring it
    raise TokenBadSignature("bad signature (no configured public key matches)")


def verify_token(
    token: str, *, secret: str, keys: KeySet, audience: str | None, now: float | None = None
) -> Claims:
    """Verify an HS256/384/512 token with ``secret`` or an EdDSA/ES256/RS256 one with ``keys``.

    Args:
        token: a compact JWT, optionally prefixed by ``Bearer ``.
        secret: the shared HMAC secret; "" refuses every HS* token.
        keys: the public keys; an empty set refuses every public-key token.
        audience: the audience that ``aud`` must contain; None skips the check.
        now: unix seconds to check times against.

    Returns:
        The verified claims.

    Raises:
        TokenUnknownKey: a ``kid`` that no key has.
        TokenError: every other refusal (see ``tokentool.claims.decode``).
    """
    header, _ = unverified_parts(token)
    compact = token.strip()
    if compact[:7].lower() == "bearer ":
        compact = compact[7:].strip()
    alg = header.get("alg")
    if alg in HMAC_ALGORITHMS:
        if not secret:
            raise TokenBadAlgorithm(f"algorithm {alg!r} not accepted: this verifier has no shared secret")
        raw = verified_hmac_payload(compact, secret)
    elif alg in PUBLIC_ALGORITHMS:
        raw = _verified_public_payload(compact, header, keys)
    else:
        shown = repr(alg)[:20] if alg is not None else "(missing)"
        allowed = [*(HMAC_ALGORITHMS if secret else ()), *(PUBLIC_ALGORITHMS if keys.keys else ())]
        raise TokenBadAlgorithm(f"algorithm {shown} not allowed (only {', '.join(allowed) or 'none'})")
    return check_claims(raw, audience=audience, now=now)


def jwks_document(keys: Iterable[PublicKey]) -> dict[str, Any]:
    """A JWKS document of public keys (what ``tokentool keygen`` writes)."""
    return {"keys": [public_jwk(k.key, k.kid) for k in keys]}
