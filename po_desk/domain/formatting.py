"""Swedish number formatting: thin groups of three with a space, decimal comma."""

from __future__ import annotations


def number(value: int | float, decimals: int = 0) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",")


def days_text(value: float | None) -> str:
    """A number of days for display, or a dash when there is none."""
    return "–" if value is None else f"{number(value)} dagar"


DECIMALS = 2


def decimal(value: float, grouped: bool = True) -> str:
    """A decimal figure as every output shows it: always two decimals (8,25 stays 8,25;
    8,2 is 8,20); `grouped=False` for CSV cells that Excel reads as numbers."""
    if not grouped:
        return f"{value:.{DECIMALS}f}".replace(".", ",")
    return number(value, DECIMALS)
