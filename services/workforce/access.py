"""Who may see and change what in the workforce registry: the service's access policies,
with the SQL conditions and checks that carry them out. Every route takes its caller through
one of the policies here.

- province officer: manages its province (facilities, workers, training, supervision);
- facility worker: reads its own facility and the workers assigned there;
- ministry, service, admin: read facilities (not personal data); never workers.
"""

from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends

from services.workforce.assignment.models import (
    assignment_t,
)
from services.workforce.facility.models import facility_t
from services.workforce.supervision.models import supervision_t
from services.workforce.training.models import course_t
from services.workforce.worker.models import worker_t
from shared.access import policy
from shared.auth import Principal, Role
from shared.errors import Forbidden

MANAGEMENT = policy(
    "registry_management",
    {Role.PROVINCE_OFFICER},
    "Province officers change their own province's registry: facilities, workers, posts, "
    "allowances, training, supervision, ward wage regions.",
)
PERSONNEL = policy(
    "personnel",
    {Role.PROVINCE_OFFICER, Role.FACILITY_WORKER},
    "Workers are personal data: officers read their province's, a facility worker the "
    "workers of its own facility; outside that a worker answers 404.",
)
REGISTRY = policy(
    "registry",
    {Role.PROVINCE_OFFICER, Role.FACILITY_WORKER, Role.MINISTRY, Role.SERVICE, Role.ADMIN},
    "Facilities and wage references are not personal data: officers read their province's, a "
    "facility worker its own facility, the ministry, our services and admins all of them.",
)
WAGE_ADMINISTRATION = policy(
    "wage_administration",
    {Role.ADMIN},
    "Admins add dated national wage rates (base and regional minimum wages).",
)
PEOPLE_AGGREGATES = policy(
    "people_aggregates",
    {Role.SERVICE, Role.PROVINCE_OFFICER},
    "Counts of workers and training for the reporting service and the province's own "
    "officers (who may read the workers themselves). The ministry gets the plans' figures from "
    "reporting, through its disclosure control, not these.",
)
FACILITY_AGGREGATES = policy(
    "facility_aggregates",
    {Role.SERVICE, Role.PROVINCE_OFFICER, Role.MINISTRY},
    "Counts of facilities (not people): the reporting service, officers for their province, "
    "the ministry for any province.",
)

Manager = Annotated[Principal, Depends(MANAGEMENT.dependency())]
PersonnelReader = Annotated[Principal, Depends(PERSONNEL.dependency())]
RegistryReader = Annotated[Principal, Depends(REGISTRY.dependency())]
Admin = Annotated[Principal, Depends(WAGE_ADMINISTRATION.dependency())]
PeopleCounter = Annotated[Principal, Depends(PEOPLE_AGGREGATES.dependency())]
FacilityCounter = Annotated[Principal, Depends(FACILITY_AGGREGATES.dependency())]


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
        # An alias, so the condition also works in queries that select from assignment.
        posted = assignment_t.alias("posted")
        assigned_here = sa.exists().where(
            posted.c.worker_id == worker_t.c.id,
            posted.c.facility_id == principal.facility_id,
        )
        conditions.append(assigned_here)
    return sa.or_(sa.false(), *conditions)


def check_province(principal: Principal, province_code: str) -> None:
    """A province officer changes only its own province's registry."""
    if principal.province_code != province_code:
        raise Forbidden(f"province {province_code} is not yours to manage")


def course_scope(principal: Principal) -> sa.ColumnElement[bool]:
    """Courses are the province's own training records: its officers'."""
    if principal.has_role(Role.PROVINCE_OFFICER) and principal.province_code:
        return course_t.c.province_code == principal.province_code
    return sa.false()


def supervision_scope(principal: Principal) -> sa.ColumnElement[bool]:
    if principal.has_role(Role.PROVINCE_OFFICER) and principal.province_code:
        return supervision_t.c.province_code == principal.province_code
    return sa.false()
