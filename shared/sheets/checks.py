"""Checking a sheet's rows: each cell read by its column, then the API's own model, with every
problem kept against its row and column (in the sheet's words, not the API's)."""

from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from shared.sheets.cells import Column
from shared.sheets.reader import RowError

M = TypeVar("M", bound=BaseModel)


@dataclass
class Batch:
    """Rows ready to write, and the problems found; written only when `errors` is empty."""

    items: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def fail(self, row: int, column: str | None, reason: str) -> None:
        self.errors.append(RowError(row, column, reason))


def cells_of(
    number: int, raw: dict[str, Any], columns: dict[str, Column], batch: Batch
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, cell in raw.items():
        if cell is None or cell == "":  # every parser reads an empty cell as nothing
            continue
        try:
            parsed = columns[key].parse(cell)
        except ValueError as exc:
            batch.fail(number, columns[key].header, str(exc))
            continue
        if parsed not in (None, []):
            values[key] = parsed
    return values


@cache
def model_fields(model: type[BaseModel]) -> frozenset[str]:
    """Asked once per model, not per row: pydantic builds the mapping on each access."""
    return frozenset(model.model_fields)


def model_of(
    number: int,
    model: type[M],
    values: dict[str, Any],
    columns: dict[str, Column],
    batch: Batch,
) -> M | None:
    fields = {k: v for k, v in values.items() if k in model_fields(model)}
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        for error in exc.errors():
            key = str(error["loc"][0]) if error["loc"] else None
            header = columns[key].header if key in columns else key
            batch.fail(number, header, error["msg"])
        return None


def first_per_cell(errors: list[RowError]) -> list[RowError]:
    """A cell that failed to read is then missing to the model too: said once."""
    seen: set[tuple[int, str | None]] = set()
    kept = []
    for error in errors:
        if (error.row, error.column) not in seen:
            seen.add((error.row, error.column))
            kept.append(error)
    return kept
