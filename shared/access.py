"""Every API route declares its access policy: who may call it and by which rules its answer
is governed (unit scope, sensitive data, disclosure outside the province).

A policy is a named dependency. A route gets its caller through one, so declaring the policy
is how the route authenticates at all; `route_policies` refuses a route that declares
none, and `publish_policies` puts each route's policy in the OpenAPI document
(`x-access-policy`) so clients and the access tests read the same rules.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import unquote

from fastapi import Depends, FastAPI, Header, Query
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts

from shared.auth.deps import require_roles
from shared.auth.principal import Principal, Role

POLICY_ATTRIBUTE = "__access_policy__"
EVERY_ROLE = frozenset(Role)


@dataclass(frozen=True)
class AccessPolicy:
    name: str
    roles: frozenset[Role]
    rules: str  # in words, for the OpenAPI document

    def dependency(self) -> Callable[[Principal], Awaitable[Principal]]:
        """The route's caller, checked against the policy's roles."""
        check = require_roles(*self.roles)

        async def caller(principal: Principal = Depends(check)) -> Principal:
            return principal

        setattr(caller, POLICY_ATTRIBUTE, self)
        return caller

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "roles": sorted(r.value for r in self.roles),
            "rules": self.rules,
        }


def policy(name: str, roles: frozenset[Role] | set[Role], rules: str) -> AccessPolicy:
    return AccessPolicy(name, frozenset(roles), rules)


def _policies(dependant: Dependant) -> list[AccessPolicy]:
    found = []
    if (declared := getattr(dependant.call, POLICY_ATTRIBUTE, None)) is not None:
        found.append(declared)
    for sub in dependant.dependencies:
        found += _policies(sub)
    return found


def policy_of(dependant: Dependant, where: str) -> AccessPolicy | None:
    """The one policy a route declares, or None. Two different ones are a mistake."""
    declared = {p.name: p for p in _policies(dependant)}
    if len(declared) > 1:
        raise RuntimeError(f"{where} declares several access policies: {sorted(declared)}")
    return next(iter(declared.values()), None)


def route_policies(app: FastAPI) -> dict[tuple[str, str], AccessPolicy]:
    """(method, path) -> policy for every operation; refuses one that declares none.

    Routes are walked as the app serves them (included routers, their dependencies and
    prefixes applied), so a policy given at include time counts as well.
    """
    found = {}
    for route in iter_route_contexts(app.routes):
        dependant = getattr(route, "dependant", None)
        path = route.path_format or ""
        if dependant is None:  # the documents themselves (/openapi.json, /docs)
            continue
        where = f"{sorted(route.methods or [])} {path}"
        declared = policy_of(dependant, where)
        if declared is None:
            raise RuntimeError(f"{where} declares no access policy")
        for method in route.methods or []:
            found[(method.lower(), path)] = declared
    return found


def publish_policies(
    document: dict[str, Any], policies: dict[tuple[str, str], AccessPolicy]
) -> None:
    """Each operation's policy as `x-access-policy`, for clients and the access tests."""
    for (method, path), declared in policies.items():
        operation = document.get("paths", {}).get(path, {}).get(method)
        if operation is not None:
            operation["x-access-policy"] = declared.describe()


# Shared by every service: who the caller is (/me) and coded reference data.
ANY_CALLER = policy(
    "any_caller", EVERY_ROLE, "Any signed-in caller: nothing in the answer belongs to anyone else"
)
AnyCaller = Annotated[Principal, Depends(ANY_CALLER.dependency())]


# Probes and metrics: for the platform, with nothing in them about anyone.
PUBLIC = policy("public", frozenset(), "No token: nothing in the answer is about anyone")


async def _public() -> None:
    return None


setattr(_public, POLICY_ATTRIBUTE, PUBLIC)
Public = Depends(_public)  # as a route's or router's `dependencies=[Public]`


async def access_purpose(
    header: Annotated[
        str | None,
        Header(
            alias="X-Access-Purpose",
            max_length=300,
            description="Why sensitive data is being read; logged with the read. HTTP "
            "headers are ASCII, so Vietnamese text is sent percent-encoded (UTF-8)",
        ),
    ] = None,
    purpose: Annotated[
        str | None, Query(max_length=300, description="Same as the X-Access-Purpose header")
    ] = None,
) -> str | None:
    given = unquote(header) if header is not None else purpose
    return (given or "").strip() or None


# Why the caller reads sensitive data: with scope sensitive:read, what lets them see it.
Purpose = Annotated[str | None, Depends(access_purpose)]
