"""The underlag PDF read back with poppler (pdftotext, pdfinfo), not mocked."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from po_desk.domain import categories
from po_desk.services import store_lifecycle
from tests.conftest import PASSPHRASE

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils not installed"
)
FRAN, TILL = date(2025, 1, 1), date(2025, 6, 30)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PO_DESK_PASSPHRASE": PASSPHRASE,
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "po_desk", *args],
        capture_output=True, text=True, env=env, timeout=300, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def text_of(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


@needs_poppler
def test_cli_underlag_shows_the_per_aktor_counts_the_store_holds(tmp_path: Path) -> None:
    db = tmp_path / "demo.podesk"
    made = run_cli("demo", "--db", str(db), "--uppdrag", "1200", "--years", "4", "--seed", "3")
    assert made.returncode == 0, made.stderr
    out = tmp_path / "u.pdf"
    result = run_cli(
        "export", "underlag", "--from", FRAN.isoformat(), "--to", TILL.isoformat(),
        "--out", str(out), "--db", str(db),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 4
    text = text_of(out)

    # The same counts, computed here straight from the store.
    workspace = store_lifecycle.open_store(db, passphrase=PASSPHRASE)
    try:
        in_period = [a for a in workspace.avvikelser.all() if FRAN <= a.datum <= TILL]
        koder = [u.kod for u in workspace.uppdrag.all()]
    finally:
        workspace.session.close()
    per_aktor = Counter(a.aktor for a in in_period)
    assert per_aktor, "the demo store should hold avvikelser in the period"
    for aktor, count in per_aktor.items():
        name = categories.name_of(categories.AKTORER, aktor)
        line = next(line for line in text.splitlines() if line.strip().startswith(name))
        # The external version (the default): 1–2 hidden as "<3" (or "x" where "<3" could
        # be worked out), larger counts printed or hidden as "x" (secondary suppression).
        assert line.split()[-1] in (("<3", "x") if count < 3 else (str(count), "x")), line
    total_line = next(line for line in text.splitlines() if "Hela verksamheten" in line)
    assert total_line.split()[-1] == str(len(in_period))
    assert "Underlag till ledningsgruppen" in text and "Sida 1 av" in text
    assert ("Försäkringskassan" in text and "Överförmyndarnämnden" in text) or "å" in text
    assert not any(kod in text for kod in koder)


@needs_poppler
def test_bad_period_writes_nothing(tmp_path: Path, workspace, store_path: Path) -> None:
    workspace.session.close()
    out = tmp_path / "u.pdf"
    result = run_cli(
        "export", "underlag", "--from", "2025-06-01", "--to", "2025-01-01",
        "--out", str(out), "--db", str(store_path),
    )  # fmt: skip
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0 and "Periodens" in result.stderr
    assert not out.exists()
    bad_date = run_cli(
        "export", "underlag", "--from", "2025-13-01", "--to", "2025-01-01",
        "--out", str(out), "--db", str(store_path),
    )  # fmt: skip
    assert bad_date.returncode != 0 and not out.exists()
