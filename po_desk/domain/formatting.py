"""Swedish number formatting: thin groups of three with a space, decimal comma."""

from __future__ import annotations


def number(value: int | float, decimals: int = 0) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",")
