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


class RegisteredElsewhere(Conflict):
    """The record exists outside the caller's scope: said without who or where, so that the
    duplicate check cannot be used to find people across the country."""

    code = "registered_elsewhere"
    title = "This person is already registered by another unit"


class PossibleDuplicateElsewhere(Conflict):
    code = "possible_duplicate_elsewhere"
    title = "A person with the same name, date of birth and ward is registered by another unit"


class MoveNeedsTransfer(Conflict):
    code = "move_needs_transfer"
    title = "Moving a person to another province is a transfer that province accepts"


class PersonMerged(Conflict):
    """The record was merged into another record of the same person: it is kept as an alias
    (its history stays readable), and changes go to the survivor, named in `survivor_id`."""

    code = "person_merged"
    title = "This record was merged into another record of the same person"

    def __init__(self, survivor_id: object) -> None:
        super().__init__(
            f"write to the surviving record {survivor_id} instead", survivor_id=str(survivor_id)
        )
