"""Who may see and do what in reporting: the service's access policies, with the SQL
conditions and checks that carry them out. Every route takes its caller through one of them.

- province officer: its province's plans, reports (drafts, every number and breakdown),
  exports, dashboard and manual values; none of it leaves the province;
- ministry: plans, and reports of every province once submitted, only as disclosed
  (services.reporting.disclosure: small counts withheld);
- our services and admins: plans;
- agency officer (an officer of a department, mass organisation, commune People's
  Committee, school or hospital; claims agency_id and province_code): its province's plans,
  its own agency and that agency's contributions, never another agency's or any report;
- the lead department's desk (province officers): the province's agencies and every
  contribution to its plans, which it requests, reviews and compiles;
- the events feed and its webhooks (ids and statuses of reports, never a number): a
  province's officers, and integration systems and admins bound to a province, that
  province's; the ministry, every province's once submitted; an admin bound to none, all.
"""

from dataclasses import dataclass
from typing import Annotated, Any

import sqlalchemy as sa
import structlog
from fastapi import Depends

from services.reporting.agency.models import agency_t
from services.reporting.contribution.models import contribution_t
from services.reporting.events.models import event_t
from services.reporting.plan.models import plan_t
from services.reporting.report.models import report_t
from shared.access import Purpose, policy
from shared.auth import Principal, Role
from shared.errors import Forbidden

log = structlog.get_logger("ctxh.access")
LEAVES_PROVINCE = ("submitted", "accepted")
# Indicators whose breakdowns would tell a sensitive category: #5's groups include children
# living with HIV, and its wards, set against the officer's own counts, would too.
SENSITIVE_BREAKDOWNS = frozenset({"I05"})

PLANS = policy(
    "plans",
    {Role.PROVINCE_OFFICER, Role.AGENCY_OFFICER, Role.MINISTRY, Role.ADMIN, Role.SERVICE},
    "Plans, their targets and tasks are not personal data: officers and agency officers read "
    "their province's plans and the national programme; the ministry, admins and our "
    "services every plan.",
)
PLAN_AUTHORING = policy(
    "plan_authoring",
    {Role.PROVINCE_OFFICER, Role.MINISTRY, Role.ADMIN},
    "An officer creates its province's plans, the ministry the national programme, admins any.",
)
PROVINCE_FIGURES = policy(
    "province_figures",
    {Role.PROVINCE_OFFICER},
    "A province's own reports (drafts included, with every number and breakdown), their "
    "exports and history, its dashboard and its manual values: for its officers only. "
    "Another province's answer 404 (403 when named in a request body).",
)
DISCLOSED_FIGURES = policy(
    "disclosed_figures",
    {Role.MINISTRY},
    "Submitted and accepted reports of every province, only as disclosed when submitted: "
    "counts of 1–4 people withheld, and any count that would reveal one by differencing with "
    "what was published before (see the reporting README).",
)
REPORT_EVENTS = policy(
    "report_events",
    {Role.PROVINCE_OFFICER, Role.MINISTRY, Role.INTEGRATION, Role.ADMIN},
    "What happened to reports (submitted, accepted, returned), as ids and statuses: never a "
    "number or a note. A province's officers, and an integration system or admin bound to a "
    "province, read that province's; the ministry reads every province's from submission on; "
    "an admin bound to no province reads all. Webhook subscriptions deliver the same events "
    "to the same scope as their creator's token.",
)

AGENCIES = policy(
    "agencies",
    {Role.PROVINCE_OFFICER, Role.AGENCY_OFFICER},
    "A province's agencies: its officers read them all, an agency officer only its own.",
)
CONTRIBUTIONS = policy(
    "contributions",
    {Role.PROVINCE_OFFICER, Role.AGENCY_OFFICER},
    "Contributions to a plan's report (what an agency did, its activity counts, funding, "
    "difficulties): the province's officers read every one of their province; an agency "
    "officer only its own agency's, drafts included. Another agency's answers 404.",
)
LEAD_DESK = policy(
    "lead_desk",
    {Role.PROVINCE_OFFICER},
    "The lead department's desk: a province's officers register its agencies, ask them for "
    "contributions with a due date, and accept or return what they file.",
)
CONTRIBUTION_FILING = policy(
    "contribution_filing",
    {Role.AGENCY_OFFICER},
    "An agency's officers draft and submit its own contributions; nobody else writes them.",
)

PlanReader = Annotated[Principal, Depends(PLANS.dependency())]
PlanAuthor = Annotated[Principal, Depends(PLAN_AUTHORING.dependency())]
Officer = Annotated[Principal, Depends(PROVINCE_FIGURES.dependency())]
Ministry = Annotated[Principal, Depends(DISCLOSED_FIGURES.dependency())]
EventReader = Annotated[Principal, Depends(REPORT_EVENTS.dependency())]
AgencyReader = Annotated[Principal, Depends(AGENCIES.dependency())]
ContributionReader = Annotated[Principal, Depends(CONTRIBUTIONS.dependency())]
LeadDepartment = Annotated[Principal, Depends(LEAD_DESK.dependency())]
AgencyFiler = Annotated[Principal, Depends(CONTRIBUTION_FILING.dependency())]


@dataclass(frozen=True)
class Viewer:
    """An officer reading its province's figures, and whether they may see the breakdowns
    that tell a sensitive category (scope sensitive:read and a stated purpose)."""

    principal: Principal
    sees_sensitive: bool


async def officer_view(principal: Officer, purpose: Purpose) -> Viewer:
    sees = principal.can_read_sensitive and purpose is not None
    if sees:  # aggregates name no one, so the trail is the service log, not a person's
        log.info("sensitive_breakdowns_read", actor=principal.subject, purpose=purpose)
    return Viewer(principal, sees)


OfficerView = Annotated[Viewer, Depends(officer_view)]


def plan_scope(principal: Principal) -> sa.ColumnElement[bool]:
    """Officers see their province's plans and the national programme; the others all."""
    if principal.has_role(Role.MINISTRY, Role.ADMIN, Role.SERVICE):
        return sa.true()
    if principal.has_role(Role.PROVINCE_OFFICER, Role.AGENCY_OFFICER) and principal.province_code:
        return sa.or_(
            plan_t.c.province_code == principal.province_code, plan_t.c.level == "national"
        )
    return sa.false()


def _own_agency(principal: Principal, agency: Any, province: Any) -> sa.ColumnElement[bool]:
    """Rows of the caller's own agency, in the province its token names."""
    if principal.agency_id is None or principal.province_code is None:
        return sa.false()
    return sa.and_(agency == principal.agency_id, province == principal.province_code)


def _agency_bound(principal: Principal, agency: Any, province: Any) -> sa.ColumnElement[bool]:
    """A province's officers: rows of their province; an agency officer: its own agency's."""
    visible: list[sa.ColumnElement[bool]] = []
    if principal.has_role(Role.PROVINCE_OFFICER) and principal.province_code is not None:
        visible.append(province == principal.province_code)
    if principal.has_role(Role.AGENCY_OFFICER):
        visible.append(_own_agency(principal, agency, province))
    return sa.or_(*visible) if visible else sa.false()


def agency_scope(principal: Principal) -> sa.ColumnElement[bool]:
    """The agencies a caller reads."""
    return _agency_bound(principal, agency_t.c.id, agency_t.c.province_code)


def contribution_scope(principal: Principal) -> sa.ColumnElement[bool]:
    """The contributions a caller reads: as agency_scope, through each one's agency."""
    return _agency_bound(principal, contribution_t.c.agency_id, contribution_t.c.province_code)


def filing_scope(principal: Principal) -> sa.ColumnElement[bool]:
    """The contributions a caller may write: its own agency's, as an agency officer."""
    return _own_agency(principal, contribution_t.c.agency_id, contribution_t.c.province_code)


def report_scope(principal: Principal) -> sa.ColumnElement[bool]:
    """The reports a caller reads in full: its own province's, for an officer."""
    if principal.has_role(Role.PROVINCE_OFFICER) and principal.province_code:
        return report_t.c.province_code == principal.province_code
    return sa.false()


def disclosed_scope(principal: Principal) -> sa.ColumnElement[bool]:
    """The reports the ministry reads, as disclosed: those submitted or accepted."""
    if principal.has_role(Role.MINISTRY):
        return report_t.c.status.in_(LEAVES_PROVINCE)
    return sa.false()


def event_scope(principal: Principal) -> sa.ColumnElement[bool]:
    """The report events a caller reads, in the feed and in its webhooks: a subscription
    keeps its creator's roles and province (shared.webhooks.source), which is all this reads.

    A caller bound to a province (officer, integration system, admin) reads that province's;
    the ministry, events of reports that reached it (submitted, and their review); an admin
    bound to none, all. An event is judged by what it recorded, never by the report's status
    now, so one seen in the feed stays in it."""
    visible: list[sa.ColumnElement[bool]] = []
    bound = principal.has_role(Role.PROVINCE_OFFICER, Role.INTEGRATION, Role.ADMIN)
    if bound and principal.province_code:
        visible.append(event_t.c.province_code == principal.province_code)
    elif principal.has_role(Role.ADMIN):
        visible.append(sa.true())
    if principal.has_role(Role.MINISTRY):
        visible.append(event_t.c.status.in_(LEAVES_PROVINCE))
        visible.append(event_t.c.previous_status.in_(LEAVES_PROVINCE))
    return sa.or_(*visible) if visible else sa.false()


def check_may_author(principal: Principal, national: bool, province_code: str | None) -> None:
    if principal.has_role(Role.ADMIN):
        return
    if national:
        if not principal.has_role(Role.MINISTRY):
            raise Forbidden("the national programme is the ministry's")
    elif principal.province_code != province_code:
        raise Forbidden(f"a plan for province {province_code} is not yours to create")


def check_own_province(principal: Principal, province_code: str | None, what: str) -> None:
    """Figures of a province are made and read by its own officers only."""
    if principal.province_code is None or principal.province_code != province_code:
        raise Forbidden(f"{what} for province {province_code} are not yours")
