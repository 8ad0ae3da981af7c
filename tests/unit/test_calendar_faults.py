"""Clock and calendar faults: each gives a correct date or one clearly flagged provisional."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from kiosk.domain.request import CHINA_TZ, RequestError
from kiosk.domain.services import ClassificationService
from kiosk.engine.checker import LoadedData
from kiosk.engine.durable_classifier import DurableClassifier

GREY_ZONE = {"description": "新业态，法规不明确", "legal_basis": "unclear"}  # 5 working days


def service(demo: LoadedData, now: datetime) -> ClassificationService:
    """The real classification service with a clock stuck at `now`."""
    return ClassificationService(
        demo.catalogue, DurableClassifier(demo.ruleset), demo.calendar, clock=lambda: now
    )


def decide(demo: LoadedData, now: datetime, **request: Any) -> dict[str, Any]:
    """The decision for a grey-zone request (which has a reply deadline)."""
    return dict(service(demo, now).classify({**GREY_ZONE, **request}).decision)


NOW = datetime(2026, 11, 27, 10, 30, tzinfo=CHINA_TZ)


def test_missing_calendar_year_gives_a_provisional_date(demo: LoadedData) -> None:
    """2028 is not in rules/calendar.yaml: weekends only, and the date is flagged provisional."""
    assert 2028 not in demo.calendar.years
    decision = decide(demo, NOW, received_at="2028-03-01T10:00:00+08:00")  # a Wednesday
    assert decision["outcome"] == "grey_zone"
    assert decision["counting_starts"] == "2028-03-02"
    assert decision["reply_due"] == "2028-03-08"  # Thu, Fri, Mon, Tue, Wed
    assert decision["reply_due_provisional"] is True


def test_official_year_gives_a_firm_date(demo: LoadedData) -> None:
    """The control: a deadline wholly inside official 2026 is not provisional."""
    decision = decide(demo, NOW, received_at="2026-11-27T10:30:00+08:00")
    assert decision["reply_due"] == "2026-12-04"
    assert decision["reply_due_provisional"] is False


def test_last_second_before_national_day_counts_from_after_the_holiday(demo: LoadedData) -> None:
    """23:59:59 on 2026-09-30 is after the cut-off; 10-01..10-07 are holidays.

    The request counts as received on 10-08 (report that day); day 1 is 10-09 and the
    make-up working Saturday 10-10 is day 2.
    """
    decision = decide(demo, NOW, received_at="2026-09-30T23:59:59+08:00")
    assert decision["report_by"] == "2026-10-08"
    assert decision["counting_starts"] == "2026-10-09"
    assert decision["reply_due"] == "2026-10-14"  # 10-09, 10-10 (调休), 10-12, 10-13, 10-14
    assert decision["reply_due_provisional"] is False


def test_the_same_request_just_before_the_cutoff_counts_from_the_holiday_end(
    demo: LoadedData,
) -> None:
    """17:30 sharp on 2026-09-30 is still that day's receipt: day 1 is 10-08."""
    decision = decide(demo, NOW, received_at="2026-09-30T17:30:00+08:00")
    assert decision["report_by"] == "2026-09-30"
    assert decision["counting_starts"] == "2026-10-08"


def test_other_timezone_is_converted_to_china_time(demo: LoadedData) -> None:
    """15:59:59Z on 09-30 is 23:59:59 in China: after the cut-off, as above."""
    decision = decide(demo, NOW, received_at="2026-09-30T15:59:59+00:00")
    assert decision["counting_starts"] == "2026-10-09"


def test_clock_set_to_the_past_still_gives_a_flagged_date(demo: LoadedData) -> None:
    """A kiosk clock stuck in 2019 (not in the calendar): a date, marked provisional."""
    assert 2019 not in demo.calendar.years
    decision = decide(demo, datetime(2019, 6, 3, 9, 0, tzinfo=CHINA_TZ))  # a Monday
    assert decision["counting_starts"] == "2019-06-04"
    assert decision["reply_due"] == "2019-06-10"
    assert decision["reply_due_provisional"] is True


def test_late_december_is_provisional_until_next_year_is_official(demo: LoadedData) -> None:
    """From 12-20 on, the next year's notice may still move days: 2027 is only provisional."""
    decision = decide(demo, NOW, received_at="2026-12-28T10:00:00+08:00")
    assert date.fromisoformat(decision["reply_due"]).year == 2027
    assert decision["reply_due_provisional"] is True


def test_far_future_within_range_is_provisional(demo: LoadedData) -> None:
    """2099 has no calendar: a weekend-only count, flagged provisional."""
    decision = decide(demo, NOW, received_at="2099-12-31T16:00:00+08:00")  # a Thursday
    assert decision["reply_due"] == "2100-01-07"
    assert decision["reply_due_provisional"] is True


@pytest.mark.parametrize(
    "received_at", ["9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00-12:00", "1999-12-31T23:00"]
)
def test_received_at_beyond_the_countable_years_is_refused(
    demo: LoadedData, received_at: str
) -> None:
    """Years no calendar can hold are refused with a one-line RequestError, never a crash."""
    with pytest.raises(RequestError, match="received_at"):
        decide(demo, NOW, received_at=received_at)
