"""Minimum-wage regions by ward over time, and the region a facility has on a date.

A facility's region is its officer-set override when there is one, else its ward's on that
date. A ward with no region that day leaves the facility unresolved: reports list it, and no
region is guessed for it.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.workforce.common import history
from services.workforce.facility.models import facility_t
from services.workforce.wage.models import ward_region_t
from shared.auth import Principal
from shared.db import AnyRow, utcnow
from shared.history import record_event
from shared.labels import LabelledEnum, labelled
from shared.models import new_record_values
from shared.pagination import keyset_page
from shared.records import save_changes, serialize


class RegionSource(LabelledEnum):
    """Where a facility's wage region comes from on a date."""

    OVERRIDE = "override"
    WARD = "ward"
    UNRESOLVED = "unresolved"


REGION_SOURCES = labelled(
    RegionSource,
    (RegionSource.OVERRIDE, "Vùng do Sở xác định riêng cho cơ sở", "The facility's override"),
    (RegionSource.WARD, "Vùng của xã, phường nơi cơ sở đặt trụ sở", "The region of its ward"),
    (RegionSource.UNRESOLVED, "Chưa xác định được vùng", "Unresolved"),
)


def ward_region_on(ward: Any, on: Any) -> sa.ScalarSelect[Any]:
    """The region a ward has on a date (spans never overlap), as a correlated subquery.

    Correlated explicitly: it may sit two levels inside the query that has the facility (in
    the wage-rate lookup), where implicit correlation would not reach and the subquery would
    read some other facility's ward."""
    return (
        sa.select(ward_region_t.c.region)
        .where(
            ward_region_t.c.ward_code == ward,
            ward_region_t.c.archived_at.is_(None),
            ward_region_t.c.valid_from <= on,
            sa.or_(ward_region_t.c.valid_to.is_(None), ward_region_t.c.valid_to >= on),
        )
        .limit(1)
        .correlate_except(ward_region_t)
        .scalar_subquery()
    )


def facility_region_on(on: Any) -> sa.ColumnElement[Any]:
    """A facility's region on a date: its override, else its ward's; null when unresolved."""
    return sa.func.coalesce(
        facility_t.c.wage_region_override, ward_region_on(facility_t.c.ward_code, on)
    )


@dataclass(frozen=True)
class FacilityRegion:
    region: int | None
    source: RegionSource
    basis: str | None


async def region_of_facility(
    connection: AsyncConnection, facility: Any, on: date
) -> FacilityRegion:
    if facility.wage_region_override is not None:
        return FacilityRegion(
            facility.wage_region_override,
            RegionSource.OVERRIDE,
            facility.wage_region_override_reason,
        )
    query = sa.select(ward_region_t.c.region, ward_region_t.c.legal_source).where(
        ward_region_t.c.ward_code == facility.ward_code,
        ward_region_t.c.archived_at.is_(None),
        ward_region_t.c.valid_from <= on,
        sa.or_(ward_region_t.c.valid_to.is_(None), ward_region_t.c.valid_to >= on),
    )
    row = (await connection.execute(query)).first()
    if row is None:
        return FacilityRegion(None, RegionSource.UNRESOLVED, None)
    return FacilityRegion(row.region, RegionSource.WARD, row.legal_source)


async def ward_region_spans(
    connection: AsyncConnection,
    province: str | None,
    ward: str | None,
    on: date | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[AnyRow], str | None]:
    """One page of the spans not archived that match every filter given, ordered by ward and
    start date, and the cursor of the next page."""
    t = ward_region_t
    query = sa.select(t).where(t.c.archived_at.is_(None))
    for column, value in ((t.c.province_code, province), (t.c.ward_code, ward)):
        if value is not None:
            query = query.where(column == value)
    if on is not None:
        query = query.where(
            t.c.valid_from <= on, sa.or_(t.c.valid_to.is_(None), t.c.valid_to >= on)
        )
    return await keyset_page(
        connection, query, [t.c.ward_code, t.c.valid_from, t.c.id], cursor=cursor, limit=limit
    )


@dataclass(frozen=True)
class RegionSpan:
    ward_code: str
    province_code: str
    region: int
    valid_from: date
    valid_to: date | None
    legal_source: str

    def covers_after(self, day: date) -> bool:
        return self.valid_to is None or self.valid_to > day


async def _overlapping(connection: AsyncConnection, span: RegionSpan) -> list[AnyRow]:
    conditions = [
        ward_region_t.c.ward_code == span.ward_code,
        ward_region_t.c.archived_at.is_(None),
        sa.or_(ward_region_t.c.valid_to.is_(None), ward_region_t.c.valid_to >= span.valid_from),
    ]
    if span.valid_to is not None:
        conditions.append(ward_region_t.c.valid_from <= span.valid_to)
    # Core rows: the locks must last to the end of the request's transaction, whatever
    # savepoint it is in, not end with a session's own.
    query = sa.select(ward_region_t).where(*conditions).order_by(ward_region_t.c.valid_from)
    return list((await connection.execute(query.with_for_update())).all())


async def _insert(connection: AsyncConnection, principal: Principal, span: RegionSpan) -> None:
    values = {**new_record_values(principal.subject), **vars(span)}
    await connection.execute(ward_region_t.insert().values(**values))
    await record_event(
        connection,
        history,
        principal,
        entity_type="ward_wage_region",
        entity_id=values["id"],
        action="created",
        changes={k: str(v) if isinstance(v, date) else v for k, v in vars(span).items()},
    )


async def _make_room(
    connection: AsyncConnection, principal: Principal, row: Any, span: RegionSpan
) -> None:
    """Trim, split or archive an existing span so that `span` can take its dates."""
    before = row.valid_from < span.valid_from
    after = span.valid_to is not None and (row.valid_to is None or row.valid_to > span.valid_to)
    if before:
        values: dict[str, Any] = {"valid_to": span.valid_from - timedelta(days=1)}
    elif after:
        assert span.valid_to is not None
        values = {"valid_from": span.valid_to + timedelta(days=1)}
    else:
        values = {"archived_at": utcnow()}
    await save_changes(
        connection,
        ward_region_t,
        row,
        values,
        history=history,
        principal=principal,
        entity_type="ward_wage_region",
        action="replaced" if "archived_at" in values else "trimmed",
        extra_changes={"by": span.legal_source},
    )
    if before and after:  # the new span falls inside this one: keep its tail as well
        assert span.valid_to is not None
        tail = RegionSpan(
            row.ward_code,
            row.province_code,
            row.region,
            span.valid_to + timedelta(days=1),
            row.valid_to,
            row.legal_source,
        )
        await _insert(connection, principal, tail)


async def apply_span(connection: AsyncConnection, principal: Principal, span: RegionSpan) -> bool:
    """Record that `span.ward_code` has `span.region` over the span's dates, replacing whatever
    was recorded for those dates. Returns False when exactly this was already recorded.

    Loads for one province run one at a time: two inserting spans that overlap would each
    wait on the other's row in the no-overlap constraint, and the database would end one."""
    await serialize(connection, f"ward-wage-regions:{span.province_code}")
    existing = await _overlapping(connection, span)
    same = (span.region, span.valid_from, span.valid_to, span.legal_source)
    if any((r.region, r.valid_from, r.valid_to, r.legal_source) == same for r in existing):
        return False
    for row in existing:
        await _make_room(connection, principal, row, span)
    await _insert(connection, principal, span)
    return True
