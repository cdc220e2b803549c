"""HTTP for workforce aggregates: /api/v1/stats/... Counts of people are for the reporting
service and the province's officers (policy people_aggregates); counts of facilities, which
are not about people, for the ministry too (facility_aggregates)."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from contracts import workforce_stats as s
from services.workforce.access import FacilityCounter, PeopleCounter
from services.workforce.reference.codes import (
    COURSE_KINDS,
    FACILITY_KINDS,
    POSITION_KINDS,
    SECTORS,
)
from services.workforce.stats.facilities import STAFF_BUCKETS, facility_stats
from services.workforce.stats.staff import STAFF_KINDS
from services.workforce.stats.training import service_staff_trained, training_stats
from services.workforce.stats.workers import worker_stats
from shared.db import SessionDep
from shared.labels import Code
from shared.stats import (
    DateWindowDep,
    StatsDate,
    UnitScopeDep,
    place_label,
)

router = APIRouter(prefix="/stats", tags=["stats"])
FacilityGroup = Literal["communes_and_sector", "justice_and_mass", "other"]
OnDate = Annotated[StatsDate, Query(description="The date facilities and positions are taken on")]
GROUPS = {
    "communes_and_sector": Code(
        "communes_and_sector",
        "Xã, phường và cơ sở cung cấp dịch vụ CTXH trong ngành",
        "Communes and the sector's service facilities",
    ),
    "justice_and_mass": Code(
        "justice_and_mass",
        "Trại giam, trường giáo dưỡng, tư pháp, đoàn thể",
        "Prisons, reformatory schools, justice, mass organisations",
    ),
    "other": Code("other", "Cơ quan, đơn vị khác", "Other agencies and units"),
}
CODED = {"facility_group": GROUPS, "position_kind": POSITION_KINDS, "kind": COURSE_KINDS}


def _rows(dimension: str, cells: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for key, measures in sorted(cells.items()):
        code = CODED.get(dimension, {}).get(key)
        vi, en = (code.label_vi, code.label_en) if code else place_label(dimension, key)
        rows.append({"key": key, "label_vi": vi, "label_en": en, **measures})
    return rows


def _kind_sector(kind: str, sector: str) -> dict[str, str]:
    k, c = FACILITY_KINDS.get(kind), SECTORS.get(sector)
    return {
        "kind": kind,
        "sector": sector,
        "label_vi": f"{k.label_vi if k else kind} — {c.label_vi if c else sector}",
        "label_en": f"{k.label_en if k else kind} — {c.label_en if c else sector}",
    }


def _staffed(bucket: str) -> dict[str, str]:
    return {
        "label_vi": f"{bucket} người làm CTXH",
        "label_en": f"{bucket} CTXH staff",
    }


@router.get("/facilities")
async def get_facility_stats(
    session: SessionDep, _: FacilityCounter, scope: UnitScopeDep, on: OnDate
) -> s.FacilityStats:
    """Facilities on a date by kind and sector, by number of CTXH staff and by kind of post:
    staffed, paid at least the base or the region's minimum wage, providing services."""
    found = await facility_stats(session, on, scope)
    by_kind_sector = [
        {**_kind_sector(*key.split("/")), **counts}
        for key, counts in sorted(found.by["kind_sector"].items())
    ]
    empty = {name: 0 for name in s.FacilityCounts.model_fields}
    by_staff = [
        {"staff": b, **_staffed(b), **found.by["staff"].get(b, empty)} for b in STAFF_BUCKETS
    ]
    by_kind = [
        {
            "position_kind": kind,
            "label_vi": POSITION_KINDS[kind].label_vi,
            "label_en": POSITION_KINDS[kind].label_en,
            "facilities": found.totals[f"with_{kind}"],
            "paid_base_wage": found.totals[f"with_{kind}_paid_base_wage"],
            "paid_minimum_wage": found.totals[f"with_{kind}_paid_minimum_wage"],
            "wage_region_unresolved": found.totals[f"with_{kind}_wage_region_unresolved"],
        }
        for kind in STAFF_KINDS
    ]
    return s.FacilityStats.model_validate(
        {
            "on": on,
            "province_code": scope.province_code,
            "totals": found.totals,
            "by_kind_sector": by_kind_sector,
            "by_staff_count": by_staff,
            "by_position_kind": by_kind,
            "unresolved_wage_region": found.unresolved,
            "unmarked_in_shared_wards": found.unmarked_in_shared_wards,
        }
    )


@router.get("/workers")
async def get_worker_stats(
    session: SessionDep,
    _: PeopleCounter,
    scope: UnitScopeDep,
    window: DateWindowDep,
    on: OnDate,
    facility_group: Annotated[
        FacilityGroup | None, Query(description="Only staff of this facility group")
    ] = None,
) -> s.WorkerStats:
    """CTXH staff on a date (distinct people) and those trained in the window, overall and by
    facility group, kind of post, ward and former district; volunteers apart."""
    found = await worker_stats(session, on, window.start, window.end, scope, facility_group)
    totals, by, volunteers = found.totals, found.by, found.volunteers
    return s.WorkerStats.model_validate(
        {
            "on": on,
            "date_from": window.start,
            "date_to": window.end,
            "province_code": scope.province_code,
            "staff": totals,
            "volunteers": volunteers,
            **{f"by_{d}": _rows(d, by.get(d, {})) for d in ("facility_group", "position_kind")},
            **{f"by_{d}": _rows(d, by.get(d, {})) for d in ("ward", "former_district")},
        }
    )


@router.get("/training")
async def get_training_stats(
    session: SessionDep, _: PeopleCounter, scope: UnitScopeDep, window: DateWindowDep
) -> s.TrainingStats:
    """Training completed in the window, in distinct people and in turns (lượt), by course
    kind and by where participants were placed; degree_people counts a person with two
    degrees once."""
    found = await training_stats(session, window.start, window.end, scope)
    totals, by = found.totals, found.by
    return s.TrainingStats.model_validate(
        {
            "date_from": window.start,
            "date_to": window.end,
            "province_code": scope.province_code,
            "totals": totals,
            **{f"by_{d}": _rows(d, by.get(d, {})) for d in ("kind", "ward", "former_district")},
        }
    )


@router.get("/service-staff-trained")
async def get_service_staff_trained(
    session: SessionDep, _: PeopleCounter, scope: UnitScopeDep, window: DateWindowDep
) -> s.ServiceStaffTrained:
    """Target #8: distinct people who completed training in the window while CTXH staff of a
    health or social facility providing services, whether or not still in post."""
    found = await service_staff_trained(session, window.start, window.end, scope)
    totals, by = found.totals, found.by
    return s.ServiceStaffTrained.model_validate(
        {
            "date_from": window.start,
            "date_to": window.end,
            "province_code": scope.province_code,
            "totals": totals,
            **{f"by_{d}": _rows(d, by.get(d, {})) for d in ("ward", "former_district")},
        }
    )
