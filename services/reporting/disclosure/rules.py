"""Which numbers of a report may leave its province: primary and complementary suppression.

A number leaves (is *published*) when a report is submitted: the ministry then reads it, in
JSON, CSV or DHIS2, and cannot be made to forget it. So the rules are checked once, when the
report is disclosed, against every number the province has published before:

1. Primary: a count of 1–4 people is withheld, since it could identify someone; with it
   whatever it could be recovered from (the value, `met`), and a numerator whose
   complement (denominator − numerator) is 1–4.
2. Complementary, by differencing: two counts of the same indicator whose populations are
   nested (one territory within the other, one window within the other, a facility group
   within all groups) must not differ by 1–4, or their difference singles out a few people:
   Hải Phòng minus the former Hải Dương, a year minus its first six months, a report minus
   its own earlier version. The number being disclosed is withheld, since the other one has
   already left. Pairs inside the report are checked the same way.

Zero is published (it identifies nobody), and counts of facilities are not about people.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

THRESHOLD = 5  # counts below it, other than zero, are small
MEASURES = ("denominator", "numerator")  # denominator first: withholding it takes the numerator
WITHHOLDS = {
    "denominator": {"denominator", "numerator", "value", "met"},
    "numerator": {"numerator", "value", "met"},
}


def is_small(count: int) -> bool:
    return 0 < count < THRESHOLD


@dataclass(frozen=True)
class Population:
    """Whom a count is about: an indicator's people in a territory, over a window."""

    indicator: str
    group: str | None  # None: every facility group
    start: date
    end: date
    province_code: str
    wards: frozenset[str] | None  # None: the whole province

    def contains(self, other: "Population") -> bool:
        return (
            self.indicator == other.indicator
            and self.province_code == other.province_code
            and (self.group is None or self.group == other.group)
            and self.start <= other.start
            and other.end <= self.end
            and (self.wards is None or (other.wards is not None and other.wards <= self.wards))
        )

    def nested_with(self, other: "Population") -> bool:
        return self.contains(other) or other.contains(self)


@dataclass
class Cell:
    """One target's counts, and which of its fields are withheld."""

    population: Population
    numerator: int | None
    denominator: int | None
    about_people: bool = True
    withheld: set[str] = field(default_factory=set)

    def shown(self, measure: str) -> int | None:
        return None if measure in self.withheld else getattr(self, measure)


def _primary(cell: Cell) -> None:
    n, d = cell.numerator, cell.denominator
    if d is not None and is_small(d):
        cell.withheld |= WITHHOLDS["denominator"]
    if n is not None and (is_small(n) or (d is not None and is_small(d - n))):
        cell.withheld |= WITHHOLDS["numerator"]


def _differenced(cell: Cell, measure: str, others: Iterable[Cell]) -> bool:
    mine = cell.shown(measure)
    if mine is None:
        return False
    for other in others:
        theirs = other.shown(measure)
        if (
            theirs is not None
            and cell.population.nested_with(other.population)
            and is_small(abs(mine - theirs))
        ):
            return True
    return False


def disclose(cells: list[Cell], published: list[Cell]) -> list[Cell]:
    """Mark what each cell withholds, given what the province has published already.

    Withholding only ever removes numbers, so the loop ends; when two cells of the report
    differ by a small count, the first is withheld and the second then stands alone."""
    about_people = [c for c in cells if c.about_people]
    for cell in about_people:
        _primary(cell)
    for measure in MEASURES:
        changed = True
        while changed:
            changed = False
            for cell in about_people:
                others = [*published, *(c for c in about_people if c is not cell)]
                if _differenced(cell, measure, others):
                    cell.withheld |= WITHHOLDS[measure]
                    changed = True
    return cells
