""" "Today" is Vietnam's date, not the server's."""

from datetime import UTC, date, datetime, timedelta, timezone

from shared.dates import day_in_vietnam, today_in_vietnam


def test_the_day_turns_at_midnight_in_vietnam_not_in_utc() -> None:
    assert day_in_vietnam(datetime(2026, 1, 1, 16, 59, tzinfo=UTC)) == date(2026, 1, 1)
    assert day_in_vietnam(datetime(2026, 1, 1, 17, 0, tzinfo=UTC)) == date(2026, 1, 2)
    # A server somewhere west of Greenwich is further behind still.
    new_york = timezone(timedelta(hours=-5))
    assert day_in_vietnam(datetime(2026, 1, 1, 12, 0, tzinfo=new_york)) == date(2026, 1, 2)


def test_today_is_the_date_in_vietnam_now() -> None:
    before = datetime.now(UTC)
    today = today_in_vietnam()
    after = datetime.now(UTC)
    assert today in {day_in_vietnam(before), day_in_vietnam(after)}
