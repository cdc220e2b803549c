"""Small-count suppression for aggregates that leave a province.

A count of 1–4 people could identify someone, so it is withheld (primary suppression). When
a table also publishes its total, one withheld cell could be recovered by subtraction, so
the smallest other non-zero cell is withheld too (complementary suppression). Zero is
published: it identifies nobody.
"""

from collections.abc import Mapping
from typing import TypeVar

K = TypeVar("K")

THRESHOLD = 5


def is_small(count: int, threshold: int = THRESHOLD) -> bool:
    return 0 < count < threshold


def suppress_cells(
    counts: Mapping[K, int], *, total_published: bool, threshold: int = THRESHOLD
) -> set[K]:
    """The keys of the cells to withhold from one table (cells that add up to a total)."""
    withheld = {key for key, count in counts.items() if is_small(count, threshold)}
    if total_published and len(withheld) == 1:
        candidates = sorted(
            (count, str(key), key)
            for key, count in counts.items()
            if key not in withheld and count > 0
        )
        if candidates:
            withheld.add(candidates[0][2])
    return withheld


def suppress_table(
    counts: Mapping[K, int], total: int | None = None, threshold: int = THRESHOLD
) -> tuple[dict[K, int | None], int | None]:
    """Counts with withheld cells set to None, and the total (None if itself small)."""
    shown_total = None if total is None or is_small(total, threshold) else total
    withheld = suppress_cells(counts, total_published=shown_total is not None, threshold=threshold)
    if total is not None and shown_total is None:
        withheld = {key for key, count in counts.items() if count > 0}
    return {k: (None if k in withheld else v) for k, v in counts.items()}, shown_total
