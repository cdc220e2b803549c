"""FastAPI dependencies: the verified caller, and role checks that read well in signatures."""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.auth.principal import Principal, Role, stashed_principal
from shared.auth.tokens import TokenVerifier
from shared.errors import Forbidden, Unauthorized

# auto_error=False: a missing token must become our 401 problem, not FastAPI's 403.
_bearer = HTTPBearer(auto_error=False, description="A JWT from `ctxh token` or the OIDC provider")


async def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if (verified := stashed_principal(request.scope)) is not None:
        return verified  # shared.limits checked this request's token before reading its body
    if credentials is None:
        raise Unauthorized("a bearer token is required")
    verifier: TokenVerifier = request.app.state.token_verifier
    return await verifier.verify(credentials.credentials)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require_roles(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that lets through only callers holding one of `roles`."""
    allowed = frozenset(roles)

    async def check(principal: PrincipalDep) -> Principal:
        if principal.roles.isdisjoint(allowed):
            names = ", ".join(sorted(role.value for role in allowed))
            raise Forbidden(f"this needs one of the roles: {names}")
        return principal

    return check
