"""Truncated, bit-flipped, random and newer-version stores: one clear line and a non-zero
exit from the CLI, a Swedish message in the GUI, and the files byte-identical afterwards."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE


def damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "truncated":
        path.write_bytes(bytes(data[: len(data) // 3]))
    elif how == "bitflip_header":
        data[40] ^= 0x01
        path.write_bytes(bytes(data))
    elif how == "bitflip_page":
        rng = random.Random(3)
        for _ in range(8):
            data[rng.randrange(4096, len(data))] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(data))
    elif how == "random":
        path.write_bytes(random.Random(4).randbytes(len(data)))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def filled(demo_store_path: Path) -> Path:
    """A copy of the run's demo store (300 uppdrag), closed, to be damaged."""
    return demo_store_path


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PO_DESK_PASSPHRASE": PASSPHRASE,
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}  # fmt: skip
    return subprocess.run([sys.executable, "-m", "po_desk", *args], capture_output=True,
                          text=True, env=env, timeout=120)  # fmt: skip


UNREADABLE = "kan inte läsas: filen är skadad"
# What each damage must be recognised as: a store that does not open, or one whose
# integrity check fails. The CLI's catch-all also gives one line and a non-zero exit, so
# the exit code (4, a damaged store) and the message are what prove the detection.
# A cut that is not a whole number of pages is named as such before SQLite reads it.
EXPECTED: dict[str, tuple[str, ...]] = {
    "truncated": (UNREADABLE, "är avkortat eller skadat"),
    "bitflip_header": (UNREADABLE,),
    "bitflip_page": ("Registret är skadat",),
    "random": (UNREADABLE,),
}


@pytest.mark.parametrize("how", sorted(EXPECTED))
def test_damaged_store_cli_one_line_and_untouched(filled: Path, how: str) -> None:
    damage(filled, how)
    before = snapshot(filled.parent)
    result = cli("check", "--db", str(filled))
    assert result.returncode == 4, result.stderr
    assert any(message in result.stderr for message in EXPECTED[how]), result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("po-desk: ")
    assert "Traceback" not in result.stderr
    assert snapshot(filled.parent) == before


def test_newer_store_cli_and_untouched(created, store_path: Path) -> None:
    with created.workspace._store.transaction() as session:
        session.connection().exec_driver_sql("UPDATE alembic_version SET version_num = '0999'")
    created.workspace.session.close()
    before = snapshot(store_path.parent)
    result = cli("check", "--db", str(store_path))
    assert result.returncode == 4 and "nyare version" in result.stderr
    assert snapshot(store_path.parent) == before


def test_missing_key_file(filled: Path) -> None:
    Path(f"{filled}.keys").unlink()
    result = cli("check", "--db", str(filled))
    assert result.returncode == 3 and "Nyckelfilen" in result.stderr


@pytest.mark.gui
@pytest.mark.parametrize("how", ["truncated", "random"])
def test_gui_shows_the_message(qtbot, filled: Path, how: str) -> None:
    from po_desk.ui.unlock_dialog import UnlockDialog

    damage(filled, how)
    before = snapshot(filled.parent)
    dialog = UnlockDialog(filled)
    qtbot.addWidget(dialog)
    dialog.passphrase.setText(PASSPHRASE)
    dialog.unlock()
    qtbot.waitUntil(lambda: bool(dialog.error.text()), timeout=10000)
    assert "skadat" in dialog.error.text() or "kan inte läsas" in dialog.error.text()
    assert dialog.workspace is None
    assert dialog.restore_button.isVisibleTo(dialog)  # the way out is offered
    assert snapshot(filled.parent) == before


@pytest.mark.parametrize(
    ("cut", "message"), [(0, "är tomt (0 byte)"), (4096 * 3 + 100, "är avkortat eller skadat")]
)
def test_an_emptied_or_cut_store_is_named_so_before_sqlite_reads_it(
    filled: Path, cut: int, message: str
) -> None:
    """The size check's own message (other layers would also refuse such a file, so the
    wording is what shows that this check ran)."""
    filled.write_bytes(filled.read_bytes()[:cut])
    before = snapshot(filled.parent)
    result = cli("check", "--db", str(filled))
    assert result.returncode == 4 and message in result.stderr, result.stderr
    assert snapshot(filled.parent) == before
