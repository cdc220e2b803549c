"""Checking every row before anything is written: cell formats, the same rules as the API,
duplicates inside the file and against the registry, and references to existing records."""

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.workforce.assignment.schemas import AssignmentCreate
from services.workforce.facility.models import facility_t
from services.workforce.facility.schemas import FacilityCreate
from services.workforce.training.models import course_t
from services.workforce.training.schemas import CourseCreate
from services.workforce.wage.regions import RegionSpan
from services.workforce.wage.schemas import WardRegionIn
from services.workforce.worker.models import worker_t
from services.workforce.worker.schemas import WorkerCreate
from shared.admin_units import units_2025
from shared.auth import Principal
from shared.sheets.cells import Column
from shared.sheets.checks import Batch, cells_of, model_of
from shared.sheets.reader import Sheet


async def prepare_facilities(
    connection: AsyncConnection, principal: Principal, sheet: Sheet, columns: list[Column]
) -> Batch:
    by_key = {c.key: c for c in columns}
    batch, codes = Batch(), defaultdict(list)
    for number, raw in sheet.rows:
        values = cells_of(number, raw, by_key, batch)
        if "code" in values:  # checked for duplicates even when the row has other faults
            codes[values["code"]].append(number)
        model = model_of(number, FacilityCreate, values, by_key, batch)
        if model is None:
            continue
        ward = units_2025().wards[model.ward_code]
        if ward.province_code != principal.province_code:
            batch.fail(number, by_key["ward_code"].header, "the ward is not in your province")
        batch.items.append((number, {"facility": model}))
    existing = set(
        (
            await connection.execute(
                sa.select(facility_t.c.code).where(facility_t.c.code.in_(list(codes)))
            )
        ).scalars()
    )
    for code, numbers in codes.items():
        for number in numbers[1:]:
            batch.fail(number, by_key["code"].header, f"code {code} also on row {numbers[0]}")
        if code in existing:
            batch.fail(numbers[0], by_key["code"].header, f"code {code} is already registered")
    return batch


async def _facility_ids(
    connection: AsyncConnection, principal: Principal, codes: set[str]
) -> dict[str, Any]:
    query = sa.select(facility_t.c.code, facility_t.c.id).where(
        facility_t.c.code.in_(list(codes)),
        facility_t.c.province_code == principal.province_code,
        facility_t.c.archived_at.is_(None),
    )
    return dict((await connection.execute(query)).all())


def _assignment(
    number: int,
    values: dict[str, Any],
    facilities: dict[str, Any],
    by_key: dict[str, Column],
    batch: Batch,
) -> AssignmentCreate | None:
    code = values.get("facility_code")
    if code is None:
        return None
    if code not in facilities:
        batch.fail(number, by_key["facility_code"].header, f"no facility {code} in your province")
        return None
    model = model_of(
        number, AssignmentCreate, {**values, "facility_id": facilities[code]}, by_key, batch
    )
    return model


def _overlaps(a: AssignmentCreate, b: AssignmentCreate) -> bool:
    return (
        a.facility_id == b.facility_id
        and (a.end_date is None or b.start_date <= a.end_date)
        and (b.end_date is None or a.start_date <= b.end_date)
    )


async def prepare_workers(
    connection: AsyncConnection, principal: Principal, sheet: Sheet, columns: list[Column]
) -> Batch:
    by_key = {c.key: c for c in columns}
    batch = Batch()
    parsed = [(n, cells_of(n, raw, by_key, batch)) for n, raw in sheet.rows]
    facilities = await _facility_ids(
        connection, principal, {v["facility_code"] for _, v in parsed if "facility_code" in v}
    )
    ids = {v["national_id"] for _, v in parsed if "national_id" in v}
    taken = set(
        (
            await connection.execute(
                sa.select(worker_t.c.national_id).where(worker_t.c.national_id.in_(list(ids)))
            )
        ).scalars()
    )
    people: dict[str, dict[str, Any]] = {}
    for number, values in parsed:
        worker = model_of(number, WorkerCreate, values, by_key, batch)
        assignment = _assignment(number, values, facilities, by_key, batch)
        if worker is None:
            continue
        key = worker.national_id or f"row-{number}"
        if worker.national_id in taken:
            batch.fail(
                number, by_key["national_id"].header, "a worker with this ID is already registered"
            )
            continue
        person = people.setdefault(key, {"worker": worker, "row": number, "assignments": []})
        if person["worker"] != worker:
            batch.fail(
                number,
                by_key["full_name"].header,
                f"differs from row {person['row']} for the same national ID",
            )
        if assignment is not None:
            if any(_overlaps(assignment, other) for other in person["assignments"]):
                batch.fail(
                    number,
                    by_key["start_date"].header,
                    "overlaps another row's position at this facility",
                )
            person["assignments"].append(assignment)
    batch.items = [(p["row"], p) for p in people.values()]
    return batch


async def prepare_participations(
    connection: AsyncConnection, principal: Principal, sheet: Sheet, columns: list[Column]
) -> Batch:
    by_key = {c.key: c for c in columns}
    batch = Batch()
    parsed = [(n, cells_of(n, raw, by_key, batch)) for n, raw in sheet.rows]
    ids = {v["national_id"] for _, v in parsed if "national_id" in v}
    workers = dict(
        (
            await connection.execute(
                sa.select(worker_t.c.national_id, worker_t.c.id).where(
                    worker_t.c.national_id.in_(list(ids)),
                    worker_t.c.province_code == principal.province_code,
                )
            )
        ).all()
    )
    codes = {v["code"] for _, v in parsed if "code" in v}
    existing = dict(
        (
            await connection.execute(
                sa.select(course_t.c.code, course_t.c.id).where(
                    course_t.c.code.in_(list(codes)),
                    course_t.c.province_code == principal.province_code,
                )
            )
        ).all()
    )
    seen: dict[tuple[str, str], int] = {}
    for number, values in parsed:
        course = model_of(number, CourseCreate, values, by_key, batch)
        worker_id = workers.get(values.get("national_id"))
        if "national_id" in values and worker_id is None:
            batch.fail(
                number, by_key["national_id"].header, "no worker with this ID in your province"
            )
        pair = (values.get("code", ""), values.get("national_id", ""))
        if pair in seen:
            batch.fail(
                number, by_key["national_id"].header, f"same course and person as row {seen[pair]}"
            )
        seen.setdefault(pair, number)
        if course is not None and worker_id is not None:
            batch.items.append(
                (
                    number,
                    {
                        "course": course,
                        "course_id": existing.get(course.code),
                        "worker_id": worker_id,
                        "completed": values.get("completed", False),
                        "completed_on": values.get("completed_on"),
                        "certificate_no": values.get("certificate_no"),
                    },
                )
            )
    return batch


def _spans_overlap(a: WardRegionIn, b: WardRegionIn) -> bool:
    return (a.valid_to is None or b.valid_from <= a.valid_to) and (
        b.valid_to is None or a.valid_from <= b.valid_to
    )


async def prepare_ward_regions(
    connection: AsyncConnection, principal: Principal, sheet: Sheet, columns: list[Column]
) -> Batch:
    """Rows of a decree's list for the province's wards; two rows of one ward may not overlap
    (what the registry held for those dates is replaced when the file is written)."""
    by_key = {c.key: c for c in columns}
    batch = Batch()
    seen: defaultdict[str, list[tuple[int, WardRegionIn]]] = defaultdict(list)
    for number, raw in sheet.rows:
        values = cells_of(number, raw, by_key, batch)
        model = model_of(number, WardRegionIn, values, by_key, batch)
        if model is None:
            continue
        province = units_2025().wards[model.ward_code].province_code
        if province != principal.province_code:
            batch.fail(number, by_key["ward_code"].header, "the ward is not in your province")
            continue
        for other_number, other in seen[model.ward_code]:
            if _spans_overlap(model, other):
                batch.fail(
                    number, by_key["valid_from"].header, f"overlaps row {other_number}'s dates"
                )
        seen[model.ward_code].append((number, model))
        batch.items.append(
            (number, {"span": RegionSpan(province_code=province, **model.model_dump())})
        )
    return batch


PREPARERS = {
    "facilities": prepare_facilities,
    "workers": prepare_workers,
    "participations": prepare_participations,
    "ward-wage-regions": prepare_ward_regions,
}
