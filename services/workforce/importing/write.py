"""Writing a checked batch through the same services the API uses, all rows or none."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from services.workforce.assignment.service import create_assignment
from services.workforce.facility.service import create_facility
from services.workforce.importing.errors import ImportRejected, RegionsChangedMeanwhile
from services.workforce.training.schemas import ParticipationCreate
from services.workforce.training.service import add_participation, create_course
from services.workforce.wage.regions import apply_span
from services.workforce.worker.service import create_worker
from shared.auth import Principal
from shared.errors import Problem
from shared.records import unique_or


def rejection(errors: list[Any]) -> ImportRejected:
    return ImportRejected(
        [
            {"loc": ["file", e.row, e.column or ""], "msg": e.reason, "type": "import_row"}
            for e in errors
        ],
        detail=f"{len(errors)} problem(s); nothing was written",
    )


async def _facility(
    connection: AsyncConnection, principal: Principal, item: dict[str, Any], courses: dict[str, Any]
) -> int:
    await create_facility(connection, principal, item["facility"])
    return 1


async def _worker(
    connection: AsyncConnection, principal: Principal, item: dict[str, Any], courses: dict[str, Any]
) -> int:
    worker_id = await create_worker(connection, principal, item["worker"])
    for assignment in item["assignments"]:
        await create_assignment(connection, principal, worker_id, assignment)
    return 1


async def _participation(
    connection: AsyncConnection, principal: Principal, item: dict[str, Any], courses: dict[str, Any]
) -> int:
    course = item["course"]
    course_id = item["course_id"] or courses.get(course.code)
    if course_id is None:
        course_id = courses[course.code] = await create_course(connection, principal, course)
    data = ParticipationCreate(
        worker_id=item["worker_id"],
        completed=item["completed"],
        completed_on=item["completed_on"],
        certificate_no=item["certificate_no"],
    )
    await add_participation(connection, principal, course_id, data)
    return 1


async def _ward_region(
    connection: AsyncConnection, principal: Principal, item: dict[str, Any], courses: dict[str, Any]
) -> int:
    # The no-overlap constraint, raced by a concurrent load.
    async with unique_or(connection, RegionsChangedMeanwhile):
        return int(await apply_span(connection, principal, item["span"]))


WRITERS = {
    "facilities": _facility,
    "workers": _worker,
    "participations": _participation,
    "ward-wage-regions": _ward_region,
}


async def write_batch(
    connection: AsyncConnection,
    principal: Principal,
    kind: str,
    items: list[tuple[int, dict[str, Any]]],
) -> int:
    """Write every item; a problem on any row rejects the whole file (the request rolls back)."""
    writer, written = WRITERS[kind], 0
    courses: dict[str, Any] = {}
    for number, item in items:
        try:
            written += await writer(connection, principal, item, courses)
        except RegionsChangedMeanwhile:
            raise
        except Problem as problem:
            raise ImportRejected(
                [{"loc": ["file", number, ""], "msg": problem.detail, "type": problem.code}],
                detail=f"row {number}: {problem.detail}; nothing was written",
            ) from None
    return written
