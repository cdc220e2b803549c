"""What the workforce /stats endpoints answer, and reporting reads. Counts of people are
distinct people; a breakdown row counts each person once, though one person may appear in
several rows."""

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field

from contracts.workforce_codes import FacilityKind, PositionKind, Sector
from shared.labels import LabelledEnum, labelled
from shared.stats import Keyed


class FacilityCounts(BaseModel):
    facilities: int = Field(description="Active on the date, not archived")
    with_ctxh_staff: int = Field(description="At least one CTXH staff member (not a volunteer)")
    with_two_ctxh_staff: int
    volunteers_only: int = Field(description="CTXH volunteers but no staff: not staffed")
    paid_base_wage: int = Field(description="A staff allowance ≥ the base wage that day")
    paid_minimum_wage: int = Field(
        description="A staff allowance ≥ the minimum wage of the facility's region that day"
    )
    wage_region_unresolved: int = Field(
        description="No region that day (no override, none for the ward): not judged"
    )
    sector_social_assistance: int
    sector_social_assistance_providing: int
    planned: int
    planned_providing: int


class StaffBucket(LabelledEnum):
    """How many distinct CTXH staff a facility has on the date."""

    NONE = "0"
    ONE = "1"
    TWO = "2"
    THREE_OR_MORE = "3+"


STAFF_BUCKET_LABELS = labelled(
    StaffBucket,
    (StaffBucket.NONE, "Không có người làm CTXH", "No CTXH staff"),
    (StaffBucket.ONE, "1 người làm CTXH", "1 CTXH staff member"),
    (StaffBucket.TWO, "2 người làm CTXH", "2 CTXH staff"),
    (StaffBucket.THREE_OR_MORE, "Từ 3 người làm CTXH trở lên", "3 or more CTXH staff"),
)


class Labelled(BaseModel):
    label_vi: str
    label_en: str


class KindSectorCounts(Labelled, FacilityCounts):
    kind: FacilityKind
    sector: Sector


class StaffCountCounts(Labelled, FacilityCounts):
    staff: StaffBucket = Field(description="Distinct CTXH staff on the date")


class PositionKindCounts(Labelled):
    position_kind: PositionKind
    facilities: int = Field(description="With at least one staff member in this kind of post")
    paid_base_wage: int
    paid_minimum_wage: int
    wage_region_unresolved: int


class UnresolvedFacility(BaseModel):
    id: UUID
    code: str
    name: str
    ward_code: str


class FacilityStats(BaseModel):
    on: date
    province_code: str | None
    totals: FacilityCounts
    by_kind_sector: list[KindSectorCounts]
    by_staff_count: list[StaffCountCounts]
    by_position_kind: list[PositionKindCounts]
    unresolved_wage_region: list[UnresolvedFacility] = Field(
        description="Facilities whose ward has no minimum-wage region on the date"
    )
    unmarked_in_shared_wards: int = Field(
        description="Facilities in wards shared by two legacy provinces that carry no legacy "
        "commune (with legacy_province), counted or not as shared_wards says"
    )


class StaffCounts(BaseModel):
    workers: int = Field(description="Distinct people")
    trained: int = Field(description="… of whom completed training in the window")


class KeyedStaffCounts(Keyed, StaffCounts):
    pass


class WorkerStats(BaseModel):
    on: date
    date_from: date
    date_to: date
    province_code: str | None
    staff: StaffCounts = Field(description="CTXH staff: full-time, part-time, collaborators")
    volunteers: StaffCounts = Field(description="People holding only volunteer posts: not staff")
    by_facility_group: list[KeyedStaffCounts]
    by_position_kind: list[KeyedStaffCounts]
    by_ward: list[KeyedStaffCounts]
    by_former_district: list[KeyedStaffCounts]


class TrainingCounts(BaseModel):
    people: int = Field(description="Distinct people")
    turns: int = Field(description="Completed participations (lượt)")
    degree_people: int = Field(description="Distinct people over every degree level")
    in_depth_turns: int
    short_turns: int


class KeyedTrainingCounts(Keyed, TrainingCounts):
    pass


class TrainingStats(BaseModel):
    date_from: date
    date_to: date
    province_code: str | None
    totals: TrainingCounts
    by_kind: list[KeyedTrainingCounts]
    by_ward: list[KeyedTrainingCounts] = Field(description="Where placed when completing")
    by_former_district: list[KeyedTrainingCounts]


class PeopleCount(BaseModel):
    people: int


class KeyedPeopleCount(Keyed, PeopleCount):
    pass


class ServiceStaffTrained(BaseModel):
    date_from: date
    date_to: date
    province_code: str | None
    totals: PeopleCount = Field(
        description="Distinct people trained while CTXH staff of a health or social facility "
        "providing services, whether or not still in post"
    )
    by_ward: list[KeyedPeopleCount]
    by_former_district: list[KeyedPeopleCount]


# The answers reporting reads, by path under /api/v1 of the workforce service.
FACILITIES = "/stats/facilities"
WORKERS = "/stats/workers"
TRAINING = "/stats/training"
SERVICE_STAFF_TRAINED = "/stats/service-staff-trained"
READ_BY_REPORTING: dict[str, type[BaseModel]] = {
    FACILITIES: FacilityStats,
    WORKERS: WorkerStats,
    TRAINING: TrainingStats,
    SERVICE_STAFF_TRAINED: ServiceStaffTrained,
}
