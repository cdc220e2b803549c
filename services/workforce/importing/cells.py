"""Turning spreadsheet cells into values: dates as dd/mm/yyyy or ISO, yes/no in Vietnamese,
codes given either as codes or as their Vietnamese labels."""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from shared.labels import Code
from shared.text import search_key

Parser = Callable[[Any], Any]

_YES = {"co", "x", "yes", "true", "1", "dung"}
_NO = {"khong", "no", "false", "0", "sai"}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    cleaned = str(value).strip()
    return cleaned or None


def digits_text(value: Any) -> str | None:
    """IDs and phones: spreadsheets drop leading zeros from numbers, so keep them as text."""
    cleaned = text(value)
    return cleaned.replace(" ", "").replace(".", "") if cleaned else None


def a_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    cleaned = text(value)
    if cleaned is None:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(cleaned, pattern).date()
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

    def parse(value: Any) -> str | None:
        cleaned = text(value)
        if cleaned is None:
            return None
        code = lookup.get(search_key(cleaned))
        if code is None:
            raise ValueError(f"'{cleaned}' is not a known value")
        return code

    return parse


def code_list(value: Any) -> list[str]:
    cleaned = text(value)
    return (
        [part.strip() for part in cleaned.replace(";", ",").split(",") if part.strip()]
        if cleaned
        else []
    )
