"""Unit scopes as SQL conditions, so a record the caller may not see is never even loaded.

- province officer: its province;
- commune worker: its ward, plus the cases assigned to it (and those cases' people);
- facility worker and integration client: what its facility registered or manages, plus
  cases referred to it;
- everyone else (ministry, service, admin): no personal data at all.

A commune worker's *caseload* (what `GET /changes?scope=caseload` syncs) is narrower than
its scope: only the cases assigned to it (`caseload_worker`, `in_caseload`).
Likely duplicates (`duplicate_scope`) are a province officer's, for their own province.
"""

from collections.abc import Callable
from typing import Any, Generic, TypeVar
from uuid import UUID

import sqlalchemy as sa

from services.cases.case.errors import NoCaseload
from services.cases.case.models import case_t
from services.cases.casework.models import referral_t
from services.cases.duplicates.models import candidate_t
from services.cases.merge.models import merge_t
from services.cases.person.errors import OutsideScope
from services.cases.person.models import person_t
from services.cases.transfer.models import transfer_t
from shared.auth import Principal, Role

T = TypeVar("T")


def worker_id(principal: Principal) -> UUID | None:
    """A worker's token subject is its workforce worker id; other subjects assign nothing."""
    try:
        return UUID(principal.subject)
    except ValueError:
        return None


def caseload_worker(principal: Principal) -> UUID:
    """Whose caseload the caller syncs: its own, as the commune worker its token names.
    Anyone else (an officer, a facility, a token whose subject is no worker id) has none,
    and is told so rather than sent an empty list it might take for "nothing to do"."""
    worker = worker_id(principal) if principal.has_role(Role.COMMUNE_WORKER) else None
    if worker is None:
        raise NoCaseload(
            "only a commune worker whose token's subject is its worker id has a caseload; "
            "sync with scope=unit"
        )
    return worker


def in_caseload(worker: UUID) -> sa.ColumnElement[bool]:
    """The cases of a worker's caseload: those assigned to it, wherever they are."""
    return case_t.c.assigned_worker_id == worker


# The caller's unit goes into the conditions as named parameters, not as constants: one
# compiled statement then serves every caller of the same kind (scope_shape), with their own
# values (scope_values), instead of one cached statement per user.
def _bind(name: str, value: Any) -> sa.BindParameter[Any]:
    return sa.bindparam(f"scope_{name}", value)


def scope_shape(principal: Principal) -> tuple[Any, ...]:
    """What decides the form of a caller's scope conditions, but not their values."""
    claims = (principal.province_code, principal.commune_code, principal.facility_id)
    return (principal.roles, *(c is not None for c in claims), worker_id(principal) is not None)


class by_scope_shape(Generic[T]):  # noqa: N801 - used as a decorator
    """`build` (a statement in scope) run once per kind of caller, not per user: hot paths
    compile their statements once (shared.fastsql). `len()` is how many kinds it has built."""

    def __init__(self, build: Callable[[Principal], T]) -> None:
        self.build = build
        self.built: dict[tuple[Any, ...], T] = {}

    def __call__(self, principal: Principal) -> T:
        shape = scope_shape(principal)
        if (found := self.built.get(shape)) is None:
            found = self.built[shape] = self.build(principal)
        return found

    def __len__(self) -> int:
        return len(self.built)


def scope_values(principal: Principal) -> dict[str, Any]:
    return {
        "scope_province": principal.province_code,
        "scope_commune": principal.commune_code,
        "scope_facility": principal.facility_id,
        "scope_worker": worker_id(principal),
    }


# A referral's statuses in which its receiving facility works on the case, and sees it.
REFERRED = ("pending", "accepted", "contacted", "completed")


def _referred_to(facility_id: UUID) -> sa.ColumnElement[bool]:
    # An alias, so the check also works inside queries that select from referral itself.
    referred = referral_t.alias("referred")
    return sa.exists().where(
        referred.c.case_id == case_t.c.id,
        referred.c.to_facility_id == _bind("facility", facility_id),
        # Equalities, not IN: an IN list is rendered at execution time, and this condition
        # is part of statements compiled once (shared.fastsql).
        sa.or_(*(referred.c.status == status for status in REFERRED)),
    )


def _case_conditions(principal: Principal) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    if principal.has_role(Role.PROVINCE_OFFICER) and principal.province_code:
        conditions.append(case_t.c.province_code == _bind("province", principal.province_code))
    if principal.has_role(Role.COMMUNE_WORKER):
        if principal.commune_code:
            conditions.append(case_t.c.ward_code == _bind("commune", principal.commune_code))
        if (worker := worker_id(principal)) is not None:
            conditions.append(case_t.c.assigned_worker_id == _bind("worker", worker))
    if principal.has_role(Role.FACILITY_WORKER, Role.INTEGRATION) and principal.facility_id:
        facility = principal.facility_id
        conditions.append(case_t.c.managing_facility_id == _bind("facility", facility))
        conditions.append(case_t.c.registered_by_facility_id == _bind("facility", facility))
        if principal.has_role(Role.FACILITY_WORKER):
            conditions.append(_referred_to(facility))
    return conditions


def case_scope(principal: Principal) -> sa.ColumnElement[bool]:
    return sa.or_(sa.false(), *_case_conditions(principal))


def person_scope(principal: Principal) -> sa.ColumnElement[bool]:
    conditions: list[sa.ColumnElement[Any]] = []
    if principal.has_role(Role.PROVINCE_OFFICER) and principal.province_code:
        conditions.append(person_t.c.province_code == _bind("province", principal.province_code))
    if principal.has_role(Role.COMMUNE_WORKER) and principal.commune_code:
        conditions.append(person_t.c.ward_code == _bind("commune", principal.commune_code))
    if principal.has_role(Role.FACILITY_WORKER, Role.INTEGRATION) and principal.facility_id:
        registered_here = person_t.c.registered_by_facility_id == _bind(
            "facility", principal.facility_id
        )
        conditions.append(registered_here)
    # And anyone whose case the caller can see.
    if case_conditions := _case_conditions(principal):
        visible_case = sa.exists().where(
            case_t.c.person_id == person_t.c.id, sa.or_(*case_conditions)
        )
        conditions.append(visible_case)
    return sa.or_(sa.false(), *conditions)


def referral_scope(
    principal: Principal, referral: sa.FromClause = referral_t
) -> sa.ColumnElement[bool]:
    """Referrals the caller sent (their case is in scope, case_file joined) or its facility
    receives. `referral` may be an alias: the events feed outer-joins the referral an
    event is about, so a case's own events pass by the case alone."""
    visible = [case_scope(principal)]
    if principal.facility_id:
        visible.append(referral.c.to_facility_id == principal.facility_id)
    return sa.or_(*visible)


def incoming_referrals(principal: Principal) -> sa.ColumnElement[bool]:
    if principal.facility_id is None:
        return sa.false()
    return referral_t.c.to_facility_id == principal.facility_id


def transfer_scope(principal: Principal) -> sa.ColumnElement[bool]:
    """A province's officers see the transfers out of and into it."""
    province = principal.province_code
    if province is None or not principal.has_role(Role.PROVINCE_OFFICER):
        return sa.false()
    return sa.or_(
        transfer_t.c.from_province_code == province, transfer_t.c.to_province_code == province
    )


def province_people(principal: Principal) -> sa.ColumnElement[bool]:
    """People of the officer's own province: what a merge may join (a person seen only
    through a case, or of another province, is not the officer's to merge)."""
    province = principal.province_code
    if province is None or not principal.has_role(Role.PROVINCE_OFFICER):
        return sa.false()
    return person_t.c.province_code == province


def merge_scope(principal: Principal) -> sa.ColumnElement[bool]:
    """A province's officers see the merges made in it."""
    province = principal.province_code
    if province is None or not principal.has_role(Role.PROVINCE_OFFICER):
        return sa.false()
    return merge_t.c.province_code == province


def duplicate_scope(principal: Principal) -> sa.ColumnElement[bool]:
    """A province's officers review the likely duplicates found in their province."""
    province = principal.province_code
    if province is None or not principal.has_role(Role.PROVINCE_OFFICER):
        return sa.false()
    return candidate_t.c.province_code == province


def check_unit(principal: Principal, province_code: str, ward_code: str) -> None:
    """Callers bound to a unit may only place people inside it; facilities serve anyone."""
    if principal.has_role(Role.FACILITY_WORKER, Role.INTEGRATION) and principal.facility_id:
        return
    if principal.has_role(Role.PROVINCE_OFFICER) and principal.province_code == province_code:
        return
    if principal.has_role(Role.COMMUNE_WORKER) and principal.commune_code == ward_code:
        return
    raise OutsideScope(f"ward {ward_code} is outside your unit")
