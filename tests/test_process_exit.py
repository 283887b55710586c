"""Issue 17 (`close_s`): the program leaves the process without Python's slow shutdown of
every module, after running the exit handlers and flushing its output; it takes the
normal way out while a thread Python would wait for is still running."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import PASSPHRASE

ROOT = Path(__file__).resolve().parents[1]

WITNESSES = """
import atexit, os, sys, threading, time
from po_desk.process_exit import leave

class Teardown:
    # Python's own shutdown destroys the module's objects; the quick exit does not.
    def __del__(self, write=os.write):
        write(1, b"teardown;")

witness = Teardown()
atexit.register(lambda: os.write(1, b"atexit;"))
print("buffered;", end="")  # still in the pipe's buffer when leave() is called
if sys.argv[1] == "thread":
    def late():
        time.sleep(0.3)
        os.write(1, b"thread done;")
    threading.Thread(target=late).start()
leave(3)
"""


def _child(mode: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-c", WITNESSES, mode],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def test_leave_runs_exit_handlers_and_flushes_but_skips_the_teardown() -> None:
    result = _child("alone")
    assert result.returncode == 3
    out = result.stdout.decode()
    assert "atexit;" in out and "buffered;" in out
    assert "teardown;" not in out


def test_leave_waits_like_python_for_a_running_thread() -> None:
    result = _child("thread")
    assert result.returncode == 3
    out = result.stdout.decode()
    # The normal exit: the thread finishes, then the handlers and the teardown run.
    assert out.index("thread done;") < out.index("atexit;") < out.index("teardown;")
    assert "buffered;" in out


def test_a_command_run_as_the_program_prints_and_leaves_its_store_closed(tmp_path) -> None:
    """`python -m po_desk demo …` through the program's entry: exit code, the whole
    output, the recovery key written, and a store that opens and checks clean after."""
    import os

    db = tmp_path / "demo.podesk"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PO_DESK_PASSPHRASE": PASSPHRASE,
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
           "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / ".config")}  # fmt: skip
    made = subprocess.run(
        [sys.executable, "-m", "po_desk", "demo", "--db", str(db), "--uppdrag", "30",
         "--recovery-key-out", str(tmp_path / "nyckel.txt")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "30 uppdrag" in made.stdout
    assert (tmp_path / "nyckel.txt").read_text(encoding="utf-8").strip()
    assert not list(tmp_path.glob("demo.podesk-journal"))
    checked = subprocess.run(
        [sys.executable, "-m", "po_desk", "check", "--db", str(db)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    assert "30 uppdrag" in checked.stdout
    failed = subprocess.run(
        [sys.executable, "-m", "po_desk", "check", "--db", str(tmp_path / "saknas.podesk")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert failed.returncode == 3 and failed.stderr.count("\n") == 1


def test_the_window_closed_as_the_program_keeps_what_it_saves_on_close(tmp_path) -> None:
    """`po-desk --demo` closed by --quit-after, through the program's entry: exit code 0,
    the window's geometry in the settings file (written on close), the demo's temporary
    folder removed (the cleanup after the event loop still runs)."""
    import os

    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
           "TMPDIR": str(temp), "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / ".config"),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "po_desk", "--demo", "--quit-after", "0.5"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    settings = list((tmp_path / ".config").rglob("*.ini"))
    assert settings and "geometri" in settings[0].read_text(encoding="utf-8", errors="replace")
    assert not [p for p in temp.iterdir() if p.name.startswith("po-desk-demo-")]


def test_the_event_loop_ends_with_background_work_done_and_the_application_destroyed(
    monkeypatch,
) -> None:
    """What Qt's and Python's shutdown did that matters, in order, before the quick exit:
    background work finished, then the application object destroyed (it hands a copied
    text to the system's clipboard)."""
    from po_desk.ui import app, ops

    events: list[str] = []

    class Application:
        def exec(self) -> int:
            events.append("event loop")
            return 5

        def shutdown(self) -> None:
            events.append("application destroyed")

    monkeypatch.setattr(ops, "wait_for_all", lambda timeout: events.append(f"wait {timeout}"))
    assert app.finish_event_loop(Application()) == 5  # type: ignore[arg-type]
    assert events == ["event loop", "wait -1", "application destroyed"]
