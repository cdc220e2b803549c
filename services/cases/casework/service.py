"""Business rules of the records inside a case."""

from datetime import date
from uuid import UUID

from dateutil.relativedelta import relativedelta
from sqlalchemy.ext.asyncio import AsyncConnection

from services.cases.access.sensitive import check_sensitive_write
from services.cases.case.service import check_not_after_closing
from services.cases.casework import schemas
from services.cases.casework.errors import ConsentAlreadyWithdrawn, PlanNotDraft
from services.cases.casework.models import (
    assessment_t,
    consent_t,
    follow_up_t,
    note_t,
    plan_t,
    service_t,
)
from services.cases.casework.records import add_record, find_record, record_step
from services.cases.events import service as events
from services.cases.events.schemas import EventType
from shared.auth import Principal
from shared.concurrency import check_if_match
from shared.dates import today_in_vietnam
from shared.db import AnyRow
from shared.errors import PreconditionFailed, ValidationFailed, field_error

CHILD_AGE_LIMIT = 16  # Law on Children 2016: a child is under 16
CONSENTING_CHILD_AGE = 7  # from 7, a child's own consent is needed too


async def add_assessment(
    connection: AsyncConnection,
    principal: Principal,
    case: AnyRow,
    data: schemas.AssessmentCreate,
) -> UUID:
    if data.findings:
        check_sensitive_write(principal, ["assessment findings"])
    check_not_after_closing(case, "assessed_on", data.assessed_on)
    return await add_record(
        connection,
        principal,
        case.id,
        assessment_t,
        data.model_dump(),
        entity_type="assessment",
        changes={"kind": data.kind},
    )


async def add_plan(
    connection: AsyncConnection,
    principal: Principal,
    case: AnyRow,
    data: schemas.SupportPlanCreate,
) -> UUID:
    values = {**data.model_dump(mode="json"), "drafted_on": data.drafted_on, "status": "draft"}
    return await add_record(
        connection, principal, case.id, plan_t, values, entity_type="support_plan"
    )


async def approve_plan(
    connection: AsyncConnection,
    principal: Principal,
    case: AnyRow,
    plan_id: UUID,
    data: schemas.SupportPlanApproval,
) -> None:
    plan = await find_record(connection, plan_t, case.id, plan_id)
    if plan.status != "draft":
        raise PlanNotDraft(f"the plan is {plan.status}")
    # One plan is in force at a time: approving a new one supersedes the old. The case row
    # is locked (get_open_case) and the index uq_support_plan_in_force backs it.
    await connection.execute(
        plan_t.update()
        .where(plan_t.c.case_id == case.id, plan_t.c.status == "approved")
        .values(status="superseded")
    )
    approved = await connection.execute(
        plan_t.update()
        .where(plan_t.c.id == plan_id, plan_t.c.status == "draft")
        .values(status="approved", **data.model_dump(mode="python"))
    )
    if approved.rowcount != 1:
        raise PlanNotDraft("the plan was approved or superseded meanwhile")
    await record_step(
        connection,
        principal,
        case.id,
        plan_id,
        entity_type="support_plan",
        action="approved",
        changes=data.model_dump(mode="json"),
    )


async def add_service(
    connection: AsyncConnection, principal: Principal, case: AnyRow, data: schemas.ServiceCreate
) -> UUID:
    if data.delivered_on < case.opened_date:
        raise ValidationFailed(
            [
                field_error(
                    ["body", "delivered_on"],
                    f"must not be before the case opened ({case.opened_date})",
                    "date_order",
                )
            ]
        )
    check_not_after_closing(case, "delivered_on", data.delivered_on)
    values = {**data.model_dump(mode="python"), "person_id": case.person_id}
    changes = {"service_type": data.service_type, "funding_source": data.funding_source}
    return await add_record(
        connection,
        principal,
        case.id,
        service_t,
        values,
        entity_type="service_delivery",
        changes=changes,
    )


async def add_follow_up(
    connection: AsyncConnection, principal: Principal, case: AnyRow, data: schemas.FollowUpCreate
) -> UUID:
    values = {
        **data.model_dump(mode="python"),
        "start_date": data.start_date or today_in_vietnam(),
        "version": 1,
    }
    if values["due_date"] < values["start_date"]:
        raise ValidationFailed(
            [field_error(["body", "due_date"], "must not be before today's start", "date_order")]
        )
    check_not_after_closing(case, "start_date", values["start_date"])
    check_not_after_closing(case, "due_date", values["due_date"])
    return await add_record(
        connection,
        principal,
        case.id,
        follow_up_t,
        values,
        entity_type="follow_up",
        changes={"due_date": str(data.due_date)},
    )


async def complete_follow_up(
    connection: AsyncConnection,
    principal: Principal,
    case: AnyRow,
    follow_up_id: UUID,
    data: schemas.FollowUpDone,
    if_match: str | None,
) -> None:
    current = await find_record(connection, follow_up_t, case.id, follow_up_id)
    check_if_match(if_match, current.version)
    check_not_after_closing(case, "done_date", data.done_date)
    if data.done_date < current.start_date:
        raise ValidationFailed(
            [
                field_error(
                    ["body", "done_date"],
                    f"must not be before the start date {current.start_date}",
                    "date_order",
                )
            ]
        )
    values = {"done_date": data.done_date, "version": current.version + 1}
    if data.note is not None:
        values["note"] = data.note
    statement = follow_up_t.update().where(
        follow_up_t.c.id == follow_up_id, follow_up_t.c.version == current.version
    )
    if (await connection.execute(statement.values(**values))).rowcount != 1:
        raise PreconditionFailed("the follow-up changed while you were saving; reload it")
    await record_step(
        connection,
        principal,
        case.id,
        follow_up_id,
        entity_type="follow_up",
        action="done",
        changes={"done_date": str(data.done_date)},
    )


async def add_note(
    connection: AsyncConnection, principal: Principal, case: AnyRow, data: schemas.NoteCreate
) -> UUID:
    if data.sensitive:
        check_sensitive_write(principal, ["a sensitive note"])
    return await add_record(
        connection,
        principal,
        case.id,
        note_t,
        data.model_dump(),
        entity_type="case_note",
        changes={"sensitive": data.sensitive},
    )


def age_on(birth_date: date | None, on: date) -> int | None:
    return None if birth_date is None else relativedelta(on, birth_date).years


def _check_consent_giver(person_birth_date: date | None, data: schemas.ConsentCreate) -> None:
    age = age_on(person_birth_date, data.given_on)
    if age is None or age >= CHILD_AGE_LIMIT:
        return
    if age < CONSENTING_CHILD_AGE and data.given_by == "person":
        why = "a child under 7 cannot consent alone; the guardian must"
    elif age >= CONSENTING_CHILD_AGE and data.purpose != "services" and data.given_by != "both":
        why = "disclosing a child's information from age 7 needs both the child and the guardian"
    else:
        return
    raise ValidationFailed([field_error(["body", "given_by"], why, "consent_giver")])


async def add_consent(
    connection: AsyncConnection, principal: Principal, case: AnyRow, data: schemas.ConsentCreate
) -> UUID:
    _check_consent_giver(case.person_birth_date, data)
    consent_id = await add_record(
        connection,
        principal,
        case.id,
        consent_t,
        data.model_dump(mode="python"),
        entity_type="consent",
        changes={"purpose": data.purpose, "given_by": data.given_by},
    )
    consent = {"consent_id": consent_id, "case_id": case.id, "purpose": data.purpose}
    await events.emit(
        connection,
        EventType.CONSENT_GIVEN,
        case_id=case.id,
        record_id=consent_id,
        data={**consent, "given_on": data.given_on, "expires_on": data.expires_on},
    )
    return consent_id


async def withdraw_consent(
    connection: AsyncConnection,
    principal: Principal,
    case: AnyRow,
    consent_id: UUID,
    data: schemas.ConsentWithdrawal,
) -> None:
    consent = await find_record(connection, consent_t, case.id, consent_id)
    # Withdrawn once: the update itself checks, so concurrent withdrawals cannot both pass.
    withdrawn = await connection.execute(
        consent_t.update()
        .where(consent_t.c.id == consent_id, consent_t.c.withdrawn_on.is_(None))
        .values(withdrawn_on=data.withdrawn_on)
    )
    if withdrawn.rowcount != 1:
        raise ConsentAlreadyWithdrawn()
    await record_step(
        connection,
        principal,
        case.id,
        consent_id,
        entity_type="consent",
        action="withdrawn",
        changes={"withdrawn_on": str(data.withdrawn_on)},
    )
    await events.emit(
        connection,
        EventType.CONSENT_WITHDRAWN,
        case_id=case.id,
        record_id=consent_id,
        data={
            "consent_id": consent_id,
            "case_id": case.id,
            "purpose": consent.purpose,
            "withdrawn_on": data.withdrawn_on,
        },
    )
