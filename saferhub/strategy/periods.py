"""Reporting periods: months, financial quarters and financial years (April to March).

A period is stored as its first day plus the measure's period type. Codes are
what people type in uploads: "2023-04" (April 2023), "2023/24-Q1" (April to
June 2023), "2023/24" (April 2023 to March 2024).
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Self

from django.db import models


class PeriodType(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    YEARLY = "yearly", "Yearly"


_MONTHS = {PeriodType.MONTHLY: 1, PeriodType.QUARTERLY: 3, PeriodType.YEARLY: 12}
_MONTH_CODE = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER_CODE = re.compile(r"^(\d{4})/(\d{2})-Q([1-4])$")
_YEAR_CODE = re.compile(r"^(\d{4})/(\d{2})$")
EXAMPLE_CODES = {
    PeriodType.MONTHLY: "2023-04",
    PeriodType.QUARTERLY: "2023/24-Q1",
    PeriodType.YEARLY: "2023/24",
}


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def financial_year_start(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


@dataclass(frozen=True, order=True)
class Period:
    start: date
    type: str

    @classmethod
    def containing(cls, day: date, period_type: str) -> Self:
        if period_type == PeriodType.MONTHLY:
            return cls(date(day.year, day.month, 1), period_type)
        months_into_year = (day.month - 4) % 12
        step = _MONTHS[period_type]
        start = _add_months(date(financial_year_start(day), 4, 1), months_into_year // step * step)
        return cls(start, period_type)

    @classmethod
    def parse(cls, code: str, period_type: str) -> Self:
        """The period a code names; ValueError with the expected form if it is not one."""
        text = code.strip()
        example = EXAMPLE_CODES[period_type]
        if period_type == PeriodType.MONTHLY and (match := _MONTH_CODE.match(text)):
            year, month = int(match[1]), int(match[2])
            if 1 <= month <= 12:
                return cls(date(year, month, 1), period_type)
        elif period_type == PeriodType.QUARTERLY and (match := _QUARTER_CODE.match(text)):
            year = int(match[1])
            if int(match[2]) == (year + 1) % 100:
                return cls(_add_months(date(year, 4, 1), 3 * (int(match[3]) - 1)), period_type)
        elif period_type == PeriodType.YEARLY and (match := _YEAR_CODE.match(text)):
            year = int(match[1])
            if int(match[2]) == (year + 1) % 100:
                return cls(date(year, 4, 1), period_type)
        raise ValueError(f"'{code}' is not a {period_type} period: write it like {example}")

    @property
    def end(self) -> date:
        """The last day of the period."""
        return _add_months(self.start, _MONTHS[self.type]) - timedelta(days=1)

    @property
    def code(self) -> str:
        fy = financial_year_start(self.start)
        if self.type == PeriodType.MONTHLY:
            return f"{self.start:%Y-%m}"
        if self.type == PeriodType.QUARTERLY:
            return f"{fy}/{(fy + 1) % 100:02d}-Q{(self.start.month - 4) % 12 // 3 + 1}"
        return f"{fy}/{(fy + 1) % 100:02d}"

    @property
    def code_slug(self) -> str:
        """The code made safe for a URL path: 2023-24-q1."""
        return self.code.replace("/", "-").lower()

    @classmethod
    def from_slug(cls, slug: str, period_type: str) -> Self:
        text = slug.upper()
        if period_type != PeriodType.MONTHLY and len(text) >= 7 and text[4] == "-":
            text = text[:4] + "/" + text[5:]
        return cls.parse(text, period_type)

    @property
    def label(self) -> str:
        if self.type == PeriodType.MONTHLY:
            return f"{self.start:%B %Y}"
        if self.type == PeriodType.QUARTERLY:
            return f"{self.start:%b}–{self.end:%b %Y}"
        return f"April {self.start.year} to March {self.start.year + 1}"

    def shifted(self, periods: int) -> Self:
        return type(self)(_add_months(self.start, periods * _MONTHS[self.type]), self.type)

    def year_before(self) -> Self:
        return type(self)(_add_months(self.start, -12), self.type)

    def periods_between(self, last: Self) -> list[Self]:
        """This period and every one after it up to `last`, inclusive."""
        result, current = [], self
        while current <= last:
            result.append(current)
            current = current.shifted(1)
        return result
