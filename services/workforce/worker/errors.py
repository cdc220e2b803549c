"""Problems specific to workers."""

from shared.errors import Conflict, NotFound


class WorkerNotFound(NotFound):
    code = "worker_not_found"
    title = "No such worker in your scope"


class WorkerNationalIdExists(Conflict):
    code = "worker_national_id_exists"
    title = "A worker with this national ID is already registered"


class WorkerRegisteredElsewhere(Conflict):
    """Said without who or where: the duplicate check is not a way to find people."""

    code = "worker_registered_elsewhere"
    title = "A worker with this national ID is registered by another province"
