"""The guard's fold: the fast path for plain texts gives exactly what the full walk gives."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from po_desk.domain import guard_text

PLAIN = "abcdefghijklmnopqrstuvwxyzåäöÅÄÖéüÉ ABCXYZ0123456789-+@.,;:()/\n\r"


@given(st.text(alphabet=PLAIN, max_size=60))
def test_plain_texts_fold_the_same_on_the_fast_path(
    text: str,
) -> None:
    fast = guard_text.fold(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(guard_text, "_PLAIN", re.compile("(?!)"))  # never plain: the full walk
        slow = guard_text.fold(text)
    assert fast == slow


@pytest.mark.parametrize(
    "text", ["850101\u20131236", "070\u00a0123", "a\u00adb", "ｆ＠x.se", "x\tz"]
)
def test_texts_that_need_folding_take_the_full_walk(text: str) -> None:
    assert not guard_text._PLAIN.fullmatch(text)
    assert guard_text.fold(text).text != text


@given(
    st.one_of(
        st.sampled_from(
            [
                "Ring 070-123 45 67",
                "850101-1236 och Storgatan 4",
                "anna@example.se, 070 1234567",
                "Anna Svensson bor på Storgatan 4, 652 24 Karlstad",
                "kl 0830-1615",
                "",
            ]
        ),
        st.text(alphabet=PLAIN + "\u2013\u00a0\u200b＠", max_size=50),
    )
)
def test_scan_blocking_is_the_blocking_part_of_scan(text: str) -> None:
    from po_desk.domain import guard

    assert guard.scan_blocking(text) == guard.blocking(guard.scan(text))
