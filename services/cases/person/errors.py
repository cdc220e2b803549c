"""Problems specific to people."""

from shared.errors import Conflict, Forbidden, NotFound


class PersonNotFound(NotFound):
    code = "person_not_found"
    title = "No such person in your scope"


class NationalIdExists(Conflict):
    code = "national_id_exists"
    title = "A person with this national ID is already registered"


class PossibleDuplicate(Conflict):
    code = "possible_duplicate"
    title = "A person with the same name, date of birth and ward exists"


class SensitiveWriteForbidden(Forbidden):
    code = "sensitive_write_forbidden"
    title = "Writing sensitive data needs scope sensitive:read"


class OutsideScope(Forbidden):
    code = "outside_scope"
    title = "The record would fall outside your unit"
