"""Send the workforce side of the demo: facilities, then workers with their positions and
allowances, then courses with who took part."""

from typing import Any

from tools.demo.client import Api, Ids, replayed, run_all
from tools.demo.facilities import FacilitySpec, ward_regions_csv
from tools.demo.staff import AssignmentSpec, WorkerSpec
from tools.demo.training import CourseSpec

V1 = "/api/v1"


async def load_ward_regions(api: Api, specs: list[FacilitySpec]) -> None:
    """The demo's own regions from 2026 for its wards; loading them again changes nothing."""
    await api.send(
        "POST",
        f"{V1}/imports/ward-wage-regions",
        content=ward_regions_csv(specs),
        headers={"Content-Type": "text/csv"},
    )


async def create_facilities(api: Api, specs: list[FacilitySpec]) -> list[str]:
    responses = await run_all(
        api.post(f"{V1}/facilities", spec.payload, f"facility-{spec.index}") for spec in specs
    )
    return [r.json()["id"] for r in responses]


async def _fresh_end(api: Api, assignment_id: str, end: dict[str, Any]) -> None:
    """On a repeated load the assignment may already be ended; end it only if not."""
    current = await api.get(f"{V1}/assignments/{assignment_id}")
    if current.json()["end_date"] != end["end_date"]:
        await api.patch(f"{V1}/assignments/{assignment_id}", end, current.headers["ETag"])


async def _assignment(api: Api, worker_id: str, spec: AssignmentSpec, key: str, ids: Ids) -> None:
    body = {**spec.payload, "facility_id": ids["facility"][spec.facility]}
    response = await api.post(f"{V1}/workers/{worker_id}/assignments", body, key)
    assignment_id, seen_before = response.json()["id"], replayed(response)
    for n, change in enumerate(spec.allowance_changes):
        path = f"{V1}/assignments/{assignment_id}/allowances"
        response = await api.post(path, change, f"{key}-allowance-{n}")
    if spec.end is None:
        return
    if seen_before:
        await _fresh_end(api, assignment_id, spec.end)
    else:
        await api.patch(f"{V1}/assignments/{assignment_id}", spec.end, response.headers["ETag"])


async def _worker(api: Api, spec: WorkerSpec, ids: Ids) -> str:
    key = f"worker-{spec.index}"
    worker_id: str = (await api.post(f"{V1}/workers", spec.payload, key)).json()["id"]
    for n, assignment in enumerate(spec.assignments):
        await _assignment(api, worker_id, assignment, f"{key}-assignment-{n}", ids)
    return worker_id


async def create_workers(api: Api, specs: list[WorkerSpec], ids: Ids) -> list[str]:
    return await run_all(_worker(api, spec, ids) for spec in specs)


async def _course(api: Api, spec: CourseSpec, ids: Ids) -> None:
    key = f"course-{spec.index}"
    course_id = (await api.post(f"{V1}/courses", spec.payload, key)).json()["id"]
    path = f"{V1}/courses/{course_id}/participations"
    await run_all(
        api.post(path, {**body, "worker_id": ids["worker"][w]}, f"{key}-worker-{w}")
        for w, body in spec.participants
    )


async def create_courses(api: Api, specs: list[CourseSpec], ids: Ids) -> None:
    await run_all(_course(api, spec, ids) for spec in specs)
