"""Settings of the cases service, read from CASES_* environment variables."""

from functools import lru_cache
from itertools import pairwise

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_settings import SettingsConfigDict

from services.cases.reference.codes import RiskLevel
from shared.settings import ServiceSettings

# At most 60 days: a longer "deadline" is no deadline, and most likely a typo.
_MAX_HOURS = 60 * 24


class DeadlineHours(BaseModel):
    """A referral's two clocks for one risk level, in hours: the receiving facility accepts or
    rejects within `respond_hours` of the referral, and makes its first contact with the
    person within `first_contact_hours` of accepting."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    respond_hours: int = Field(ge=1, le=_MAX_HOURS)
    first_contact_hours: int = Field(ge=1, le=_MAX_HOURS)


# The defaults and where each comes from: docs/referrals.md.
DEFAULT_REFERRAL_DEADLINES: dict[RiskLevel, DeadlineHours] = {
    RiskLevel.CRITICAL: DeadlineHours(respond_hours=4, first_contact_hours=8),
    RiskLevel.HIGH: DeadlineHours(respond_hours=24, first_contact_hours=72),
    RiskLevel.MEDIUM: DeadlineHours(respond_hours=72, first_contact_hours=168),
    RiskLevel.LOW: DeadlineHours(respond_hours=120, first_contact_hours=336),
}
# Most urgent first: each level's deadlines must be no later than those of the next.
_URGENCY = (RiskLevel.CRITICAL, RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW)


class CasesSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CASES_")

    service_name: str = "cases"

    # CASES_REFERRAL_DEADLINES, JSON: the levels a province changes, e.g.
    # {"critical": {"respond_hours": 2, "first_contact_hours": 6}}; the others keep the
    # defaults above.
    referral_deadlines: dict[RiskLevel, DeadlineHours] = Field(
        default_factory=lambda: dict(DEFAULT_REFERRAL_DEADLINES)
    )
    # How often `ctxh worker` escalates referrals past a deadline (casework.deadlines): an
    # overdue referral reaches the escalation queues and the events within this much.
    referral_escalation_interval_seconds: float = Field(default=60.0, gt=0, le=3600)

    @field_validator("referral_deadlines")
    @classmethod
    def _every_level_and_most_urgent_first(
        cls, given: dict[RiskLevel, DeadlineHours]
    ) -> dict[RiskLevel, DeadlineHours]:
        deadlines = {**DEFAULT_REFERRAL_DEADLINES, **given}
        for urgent, next_level in pairwise(_URGENCY):
            sooner, later = deadlines[urgent], deadlines[next_level]
            for hours in ("respond_hours", "first_contact_hours"):
                if getattr(sooner, hours) > getattr(later, hours):
                    raise ValueError(
                        f"{urgent.value} {hours} ({getattr(sooner, hours)}) is later than "
                        f"{next_level.value} {hours} ({getattr(later, hours)}): a more urgent "
                        "referral cannot have longer to wait"
                    )
        return deadlines


@lru_cache
def get_settings() -> CasesSettings:
    return CasesSettings()
