"""Problems specific to likely duplicate people."""

from shared.errors import Conflict, Forbidden, NotFound


class DuplicateNotFound(NotFound):
    code = "duplicate_not_found"
    title = "No such pair of likely duplicates in your province"


class DuplicateDecided(Conflict):
    code = "duplicate_decided"
    title = "This pair has been reviewed or closed already"


class NoProvince(Forbidden):
    code = "no_province"
    title = "Your token names no province to scan"
