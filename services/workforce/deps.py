"""Dependencies the workforce routers share."""

from typing import Annotated

from fastapi import Depends

from services.workforce.common import idempotency
from shared.idempotency import Idempotency, idempotency_dependency

IdempotencyDep = Annotated[Idempotency, Depends(idempotency_dependency(idempotency))]
