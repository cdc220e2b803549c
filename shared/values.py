"""Values clients send to more than one service, declared once so that the same thing has
the same rule everywhere: a person's full name, a national ID, a phone number, a 2025 ward
code and a commune before 2025, a day that has already come, the id a client chose for a
record it made offline."""

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator, Field

from shared.admin_units import legacy_communes, units_2025
from shared.dates import Day, today_in_vietnam

FullName = Annotated[str, Field(min_length=1, max_length=200)]
NationalId = Annotated[str, Field(pattern=r"^\d{12}$", description="CCCD: 12 digits")]
Phone = Annotated[str, Field(pattern=r"^(0|\+84)\d{9,10}$", description="Vietnamese phone")]
# Its shape only: whether the ward exists (and lies in the record's province) each service
# checks where it knows the province.
WardCode = Annotated[str, Field(pattern=r"^\d{5}$", description="2025 scheme")]
# A commune before 07/2025, where a 2025 ward took communes of two former provinces. Its
# shape only; each service says whose commune it is and checks it went into the ward.
LegacyWardCode = Annotated[str, Field(pattern=r"^\d{5}$")]


def known_ward(code: str) -> str:
    """The code of a ward of the 2025 scheme."""
    if code not in units_2025().wards:
        raise ValueError(f"unknown ward code '{code}' (2025 scheme)")
    return code


def known_legacy_commune(code: str) -> str:
    """The code of a commune as it was before 07/2025."""
    if code not in legacy_communes():
        raise ValueError(f"unknown legacy commune code '{code}' (before 07/2025)")
    return code


def _not_future(value: date) -> date:
    if value > today_in_vietnam():
        raise ValueError("must not be in the future")
    return value


# A day something happened: a birth, a visit, a service delivered. Vietnam's today at most.
PastDate = Annotated[Day, AfterValidator(_not_future)]


# A phone's clock may run a little fast; an id dated further ahead is not from a real clock.
CLIENT_ID_CLOCK_SLACK = timedelta(days=1)


def _uuid7(value: UUID) -> UUID:
    """A UUIDv7 (RFC 9562) whose time is not ahead of ours: time-ordered, as the server's
    own ids are, so a record made offline sorts where it was made."""
    if value.version != 7 or value.variant != "specified in RFC 4122":
        raise ValueError("must be a UUIDv7 (RFC 9562): version 7, RFC variant")
    # Compared as milliseconds: a forged time may lie beyond the years datetime can hold.
    latest = datetime.now(UTC) + CLIENT_ID_CLOCK_SLACK
    if value.int >> 80 > latest.timestamp() * 1000:
        raise ValueError("its time is ahead of ours: make it with this device's clock")
    return value


ClientId = Annotated[
    UUID,
    AfterValidator(_uuid7),
    Field(
        description="A UUIDv7 the client made for the record, so that it can link records "
        "it created offline before they reach the server; omit it and the server makes one. "
        "An id already taken answers 409 `id_taken`."
    ),
]


def left_out(**field: Any) -> Any:
    """The default of a field of a partial update that may be left out but not cleared (a
    person's name): its type does not take null, so null is a 422 and the document does not
    offer it. (Typed Any: the default is never validated, so the field's type stays exact.)"""
    return Field(default=None, **field)
