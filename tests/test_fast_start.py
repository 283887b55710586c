"""Issue 17: the demo window is on screen before the demo store is filled."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QProgressDialog

from po_desk.services import demo
from po_desk.services.app_settings import AppSettings
from po_desk.ui import app
from po_desk.ui.main_window import MainWindow


def test_demo_window_is_shown_before_the_demo_store_is_filled(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[tuple[str, object]] = []
    real_fill = demo.fill

    def visible_windows() -> int:
        return sum(
            isinstance(w, MainWindow) and w.isVisible() for w in QApplication.topLevelWidgets()
        )

    def recording_fill(workspace, *args, **kwargs):
        events.append(("fill starts", (visible_windows(), workspace.uppdrag.count())))
        progress = kwargs["progress"]

        def step(text: str, percent: int) -> None:
            dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]
            events.append(("progress", (percent, any(d.isVisible() for d in dialogs))))
            progress(text, percent)

        kwargs["progress"] = step
        summary = real_fill(workspace, *args, **kwargs)
        events.append(("fill done", workspace.uppdrag.count()))
        return summary

    monkeypatch.setattr(demo, "fill", recording_fill)
    monkeypatch.setattr(app, "DEMO_UPPDRAG", 40)
    window = app.start_demo(AppSettings(), tmp_path)
    qtbot.addWidget(window)
    events.append(("start_demo returned", window.isVisible()))
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=60_000)
    events.append(("attached", window.workspace.uppdrag.count()))

    names = [name for name, _ in events]
    # The window is visible as start_demo returns, before the store is even made ...
    assert events[0] == ("start_demo returned", True)
    # ... and the filling starts on an empty store behind a shown window,
    assert events[1] == ("fill starts", (1, 0))
    # with a visible progress indication at every step, ending complete and attached.
    progress = [value for name, value in events if name == "progress"]
    assert progress and all(shown for _, shown in progress)
    assert progress[-1][0] == 100
    assert names[-2:] == ["fill done", "attached"]
    assert events[-1] == ("attached", 40)
    assert "demo" in window.windowTitle()
    window.close()
