"""Turning spreadsheet cells into values: dates as dd/mm/yyyy or ISO, yes/no in Vietnamese,
codes given either as codes or as their Vietnamese labels."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from shared.labels import Code
from shared.spreadsheets import FORMULA_STARTS
from shared.text import search_key

Parser = Callable[[Any], Any]


_YES = {"co", "x", "yes", "true", "1", "dung"}
_NO = {"khong", "no", "false", "0", "sai"}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

FORMULA_REASON = "starts with a formula character"
# A leading tab or CR is the shape of a payload, not of typing: refused, not silently stripped.
_RAW_FORMULA = ("\t", "\r")
_FORMULA = ("=", "@", "\t", "\r")
_SIGNS = ("+", "-")
# A digit right after the sign and no letters: "-5", "-2.500.000", "+84 (0) 912-345-678".
# What people type in a cell they mean to leave empty; nothing a spreadsheet would run.
_PLACEHOLDERS = ("", "-", "--")
_NUMBER_OR_PHONE = re.compile(r"[+-]\d[\d .,()-]*")


# A cell's first character that needs a closer look: the rest is plain text at once (a bulk
# import reads millions of cells).
_LOOK_CLOSER = frozenset("'=@+-\t\r")


def text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        if value and value[0] not in _LOOK_CLOSER:
            cleaned = value.strip()
            if cleaned and cleaned[0] not in _LOOK_CLOSER and cleaned != "--":
                return cleaned
        return _typed_text(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None


def _typed_text(value: str) -> str | None:
    """Text that a spreadsheet would run as a formula (OWASP "CSV injection") is refused, not
    stored: every later export would carry it. "+" and "-" also start phone numbers and signed
    numbers, so those pass when the whole cell is one."""
    cleaned = _unquoted(value.strip())
    if cleaned in _PLACEHOLDERS:
        return None
    if value.startswith(_RAW_FORMULA) or cleaned.startswith(_FORMULA):
        raise ValueError(FORMULA_REASON)
    if cleaned.startswith(_SIGNS) and not _NUMBER_OR_PHONE.fullmatch(cleaned):
        raise ValueError(FORMULA_REASON)
    return cleaned


def _unquoted(cleaned: str) -> str:
    """Export writes such text behind a quote ("'+84…"); reading it back gives the value, which is
    then checked like any other, so an exported file imports again."""
    if cleaned.startswith("'") and cleaned[1:].startswith(FORMULA_STARTS):
        return cleaned[1:]
    return cleaned


def digits_text(value: Any) -> str | None:
    """IDs and phones: spreadsheets drop leading zeros from numbers, so keep them as text."""
    cleaned = text(value)
    return cleaned.replace(" ", "").replace(".", "") if cleaned else None


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def a_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    cleaned = text(value)
    if cleaned is None:
        return None
    # What people type, read without strptime's cost (a bulk import reads 100,000s).
    if parts := _DAY_MONTH_YEAR.fullmatch(cleaned):
        day, month, year = (int(part) for part in parts.groups())
        try:
            return date(year, month, day)
        except ValueError:
            raise ValueError(f"'{cleaned}' is not a date (dd/mm/yyyy)") from None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(cleaned, pattern).date()  # noqa: DTZ007 - a day, no time
        except ValueError:
            continue
    raise ValueError(f"'{cleaned}' is not a date (dd/mm/yyyy)")


def yes_no(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    cleaned = text(value)
    if cleaned is None:
        return None
    key = search_key(cleaned)
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValueError(f"'{cleaned}' is not yes/no (có/không)")


def whole_number(value: Any) -> int | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value) != int(value):
            raise ValueError(f"'{value}' is not a whole number")
        return int(value)
    cleaned = text(value)
    if cleaned is None:
        return None
    compact = cleaned.replace(".", "").replace(",", "").replace(" ", "")
    if not compact.lstrip("-").isdigit():
        raise ValueError(f"'{cleaned}' is not a whole number")
    return int(compact)


def region(value: Any) -> int | None:
    cleaned = text(value)
    if cleaned is None:
        return None
    key = search_key(cleaned).removeprefix("vung").strip()
    if key in _ROMAN:
        return _ROMAN[key]
    return whole_number(key)


def coded(table: dict[str, Code], extra: dict[str, str] | None = None) -> Parser:
    """Accept a code, its Vietnamese or English label, or a listed synonym."""
    lookup = {search_key(c.code): c.code for c in table.values()}
    lookup |= {search_key(c.label_vi): c.code for c in table.values()}
    lookup |= {search_key(c.label_en): c.code for c in table.values()}
    lookup |= {search_key(k): v for k, v in (extra or {}).items()}

    # A column of codes repeats a handful of values: each is folded once.
    known: dict[str, str] = {}

    def parse(value: Any) -> str | None:
        cleaned = text(value)
        if cleaned is None:
            return None
        if (code := known.get(cleaned)) is not None:
            return code
        code = lookup.get(search_key(cleaned))
        if code is None:
            raise ValueError(f"'{cleaned}' is not a known value")
        if len(known) < 1_000:
            known[cleaned] = code
        return code

    return parse


def coded_list(table: dict[str, Code]) -> Parser:
    """Several codes in one cell, separated by commas or semicolons, each as `coded` reads it."""
    one = coded(table)

    def parse(value: Any) -> list[str]:
        return [one(part) for part in code_list(value)]

    return parse


def code_list(value: Any) -> list[str]:
    cleaned = text(value)
    return (
        [part.strip() for part in cleaned.replace(";", ",").split(",") if part.strip()]
        if cleaned
        else []
    )


@dataclass(frozen=True)
class Column:
    """A sheet's column: its key in the API's terms, the Vietnamese header people type, how a
    cell is read, and whether the sheet must have it."""

    key: str
    header: str
    parse: Parser = text
    required: bool = False
