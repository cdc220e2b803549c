"""What a contribution says, in the shapes the report also keeps: what was done per task,
the activity counts, and the money spent by source (section III of the plans)."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from services.reporting.plan.tasks import TaskCode, Text
from shared.labels import LabelledEnum, labelled


class BudgetSource(LabelledEnum):
    """Section III of the plans (kinh phí thực hiện): where the money spent came from."""

    STATE_BUDGET = "state_budget"
    DOMESTIC_CONTRIBUTIONS = "domestic_contributions"
    FOREIGN_CONTRIBUTIONS = "foreign_contributions"
    OTHER = "other"


BUDGET_SOURCES = labelled(
    BudgetSource,
    (BudgetSource.STATE_BUDGET, "Ngân sách nhà nước", "State budget"),
    (
        BudgetSource.DOMESTIC_CONTRIBUTIONS,
        "Đóng góp của doanh nghiệp, tổ chức, cá nhân trong nước",
        "Contributions of businesses, organisations and people at home",
    ),
    (
        BudgetSource.FOREIGN_CONTRIBUTIONS,
        "Tài trợ của tổ chức, cá nhân nước ngoài",
        "Funding from organisations and people abroad",
    ),
    (BudgetSource.OTHER, "Nguồn hợp pháp khác", "Other lawful sources"),
)


Count = Annotated[StrictInt, Field(ge=0, le=100_000_000)]


class Activities(BaseModel):
    """What the agency organised in the period, and how many took part."""

    model_config = ConfigDict(extra="forbid")

    communication_events: Count = 0
    communication_participants: Count = 0
    materials_distributed: Count = Field(default=0, description="Leaflets, booklets, posters")
    workshops: Count = 0
    workshop_participants: Count = 0
    contests: Count = 0
    contest_participants: Count = 0
    trainings: Count = Field(default=0, description="Training courses organised")
    training_participants: Count = 0


class ActivityCounts(Activities):
    """The activity counts as answered: every count, zeros included. A class of its own so
    that the documents have one schema for what is sent and one for what is answered."""

    model_config = ConfigDict(extra="ignore", json_schema_serialization_defaults_required=True)


class Spending(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: BudgetSource
    amount_vnd: StrictInt = Field(ge=0, le=10**15, description="Spent in the period, in VND")


class TaskReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    task: TaskCode
    done_vi: Text = Field(description="What was done under this task group, as text")
