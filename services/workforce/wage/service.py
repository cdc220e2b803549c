"""The wage in force on a date, for "allowance at least the base / minimum wage"."""

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.workforce.reference.codes import WageKind
from services.workforce.wage.models import wage_t


def rate_in_force(kind: WageKind, region: Any, on: Any) -> sa.ScalarSelect[Any]:
    """The amount of `kind` (for `region`) in force on `on`, as a correlated SQL subquery."""
    return (
        sa.select(wage_t.c.amount_vnd)
        .where(
            wage_t.c.kind == kind.value, wage_t.c.region == region, wage_t.c.effective_from <= on
        )
        .order_by(wage_t.c.effective_from.desc())
        .limit(1)
        .correlate_except(wage_t)
        .scalar_subquery()
    )


async def rates_on(connection: AsyncConnection, on: date, region: int) -> dict[str, int | None]:
    query = sa.select(
        rate_in_force(WageKind.BASE, 0, on).label("base"),
        rate_in_force(WageKind.REGIONAL_MINIMUM, region, on).label("regional_minimum"),
    )
    row = (await connection.execute(query)).one()
    return {"base": row.base, "regional_minimum": row.regional_minimum}
