"""Who is calling: bearer JWTs verified into a frozen Principal, and the role checks on routes."""

from shared.auth.deps import PrincipalDep, get_principal
from shared.auth.principal import SENSITIVE_READ, Principal, Role

__all__ = ["SENSITIVE_READ", "Principal", "PrincipalDep", "Role", "get_principal"]
