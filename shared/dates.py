"""Dates and instants as clients must write them: ISO 8601 text, and nothing else.

Pydantic's lax mode reads 1700000000, "1700000000" and 1.7e9 as seconds since 1970, and
"2025-01-01T00:00" as a date: a client sending those has made a mistake that would be stored
as a wrong date. In JSON bodies and query strings a date is `YYYY-MM-DD`, an instant
`YYYY-MM-DDTHH:MM[:SS[.ffffff]]` with its offset (`Z` or `+07:00`). A `date` or an aware
`datetime` object passes as it is: only our own code makes one (spreadsheet imports, rows
read back into a model), never a client.
"""

import re
from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, BeforeValidator
from pydantic_core import PydanticCustomError

from shared import clock

# Vietnam's calendar decides what "today" is, for an age, a deadline or an overdue visit: a
# server on UTC is still on yesterday until 07:00 in Hà Nội.
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def day_in_vietnam(instant: datetime) -> date:
    return instant.astimezone(VIETNAM).date()


def today_in_vietnam() -> date:
    """Today's date in Vietnam, whatever the server's time zone: the one "today" of the code."""
    return day_in_vietnam(clock.now())


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INSTANT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})"
)


def iso_day(value: Any) -> Any:
    """Let through what may become a date: a date object, or text shaped YYYY-MM-DD (whether
    that day exists, pydantic then says)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DAY.fullmatch(value):
        return value
    raise PydanticCustomError("date_format", "Input should be a date written YYYY-MM-DD")


def iso_instant(value: Any) -> Any:
    """Let through what may become an aware datetime: one already, or ISO 8601 text with an
    offset."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and _INSTANT.fullmatch(value):
        return value
    raise PydanticCustomError(
        "datetime_format",
        "Input should be a date and time written YYYY-MM-DDTHH:MM:SS with an offset (Z or +07:00)",
    )


# A calendar date from a client: `YYYY-MM-DD` only.
Day = Annotated[date, BeforeValidator(iso_day)]
# A point in time from a client: ISO 8601 with its offset only.
Instant = Annotated[AwareDatetime, BeforeValidator(iso_instant)]
