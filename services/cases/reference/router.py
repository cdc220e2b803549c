"""HTTP for reference data: the codes records use, with Vietnamese and English labels."""

from fastapi import APIRouter
from pydantic import BaseModel

from services.cases.case.lifecycle import ALLOWED_MOVES
from services.cases.reference import codes
from shared.access import AnyCaller
from shared.admin_units import units_2025
from shared.errors import NotFound, problem_responses
from shared.labels import Label
from shared.pagination import ListOf
from shared.reference import CodeList, serve_code_lists

router = APIRouter(prefix="/reference", tags=["reference"])


class CategoryLabel(Label):
    group: str
    sensitive: bool
    priority_child: bool


class StageLabel(Label):
    code: codes.Stage
    next_stages: list[codes.Stage]


class Unit(BaseModel):
    code: str
    name: str


@router.get("/categories")
async def list_categories(_: AnyCaller) -> ListOf[CategoryLabel]:
    """Categories of people; `priority_child` marks the six groups of target #5."""
    return ListOf(
        items=[
            CategoryLabel(
                code=c.code,
                label_vi=c.label_vi,
                label_en=c.label_en,
                group=c.group,
                sensitive=c.sensitive,
                priority_child=c.priority_child,
            )
            for c in codes.CATEGORIES.values()
        ]
    )


serve_code_lists(
    router,
    CodeList("/service-types", codes.SERVICE_TYPES, "Kinds of service a case can deliver."),
    CodeList(
        "/funding-sources",
        codes.FUNDING_SOURCES,
        "Who paid for a service; target #5 counts only `socialised`.",
    ),
)


@router.get("/stages")
async def list_stages(_: AnyCaller) -> ListOf[StageLabel]:
    """Case stages, each with the stages it may move to."""
    return ListOf(
        items=[
            StageLabel(
                code=codes.Stage(s.code),
                label_vi=s.label_vi,
                label_en=s.label_en,
                next_stages=list(ALLOWED_MOVES[codes.Stage(s.code)]),
            )
            for s in codes.STAGES.values()
        ]
    )


serve_code_lists(
    router,
    CodeList("/risk-levels", codes.RISK_LEVELS, "Risk levels of a case or assessment."),
    CodeList("/intake-sources", codes.INTAKE_SOURCES, "Where a case came from."),
    CodeList("/closure-reasons", codes.CLOSURE_REASONS, "Why a case was closed."),
)


@router.get("/provinces")
async def list_provinces(_: AnyCaller) -> ListOf[Unit]:
    """The 34 provinces of the 2025 scheme."""
    return ListOf(items=[Unit(code=p.code, name=p.name) for p in units_2025().provinces.values()])


@router.get("/provinces/{province_code}/wards", responses=problem_responses(NotFound))
async def list_wards(province_code: str, _: AnyCaller) -> ListOf[Unit]:
    """The wards and communes of a province (2025 scheme)."""
    if province_code not in units_2025().provinces:
        raise NotFound(f"no province {province_code} in the 2025 scheme")
    wards = units_2025().wards_of(province_code)
    return ListOf(items=[Unit(code=w.code, name=w.name) for w in wards])
