"""What clients send and receive for manual values."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Metric = Literal[
    "people_supported", "communication_events", "materials_distributed", "workshops", "contests"
]


class ManualValueIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    territory_scheme: Literal["legacy", "2025"]
    territory_code: str = Field(pattern=r"^\d{2}$")
    metric: Metric = Field(description="people_supported for the year 2020 is target #4's baseline")
    period_id: str = Field(
        pattern=r"^\d{4}(S1)?$", description="A year (2020) or a period (2025S1)"
    )
    value: int = Field(ge=0, le=100_000_000)
    participants: int | None = Field(default=None, ge=0, le=100_000_000)
    note: str | None = Field(default=None, max_length=500)


class ManualValueRead(ManualValueIn):
    model_config = ConfigDict(extra="ignore")

    entered_by: str
    version: int


class ManualValues(BaseModel):
    items: list[ManualValueRead]
