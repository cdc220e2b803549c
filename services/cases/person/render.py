"""Turn person rows into what each caller may see."""

import csv
import io
from typing import Any

from services.cases.person.schemas import (
    AccessEntry,
    PersonRead,
    PersonSensitive,
    PersonSummary,
)
from services.cases.reference.codes import SENSITIVE_CATEGORIES
from shared.db import AnyRow
from shared.spreadsheets import csv_row


def _open_categories(codes: list[str]) -> list[str]:
    return [c for c in codes if c not in SENSITIVE_CATEGORIES]


def _summary_fields(row: Any, categories: list[str]) -> dict[str, Any]:
    return dict(
        id=row.id,
        full_name=row.full_name,
        sex=row.sex,
        birth_date=row.birth_date,
        birth_date_estimated=row.birth_date_estimated,
        national_id=row.national_id,
        phone=row.phone,
        province_code=row.province_code,
        ward_code=row.ward_code,
        legacy_ward_code=row.legacy_ward_code,
        categories=_open_categories(categories),
        archived=row.archived_at is not None,
        merged_into_id=row.merged_into_id,
        version=row.version,
    )


def person_summary(row: Any, categories: list[str]) -> PersonSummary:
    return PersonSummary(**_summary_fields(row, categories))


def person_read(row: Any, categories: list[str], *, sensitive: bool) -> PersonRead:
    hidden = None
    if sensitive:
        hidden = PersonSensitive(
            ethnicity=row.ethnicity,
            hiv_status=row.hiv_status,
            health_notes=row.health_notes,
            drug_use=row.drug_use,
            criminal_record=row.criminal_record,
            categories=[c for c in categories if c in SENSITIVE_CATEGORIES],
        )
    return PersonRead(
        **_summary_fields(row, categories),
        birth_registration_no=row.birth_registration_no,
        address_line=row.address_line,
        caregivers=row.caregivers,
        disability_type=row.disability_type,
        disability_severity=row.disability_severity,
        registered_by_facility_id=row.registered_by_facility_id,
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        archived_at=row.archived_at,
        sensitive=hidden,
    )


def access_entry(row: AnyRow) -> AccessEntry:
    return AccessEntry(
        at=row.at,
        actor=row.actor,
        actor_roles=[x for x in row.actor_roles.split(",") if x],
        record_type=row.record_type,
        case_id=row.case_id,
        sensitive=row.sensitive,
        purpose=row.purpose,
    )


ACCESS_HEADERS = [
    "Thời điểm",
    "Người xem",
    "Vai trò",
    "Hồ sơ",
    "Mã hồ sơ vụ việc",
    "Nhạy cảm",
    "Mục đích",
]


def access_log_csv(entries: list[AccessEntry]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(ACCESS_HEADERS)
    for e in entries:
        row = [e.at.isoformat(), e.actor, ",".join(e.actor_roles), e.record_type, e.case_id]
        # The purpose is typed by callers: never let a spreadsheet run it.
        writer.writerow(csv_row([*row, "Có" if e.sensitive else "Không", e.purpose]))
    return buffer.getvalue().encode("utf-8-sig")
