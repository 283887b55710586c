"""A view whose feature is not built yet says so plainly instead of pretending."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class NotBuiltView(QWidget):
    def __init__(self, title: str, what_comes: str) -> None:
        super().__init__()
        heading = QLabel(f"<h2>{title}</h2>")
        text = QLabel(f"Den här delen av po-desk är inte byggd ännu.<br><br>{what_comes}")
        text.setWordWrap(True)
        text.setAccessibleName(f"{title}: inte byggd ännu")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(text)
        layout.addStretch()
