"""Working days and deadlines against the official schedule and the worked examples."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.request import CHINA_TZ
from kiosk.engine.checker import LoadedData

CUTOFF = time(17, 30)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CHINA_TZ)


def test_every_day_of_2026_matches_the_state_council_schedule(demo: LoadedData) -> None:
    day = date(2026, 1, 1)
    while day.year == 2026:
        assert demo.calendar.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_every_day_of_2025_matches_the_state_council_schedule(demo: LoadedData) -> None:
    day = date(2025, 1, 1)
    while day.year == 2025:
        assert demo.calendar.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


@pytest.mark.parametrize(
    ("received", "days", "start", "due", "provisional"),
    [
        ("2026-09-30T10:00", 5, "2026-10-08", "2026-10-13", False),
        ("2026-09-30T10:00", 10, "2026-10-08", "2026-10-20", False),
        ("2026-09-30T18:00", 5, "2026-10-09", "2026-10-14", False),  # after the cut-off
        ("2026-02-13T09:00", 5, "2026-02-14", "2026-02-27", False),
        ("2026-02-14T09:00", 5, "2026-02-24", "2026-02-28", False),  # make-up Saturday
        ("2026-12-28T10:00", 10, "2026-12-29", "2027-01-12", True),  # into provisional 2027
        ("2026-11-28T10:00", 5, "2026-12-01", "2026-12-07", False),  # received on a Saturday
        ("2026-10-03T10:00", 5, "2026-10-09", "2026-10-14", False),  # received on a holiday
    ],
)
def test_worked_examples(
    demo: LoadedData, received: str, days: int, start: str, due: str, provisional: bool
) -> None:
    deadline = demo.calendar.deadline(at(received), days, CUTOFF)
    assert deadline.counting_starts.isoformat() == start
    assert deadline.due.isoformat() == due
    assert deadline.provisional is provisional


def test_a_make_up_saturday_is_described_as_such(demo: LoadedData) -> None:
    assert demo.calendar.describe(date(2026, 2, 28)) == "2026-02-28（星期六，调休上班日）"
    assert "国庆节" in demo.calendar.describe(date(2026, 10, 5))


def test_late_december_is_provisional_until_next_year_is_official(demo: LoadedData) -> None:
    assert demo.calendar.is_official(date(2026, 12, 1))
    assert not demo.calendar.is_official(date(2026, 12, 24))
    assert not demo.calendar.is_official(date(2027, 3, 1))
    assert not demo.calendar.is_official(date(2028, 3, 1))  # a year not in the file at all


def test_2027_statutory_days_are_holidays_but_weekends_still_count(demo: LoadedData) -> None:
    assert not demo.calendar.is_working_day(date(2027, 2, 8))
    assert not demo.calendar.is_working_day(date(2027, 10, 4))  # 补假 for a weekend holiday
    assert demo.calendar.is_working_day(date(2027, 3, 1))


@given(
    st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2026, 12, 1)),
    st.integers(min_value=1, max_value=20),
)
def test_due_date_is_the_nth_working_day_after_receipt(
    demo: LoadedData, moment: datetime, days: int
) -> None:
    calendar = demo.calendar
    received = moment.replace(tzinfo=CHINA_TZ)
    deadline = calendar.deadline(received, days, CUTOFF)
    assert deadline.counting_starts > received.date()
    assert calendar.is_working_day(deadline.counting_starts)
    assert calendar.is_working_day(deadline.due)
    counted = [
        deadline.counting_starts + timedelta(days=n)
        for n in range((deadline.due - deadline.counting_starts).days + 1)
    ]
    assert sum(calendar.is_working_day(d) for d in counted) == days
    # Cross-check the count itself with chinese_calendar (2025-2026 are official).
    if deadline.due.year <= 2026:
        assert all(chinese_calendar.is_workday(d) == calendar.is_working_day(d) for d in counted)
