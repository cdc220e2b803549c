"""Problems specific to transfers."""

from shared.errors import Conflict, Forbidden, NotFound


class TransferNotFound(NotFound):
    code = "transfer_not_found"
    title = "No such transfer into or out of your province"


class TransferPending(Conflict):
    code = "transfer_pending"
    title = "This person already has a transfer waiting for an answer"


class TransferDecided(Conflict):
    code = "transfer_decided"
    title = "This transfer has been answered already"


class PersonMovedMeanwhile(Conflict):
    code = "person_moved_meanwhile"
    title = "The person was archived or moved since the transfer was requested"


class NotYourSide(Forbidden):
    code = "not_your_side_of_transfer"
    title = "The other province answers this"
