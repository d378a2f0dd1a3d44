"""How figures are written for people and read back from what they type."""

import re
from decimal import Decimal, InvalidOperation

_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^[+-]?\.\d+$")


def shown(number: Decimal) -> str:
    """A figure to read: 1,234 rather than 1234.00, and 12.50 for money."""
    text = f"{number:,.2f}"
    return text[:-3] if text.endswith(".00") else text


def plain(number: Decimal) -> str:
    """A figure to edit or echo back: no separators, no trailing zeros (298, 12.5)."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def parse_number(text: str) -> Decimal | None:
    """A number as people type it ("1,234.5", "-3"), or None if it is not one."""
    text = text.strip()
    if not _NUMBER.match(text):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None
