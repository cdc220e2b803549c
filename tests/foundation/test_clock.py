"""The clock tests move instead of waiting: shared.clock, and what reads it."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from shared import clock
from shared.dates import day_in_vietnam, today_in_vietnam
from shared.db import utcnow
from shared.settings import ServiceSettings

DAY = timedelta(days=1)


@pytest.fixture
def offset_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "clock-offset"
    monkeypatch.setenv(clock.OFFSET_FILE_VARIABLE, str(path))
    return path


def _near(moved: datetime, expected: datetime) -> bool:
    return abs(moved - expected) < timedelta(seconds=5)


def test_without_the_variable_the_clock_is_the_real_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(clock.OFFSET_FILE_VARIABLE, raising=False)
    assert clock.offset() == timedelta()
    assert _near(clock.now(), datetime.now(UTC))


def test_a_missing_file_moves_nothing(offset_file: Path) -> None:
    assert clock.offset() == timedelta()


def test_every_timestamp_and_today_move_with_the_offset(offset_file: Path) -> None:
    clock.write_offset(offset_file, 3 * DAY)
    real = datetime.now(UTC)
    assert _near(clock.now(), real + 3 * DAY)
    assert _near(utcnow(), real + 3 * DAY)
    assert today_in_vietnam() == day_in_vietnam(real + 3 * DAY)


def test_a_replaced_file_is_read_again_at_once(offset_file: Path) -> None:
    clock.write_offset(offset_file, 2 * DAY)
    assert clock.offset() == 2 * DAY
    clock.write_offset(offset_file, 3 * DAY)  # the same size, within the same tick
    assert clock.offset() == 3 * DAY
    clock.write_offset(offset_file, timedelta())
    assert _near(clock.now(), datetime.now(UTC))


def test_a_file_that_is_not_seconds_fails_loudly(offset_file: Path) -> None:
    offset_file.write_text("tomorrow", encoding="utf-8")
    with pytest.raises(ValueError, match="seconds"):
        clock.now()


def test_production_refuses_to_start_on_a_moved_clock(offset_file: Path) -> None:
    assert ServiceSettings(environment="test").environment == "test"
    with pytest.raises(ValidationError, match="production runs on the real clock"):
        ServiceSettings(environment="production")
