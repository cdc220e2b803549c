"""HTTP for workforce reference data, in Vietnamese and English."""

from fastapi import APIRouter

from services.workforce.reference import codes
from shared.access import AnyCaller
from shared.labels import Labels, labels

router = APIRouter(prefix="/reference", tags=["reference"])


@router.get("/facility-kinds")
async def list_facility_kinds(_: AnyCaller) -> Labels:
    """Kinds of facility (cơ sở) the plans count."""
    return labels(codes.FACILITY_KINDS)


@router.get("/sectors")
async def list_sectors(_: AnyCaller) -> Labels:
    """Sectors a facility belongs to."""
    return labels(codes.SECTORS)


@router.get("/position-kinds")
async def list_position_kinds(_: AnyCaller) -> Labels:
    """Kinds of CTXH position: full-time, part-time, collaborator, volunteer."""
    return labels(codes.POSITION_KINDS)


@router.get("/qualifications")
async def list_qualifications(_: AnyCaller) -> Labels:
    """Social work qualifications."""
    return labels(codes.QUALIFICATIONS)


@router.get("/course-kinds")
async def list_course_kinds(_: AnyCaller) -> Labels:
    """Kinds of training course."""
    return labels(codes.COURSE_KINDS)


@router.get("/ctxh-services")
async def list_ctxh_services(_: AnyCaller) -> Labels:
    """CTXH services a facility can provide."""
    return labels(codes.CTXH_SERVICES)
