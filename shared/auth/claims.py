"""Map verified JWT claims onto a Principal.

Accepts our own dev tokens and the usual OIDC shapes (Keycloak's `realm_access.roles`,
space-separated `scope` or a `scp` list), so a real identity provider needs only mappers
for `province_code`, `commune_code`, `facility_id` and `agency_id`.
"""

import re
from typing import Any
from uuid import UUID

from shared.auth.principal import Principal, Role
from shared.errors import Unauthorized

_PROVINCE = re.compile(r"^\d{2}$")
_COMMUNE = re.compile(r"^\d{5}$")
_KNOWN_ROLES = {role.value for role in Role}


def _roles(claims: dict[str, Any]) -> frozenset[Role]:
    raw = claims.get("roles")
    if raw is None:
        raw = (claims.get("realm_access") or {}).get("roles", [])
    if isinstance(raw, str):
        raw = raw.split()
    # Identity providers add roles of their own (offline_access, ...); those mean nothing here.
    return frozenset(Role(r) for r in raw if isinstance(r, str) and r in _KNOWN_ROLES)


def _scopes(claims: dict[str, Any]) -> frozenset[str]:
    raw = claims.get("scope", claims.get("scp", ""))
    if isinstance(raw, str):
        raw = raw.split()
    return frozenset(s for s in raw if isinstance(s, str))


def _code(claims: dict[str, Any], name: str, pattern: re.Pattern[str]) -> str | None:
    value = claims.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not pattern.match(value):
        raise Unauthorized(f"claim {name} is malformed", error="invalid_token")
    return value


def _uuid(claims: dict[str, Any], name: str) -> UUID | None:
    value = claims.get(name)
    if value is None:
        return None
    try:
        return UUID(str(value))
    except ValueError:
        raise Unauthorized(f"claim {name} is malformed", error="invalid_token") from None


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise Unauthorized("token has no subject", error="invalid_token")
    return Principal(
        subject=subject,
        name=str(claims.get("name") or claims.get("preferred_username") or ""),
        roles=_roles(claims),
        province_code=_code(claims, "province_code", _PROVINCE),
        commune_code=_code(claims, "commune_code", _COMMUNE),
        facility_id=_uuid(claims, "facility_id"),
        agency_id=_uuid(claims, "agency_id"),
        scopes=_scopes(claims),
    )
