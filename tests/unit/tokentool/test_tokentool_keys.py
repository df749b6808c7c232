"""Public-key tokens: golden tokens for EdDSA, ES256 and RS256 from PEM and JWKS files, and every
algorithm-confusion attempt we know of refused (none, HS256 keyed by a public key, wrong kid,
jku/x5u/jwk/x5c headers)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from relaytest import golden_public_pem

from tokentool.claims import (
    Claims,
    TokenBadAlgorithm,
    TokenBadSignature,
    TokenExpired,
    TokenWrongAudience,
    encode,
)
from tokentool.keyfiles import generate
from tokentool.keys import (
    KeySet,
    KeysUnusable,
    PublicKey,
    TokenUnknownKey,
    encode_signed,
    jwks_document,
    keys_from_jwks,
    keys_from_pem,
    load_private_key,
    public_jwk,
    thumbprint,
    verify_token,
)

KEYS = Path(__file__).parent / "keys"
GOLDEN: dict[str, str] = json.loads((KEYS / "golden.json").read_text())
AUD = "https://relay.example.org/access"
NOW = 1_800_000_000
ALGS = ("EdDSA", "ES256", "RS256")


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims() -> Claims:
    return Claims(
        topic="t", prefix="session", scopes=("read",), audience=(AUD,), booking_id="b", expires_at=NOW + 60
    )


def header_token(header: dict[str, object], payload: dict[str, object], sign: bytes = b"x") -> str:
    return f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}.{b64(sign)}"


@pytest.mark.parametrize("alg", ALGS)
@pytest.mark.parametrize("source", ["pem", "jwks"])
def test_golden_tokens_verify_against_key_files(alg: str, source: str, tmp_path: Path) -> None:
    keys = (
        keys_from_pem(Path(golden_public_pem(tmp_path / "public.pem")).read_bytes())
        if source == "pem"
        else keys_from_jwks((KEYS / "jwks.json").read_text())
    )
    got = verify_token(GOLDEN[alg], secret="", keys=keys, audience=AUD, now=NOW)
    assert (got.topic, got.prefix, got.scopes, got.booking_id) == (
        "golden",
        "session",
        ("read", "write"),
        "b1",
    )
    assert got.expires_at == 4102444800


@pytest.mark.parametrize("alg", ALGS)
def test_private_key_files_sign_what_the_public_files_verify(alg: str) -> None:
    # Made here, not kept in the repository: a committed private key reads as a leaked secret.
    private = generate(alg)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    key, found_alg, kid = load_private_key(private_pem)
    assert found_alg == alg
    token = encode_signed(claims(), key, algorithm=alg, kid=kid)
    assert jwt.get_unverified_header(token) == {"alg": alg, "kid": kid, "typ": "JWT"}
    pem_keys = keys_from_pem(public_pem)
    assert kid in pem_keys.kids()  # a PEM key's kid is its RFC 7638 thumbprint
    assert verify_token(token, secret="", keys=pem_keys, audience=AUD, now=NOW).topic == "t"


def test_hs256_and_public_keys_are_both_accepted_when_both_are_configured() -> None:
    keys = keys_from_jwks((KEYS / "jwks.json").read_text())
    hs = encode(claims(), "s3cret")
    assert verify_token(hs, secret="s3cret", keys=keys, audience=AUD, now=NOW).topic == "t"
    assert verify_token(GOLDEN["EdDSA"], secret="s3cret", keys=keys, audience=AUD, now=NOW).topic == "golden"


def test_times_and_audience_are_checked_for_public_key_tokens_too() -> None:
    keys = keys_from_jwks((KEYS / "jwks.json").read_text())
    with pytest.raises(TokenExpired):
        verify_token(GOLDEN["RS256"], secret="", keys=keys, audience=AUD, now=4102444800)
    with pytest.raises(TokenWrongAudience):
        verify_token(GOLDEN["RS256"], secret="", keys=keys, audience="https://other", now=NOW)


def test_a_token_whose_kid_is_unknown_is_refused_as_unknown_key() -> None:
    keys = keys_from_jwks((KEYS / "jwks.json").read_text())
    other = ed25519.Ed25519PrivateKey.generate()
    token = encode_signed(claims(), other, algorithm="EdDSA", kid="new-key")
    with pytest.raises(TokenUnknownKey) as caught:
        verify_token(token, secret="", keys=keys, audience=AUD, now=NOW)
    assert caught.value.kid == "new-key"


def test_a_signature_by_another_key_under_a_known_kid_is_a_bad_signature() -> None:
    keys = keys_from_jwks((KEYS / "jwks.json").read_text())
    other = ed25519.Ed25519PrivateKey.generate()
    token = encode_signed(claims(), other, algorithm="EdDSA", kid="golden-eddsa")
    with pytest.raises(TokenBadSignature):
        verify_token(token, secret="", keys=keys, audience=AUD, now=NOW)


# --- algorithm confusion ------------------------------------------------------------------------


def test_alg_none_is_refused_whatever_is_configured() -> None:
    keys = keys_from_jwks((KEYS / "jwks.json").read_text())
    for alg in ("none", "None", "NONE", ""):
        token = header_token({"alg": alg, "kid": "golden-eddsa"}, claims().to_payload(), b"")
        with pytest.raises(TokenBadAlgorithm):
            verify_token(token, secret="s3cret", keys=keys, audience=AUD, now=NOW)


@pytest.mark.parametrize("secret", ["", "s3cret"])
def test_hs256_signed_with_the_public_key_pem_is_refused(secret: str, tmp_path: Path) -> None:
    """The classic confusion: an attacker HMACs with the (public) PEM bytes as the secret."""
    pem = Path(golden_public_pem(tmp_path / "public.pem")).read_bytes()
    keys = keys_from_pem(pem)
    rsa_pem = pem[pem.index(b"-----BEGIN PUBLIC KEY-----", pem.index(b"END") + 1) :]
    for material in (pem, rsa_pem, (KEYS / "jwks.json").read_bytes()):
        header = {"alg": "HS256", "typ": "JWT", "kid": "golden-rs256"}
        signing_input = (
            f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims().to_payload()).encode())}"
        )
        signature = hmac.new(material, signing_input.encode(), hashlib.sha256).digest()
        token = f"{signing_input}.{b64(signature)}"
        with pytest.raises((TokenBadAlgorithm, TokenBadSignature)):
            verify_token(token, secret=secret, keys=keys, audience=AUD, now=NOW)


def test_alg_must_match_the_type_of_the_key_its_kid_names() -> None:
    keys = keys_from_jwks((KEYS / "jwks.json").read_text())
    rs_key = generate("RS256")
    # An RS256 signature presented under the Ed25519 key's kid: refused before any signature check.
    token = encode_signed(claims(), rs_key, algorithm="RS256", kid="golden-eddsa")
    with pytest.raises(TokenBadAlgorithm, match="does not match key"):
        verify_token(token, secret="", keys=keys, audience=AUD, now=NOW)


@pytest.mark.parametrize("field", ["jku", "x5u", "jwk", "x5c"])
def test_key_carrying_headers_are_ignored(field: str) -> None:
    """A token that brings its own key (or where to fetch one) is checked against ours only."""
    attacker = ed25519.Ed25519PrivateKey.generate()
    jwk = public_jwk(attacker.public_key(), "evil")
    value: object = {
        "jku": "http://127.0.0.1:9/jwks.json",
        "x5u": "http://127.0.0.1:9/cert.pem",
        "jwk": jwk,
        "x5c": ["MIIB"],
    }[field]
    keys = keys_from_jwks((KEYS / "jwks.json").read_text())
    for kid in ("evil", "golden-eddsa", None):
        header: dict[str, object] = {"alg": "EdDSA", "typ": "JWT", field: value}
        if kid is not None:
            header["kid"] = kid
        signing_input = (
            f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims().to_payload()).encode())}"
        )
        token = f"{signing_input}.{b64(attacker.sign(signing_input.encode()))}"
        with pytest.raises((TokenUnknownKey, TokenBadSignature)):
            verify_token(token, secret="", keys=keys, audience=AUD, now=NOW)


def test_an_hs256_token_is_refused_when_only_public_keys_are_configured() -> None:
    keys = keys_from_jwks((KEYS / "jwks.json").read_text())
    with pytest.raises(TokenBadAlgorithm, match="no shared secret"):
        verify_token(encode(claims(), "s3cret"), secret="", keys=keys, audience=AUD, now=NOW)


def test_a_public_key_token_is_refused_when_only_a_secret_is_configured() -> None:
    with pytest.raises(TokenUnknownKey):  # with a kid: no key has it
        verify_token(GOLDEN["ES256"], secret="s3cret", keys=KeySet(), audience=AUD, now=NOW)
    key = generate("ES256")
    header = {"alg": "ES256", "typ": "JWT"}
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims().to_payload()).encode())}"
    token = f"{signing_input}.{b64(jwt.get_algorithm_by_name('ES256').sign(signing_input.encode(), key))}"
    with pytest.raises(TokenBadAlgorithm, match="no public key"):  # without: no key of its type
        verify_token(token, secret="s3cret", keys=KeySet(), audience=AUD, now=NOW)


@pytest.mark.parametrize("alg", ["PS256", "ES384", "ES512", "RS512", "HS1", "EdDSA "])
def test_other_algorithms_are_refused(alg: str) -> None:
    token = header_token({"alg": alg}, claims().to_payload())
    with pytest.raises(TokenBadAlgorithm):
        verify_token(
            token, secret="s3cret", keys=keys_from_jwks((KEYS / "jwks.json").read_text()), audience=AUD
        )


# --- key sets -----------------------------------------------------------------------------------


def test_a_jwks_never_yields_a_shared_secret_or_a_mislabelled_key() -> None:
    rsa_jwk = public_jwk(rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key(), "r")
    document = {
        "keys": [
            {"kty": "oct", "k": b64(b"secret"), "kid": "hmac", "alg": "HS256"},
            {**rsa_jwk, "kid": "labelled-hs256", "alg": "HS256"},
            {**rsa_jwk, "kid": "for-encryption", "use": "enc"},
            {**rsa_jwk, "kid": "good"},
            "not a key",
        ]
    }
    assert keys_from_jwks(json.dumps(document)).kids() == ("good",)


def test_a_private_jwk_contributes_only_its_public_half() -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    full = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(private))
    (key,) = keys_from_jwks(json.dumps({"keys": [{**full, "kid": "k"}]})).keys
    assert isinstance(key.key, ec.EllipticCurvePublicKey)


def test_unusable_keys_are_refused_with_a_reason() -> None:
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key()
    pem = weak.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    with pytest.raises(KeysUnusable, match="2048"):
        keys_from_pem(pem)
    p384 = ec.generate_private_key(ec.SECP384R1()).public_key()
    pem = p384.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    with pytest.raises(KeysUnusable, match="P-256"):
        keys_from_pem(pem)
    with pytest.raises(KeysUnusable, match="no PEM block"):
        keys_from_pem(b"hello")
    with pytest.raises(KeysUnusable, match="not valid JSON"):
        keys_from_jwks("{")
    duplicate = public_jwk(ed25519.Ed25519PrivateKey.generate().public_key(), "same")
    with pytest.raises(KeysUnusable, match="twice"):
        keys_from_jwks(json.dumps({"keys": [duplicate, duplicate]}))


def test_thumbprint_matches_rfc_7638_example() -> None:
    # RFC 7638 section 3.1's RSA key and its thumbprint.
    n = (
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMs"
        "tn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n"
        "91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
    )
    key = jwt.PyJWK({"kty": "RSA", "e": "AQAB", "n": n}).key
    assert thumbprint(key) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def test_jwks_document_round_trips() -> None:
    keys = keys_from_jwks((KEYS / "jwks.json").read_text())
    again = keys_from_jwks(json.dumps(jwks_document(keys.keys)))
    assert again.kids() == keys.kids() == ("golden-eddsa", "golden-es256", "golden-rs256")
    assert all(isinstance(k, PublicKey) and k.named for k in again.keys)
