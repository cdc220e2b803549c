"""FastAPI dependencies: the verified caller, and role checks that read well in signatures.

FastAPI solves every dependency of a route again on each request, at a cost per level, so
the caller is found in one level under the bearer scheme (which the OpenAPI document needs),
not in a chain of small dependencies.
"""

from collections.abc import Iterable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.auth.principal import Principal, Role, stashed_principal
from shared.auth.tokens import TokenVerifier
from shared.errors import Forbidden, Unauthorized

# auto_error=False: a missing token must become our 401 problem, not FastAPI's 403.
_bearer = HTTPBearer(auto_error=False, description="A JWT from `ctxh token` or the OIDC provider")
BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


async def authenticate(
    request: Request, credentials: HTTPAuthorizationCredentials | None
) -> Principal:
    """The caller whose token came with the request; 401 without a valid one."""
    if (verified := stashed_principal(request.scope)) is not None:
        return verified  # shared.limits checked this request's token before reading its body
    if credentials is None:
        raise Unauthorized("a bearer token is required")
    verifier: TokenVerifier = request.app.state.token_verifier
    return await verifier.verify(credentials.credentials)


def check_roles(principal: Principal, allowed: Iterable[Role]) -> Principal:
    """The principal, if it holds one of `allowed`; 403 otherwise."""
    allowed = frozenset(allowed)
    if principal.roles.isdisjoint(allowed):
        names = ", ".join(sorted(role.value for role in allowed))
        raise Forbidden(f"this needs one of the roles: {names}")
    return principal


async def get_principal(request: Request, credentials: BearerCredentials) -> Principal:
    return await authenticate(request, credentials)


PrincipalDep = Annotated[Principal, Depends(get_principal)]
