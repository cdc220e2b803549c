"""Who may see and change what in the workforce registry, as SQL conditions and role checks.

- province officer: manages its province (facilities, workers, training, supervision);
- facility worker: reads its own facility and the workers assigned there;
- ministry, service, admin: read facilities (not personal data); never workers.
"""

from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends

from services.workforce.assignment.models import AllowancePeriod, Assignment
from services.workforce.facility.models import Facility
from services.workforce.worker.models import Worker
from shared.auth import Principal, Role, require_roles
from shared.errors import Forbidden
from shared.models import table_of

facility_t = table_of(Facility)
worker_t = table_of(Worker)
assignment_t = table_of(Assignment)
allowance_t = table_of(AllowancePeriod)

Manager = Annotated[Principal, Depends(require_roles(Role.PROVINCE_OFFICER))]
PersonnelReader = Annotated[
    Principal, Depends(require_roles(Role.PROVINCE_OFFICER, Role.FACILITY_WORKER))
]
RegistryReader = Annotated[
    Principal,
    Depends(
        require_roles(
            Role.PROVINCE_OFFICER, Role.FACILITY_WORKER, Role.MINISTRY, Role.SERVICE, Role.ADMIN
        )
    ),
]


def facility_scope(principal: Principal) -> sa.ColumnElement[bool]:
    if principal.has_role(Role.MINISTRY, Role.SERVICE, Role.ADMIN):
        return sa.true()
    conditions = []
    if principal.has_role(Role.PROVINCE_OFFICER) and principal.province_code:
        conditions.append(facility_t.c.province_code == principal.province_code)
    if principal.has_role(Role.FACILITY_WORKER) and principal.facility_id:
        conditions.append(facility_t.c.id == principal.facility_id)
    return sa.or_(sa.false(), *conditions)


def worker_scope(principal: Principal) -> sa.ColumnElement[bool]:
    conditions = []
    if principal.has_role(Role.PROVINCE_OFFICER) and principal.province_code:
        conditions.append(worker_t.c.province_code == principal.province_code)
    if principal.has_role(Role.FACILITY_WORKER) and principal.facility_id:
        assigned_here = sa.exists().where(
            assignment_t.c.worker_id == worker_t.c.id,
            assignment_t.c.facility_id == principal.facility_id,
        )
        conditions.append(assigned_here)
    return sa.or_(sa.false(), *conditions)


def check_province(principal: Principal, province_code: str) -> None:
    """A province officer changes only its own province's registry."""
    if principal.province_code != province_code:
        raise Forbidden(f"province {province_code} is not yours to manage")
