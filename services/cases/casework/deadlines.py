"""A referral's two clocks (docs/referrals.md).

- `respond_by`: set when the referral is made, from the case's risk level; the receiving
  facility accepts or rejects before it.
- `first_contact_by`: set when the referral is accepted, from the case's risk level then;
  the receiving facility reaches the person (the `contacted` step) before it. It is counted
  from the acceptance, which is when the facility takes the person on.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta

from services.cases.reference.codes import RiskLevel
from services.cases.settings import DeadlineHours


def respond_by(deadlines: Mapping[RiskLevel, DeadlineHours], risk: str, made: datetime) -> datetime:
    return made + timedelta(hours=deadlines[RiskLevel(risk)].respond_hours)


def first_contact_by(
    deadlines: Mapping[RiskLevel, DeadlineHours], risk: str, accepted: datetime
) -> datetime:
    return accepted + timedelta(hours=deadlines[RiskLevel(risk)].first_contact_hours)
