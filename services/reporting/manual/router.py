"""HTTP for manual values: figures the records cannot give, entered for a territory and period."""

from typing import Annotated, Literal

import sqlalchemy as sa
from fastapi import APIRouter, Query, Response

from services.reporting.access import Officer, check_own_province
from services.reporting.common import history
from services.reporting.manual.models import manual_t
from services.reporting.manual.schemas import ManualValueIn, ManualValueRead, ManualValues
from services.reporting.territory import Scheme, resolve
from shared.auth import Principal
from shared.concurrency import IfMatchToReplace, check_if_match, etag
from shared.db import SessionDep, utcnow
from shared.errors import PreconditionFailed, problem_responses
from shared.history import record_event
from shared.models import new_id
from shared.responses import model_response

router = APIRouter(prefix="/manual-values", tags=["manual values"])


def _check_territory(principal: Principal, scheme: Scheme, code: str) -> None:
    check_own_province(principal, resolve(scheme, code).province_code, "manual values")


@router.put("", response_model=ManualValueRead, responses=problem_responses(PreconditionFailed))
async def put_manual_value(
    body: ManualValueIn, session: SessionDep, principal: Officer, if_match: IfMatchToReplace
) -> Response:
    """Enter or correct a figure for a territory, metric and period. Correcting one needs the
    ETag of the figure being replaced, so that nobody overwrites a figure they never saw (the
    2020 baseline above all); both entries are in the history."""
    _check_territory(principal, body.territory_scheme, body.territory_code)
    key = (
        manual_t.c.territory_scheme == body.territory_scheme,
        manual_t.c.territory_code == body.territory_code,
        manual_t.c.metric == body.metric,
        manual_t.c.period_id == body.period_id,
    )
    current = (await session.execute(sa.select(manual_t).where(*key))).first()
    values = {**body.model_dump(), "entered_by": principal.subject, "updated_at": utcnow()}
    if current is None:
        if if_match is not None:
            raise PreconditionFailed("there is no figure to replace; leave out If-Match")
        values.update(id=new_id(), version=1)
        await session.execute(manual_t.insert().values(**values))  # unique: a twin is a 409
        record_id = values["id"]
    else:
        check_if_match(if_match, current.version)
        values["version"] = current.version + 1
        replaced = await session.execute(
            manual_t.update()
            .where(manual_t.c.id == current.id, manual_t.c.version == current.version)
            .values(**values)
        )
        if replaced.rowcount != 1:  # replaced meanwhile by a request with the same ETag
            raise PreconditionFailed("the figure changed since you read it; reload it")
        record_id = current.id
    await record_event(
        session,
        history,
        principal,
        entity_type="manual_value",
        entity_id=record_id,
        action="entered",
        changes={"value": [current.value if current else None, body.value]},
    )
    item = ManualValueRead.model_validate(values)
    return model_response(item, headers={"ETag": etag(item.version)})


@router.get("")
async def list_manual_values(
    session: SessionDep,
    principal: Officer,
    territory_scheme: Literal["legacy", "2025"],
    territory_code: Annotated[str, Query(pattern=r"^\d{2}$")],
) -> ManualValues:
    """The figures entered for a territory."""
    _check_territory(principal, territory_scheme, territory_code)
    rows = await session.execute(
        sa.select(manual_t)
        .where(
            manual_t.c.territory_scheme == territory_scheme,
            manual_t.c.territory_code == territory_code,
        )
        .order_by(manual_t.c.period_id, manual_t.c.metric)
    )
    return ManualValues(items=[ManualValueRead.model_validate(r._asdict()) for r in rows])
