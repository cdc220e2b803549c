"""The disclosure rules on their own: which numbers a report may publish."""

from datetime import date

import pytest

from services.reporting.disclosure.rules import Cell, Population, disclose

YEAR = (date(2024, 12, 15), date(2025, 12, 14))
HALF = (date(2024, 12, 15), date(2025, 6, 14))
NEXT_YEAR = (date(2025, 12, 15), date(2026, 12, 14))
FORMER = frozenset({"10525", "10507"})


def cell(
    n: int | None,
    d: int | None,
    *,
    window: tuple[date, date] = YEAR,
    wards: frozenset[str] | None = None,
    group: str | None = None,
    indicator: str = "I05",
    people: bool = True,
) -> Cell:
    population = Population(indicator, group, *window, province_code="31", wards=wards)
    return Cell(population, n, d, about_people=people)


@pytest.mark.parametrize(
    ("n", "d", "withheld"),
    [
        (0, 0, set()),
        (0, 9, set()),
        (3, 9, {"numerator", "value", "met"}),
        (6, 8, {"numerator", "value", "met"}),  # 2 left unserved
        (6, 3, {"numerator", "denominator", "value", "met"}),
        (6, 11, set()),
        (None, None, set()),
    ],
)
def test_primary_suppression(n: int | None, d: int | None, withheld: set[str]) -> None:
    assert disclose([cell(n, d)], [])[0].withheld == withheld


def test_counts_of_facilities_are_not_suppressed() -> None:
    assert disclose([cell(2, 3, people=False)], [])[0].withheld == set()


def test_a_nested_territory_published_before_withholds_a_small_difference() -> None:
    published = [cell(6, 40, wards=FORMER)]
    province = disclose([cell(8, 45)], published)[0]
    assert province.withheld == {"numerator", "value", "met"}


def test_a_large_difference_or_an_unrelated_count_withholds_nothing() -> None:
    published = [
        cell(6, 40, wards=FORMER),
        cell(9, 41, window=NEXT_YEAR),  # another year: no difference is a cell
        cell(7, 42, indicator="I04"),  # another indicator
    ]
    assert disclose([cell(20, 60)], published)[0].withheld == set()


def test_a_withheld_number_published_before_is_not_compared() -> None:
    published = [cell(6, 40, wards=FORMER)]
    published[0].withheld |= {"numerator"}
    assert disclose([cell(8, 45)], published)[0].withheld == set()


def test_windows_and_groups_nest_too() -> None:
    half, group = cell(10, 30, window=HALF), cell(11, 30, group="communes_and_sector")
    assert disclose([cell(13, 30)], [half])[0].withheld == {"numerator", "value", "met"}
    assert disclose([cell(13, 30)], [group])[0].withheld == {"numerator", "value", "met"}


def test_two_cells_of_one_report_that_difference_lose_only_one() -> None:
    first, second = disclose([cell(10, 30, window=HALF), cell(12, 30)], [])
    assert first.withheld == {"numerator", "value", "met"}
    assert second.withheld == set()
