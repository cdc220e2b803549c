"""The caller as the services see it once its token is verified."""

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from shared.labels import LabelledEnum, labelled


class Role(LabelledEnum):
    MINISTRY = "ministry"
    PROVINCE_OFFICER = "province_officer"
    COMMUNE_WORKER = "commune_worker"
    FACILITY_WORKER = "facility_worker"
    # An officer of a department, mass organisation, commune People's Committee, school or
    # hospital who files its agency's contributions to a plan's report (agency_id claim).
    AGENCY_OFFICER = "agency_officer"
    INTEGRATION = "integration"  # a hospital's or school's system
    SERVICE = "service"  # another ctxh service
    ADMIN = "admin"


ROLES = labelled(
    Role,
    (Role.MINISTRY, "Cán bộ Bộ", "Ministry officer"),
    (Role.PROVINCE_OFFICER, "Cán bộ Sở (cấp tỉnh)", "Provincial department officer"),
    (Role.COMMUNE_WORKER, "Người làm công tác xã hội cấp xã", "Commune social worker"),
    (Role.FACILITY_WORKER, "Người làm công tác xã hội tại cơ sở", "Facility social worker"),
    (
        Role.AGENCY_OFFICER,
        "Cán bộ đầu mối báo cáo của cơ quan, đơn vị",
        "Agency officer filing its agency's contributions",
    ),
    (
        Role.INTEGRATION,
        "Hệ thống tích hợp (bệnh viện, trường học)",
        "Integrated system (hospital, school)",
    ),
    (Role.SERVICE, "Dịch vụ khác của hệ thống CTXH", "Another CTXH service"),
    (Role.ADMIN, "Quản trị hệ thống", "System administrator"),
)


SENSITIVE_READ = "sensitive:read"


@dataclass(frozen=True, slots=True)
class Principal:
    subject: str
    name: str = ""
    roles: frozenset[Role] = field(default_factory=frozenset)
    province_code: str | None = None
    commune_code: str | None = None
    facility_id: UUID | None = None
    agency_id: UUID | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)

    def has_role(self, *roles: Role) -> bool:
        return not self.roles.isdisjoint(roles)

    @property
    def can_read_sensitive(self) -> bool:
        return SENSITIVE_READ in self.scopes


# The ASGI scope's "state" entry under which a request's verified caller is kept: the token
# is checked before the body is read (shared.limits), and the route need not check it again.
_STATE_KEY = "principal"


def stash_principal(scope: MutableMapping[str, Any], principal: Principal) -> None:
    scope.setdefault("state", {})[_STATE_KEY] = principal


def stashed_principal(scope: MutableMapping[str, Any]) -> Principal | None:
    principal = scope.get("state", {}).get(_STATE_KEY)
    return principal if isinstance(principal, Principal) else None
