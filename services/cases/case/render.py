"""Case rows as responses."""

from typing import Any

from services.cases.case.schemas import CasePerson, CaseRead, CaseSummary


def _summary_fields(row: Any) -> dict[str, Any]:
    return dict(
        id=row.id,
        case_number=row.case_number,
        person=CasePerson(
            id=row.person_id,
            full_name=row.person_full_name,
            sex=row.person_sex,
            birth_date=row.person_birth_date,
        ),
        province_code=row.province_code,
        ward_code=row.ward_code,
        stage=row.stage,
        status=row.status,
        risk_level=row.risk_level,
        opened_date=row.opened_date,
        closed_date=row.closed_date,
        assigned_worker_id=row.assigned_worker_id,
        managing_facility_id=row.managing_facility_id,
        next_review_date=row.next_review_date,
        archived=row.archived_at is not None,
        version=row.version,
    )


def case_summary(row: Any) -> CaseSummary:
    return CaseSummary(**_summary_fields(row))


def case_read(row: Any) -> CaseRead:
    return CaseRead(
        **_summary_fields(row),
        intake_source=row.intake_source,
        closure_reason=row.closure_reason,
        closure_note=row.closure_note,
        registered_by_facility_id=row.registered_by_facility_id,
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        archived_at=row.archived_at,
    )
