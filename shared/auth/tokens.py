"""Issue development tokens and verify bearer tokens (dev key or an OIDC provider's JWKS)."""

import time
from collections.abc import Callable
from typing import Any, Protocol
from uuid import UUID

import httpx
import jwt
import structlog
from cachetools import TLRUCache

from shared.auth.claims import principal_from_claims
from shared.auth.dev_keys import load_or_create_private_key
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
    scopes: list[str] | None = None,
    ttl_seconds: int = 8 * 3600,
) -> str:
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
    if facility_id is not None:
        claims["facility_id"] = str(facility_id)
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
        log.info("token_rejected", reason=type(exc).__name__)
        raise Unauthorized("token is invalid", error="invalid_token") from None


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


class VerifiedTokens:
    """Principals of tokens already verified, until each token expires.

    A mobile client sends the same token on every request for hours; checking its signature
    once is enough. Keyed by the whole token, so a changed byte is a miss.
    """

    def __init__(self, maxsize: int = 10_000) -> None:
        self._cache: TLRUCache[str, tuple[Principal, float]] = TLRUCache(
            maxsize=maxsize, ttu=lambda _key, value, _now: value[1], timer=time.time
        )

    def get(self, token: str) -> Principal | None:
        hit = self._cache.get(token)
        return hit[0] if hit is not None else None

    def put(self, token: str, principal: Principal, claims: dict[str, Any]) -> Principal:
        self._cache[token] = (principal, float(claims["exp"]))
        return principal


class DevTokenVerifier:
    """Verifies tokens signed with the development key under var/."""

    def __init__(self, settings: ServiceSettings) -> None:
        self.settings = settings
        self.public_key = load_or_create_private_key(settings.dev_key_path).public_key()
        self.verified = VerifiedTokens()

    async def verify(self, token: str) -> Principal:
        if (principal := self.verified.get(token)) is not None:
            return principal
        claims = _decode(token, self.public_key, self.settings)
        return self.verified.put(token, _principal(claims), claims)

    async def close(self) -> None:
        return None


class OidcTokenVerifier:
    """Verifies tokens against the provider's JWKS, refetched when stale or on an unknown key id."""

    def __init__(self, settings: ServiceSettings, client: httpx.AsyncClient | None = None) -> None:
        if not settings.jwks_url:
            raise ValueError("auth_mode=oidc needs jwks_url")
        self.settings = settings
        self.client = client or httpx.AsyncClient(timeout=5.0)
        self._keys: dict[str, Any] = {}
        self._fetched_at = 0.0
        self.verified = VerifiedTokens()

    async def _refresh(self) -> None:
        try:
            response = await self.client.get(self.settings.jwks_url or "")
            response.raise_for_status()
            jwks = jwt.PyJWKSet.from_dict(response.json())
        except (httpx.HTTPError, jwt.PyJWKSetError, ValueError) as exc:
            log.error("jwks_fetch_failed", error=str(exc))
            raise Unauthorized("signing keys are unavailable", error="invalid_token") from None
        self._keys = {key.key_id: key for key in jwks.keys if key.key_id}
        self._fetched_at = time.monotonic()

    async def _key_for(self, token: str) -> Any:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.InvalidTokenError:
            raise Unauthorized("token is malformed", error="invalid_token") from None
        age = time.monotonic() - self._fetched_at
        # An unknown kid may mean the provider rotated keys, but forged kids must not make
        # us hammer it: refetch for one at most every few seconds.
        if age > self.settings.jwks_cache_seconds or (kid not in self._keys and age > 10):
            await self._refresh()
        if kid not in self._keys:
            raise Unauthorized("token signed with an unknown key", error="invalid_token")
        return self._keys[kid]

    async def verify(self, token: str) -> Principal:
        if (principal := self.verified.get(token)) is not None:
            return principal
        key = await self._key_for(token)
        claims = _decode(token, key, self.settings)
        return self.verified.put(token, _principal(claims), claims)

    async def close(self) -> None:
        await self.client.aclose()


def make_verifier(settings: ServiceSettings) -> TokenVerifier:
    if settings.auth_mode == "oidc":
        return OidcTokenVerifier(settings)
    return DevTokenVerifier(settings)
