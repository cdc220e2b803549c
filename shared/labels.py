"""Coded reference data with Vietnamese and English labels: the codes records carry, and the
labels clients show."""

from dataclasses import dataclass

from pydantic import BaseModel


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
