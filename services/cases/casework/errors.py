"""Problems specific to the records inside a case."""

from shared.errors import Conflict, Forbidden, NotFound


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


class ConsentAlreadyWithdrawn(Conflict):
    code = "consent_already_withdrawn"
    title = "The consent was already withdrawn"
