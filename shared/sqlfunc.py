"""Small SQL functions that read the same on Postgres and SQLite."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


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
