"""Problems specific to agencies."""

from shared.errors import Conflict, NotFound


class AgencyNotFound(NotFound):
    code = "agency_not_found"
    title = "No such agency in your scope"


class AgencyCodeExists(Conflict):
    code = "agency_code_exists"
    title = "Your province has an agency with this code"
