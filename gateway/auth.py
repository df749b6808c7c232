"""Bearer tokens -> claims, and the checks practable's access API applies to them."""

from __future__ import annotations

from gateway.verifier import Verifier
from tokentool.claims import Claims, TokenError, TokenWrongAudience


class AuthFailure(Exception):
    """A refusal of the access API with practable's body shape (see access.py)."""

    def __init__(self, status: int, message: str, *, numeric_code: bool = False, bare: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.numeric_code = numeric_code  # go-openapi style {"code":401,...} (no newline)
        self.bare = bare  # practable's session handler answers some 401s with a bare JSON string


async def authenticate(header: str | None, *, verifier: Verifier, audience: str, now: float) -> Claims:
    """Validate the ``Authorization`` header (raw JWT or ``Bearer <jwt>``) with the one verifier.

    Raises:
        AuthFailure: 401 with practable's wording; the original's 500 for a bad token is a bug.
    """
    if not header or not header.strip():
        raise AuthFailure(401, "unauthenticated for invalid credentials", numeric_code=True)
    try:
        return await verifier.claims(header.strip(), audience=audience, now=now)
    except TokenWrongAudience as exc:
        raise AuthFailure(
            401, f"aud [{' '.join(exc.actual)}] does not match this host {exc.expected}", numeric_code=True
        ) from exc
    except TokenError as exc:
        raise AuthFailure(401, f"token invalid: {exc.reason}", numeric_code=True) from exc


def has_required_claims(claims: Claims, *, need_topic: bool = True) -> bool:
    """practable's HasRequiredClaims: topic, scopes, prefix, aud and a non-zero exp."""
    return (
        (bool(claims.topic) or not need_topic)
        and bool(claims.scopes)
        and (bool(claims.prefix) or not need_topic)
        and bool(claims.audience)
        and bool(claims.expires_at)
    )
