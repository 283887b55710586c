"""The guard's view of a free text: the spellings that Word, phones and careful typists
produce folded to one plain form before any pattern is matched.

Unicode NFKC (fullwidth `＠` and digits, ligatures), every dash class to `-`, every space
class to a plain space, other digit scripts to ASCII digits, and invisible characters
(zero-width space, soft hyphen, joiners, byte-order mark, direction marks) removed. Each
character of the folded text remembers where it came from, so a finding can point at the
text the user typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Dashes that are not in the Unicode dash class (Pd) but are typed as one.
_EXTRA_DASHES = frozenset("\u2212\u2796\u02d7\u2043\u2e3a\u2e3b")
# Invisible characters that are not format characters (Cf).
_EXTRA_INVISIBLE = frozenset("\u034f\u115f\u1160\u3164\uffa0")
# Printable ASCII, line breaks and the Latin-1 letters (å, ä, ö, é …): folding changes none
# of them, so most texts skip the character-by-character walk (a compilation scans
# hundreds of thousands of texts).
_PLAIN = re.compile("[\x20-\x7e\n\r\u00c0-\u00ff]*")


@dataclass(frozen=True)
class GuardText:
    text: str
    starts: tuple[int, ...]  # where folded character i begins in the typed text
    ends: tuple[int, ...]  # and where it ends

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The typed text's span for the folded span start:end (never empty)."""
        return self.starts[start], self.ends[max(start, end - 1)]


def _fold(char: str) -> str:
    category = unicodedata.category(char)
    if category == "Pd" or char in _EXTRA_DASHES:
        return "-"
    if category == "Zs" or char == "\t":
        return " "
    if category == "Nd" and not char.isascii():
        return str(unicodedata.digit(char))
    return char


def _invisible(char: str) -> bool:
    return unicodedata.category(char) == "Cf" or char in _EXTRA_INVISIBLE


def _clusters(text: str) -> list[tuple[int, str]]:
    """The text cut before each character that is not a combining mark, so that NFKC can
    compose a letter with its marks (a + ring above = å) while offsets stay exact."""
    clusters: list[tuple[int, str]] = []
    for index, char in enumerate(text):
        if clusters and unicodedata.category(char).startswith("M") and not _invisible(char):
            start, cluster = clusters[-1]
            clusters[-1] = (start, cluster + char)
        else:
            clusters.append((index, char))
    return clusters


def fold(text: str) -> GuardText:
    if _PLAIN.fullmatch(text):
        return GuardText(text, tuple(range(len(text))), tuple(range(1, len(text) + 1)))
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, cluster in _clusters(text):
        if _invisible(cluster[0]):
            continue
        for char in unicodedata.normalize("NFKC", cluster):
            if _invisible(char):
                continue
            for piece in _fold(char):
                chars.append(piece)
                starts.append(start)
                ends.append(start + len(cluster))
    return GuardText("".join(chars), tuple(starts), tuple(ends))
