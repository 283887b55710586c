"""One writer per store: a second instance is refused with who and since; a crashed
holder leaves no stale lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from po_desk.domain.errors import StoreLocked
from po_desk.services import store_lifecycle
from po_desk.store.writer_lock import location_warning
from tests.conftest import PASSPHRASE

HOLDER = textwrap.dedent(
    """
    import sys, time
    from po_desk.services import store_lifecycle
    workspace = store_lifecycle.open_store(sys.argv[1], passphrase=sys.argv[2])
    print("open", flush=True)
    time.sleep(60)
    """
)


def test_second_instance_in_the_same_process_is_refused(workspace, store_path: Path) -> None:
    with pytest.raises(StoreLocked, match=r"används redan av .* sedan"):
        store_lifecycle.open_store(store_path, passphrase=PASSPHRASE)
    workspace.session.close()
    store_lifecycle.open_store(store_path, passphrase=PASSPHRASE).session.close()


def test_second_process_is_refused_and_a_killed_holder_leaves_no_lock(
    workspace, store_path: Path
) -> None:
    workspace.session.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(store_path), PASSPHRASE],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "open"
        env = {**os.environ, "PO_DESK_PASSPHRASE": PASSPHRASE,
               "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}  # fmt: skip
        refused = subprocess.run(
            [sys.executable, "-m", "po_desk", "check", "--db", str(store_path)],
            capture_output=True, text=True, env=env, timeout=60,
        )  # fmt: skip
        assert refused.returncode == 7
        assert refused.stderr.count("\n") == 1 and "används redan av" in refused.stderr
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
    time.sleep(0.1)
    reopened = store_lifecycle.open_store(store_path, passphrase=PASSPHRASE)
    assert reopened.session.check() == []
    reopened.session.close()


def test_sync_folders_and_shares_get_a_warning(tmp_path: Path) -> None:
    assert location_warning(tmp_path / "OneDrive - Kommunen" / "po" / "r.podesk")
    assert location_warning(tmp_path / "Dropbox" / "r.podesk")
    assert location_warning(tmp_path / "Dokument" / "r.podesk") is None
