"""HTTP for manual values: figures the records cannot give, entered for a territory and period."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from services.reporting.access import Officer
from services.reporting.manual import service
from services.reporting.manual.schemas import ManualValueIn, ManualValueRead, ManualValues
from shared.concurrency import IfMatchToReplace, etag
from shared.db import SessionDep
from shared.errors import PreconditionFailed, problem_responses
from shared.responses import model_response

router = APIRouter(prefix="/manual-values", tags=["manual values"])


@router.put("", response_model=ManualValueRead, responses=problem_responses(PreconditionFailed))
async def put_manual_value(
    body: ManualValueIn, session: SessionDep, principal: Officer, if_match: IfMatchToReplace
) -> Response:
    """Enter or correct a figure for a territory, metric and period. Correcting one needs the
    ETag of the figure being replaced, so that nobody overwrites a figure they never saw (the
    2020 baseline above all); both entries are in the history."""
    item = await service.enter_manual_value(session, principal, body, if_match)
    return model_response(item, headers={"ETag": etag(item.version)})


@router.get("")
async def list_manual_values(
    session: SessionDep,
    principal: Officer,
    territory_scheme: Literal["legacy", "2025"],
    territory_code: Annotated[str, Query(pattern=r"^\d{2}$")],
) -> ManualValues:
    """The figures entered for a territory."""
    items = await service.list_manual_values(session, principal, territory_scheme, territory_code)
    return ManualValues(items=items)
