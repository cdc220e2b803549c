"""Export of the registry's lists with Vietnamese headers, in the layout import reads."""

import csv
import io
from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from openpyxl import Workbook
from sqlalchemy.ext.asyncio import AsyncConnection

from services.workforce.access import facility_scope, worker_scope
from services.workforce.assignment.models import allowance_t, assignment_t
from services.workforce.facility.models import facility_t
from services.workforce.importing.columns import OWNERSHIP, SEX, SHEETS, TITLES, label_of
from services.workforce.reference import codes
from services.workforce.training.models import course_t, participation_t
from services.workforce.wage.models import ward_region_t
from services.workforce.worker.models import worker_t
from shared.admin_units import units_2025
from shared.auth import Principal
from shared.spreadsheets import csv_row, xlsx_row

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list):
        return ", ".join(value)
    return value


def _facility_row(r: Any) -> dict[str, Any]:
    return {
        **r._asdict(),
        "kind": label_of(codes.FACILITY_KINDS, r.kind),
        "sector": label_of(codes.SECTORS, r.sector),
        "ownership": label_of(OWNERSHIP, r.ownership),
        "wage_region_override": ROMAN.get(r.wage_region_override),
    }


async def _facilities(
    connection: AsyncConnection, principal: Principal
) -> Iterable[dict[str, Any]]:
    query = sa.select(facility_t).where(
        facility_scope(principal), facility_t.c.archived_at.is_(None)
    )
    return [_facility_row(r) for r in await connection.execute(query.order_by(facility_t.c.code))]


async def _workers(connection: AsyncConnection, principal: Principal) -> Iterable[dict[str, Any]]:
    latest = (
        sa.select(allowance_t.c.amount_vnd)
        .where(allowance_t.c.assignment_id == assignment_t.c.id)
        .order_by(allowance_t.c.start_date.desc())
        .limit(1)
        .scalar_subquery()
    )
    query = (
        sa.select(
            worker_t,
            facility_t.c.code.label("facility_code"),
            assignment_t.c.position_kind,
            assignment_t.c.is_ctxh,
            assignment_t.c.start_date,
            assignment_t.c.end_date,
            latest.label("monthly_allowance_vnd"),
        )
        .select_from(
            worker_t.outerjoin(
                assignment_t,
                sa.and_(
                    assignment_t.c.worker_id == worker_t.c.id, assignment_t.c.archived_at.is_(None)
                ),
            ).outerjoin(facility_t, facility_t.c.id == assignment_t.c.facility_id)
        )
        .where(worker_scope(principal), worker_t.c.archived_at.is_(None))
        .order_by(worker_t.c.name_key, worker_t.c.id, assignment_t.c.start_date)
    )
    return [
        {
            **r._asdict(),
            "sex": label_of(SEX, r.sex),
            "qualification": label_of(codes.QUALIFICATIONS, r.qualification),
            "professional_title": label_of(TITLES, r.professional_title),
            "position_kind": label_of(codes.POSITION_KINDS, r.position_kind),
        }
        for r in await connection.execute(query)
    ]


async def _participations(
    connection: AsyncConnection, principal: Principal
) -> Iterable[dict[str, Any]]:
    query = (
        sa.select(
            course_t.c.code,
            course_t.c.kind,
            course_t.c.topic,
            course_t.c.organiser,
            course_t.c.start_date,
            course_t.c.end_date,
            worker_t.c.national_id,
            participation_t.c.completed,
            participation_t.c.completed_on,
            participation_t.c.certificate_no,
        )
        .select_from(
            participation_t.join(course_t, course_t.c.id == participation_t.c.course_id).join(
                worker_t, worker_t.c.id == participation_t.c.worker_id
            )
        )
        .where(
            course_t.c.province_code == principal.province_code,
            participation_t.c.archived_at.is_(None),
        )
        .order_by(course_t.c.start_date, course_t.c.code, worker_t.c.name_key)
    )
    return [
        {**r._asdict(), "kind": label_of(codes.COURSE_KINDS, r.kind)}
        for r in await connection.execute(query)
    ]


async def _ward_regions(
    connection: AsyncConnection, principal: Principal
) -> Iterable[dict[str, Any]]:
    query = sa.select(ward_region_t).where(ward_region_t.c.archived_at.is_(None))
    if principal.province_code:
        query = query.where(ward_region_t.c.province_code == principal.province_code)
    order = (ward_region_t.c.ward_code, ward_region_t.c.valid_from)
    wards = units_2025().wards
    return [
        {**r._asdict(), "ward_name": wards[r.ward_code].name, "region": ROMAN[r.region]}
        for r in await connection.execute(query.order_by(*order))
    ]


SOURCES = {
    "facilities": _facilities,
    "workers": _workers,
    "participations": _participations,
    "ward-wage-regions": _ward_regions,
}


async def table(
    connection: AsyncConnection, principal: Principal, kind: str
) -> tuple[list[str], list[list[Any]]]:
    columns = SHEETS[kind]
    rows = await SOURCES[kind](connection, principal)
    return [c.header for c in columns], [[_cell(row.get(c.key)) for c in columns] for row in rows]


def to_xlsx(kind: str, headers: list[str], rows: list[list[Any]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=kind)
    for row in [headers, *rows]:
        sheet.append(xlsx_row(sheet, row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(headers: list[str], rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(csv_row(row) for row in [headers, *rows])
    # The byte-order mark makes Excel open Vietnamese text as UTF-8.
    return buffer.getvalue().encode("utf-8-sig")
