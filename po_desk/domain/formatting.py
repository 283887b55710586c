"""Swedish number formatting: thin groups of three with a space, decimal comma."""

from __future__ import annotations


def number(value: int | float, decimals: int = 0) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",")


def days_text(value: float | None) -> str:
    """A number of days for display, or a dash when there is none."""
    return "–" if value is None else f"{number(value)} dagar"
