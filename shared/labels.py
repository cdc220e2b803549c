"""Coded reference data with Vietnamese and English labels: the codes records carry, and the
labels clients show."""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

from shared.pagination import ListOf


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    label_vi: str
    label_en: str


def codes(*entries: tuple[str, str, str]) -> dict[str, Code]:
    return {code: Code(code, vi, en) for code, vi, en in entries}


def _descriptions(table: dict[str, Code], order: list[str]) -> dict[str, list[str]]:
    """Each code's labels, in the order of `enum`: generators turn them into comments."""
    return {"x-enum-descriptions": [f"{table[c].label_vi} / {table[c].label_en}" for c in order]}


_ENUM_LABELS: dict[type["LabelledEnum"], dict[str, Code]] = {}


class LabelledEnum(StrEnum):
    """A StrEnum whose OpenAPI schema carries its codes' labels, as `CodeOf` does for a table.

    The labels come from the enum's table (`labelled`), the same one `/reference` lists where
    it lists the enum, so the documents and the reference data never disagree."""

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        reference = handler(schema)
        table = _ENUM_LABELS.get(cls)
        if table is None:
            raise LookupError(f"{cls.__name__} has no labels: give them with labelled()")
        handler.resolve_ref_schema(reference).update(_descriptions(table, [m.value for m in cls]))
        return reference


def labelled(enum: type[LabelledEnum], *entries: tuple[str, str, str]) -> dict[str, Code]:
    """The table of an enum's labels, one entry per member: a code added to the enum without
    its labels stops the service from starting, not a client from showing it."""
    table = codes(*entries)
    unlabelled = {m.value for m in enum} ^ table.keys()
    if unlabelled or len(table) != len(entries):
        raise ValueError(f"{enum.__name__}: label each code once, no more: {sorted(unlabelled)}")
    _ENUM_LABELS[enum] = table
    return table


class Sex(LabelledEnum):
    """Sex as recorded on identity papers; one type for people in cases and staff in workforce."""

    MALE = "male"
    FEMALE = "female"


SEXES = labelled(Sex, (Sex.MALE, "Nam", "Male"), (Sex.FEMALE, "Nữ", "Female"))


class Label(BaseModel):
    code: str
    label_vi: str
    label_en: str


class Labels(ListOf[Label]):
    pass


def labels(table: dict[str, Code]) -> Labels:
    return Labels(
        items=[Label(code=c.code, label_vi=c.label_vi, label_en=c.label_en) for c in table.values()]
    )


class CodeOf:
    """A string that must be one of a table's codes: `Annotated[str, CodeOf(...)]`.

    The OpenAPI documents get one named enum per table (`Category`, `ServiceType`...), the
    same on requests and answers, with each code's labels in `x-enum-descriptions`
    ("Vietnamese / English"), which generators turn into comments. The table stays the one
    source of the codes: `/reference` lists it, and adding a code adds it to the enum.
    """

    def __init__(self, name: str, table: dict[str, Code], what: str) -> None:
        self.name, self.table, self.what = name, table, what

    def _check(self, value: str) -> str:
        if value not in self.table:
            raise PydanticCustomError(
                "unknown_code", "unknown {what} code '{code}'", {"what": self.what, "code": value}
            )
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        # The ref makes every use of the table one definition: components/schemas/<name>.
        return core_schema.no_info_after_validator_function(
            self._check, core_schema.str_schema(), ref=self.name
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        reference = handler(schema)
        definition = handler.resolve_ref_schema(reference)
        definition.clear()
        definition.update(
            type="string",
            title=self.name,
            enum=list(self.table),
            **_descriptions(self.table, list(self.table)),
        )
        return reference
