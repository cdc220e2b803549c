"""`GET /api/v1/me`: what the service understood from the caller's token."""

from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel

from shared.access import AnyCaller
from shared.auth import Role

router = APIRouter(tags=["identity"])


class Me(BaseModel):
    subject: str
    name: str
    roles: list[Role]
    province_code: str | None
    commune_code: str | None
    facility_id: UUID | None
    agency_id: UUID | None
    scopes: list[str]


@router.get("/me")
async def get_me(principal: AnyCaller) -> Me:
    """The caller as this service sees it: roles, unit scope, facility and scopes."""
    return Me(
        subject=principal.subject,
        name=principal.name,
        roles=sorted(principal.roles),
        province_code=principal.province_code,
        commune_code=principal.commune_code,
        facility_id=principal.facility_id,
        agency_id=principal.agency_id,
        scopes=sorted(principal.scopes),
    )
