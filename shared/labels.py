"""Coded reference data with Vietnamese and English labels: the codes records carry, and the
labels clients show."""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import PydanticCustomError, core_schema


class Sex(StrEnum):
    """Sex as recorded on identity papers; one type for people in cases and staff in workforce."""

    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    label_vi: str
    label_en: str


def codes(*entries: tuple[str, str, str]) -> dict[str, Code]:
    return {code: Code(code, vi, en) for code, vi, en in entries}


class Label(BaseModel):
    code: str
    label_vi: str
    label_en: str


class Labels(BaseModel):
    items: list[Label]


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
            **{
                "x-enum-descriptions": [f"{c.label_vi} / {c.label_en}" for c in self.table.values()]
            },
        )
        return reference
