"""A target date from the words a briefing uses, only where they give a definite one.

"31 March 2021" is a day; "January 2020" means by the end of January 2020;
"2021" by the end of 2021. Words that do not name a definite date ("later
this year", "ongoing", "spring 2021", "Q1 2021", "before March 2020") give
none: the tracker shows them as written and never guesses a date from them.
"""

from __future__ import annotations

import calendar
import datetime
import re
from typing import NamedTuple

from ..models.common import DatePrecision

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9

# Words that may come before a date without changing what it means as a deadline.
LEAD_IN = r"(?:(?:by|due|due by|target|deadline)\s*:?\s+)?(?:(?:the\s+)?end\s+of\s+)?"
MONTH = r"(?P<month>[a-z]+)\.?"
YEAR = r"(?P<year>(?:19|20)\d\d)"
DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
PATTERNS = [
    re.compile(rf"^{LEAD_IN}{DAY}\s+(?:of\s+)?{MONTH},?\s+{YEAR}$"),  # 31 March 2021, 31st of March 2021
    re.compile(rf"^{LEAD_IN}{MONTH}\s+{DAY},?\s+{YEAR}$"),  # March 31, 2021
    re.compile(rf"^{LEAD_IN}(?P<dday>\d{{1,2}})[/.](?P<dmonth>\d{{1,2}})[/.]{YEAR}$"),  # 31/03/2021 (UK order)
    re.compile(rf"^{LEAD_IN}{MONTH},?\s+{YEAR}$"),  # January 2020
    re.compile(rf"^{LEAD_IN}{YEAR}$"),  # 2021
]


class TargetDate(NamedTuple):
    """The last day the words allow, and how much of a date they gave."""

    date: datetime.date
    precision: str


def _last_day_of_month(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def target_date_from_words(words: str) -> TargetDate | None:
    """The deadline ``words`` give, or ``None`` when they give no definite one.

    A month or a year is a deadline at its end: work due "January 2020" is
    not late until February. Anything else in the words (a season, a quarter,
    "later this year", two dates, "ongoing") gives ``None``.
    """
    text = " ".join(words.lower().replace("\u00a0", " ").split()).rstrip(".;, ")
    for pattern in PATTERNS:
        match = pattern.match(text)
        if match is None:
            continue
        parts = match.groupdict()
        year = int(parts["year"])
        if parts.get("dday"):
            day, month = int(parts["dday"]), int(parts["dmonth"])
        else:
            month = MONTHS.get(parts["month"]) if parts.get("month") else None
            if parts.get("month") and month is None:
                continue  # "by 2022" read as a month named "by": another pattern reads it
            day = int(parts["day"]) if parts.get("day") else None
        try:
            if day is not None:
                return TargetDate(datetime.date(year, month, day), DatePrecision.DAY)
            if month is not None:
                return TargetDate(_last_day_of_month(year, month), DatePrecision.MONTH)
            return TargetDate(datetime.date(year, 12, 31), DatePrecision.YEAR)
        except ValueError:  # "31 February 2021": not a date, so none
            return None
    return None
