"""The demo's calendar, counted back from today so the company always looks current."""

import datetime
import functools
from dataclasses import dataclass

from django.utils import timezone

Date = datetime.date
DAY = datetime.timedelta(days=1)
# How far back the demo's history reaches; invoices are dated no earlier than this.
HISTORY_DAYS = 395


def at(day: Date, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment on `day` in the company's time zone, never later than now."""
    return min(_aware(day, hour, minute, timezone.get_current_timezone_name()), timezone.now())


@functools.lru_cache(maxsize=8192)
def _aware(day: Date, hour: int, minute: int, zone: str) -> datetime.datetime:
    # Cached: `--scale` asks for the same few thousand moments hundreds of thousands of times.
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def workday(day: Date) -> Date:
    """The day itself, or the Friday before when it falls on a weekend."""
    return day - (day.weekday() - 4) * DAY if day.weekday() > 4 else day


def next_workday(day: Date) -> Date:
    """The day itself, or the Monday after when it falls on a weekend."""
    return day + (7 - day.weekday()) * DAY if day.weekday() > 4 else day


def weekdays(first: Date, last: Date) -> list[Date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += DAY
    return days


@dataclass(frozen=True)
class Calendar:
    """Month-end billing on Mondays every four weeks; the office exports and processes on Fridays.

    The last Friday run was a week or two ago, so the latest billing sits in the Admin tab.
    """

    today: Date

    @property
    def first_day(self) -> Date:
        return self.today - HISTORY_DAYS * DAY

    @property
    def last_run(self) -> Date:
        anchor = self.today - 8 * DAY
        return anchor - ((anchor.weekday() - 4) % 7) * DAY

    @property
    def billing_day(self) -> Date:
        return self.last_run + 3 * DAY

    def cycles(self, *, twice_monthly: bool = False) -> list[Date]:
        """Billing days, oldest first: every four weeks, or every two for busy jobs."""
        step = 14 if twice_monthly else 28
        days, day = [], self.billing_day
        while day >= self.first_day + 14 * DAY:
            days.append(day)
            day -= step * DAY
        return days[::-1]

    def run_after(self, day: Date) -> Date | None:
        """The Friday run that exported and processed an invoice approved after `day`,
        or None when that run is still to come (the invoice is in the pipeline)."""
        if day + DAY > self.last_run:
            return None
        weeks = (self.last_run - (day + DAY)).days // 7
        return self.last_run - 7 * weeks * DAY

    def runs(self) -> list[Date]:
        days, day = [], self.last_run
        while day >= self.first_day:
            days.append(day)
            day -= 7 * DAY
        return days[::-1]
