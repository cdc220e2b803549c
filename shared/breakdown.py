"""Counting people (or anything) once, overall and in every breakdown, in one statement."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

UNKNOWN_KEY = "unknown"


Measures = Callable[[Any], Mapping[str, sa.ColumnElement[Any]]]
Rows = sa.Select[*tuple[Any, ...]]  # a SELECT of any number of columns


@dataclass(frozen=True)
class Breakdown:
    """Measures (aggregates, usually COUNT(DISTINCT ...)) over a set of rows, for the whole set
    and for each value of each dimension, in one statement.

    `rows` selects what is counted once (a common table expression), with a labelled column
    for each dimension and for what the measures read; `measures` builds the aggregates on
    those columns; each dimension is one GROUP BY over the same rows (UNION ALL). Every number
    is computed by the database over the rows it describes: a person in two rows of a
    breakdown counts once in each, and once in the total. Nothing is added up after."""

    rows: Rows
    measures: Measures
    dimensions: tuple[str, ...] = ()

    def statement(self) -> sa.CompoundSelect[Any]:
        counted = self.rows.cte("counted")
        measures = [m.label(n) for n, m in self.measures(counted.c).items()]

        def part(name: str, key: sa.ColumnElement[Any] | None) -> Rows:
            label = sa.literal(name, sa.String).label("dimension")
            shown = sa.cast(key, sa.String) if key is not None else sa.literal("", sa.String)
            query: Rows = sa.select(label, shown.label("key"), *measures).select_from(counted)
            return query.group_by(key) if key is not None else query

        parts = [part("all", None), *(part(d, counted.c[d]) for d in self.dimensions)]
        return sa.union_all(*parts)

    async def run(
        self, connection: Any
    ) -> tuple[dict[str, int], dict[str, dict[str, dict[str, int]]]]:
        """(totals, {dimension: {key: {measure: value}}}); a null key reads "unknown"."""
        names = list(self.measures(self.rows.subquery().c))
        totals: dict[str, int] = dict.fromkeys(names, 0)
        by: dict[str, dict[str, dict[str, int]]] = {name: {} for name in self.dimensions}
        for row in await connection.execute(self.statement()):
            values = {name: int(row._mapping[name] or 0) for name in names}
            if row.dimension == "all":
                totals = values
            else:
                by[row.dimension][row.key if row.key is not None else UNKNOWN_KEY] = values
        return totals, by


def names(columns: list[sa.ColumnElement[Any]]) -> tuple[str, ...]:
    """The labels of labelled columns: the dimensions a Breakdown groups them by."""
    return tuple(str(column.key) for column in columns)


def count_distinct_if(condition: sa.ColumnElement[bool], value: Any) -> sa.ColumnElement[int]:
    return sa.func.count(sa.distinct(sa.case((condition, value))))


def count_if(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)
