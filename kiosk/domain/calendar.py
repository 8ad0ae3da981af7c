"""Working days: holidays, make-up working days and reply deadlines (DESIGN §3.3)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class CalendarYear:
    """One year's State Council arrangement, or a provisional guess from the statutory days."""

    year: int
    status: str  # official | provisional
    source: str
    holidays: Mapping[date, str] = field(default_factory=dict)  # day -> holiday name
    workdays: frozenset[date] = frozenset()  # make-up working days (调休上班日)

    @property
    def official(self) -> bool:
        """True when the dates come from the State Council notice."""
        return self.status == "official"


@dataclass(frozen=True)
class Deadline:
    """A reply deadline counted in working days."""

    received_on: date  # the calendar day of receipt
    effective_receipt: date  # the working day the request counts as received
    counting_starts: date  # day 1 of the count
    due: date
    working_days: int
    provisional: bool  # True when any day counted lies in a year without official data


class WorkingCalendar:
    """Answers whether a day is a working day and counts deadlines.

    Counting follows 《民法典》第二百零一条: the day of receipt is not counted. A request
    received on a non-working day or after the cut-off counts as received on the next
    working day; day 1 is the working day after that; the due date is day N.
    """

    def __init__(
        self,
        years: Mapping[int, CalendarYear],
        next_year_may_change_from: tuple[int, int] = (12, 20),
    ) -> None:
        """Build a calendar.

        Args:
            years: the known years.
            next_year_may_change_from: (month, day) from which dates of a year can still be
                changed by the next year's notice while that notice is not entered.
        """
        self._years = dict(years)
        self._late_december = next_year_may_change_from

    @property
    def years(self) -> Mapping[int, CalendarYear]:
        """The known years."""
        return self._years

    def is_working_day(self, day: date) -> bool:
        """True for weekdays that are not holidays and for make-up working days."""
        year = self._years.get(day.year)
        if year is not None:
            if day in year.workdays:
                return True
            if day in year.holidays:
                return False
        return day.weekday() < 5

    def is_official(self, day: date) -> bool:
        """True when the day's status comes from an official notice and cannot change."""
        year = self._years.get(day.year)
        if year is None or not year.official:
            return False
        if (day.month, day.day) >= self._late_december:
            following = self._years.get(day.year + 1)
            return following is not None and following.official
        return True

    def describe(self, day: date) -> str:
        """`2026-02-28（星期六，调休上班日）` style text for receipts and screens."""
        year = self._years.get(day.year)
        kind = ""
        if year is not None and day in year.workdays:
            kind = "，调休上班日"
        elif year is not None and day in year.holidays:
            kind = f"，{year.holidays[day]}"
        return f"{day.isoformat()}（星期{WEEKDAYS[day.weekday()]}{kind}）"

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def effective_receipt(self, received_at: datetime, cutoff: time) -> date:
        """The working day a request counts as received on."""
        day = received_at.date()
        if self.is_working_day(day) and received_at.time() <= cutoff:
            return day
        return self.next_working_day(day)

    def deadline(self, received_at: datetime, working_days: int, cutoff: time) -> Deadline:
        """Count `working_days` working days from a receipt time.

        Args:
            received_at: when the request was received (local time of the centre).
            working_days: the period, at least 1.
            cutoff: requests after this time of day count from the next working day.

        Returns:
            The deadline with its counting start and whether it is provisional.
        """
        if working_days < 1:
            raise ValueError("working_days must be at least 1")
        effective = self.effective_receipt(received_at, cutoff)
        start = self.next_working_day(effective)
        due = start
        for _ in range(working_days - 1):
            due = self.next_working_day(due)
        span = (
            received_at.date() + timedelta(days=n)
            for n in range((due - received_at.date()).days + 1)
        )
        provisional = not all(self.is_official(d) for d in span)
        return Deadline(
            received_on=received_at.date(),
            effective_receipt=effective,
            counting_starts=start,
            due=due,
            working_days=working_days,
            provisional=provisional,
        )


def calendar_from_dict(data: Mapping[str, object]) -> WorkingCalendar:
    """Build a calendar from parsed `rules/calendar.yaml` data (already schema-checked)."""
    years: dict[int, CalendarYear] = {}
    for key, raw in dict(data.get("years") or {}).items():  # type: ignore[call-overload]
        year = int(key)
        holidays: dict[date, str] = {}
        for period in raw.get("holidays") or []:
            first, last = _as_date(period["from"]), _as_date(period.get("to", period["from"]))
            day = first
            while day <= last:
                holidays[day] = str(period["name"])
                day += timedelta(days=1)
        workdays = frozenset(_as_date(d) for d in raw.get("workdays") or [])
        years[year] = CalendarYear(
            year=year,
            status=str(raw.get("status", "provisional")),
            source=str(raw.get("source", "")),
            holidays=holidays,
            workdays=workdays,
        )
    month, mday = (int(p) for p in str(data.get("next_year_may_change_from", "12-20")).split("-"))
    return WorkingCalendar(years, (month, mday))


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
