"""Small SQL functions that read the same on Postgres and SQLite."""

import json
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.visitors import InternalTraversal


class comma_list(FunctionElement[str]):  # noqa: N801 - SQL function names are lower case
    """Values of a column joined by commas in one string (string_agg / group_concat).

    SQLAlchemy's aggregate_strings renders its separator at execution time, which stops a
    statement from being compiled once and reused; this one is fixed SQL.
    """

    type = sa.String()
    inherit_cache = True


@compiles(comma_list, "postgresql")
def _comma_list_pg(element: comma_list, compiler: Any, **kw: Any) -> str:
    return f"string_agg({compiler.process(element.clauses, **kw)}, ',')"


@compiles(comma_list, "sqlite")
def _comma_list_sqlite(element: comma_list, compiler: Any, **kw: Any) -> str:
    return f"group_concat({compiler.process(element.clauses, **kw)}, ',')"


class greatest(FunctionElement[int]):  # noqa: N801 - SQL function names are lower case
    """The larger of two numbers: greatest() on Postgres; SQLite's max() of two arguments is
    the same scalar function (with one argument it would be the aggregate)."""

    type = sa.BigInteger()
    inherit_cache = True


@compiles(greatest, "postgresql")
def _greatest_pg(element: greatest, compiler: Any, **kw: Any) -> str:
    return f"greatest({compiler.process(element.clauses, **kw)})"


@compiles(greatest, "sqlite")
def _greatest_sqlite(element: greatest, compiler: Any, **kw: Any) -> str:
    return f"max({compiler.process(element.clauses, **kw)})"


class lookup(FunctionElement[str]):  # noqa: N801 - SQL function names are lower case
    """The value a fixed mapping gives a column's value, NULL when it has none.

    On Postgres the mapping is one jsonb constant: a lookup is a binary search over its keys,
    where a CASE of IN lists tries every list in turn (for a province's former districts,
    about 400 communes in 30 lists, that was a fifth of a report's time at 1M people).
    SQLite has no such type, and a simple CASE is fine at its sizes.
    """

    type = sa.String()
    inherit_cache = True
    # The mapping is part of the SQL, so it is part of the statement's cache key.
    _traverse_internals = [  # noqa: RUF012 - SQLAlchemy declares it a plain list
        *FunctionElement._traverse_internals,
        ("pairs", InternalTraversal.dp_plain_obj),
    ]

    def __init__(self, key: sa.ColumnElement[Any], mapping: Mapping[str, str]) -> None:
        self.pairs = tuple(sorted(mapping.items()))
        super().__init__(key)


@compiles(lookup, "postgresql")
def _lookup_pg(element: lookup, compiler: Any, **kw: Any) -> str:
    mapping = compiler.render_literal_value(json.dumps(dict(element.pairs)), sa.String())
    return f"(CAST({mapping} AS jsonb) ->> {compiler.process(element.clauses, **kw)})"


@compiles(lookup, "sqlite")
def _lookup_sqlite(element: lookup, compiler: Any, **kw: Any) -> str:
    if not element.pairs:
        return "NULL"
    key = compiler.process(element.clauses, **kw)
    literal = compiler.render_literal_value
    whens = " ".join(
        f"WHEN {literal(k, sa.String())} THEN {literal(v, sa.String())}" for k, v in element.pairs
    )
    return f"(CASE {key} {whens} END)"
