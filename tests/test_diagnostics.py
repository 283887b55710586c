"""Issue 16: an unexpected error leaves its type and the innermost frame of our code,
never a value; `po-desk --debug` prints the traceback; no broad `except` in ui goes unlogged."""

from __future__ import annotations

import ast
import logging
from pathlib import Path

import pytest

from po_desk import cli, diagnostics

SECRET = "19811218-9876 Anna Andersson"


@pytest.fixture
def failing_check(monkeypatch: pytest.MonkeyPatch, created, store_path: Path) -> Path:
    created.workspace.session.close()

    def broken(self) -> list[str]:
        raise ValueError(SECRET)

    monkeypatch.setattr("po_desk.services.session_service.SessionService.check", broken)
    monkeypatch.setenv("PO_DESK_PASSPHRASE", "ett långt och bra lösenord 7")
    return store_path


def test_by_default_one_line_with_type_and_our_frame_never_the_value(
    failing_check: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="po_desk.cli"):
        code = cli.main(["check", "--db", str(failing_check)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and err.startswith("po-desk: oväntat fel (ValueError at ")
    assert (
        "po_desk/services/store_lifecycle.py:" in err and "in check_store" in err
    )  # our innermost
    assert "--debug" in err and "Traceback" not in err
    logged = [r.getMessage() for r in caplog.records if r.name == "po_desk.cli"]
    assert any("ValueError at po_desk/services/store_lifecycle.py:" in line for line in logged)
    for text in (err, *logged):
        assert "19811218" not in text and "Anna" not in text


def test_debug_prints_the_traceback(failing_check: Path, capsys) -> None:
    code = cli.main(["--debug", "check", "--db", str(failing_check)])
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback (most recent call last)" in err and "check_store" in err


def test_summary_names_the_innermost_frame_of_our_code_only() -> None:
    try:
        Path("/nonexistent-po-desk-dir/x").read_bytes()  # the frame that raises is pathlib's
    except OSError as error:
        text = diagnostics.summary(error)
    assert text == "FileNotFoundError at ?"  # no frame of po_desk: the test's is not ours
    assert "nonexistent" not in text  # the message (a path, here) is never part of it


UI = Path(__file__).resolve().parents[1] / "po_desk" / "ui"
BROAD = {"Exception", "BaseException"}


def _logs_or_shows(handler: ast.ExceptHandler) -> bool:
    for node in ast.walk(handler):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "show_error":
                return True
            if (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id == "log"
            ):
                return True
    return False


def test_no_broad_except_in_ui_without_a_logged_reason() -> None:
    offenders = []
    for path in sorted(UI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ExceptHandler):
                continue
            names = (
                [node.type] if not isinstance(node.type, ast.Tuple) else list(node.type.elts)
            ) if node.type is not None else [None]  # fmt: skip
            broad = any(n is None or (isinstance(n, ast.Name) and n.id in BROAD) for n in names)
            if broad and not _logs_or_shows(node):
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []
