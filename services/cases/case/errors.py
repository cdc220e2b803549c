"""Problems specific to cases."""

from shared.errors import Conflict, NotFound, ValidationFailed, field_error


class CaseNotFound(NotFound):
    code = "case_not_found"
    title = "No such case in your scope"


class IllegalTransition(Conflict):
    code = "illegal_transition"
    title = "That stage cannot follow the current one"


class TransitionPrerequisiteMissing(Conflict):
    code = "transition_prerequisite_missing"
    title = "Something must be on file before this move"


class CaseArchived(Conflict):
    code = "case_archived"
    title = "The case is archived; nothing more can be recorded on it"


def reason_required(field: str, why: str) -> ValidationFailed:
    return ValidationFailed([field_error(["body", field], why, "missing")])
