"""The Swedish user guide (resources/anvandarhandbok.md), opened with F1."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from po_desk.paths import resource

GUIDE_FILE = "anvandarhandbok.md"


class UserGuideWindow(QDialog):
    """A non-modal window beside the work, one per main window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("po-desk – användarhandbok")
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.resize(760, 680)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Användarhandbok")
        self.browser.setOpenLinks(False)  # the guide is offline; no link leaves the program
        self.browser.setMarkdown(resource(GUIDE_FILE).read_text(encoding="utf-8"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("&Stäng")
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)

    @classmethod
    def show_for(cls, parent: QWidget) -> UserGuideWindow:
        existing = parent.findChild(cls)
        window = existing if isinstance(existing, cls) else cls(parent)
        window.show()
        window.raise_()
        window.activateWindow()
        return window
