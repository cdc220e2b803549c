"""What clients send and receive for manual values."""

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from services.reporting.territory import ProvinceSchemeCode
from shared.labels import LabelledEnum, labelled
from shared.pagination import ListOf


class ManualMetric(LabelledEnum):
    """A figure the records cannot give, entered by hand for a period."""

    PEOPLE_SUPPORTED = "people_supported"
    COMMUNICATION_EVENTS = "communication_events"
    MATERIALS_DISTRIBUTED = "materials_distributed"
    WORKSHOPS = "workshops"
    CONTESTS = "contests"
    TRAININGS = "trainings"


MANUAL_METRICS = labelled(
    ManualMetric,
    (
        ManualMetric.PEOPLE_SUPPORTED,
        "Số người được tư vấn, hỗ trợ",
        "People counselled or supported",
    ),
    (ManualMetric.COMMUNICATION_EVENTS, "Số cuộc truyền thông", "Communication events"),
    (ManualMetric.MATERIALS_DISTRIBUTED, "Số tài liệu, tờ rơi phát hành", "Materials distributed"),
    (ManualMetric.WORKSHOPS, "Số hội thảo, tọa đàm", "Workshops"),
    (ManualMetric.CONTESTS, "Số cuộc thi", "Contests"),
    (ManualMetric.TRAININGS, "Số lớp tập huấn, bồi dưỡng đã tổ chức", "Training courses organised"),
)


class ManualValueIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    territory_scheme: ProvinceSchemeCode
    territory_code: str = Field(pattern=r"^\d{2}$")
    metric: ManualMetric = Field(
        description="people_supported for the year 2020 is target #4's baseline"
    )
    period_id: str = Field(
        pattern=r"^\d{4}(S1)?$", description="A year (2020) or a period (2025S1)"
    )
    value: StrictInt = Field(ge=0, le=100_000_000)
    participants: StrictInt | None = Field(default=None, ge=0, le=100_000_000)
    note: str | None = Field(default=None, max_length=500)


class ManualValueRead(ManualValueIn):
    model_config = ConfigDict(extra="ignore")

    entered_by: str
    version: int


class ManualValues(ListOf[ManualValueRead]):
    pass
