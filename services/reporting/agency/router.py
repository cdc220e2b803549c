"""HTTP for a province's agencies: registered by its officers, read by them and by each
agency's own officers."""

from uuid import UUID

from fastapi import APIRouter, Request, Response

from services.reporting.access import AgencyReader, LeadDepartment
from services.reporting.agency import service
from services.reporting.agency.errors import AgencyCodeExists, AgencyNotFound
from services.reporting.agency.kinds import AgencyKind
from services.reporting.agency.schemas import AgencyIn, AgencyList, AgencyRead
from services.reporting.deps import IdempotencyDep
from shared.concurrency import etag
from shared.db import SessionDep
from shared.errors import problem_responses
from shared.responses import model_response

router = APIRouter(prefix="/agencies", tags=["agencies"])


@router.post(
    "", status_code=201, response_model=AgencyRead, responses=problem_responses(AgencyCodeExists)
)
async def create_agency(
    request: Request,
    body: AgencyIn,
    session: SessionDep,
    principal: LeadDepartment,
    idempotency: IdempotencyDep,
) -> Response:
    """Register an agency of your province that plans ask to report (a department, a mass
    organisation, a commune People's Committee, a school or a hospital)."""
    agency_id = await service.create_agency(session, principal, body)
    item = service.agency_read(await service.get_agency(session, principal, agency_id))
    headers = {"Location": f"{request.url.path}/{agency_id}", "ETag": etag(item.version)}
    return await idempotency.respond(item.model_dump(mode="json"), 201, headers)


@router.get("", response_model=AgencyList)
async def list_agencies(
    session: SessionDep, principal: AgencyReader, kind: AgencyKind | None = None
) -> AgencyList:
    """Your province's agencies (an agency officer: its own), by kind and code."""
    return AgencyList(items=await service.list_agencies(session, principal, kind))


@router.get("/{agency_id}", response_model=AgencyRead, responses=problem_responses(AgencyNotFound))
async def get_agency(agency_id: UUID, session: SessionDep, principal: AgencyReader) -> Response:
    """One agency of your province (an agency officer: its own), with its ETag."""
    item = service.agency_read(await service.get_agency(session, principal, agency_id))
    return model_response(item, headers={"ETag": etag(item.version)})
