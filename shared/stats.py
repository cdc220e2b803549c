"""Query parameters every /stats endpoint shares: who may ask, for which units, over which
dates. A province officer is held to its own province; the ministry and our own services
may ask about any."""

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends, Query

from shared.auth import Principal, Role, require_roles
from shared.errors import Forbidden, ValidationFailed, field_error
from shared.suppression import suppress_table

StatsCaller = Annotated[
    Principal, Depends(require_roles(Role.SERVICE, Role.PROVINCE_OFFICER, Role.MINISTRY))
]


@dataclass(frozen=True)
class UnitScope:
    province_code: str | None
    ward_codes: tuple[str, ...]


async def unit_scope(
    principal: StatsCaller,
    province: Annotated[str | None, Query(pattern=r"^\d{2}$", description="2025 scheme")] = None,
    ward: Annotated[
        list[str], Query(max_length=2000, description="Only these 2025 wards (repeatable)")
    ] = [],  # noqa: B006 - FastAPI copies defaults
) -> UnitScope:
    for code in ward:
        if len(code) != 5 or not code.isdigit():
            raise ValidationFailed(
                [field_error(["query", "ward"], f"'{code}' is not a ward code", "pattern")]
            )
    if not principal.has_role(Role.SERVICE, Role.MINISTRY):
        if province not in (None, principal.province_code):
            raise Forbidden("a province officer sees only its own province")
        province = principal.province_code
    return UnitScope(province, tuple(sorted(set(ward))))


@dataclass(frozen=True)
class DateWindow:
    start: date
    end: date


async def date_window(
    date_from: Annotated[date, Query(alias="from", description="First day of the window")],
    date_to: Annotated[date, Query(alias="to", description="Last day of the window")],
) -> DateWindow:
    if date_to < date_from:
        raise ValidationFailed(
            [field_error(["query", "to"], "must not be before from", "date_order")]
        )
    return DateWindow(date_from, date_to)


UnitScopeDep = Annotated[UnitScope, Depends(unit_scope)]
DateWindowDep = Annotated[DateWindow, Depends(date_window)]


def leaves_province(principal: Principal) -> bool:
    """Numbers for the ministry leave the province, so small counts about people are withheld."""
    return principal.has_role(Role.MINISTRY) and not principal.has_role(Role.SERVICE)


def withhold_small(
    principal: Principal, counts: dict[str, int]
) -> tuple[dict[str, int | None], bool]:
    if not leaves_province(principal):
        return dict(counts), False
    shown, _ = suppress_table(counts)
    return shown, any(v is None for v in shown.values())
