"""Problems specific to contributions."""

from shared.errors import Conflict, NotFound


class ContributionNotFound(NotFound):
    code = "contribution_not_found"
    title = "No such contribution in your scope"


class ContributionExists(Conflict):
    code = "contribution_exists"
    title = "This agency is already asked for a contribution to that plan and period"


class ContributionFrozen(Conflict):
    code = "contribution_frozen"
    title = "A submitted or accepted contribution is frozen"


class ContributionNotSubmitted(Conflict):
    code = "contribution_not_submitted"
    title = "Only a submitted contribution is accepted or returned"
