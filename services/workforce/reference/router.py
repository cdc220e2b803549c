"""HTTP for workforce reference data, in Vietnamese and English."""

from fastapi import APIRouter
from pydantic import BaseModel

from services.workforce.reference import codes
from shared.auth import PrincipalDep

router = APIRouter(prefix="/reference", tags=["reference"])


class Label(BaseModel):
    code: str
    label_vi: str
    label_en: str


class Labels(BaseModel):
    items: list[Label]


def _labels(table: dict[str, codes.Code]) -> Labels:
    return Labels(
        items=[Label(code=c.code, label_vi=c.label_vi, label_en=c.label_en) for c in table.values()]
    )


@router.get("/facility-kinds")
async def list_facility_kinds(_: PrincipalDep) -> Labels:
    """Kinds of facility (cơ sở) the plans count."""
    return _labels(codes.FACILITY_KINDS)


@router.get("/sectors")
async def list_sectors(_: PrincipalDep) -> Labels:
    """Sectors a facility belongs to."""
    return _labels(codes.SECTORS)


@router.get("/position-kinds")
async def list_position_kinds(_: PrincipalDep) -> Labels:
    """Kinds of CTXH position: full-time, part-time, collaborator, volunteer."""
    return _labels(codes.POSITION_KINDS)


@router.get("/qualifications")
async def list_qualifications(_: PrincipalDep) -> Labels:
    """Social work qualifications."""
    return _labels(codes.QUALIFICATIONS)


@router.get("/course-kinds")
async def list_course_kinds(_: PrincipalDep) -> Labels:
    """Kinds of training course."""
    return _labels(codes.COURSE_KINDS)


@router.get("/ctxh-services")
async def list_ctxh_services(_: PrincipalDep) -> Labels:
    """CTXH services a facility can provide."""
    return _labels(codes.CTXH_SERVICES)
