"""Problems specific to assignments."""

from shared.errors import Conflict, NotFound


class AssignmentNotFound(NotFound):
    code = "assignment_not_found"
    title = "No such assignment in your scope"


class AssignmentOverlap(Conflict):
    code = "assignment_overlap"
    title = "The worker already holds a position at this facility over those dates"
