"""Problems specific to reports."""

from shared.errors import Conflict, NotFound


class ReportNotFound(NotFound):
    code = "report_not_found"
    title = "No such report in your scope"


class ReportExists(Conflict):
    code = "report_exists"
    title = "This plan already has a report for that unit and period"


class ReportFrozen(Conflict):
    code = "report_frozen"
    title = "A submitted report is frozen"


class ReportIncomplete(Conflict):
    code = "report_incomplete"
    title = "A source could not answer; the report cannot be submitted incomplete"


class ReportNotSubmitted(Conflict):
    code = "report_not_submitted"
    title = "Only a submitted report is reviewed"
