"""Dependencies the reporting routers share."""

from typing import Annotated

from fastapi import Depends, Request

from services.reporting.clients.sources import Sources
from services.reporting.common import idempotency
from shared.idempotency import Idempotency, idempotency_dependency

IdempotencyDep = Annotated[Idempotency, Depends(idempotency_dependency(idempotency))]


def get_sources(request: Request) -> Sources:
    sources: Sources = request.app.state.sources
    return sources


SourcesDep = Annotated[Sources, Depends(get_sources)]
