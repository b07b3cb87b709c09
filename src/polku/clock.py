"""The one clock: what moment and what day it is for polku, in Finland's time.

Every "today" (the plan timeline's today line, what is overdue, the report's date) is the
day in Europe/Helsinki, whatever the machine's own time zone: the server runs in UTC, and
between midnight and 2 or 3 a.m. in Helsinki its ``date.today()`` is still yesterday (the
timeline said "tänään 4.12.2026" beside a report stamped "5.12.2026 klo 0.16"). Tests fix
the clock by replacing :func:`now`.

>>> from datetime import datetime, timezone
>>> day_in_finland(datetime(2026, 12, 4, 22, 16, tzinfo=timezone.utc)).isoformat()
'2026-12-05'
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

#: the time zone of every date polku shows or compares
HELSINKI = ZoneInfo("Europe/Helsinki")


def now() -> datetime:
    """This moment, time-zone aware (UTC)."""
    return datetime.now(timezone.utc)


def day_in_finland(moment: datetime) -> date:
    """The date in Helsinki at ``moment`` (an aware datetime)."""
    return moment.astimezone(HELSINKI).date()


def today() -> date:
    """Today's date in Finland."""
    return day_in_finland(now())
