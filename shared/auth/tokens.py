"""Issue development tokens and verify bearer tokens (dev key or an OIDC provider's JWKS)."""

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

import httpx
import jwt
import structlog
from cachetools import TLRUCache

from shared.auth.claims import principal_from_claims
from shared.auth.dev_keys import load_or_create_private_key
from shared.auth.jwks import ProviderKeys
from shared.auth.principal import Principal, Role
from shared.errors import Unauthorized
from shared.settings import ServiceSettings

log = structlog.get_logger("ctxh.auth")

_REQUIRED_CLAIMS = ["exp", "iat", "sub", "iss", "aud"]


def issue_dev_token(
    settings: ServiceSettings,
    *,
    roles: list[Role],
    subject: str | None = None,
    name: str = "",
    province_code: str | None = None,
    commune_code: str | None = None,
    facility_id: UUID | None = None,
    agency_id: UUID | None = None,
    scopes: list[str] | None = None,
    ttl_seconds: int = 8 * 3600,
) -> str:
    if settings.environment == "production":
        raise ValueError("development tokens are refused in production")
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": subject or f"dev-{roles[0].value if roles else 'user'}",
        "name": name,
        "iat": now,
        "exp": now + ttl_seconds,
        "roles": [role.value for role in roles],
        "scope": " ".join(scopes or []),
    }
    optional = {"province_code": province_code, "commune_code": commune_code}
    claims.update({k: v for k, v in optional.items() if v is not None})
    for name, value in (("facility_id", facility_id), ("agency_id", agency_id)):
        if value is not None:
            claims[name] = str(value)
    key = load_or_create_private_key(settings.dev_key_path)
    return jwt.encode(claims, key, algorithm="EdDSA")


class TokenVerifier(Protocol):
    async def verify(self, token: str) -> Principal: ...

    async def close(self) -> None: ...


def _decode(token: str, key: Any, settings: ServiceSettings) -> dict[str, Any]:
    try:
        return jwt.decode(
            token,
            key,
            algorithms=settings.jwt_algorithms,
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            leeway=settings.clock_skew_seconds,
            options={"require": _REQUIRED_CLAIMS},
        )
    except jwt.ExpiredSignatureError:
        raise Unauthorized("token has expired", error="invalid_token") from None
    except jwt.InvalidTokenError as exc:
        # The library's message names the claim or check that failed; never the token.
        reason = f"token is invalid: {exc}"[:200]
        raise Unauthorized(reason, error="invalid_token") from None


def _is_list_of_strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _check_claim_shapes(claims: dict[str, Any]) -> None:
    """Refuse a roles or scope claim of the wrong JSON type rather than guess what it meant.

    A string where a list of roles belongs would otherwise be split on spaces; the standard
    `scope` is one space-separated string (RFC 8693), `scp` and roles are lists. A claim that
    is present but null is as malformed as one of the wrong type.
    """
    realm_access = claims.get("realm_access", {})
    if not isinstance(realm_access, dict):
        raise Unauthorized("claim realm_access is malformed", error="invalid_token")
    shapes: list[tuple[str, dict[str, Any], str, Callable[[Any], bool]]] = [
        ("roles", claims, "roles", _is_list_of_strings),
        ("realm_access.roles", realm_access, "roles", _is_list_of_strings),
        ("scope", claims, "scope", lambda value: isinstance(value, str)),
        ("scp", claims, "scp", _is_list_of_strings),
    ]
    for name, holder, key, well_formed in shapes:
        if key in holder and not well_formed(holder[key]):
            raise Unauthorized(f"claim {name} is malformed", error="invalid_token")


def _principal(claims: dict[str, Any]) -> Principal:
    _check_claim_shapes(claims)
    return principal_from_claims(claims)


@dataclass(frozen=True, slots=True)
class Verified:
    principal: Principal
    expires_at: float
    kid: Any  # the header's, kept so that a hit needs no parsing of the token
    key: object  # what verified it: a hit counts only while the same key is current


class VerifiedTokens:
    """Principals of tokens already verified, until each token expires.

    A mobile client sends the same token on every request for hours; checking its signature
    once is enough, while the key that checked it stays in the provider's set. Keyed by the
    whole token, so a changed byte is a miss.
    """

    def __init__(self, maxsize: int = 10_000) -> None:
        self._cache: TLRUCache[str, Verified] = TLRUCache(
            maxsize=maxsize, ttu=lambda _key, value, _now: value.expires_at, timer=time.time
        )

    def hit(self, token: str) -> Verified | None:
        return self._cache.get(token)

    def put(self, token: str, kid: Any, key: object, claims: dict[str, Any]) -> Principal:
        principal = _principal(claims)
        self._cache[token] = Verified(principal, float(claims["exp"]), kid, key)
        return principal


def _kid(token: str) -> Any:
    try:
        return jwt.get_unverified_header(token).get("kid")
    except jwt.InvalidTokenError:
        raise Unauthorized("token is malformed", error="invalid_token") from None


@contextlib.contextmanager
def _rejections_logged() -> Iterator[None]:
    """Every token refused is logged with the reason the caller is told (never the token),
    so an operator can tell a clock skew from a wrong audience or a withdrawn key."""
    try:
        yield
    except Unauthorized as refused:
        log.warning("token_rejected", reason=refused.detail)
        raise


class DevTokenVerifier:
    """Verifies tokens signed with the development key under var/."""

    def __init__(self, settings: ServiceSettings) -> None:
        self.settings = settings
        self.public_key = load_or_create_private_key(settings.dev_key_path).public_key()
        self.verified = VerifiedTokens()

    async def verify(self, token: str) -> Principal:
        if (hit := self.verified.hit(token)) is not None:
            return hit.principal  # one key, for as long as the process lives
        with _rejections_logged():
            claims = _decode(token, self.public_key, self.settings)
            return self.verified.put(token, None, self.public_key, claims)

    async def close(self) -> None:
        return None


class OidcTokenVerifier:
    """Verifies tokens against the provider's keys (shared.auth.jwks)."""

    def __init__(
        self,
        settings: ServiceSettings,
        client: httpx.AsyncClient | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not settings.jwks_url:
            raise ValueError("auth_mode=oidc needs jwks_url")
        self.settings = settings
        self.client = client or httpx.AsyncClient(timeout=3.0)
        self.keys = ProviderKeys(settings, self.client, clock)
        self.verified = VerifiedTokens()

    async def verify(self, token: str) -> Principal:
        hit = self.verified.hit(token)
        with _rejections_logged():
            kid = hit.kid if hit is not None else _kid(token)
            key = await self.keys.key(kid)
            if key is None:
                raise Unauthorized("token signed with an unknown key", error="invalid_token")
            if hit is not None and hit.key is key:
                return hit.principal
            return self.verified.put(token, kid, key, _decode(token, key, self.settings))

    async def close(self) -> None:
        await self.client.aclose()


def make_verifier(settings: ServiceSettings) -> TokenVerifier:
    if settings.auth_mode == "oidc":
        return OidcTokenVerifier(settings)
    return DevTokenVerifier(settings)
