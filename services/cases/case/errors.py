"""Problems specific to cases."""

from datetime import date

from shared.errors import Conflict, Forbidden, NotFound, ValidationFailed, field_error


class CaseNotFound(NotFound):
    code = "case_not_found"
    title = "No such case in your scope"


class NoCaseload(Forbidden):
    """Only a commune worker whose token names its worker id has cases assigned to it."""

    code = "no_caseload"
    title = "You have no caseload: sync your unit instead (scope=unit)"


class IllegalTransition(Conflict):
    code = "illegal_transition"
    title = "That stage cannot follow the current one"


class TransitionPrerequisiteMissing(Conflict):
    code = "transition_prerequisite_missing"
    title = "Something must be on file before this move"


class CaseArchived(ValidationFailed):
    """The case was archived as recorded in error: nothing more is recorded on it."""

    code = "case_archived"
    title = "The case is archived; nothing more can be recorded on it"

    def __init__(self) -> None:
        super().__init__(
            [field_error(["path", "case_id"], "the case is archived", "archived")],
            detail="The case is archived (recorded in error); nothing more can be recorded on it",
        )


def after_closing(field: str, value: date, closed: date) -> ValidationFailed:
    return ValidationFailed(
        [
            field_error(
                ["body", field], f"{value} is after the case closed on {closed}", "after_closing"
            )
        ]
    )


def reason_required(field: str, why: str) -> ValidationFailed:
    return ValidationFailed([field_error(["body", field], why, "missing")])
