"""HTTP for training: courses and participations."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from services.workforce.access import Manager, PersonnelReader
from services.workforce.deps import IdempotencyDep
from services.workforce.reference.codes import CourseKind
from services.workforce.training import service
from services.workforce.training.errors import (
    AlreadyParticipating,
    CourseCodeExists,
    CourseNotFound,
)
from services.workforce.training.schemas import (
    CourseCreate,
    CourseList,
    CourseRead,
    ParticipationCreate,
    ParticipationList,
    ParticipationRead,
    ParticipationUpdate,
)
from services.workforce.worker.errors import WorkerNotFound
from shared.concurrency import IfMatchHeader, etag
from shared.dates import Day
from shared.db import SessionDep
from shared.errors import NotFound, problem_responses
from shared.responses import model_response

router = APIRouter(tags=["training"])
# A course of another province answers as if it did not exist.
NOT_FOUND = problem_responses(CourseNotFound)


@router.post(
    "/courses",
    status_code=201,
    response_model=CourseRead,
    responses=problem_responses(CourseCodeExists),
)
async def create_course(
    request: Request,
    body: CourseCreate,
    session: SessionDep,
    principal: Manager,
    idempotency: IdempotencyDep,
) -> Response:
    """Record a course: a degree programme, in-depth or short skills training."""
    course_id = await service.create_course(session, principal, body)
    course = await service.get_course(session, principal, course_id)
    item = CourseRead.model_validate(course, from_attributes=True)
    headers = {"Location": f"{request.url.path}/{course_id}", "ETag": etag(item.version)}
    return await idempotency.respond(item.model_dump(mode="json"), 201, headers)


@router.get("/courses")
async def list_courses(
    session: SessionDep,
    principal: Manager,
    kind: CourseKind | None = None,
    starting_from: Annotated[Day | None, Query(description="Courses starting on or after")] = None,
) -> CourseList:
    """Courses of your province, newest first."""
    rows = await service.list_courses(session, principal, kind, starting_from)
    return CourseList(items=[CourseRead.model_validate(r._asdict()) for r in rows])


@router.get("/courses/{course_id}", response_model=CourseRead, responses=NOT_FOUND)
async def get_course(course_id: UUID, session: SessionDep, principal: Manager) -> Response:
    """One course."""
    course = await service.get_course(session, principal, course_id)
    item = CourseRead.model_validate(course, from_attributes=True)
    return model_response(item, headers={"ETag": etag(item.version)})


@router.post(
    "/courses/{course_id}/participations",
    status_code=201,
    response_model=ParticipationRead,
    responses=problem_responses(CourseNotFound, WorkerNotFound, AlreadyParticipating),
)
async def add_participation(
    course_id: UUID,
    body: ParticipationCreate,
    session: SessionDep,
    principal: Manager,
    idempotency: IdempotencyDep,
) -> Response:
    """Register a worker on a course, completed or not."""
    participation_id = await service.add_participation(session, principal, course_id, body)
    row = await service.get_participation(session, participation_id)
    item = ParticipationRead.model_validate(row._asdict())
    return await idempotency.respond(item.model_dump(mode="json"), 201, {"ETag": etag(row.version)})


@router.get("/courses/{course_id}/participations", responses=NOT_FOUND)
async def list_course_participations(
    course_id: UUID, session: SessionDep, principal: Manager
) -> ParticipationList:
    """Who took part in a course."""
    rows = await service.list_course_participations(session, principal, course_id)
    return ParticipationList(items=[ParticipationRead.model_validate(r._asdict()) for r in rows])


@router.patch(
    "/participations/{participation_id}",
    response_model=ParticipationRead,
    responses=problem_responses(NotFound),  # no such participation in your scope
)
async def update_participation(
    participation_id: UUID,
    body: ParticipationUpdate,
    session: SessionDep,
    principal: Manager,
    if_match: IfMatchHeader,
) -> Response:
    """Record completion or a certificate; needs If-Match."""
    await service.update_participation(session, principal, participation_id, body, if_match)
    row = await service.get_participation(session, participation_id)
    item = ParticipationRead.model_validate(row._asdict())
    return Response(
        item.model_dump_json(), media_type="application/json", headers={"ETag": etag(row.version)}
    )


@router.get("/workers/{worker_id}/participations", responses=problem_responses(WorkerNotFound))
async def list_worker_participations(
    worker_id: UUID, session: SessionDep, principal: PersonnelReader
) -> ParticipationList:
    """The courses a worker took part in."""
    rows = await service.list_worker_participations(session, principal, worker_id)
    return ParticipationList(items=[ParticipationRead.model_validate(r._asdict()) for r in rows])
