"""Problems specific to facilities."""

from shared.errors import Conflict, NotFound


class FacilityNotFound(NotFound):
    code = "facility_not_found"
    title = "No such facility in your scope"


class FacilityCodeExists(Conflict):
    code = "facility_code_exists"
    title = "A facility with this code is already registered"
