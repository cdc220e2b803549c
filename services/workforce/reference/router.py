"""HTTP for workforce reference data, in Vietnamese and English."""

from fastapi import APIRouter

from services.workforce.reference import codes
from shared.reference import CodeList, serve_code_lists

router = APIRouter(prefix="/reference", tags=["reference"])

serve_code_lists(
    router,
    CodeList("/facility-kinds", codes.FACILITY_KINDS, "Kinds of facility (cơ sở) the plans count."),
    CodeList("/sectors", codes.SECTORS, "Sectors a facility belongs to."),
    CodeList(
        "/position-kinds",
        codes.POSITION_KINDS,
        "Kinds of CTXH position: full-time, part-time, collaborator, volunteer.",
    ),
    CodeList("/qualifications", codes.QUALIFICATIONS, "Social work qualifications."),
    CodeList("/course-kinds", codes.COURSE_KINDS, "Kinds of training course."),
    CodeList("/ctxh-services", codes.CTXH_SERVICES, "CTXH services a facility can provide."),
)
