"""Problems specific to the records inside a case."""

from shared.errors import Conflict, Forbidden, NotFound, ValidationFailed, field_error


class RecordNotFound(NotFound):
    code = "record_not_found"
    title = "No such record in this case"


class PlanNotDraft(Conflict):
    code = "plan_not_draft"
    title = "Only a draft plan can be approved"


class IllegalReferralStep(Conflict):
    code = "illegal_referral_step"
    title = "That step cannot follow the referral's current status"


class ReferralStepForbidden(Forbidden):
    code = "referral_step_forbidden"
    title = "Only the receiving facility accepts, rejects or completes; the sender cancels"


class ReasonRequired(ValidationFailed):
    """A rejection tells the sender why, so it can refer the person elsewhere."""

    code = "reason_required"
    title = "Rejecting a referral needs a reason"

    def __init__(self) -> None:
        super().__init__(
            [field_error(["body", "note"], "say why the referral is rejected", "missing")],
            detail="Rejecting a referral needs a reason in `note`, for the sender",
        )


class OutcomeRequired(ValidationFailed):
    """A completed referral tells the sender what came of it."""

    code = "outcome_required"
    title = "Completing a referral needs its outcome"

    def __init__(self, field: str, why: str) -> None:
        super().__init__([field_error(["body", field], why, "missing")])


class ConsentAlreadyWithdrawn(Conflict):
    code = "consent_already_withdrawn"
    title = "The consent was already withdrawn"
