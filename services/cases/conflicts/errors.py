"""Problems of the conflict queue."""

from shared.errors import Conflict, NotFound


class EditConflictNotFound(NotFound):
    code = "edit_conflict_not_found"
    title = "No such conflict of yours"


class EditConflictClosed(Conflict):
    code = "edit_conflict_closed"
    title = "The conflict was resolved or dismissed already"
