"""Small-count suppression, including the complementary cell."""

from shared.suppression import suppress_table


def test_small_counts_are_withheld_and_zero_is_not() -> None:
    shown, total = suppress_table({"a": 3, "b": 0, "c": 40, "d": 12})
    assert shown == {"a": None, "b": 0, "c": 40, "d": 12}
    assert total is None


def test_a_lone_withheld_cell_takes_the_next_smallest_with_it_when_the_total_shows() -> None:
    shown, total = suppress_table({"a": 3, "b": 9, "c": 40}, total=52)
    assert total == 52
    assert shown == {"a": None, "b": None, "c": 40}


def test_two_withheld_cells_protect_each_other() -> None:
    shown, total = suppress_table({"a": 3, "b": 2, "c": 40}, total=45)
    assert shown == {"a": None, "b": None, "c": 40}
    assert total == 45


def test_a_small_total_withholds_every_cell() -> None:
    shown, total = suppress_table({"a": 3, "b": 1, "c": 0}, total=4)
    assert total is None
    assert shown == {"a": None, "b": None, "c": 0}


def test_nothing_is_withheld_when_every_count_is_large() -> None:
    shown, total = suppress_table({"a": 5, "b": 9}, total=14)
    assert shown == {"a": 5, "b": 9}
    assert total == 14
