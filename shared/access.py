"""Every API route declares its access policy: who may call it and by which rules its answer
is governed (unit scope, sensitive data, disclosure outside the province).

A policy is a named dependency. A route gets its caller through one, so declaring the policy
is how the route authenticates at all; `route_policies` refuses a route that declares
none, and `publish_policies` puts each route's policy in the OpenAPI document
(`x-access-policy`) so clients and the access tests read the same rules.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, ParamSpec, TypeVar
from urllib.parse import unquote

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts
from fastapi.security import HTTPAuthorizationCredentials

from shared.auth.deps import BearerCredentials, authenticate, check_roles
from shared.auth.principal import Principal, Role

POLICY_ATTRIBUTE = "__access_policy__"
P = ParamSpec("P")
T = TypeVar("T")
EVERY_ROLE = frozenset(Role)


@dataclass(frozen=True)
class AccessPolicy:
    name: str
    roles: frozenset[Role]
    rules: str  # in words, for the OpenAPI document

    async def admit(
        self, request: Request, credentials: HTTPAuthorizationCredentials | None
    ) -> Principal:
        """The request's caller, if it holds one of the policy's roles (401, 403 if not)."""
        return check_roles(await authenticate(request, credentials), self.roles)

    def declared_by(self, dependency: Callable[P, T]) -> Callable[P, T]:
        """Marks a dependency as the one through which its routes take their caller."""
        setattr(dependency, POLICY_ATTRIBUTE, self)
        return dependency

    def dependency(
        self,
    ) -> Callable[[Request, HTTPAuthorizationCredentials | None], Awaitable[Principal]]:
        """The route's caller, checked against the policy's roles."""

        async def caller(request: Request, credentials: BearerCredentials) -> Principal:
            return await self.admit(request, credentials)

        return self.declared_by(caller)

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


PurposeHeader = Annotated[
    str | None,
    Header(
        alias="X-Access-Purpose",
        max_length=300,
        description="Why sensitive data is being read; logged with the read. HTTP "
        "headers are ASCII, so Vietnamese text is sent percent-encoded (UTF-8)",
    ),
]
PurposeQuery = Annotated[
    str | None, Query(max_length=300, description="Same as the X-Access-Purpose header")
]


def stated_purpose(header: str | None, query: str | None) -> str | None:
    """The purpose the caller gave, in the header or the query; None when blank."""
    given = unquote(header) if header is not None else query
    return (given or "").strip() or None


async def access_purpose(header: PurposeHeader = None, purpose: PurposeQuery = None) -> str | None:
    return stated_purpose(header, purpose)


# Why the caller reads sensitive data: with scope sensitive:read, what lets them see it.
Purpose = Annotated[str | None, Depends(access_purpose)]
