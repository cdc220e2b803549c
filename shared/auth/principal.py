"""The caller as the services see it once its token is verified."""

from dataclasses import dataclass, field
from enum import StrEnum
from uuid import UUID


class Role(StrEnum):
    MINISTRY = "ministry"
    PROVINCE_OFFICER = "province_officer"
    COMMUNE_WORKER = "commune_worker"
    FACILITY_WORKER = "facility_worker"
    INTEGRATION = "integration"  # a hospital's or school's system
    SERVICE = "service"  # another ctxh service
    ADMIN = "admin"


SENSITIVE_READ = "sensitive:read"


@dataclass(frozen=True, slots=True)
class Principal:
    subject: str
    name: str = ""
    roles: frozenset[Role] = field(default_factory=frozenset)
    province_code: str | None = None
    commune_code: str | None = None
    facility_id: UUID | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)

    def has_role(self, *roles: Role) -> bool:
        return not self.roles.isdisjoint(roles)

    @property
    def can_read_sensitive(self) -> bool:
        return SENSITIVE_READ in self.scopes
