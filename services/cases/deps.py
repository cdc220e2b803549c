"""Dependencies the cases routers share."""

from collections.abc import Mapping
from typing import Annotated

from fastapi import Depends, Request

from services.cases.common import idempotency
from services.cases.reference.codes import RiskLevel
from services.cases.settings import CasesSettings, DeadlineHours
from shared.idempotency import (
    Idempotency,
    idempotency_dependency,
    required_idempotency_dependency,
)

IdempotencyDep = Annotated[Idempotency, Depends(idempotency_dependency(idempotency))]
RequiredIdempotencyDep = Annotated[
    Idempotency, Depends(required_idempotency_dependency(idempotency))
]


def referral_deadlines(request: Request) -> Mapping[RiskLevel, DeadlineHours]:
    """The province's referral deadlines by risk level (CASES_REFERRAL_DEADLINES)."""
    settings: CasesSettings = request.app.state.settings
    return settings.referral_deadlines


ReferralDeadlinesDep = Annotated[Mapping[RiskLevel, DeadlineHours], Depends(referral_deadlines)]
