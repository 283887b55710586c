"""Showing a PDF made in memory: pages rendered by PDFium (pypdfium2) into images, with
save and print. The PDF is never written to a temporary file."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from po_desk.secure_files import atomic_write
from po_desk.ui import screen_fit
from po_desk.ui.messages import show_error

PREVIEW_SCALE = 1.4  # 72 dpi × 1.4 ≈ 100 dpi on screen
PRINT_SCALE = 300 / 72


def render_pages(pdf: bytes, scale: float = PREVIEW_SCALE) -> list[QImage]:
    """Each page as an image; safe to call off the GUI thread (QImage, not QPixmap)."""
    document = pypdfium2.PdfDocument(pdf)
    images = []
    try:
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=scale)
            picture = bitmap.to_pil().convert("RGB")
            data = picture.tobytes("raw", "RGB")
            image = QImage(
                data, picture.width, picture.height, picture.width * 3, QImage.Format.Format_RGB888
            )
            images.append(image.copy())  # own the pixels before `data` goes away
            page.close()
    finally:
        document.close()
    return images


class PdfPreview(QDialog):
    def __init__(
        self, title: str, pdf: bytes, pages: list[QImage], default_name: str, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.pdf = pdf
        self.default_name = default_name
        self.setWindowTitle(title)
        column = QWidget()
        column_layout = QVBoxLayout(column)
        for number, image in enumerate(pages, start=1):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setAccessibleName(f"Sida {number}")
            label.setStyleSheet("border: 1px solid #999; background: white;")
            column_layout.addWidget(label, alignment=Qt.AlignmentFlag.AlignHCenter)
        scroll = QScrollArea()
        scroll.setWidget(column)
        scroll.setWidgetResizable(True)
        save = QPushButton("&Spara som PDF…")
        print_button = QPushButton("Skriv &ut…")
        close = QPushButton("Stäng")
        save.clicked.connect(self.save)
        print_button.clicked.connect(self.print_pdf)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(f"{len(pages)} sidor"))
        self.status = QLabel()
        self.status.setAccessibleName("Sparad som")
        buttons.addWidget(self.status)
        buttons.addStretch()
        buttons.addWidget(save)
        buttons.addWidget(print_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addLayout(buttons)
        self.resize(screen_fit.fitted(self, 960, 900))

    def save(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Spara PDF", self.default_name, "PDF (*.pdf)")
        if not name:
            return
        try:
            atomic_write(Path(name), self.pdf)
        except OSError as error:
            show_error(self, error)
            return
        self.status.setText(f" · Sparad som {Path(name).name} i {Path(name).parent}")
        self.status.setToolTip(str(Path(name)))

    def print_pdf(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
            return
        print_pages(self.pdf, printer)


def print_pages(pdf: bytes, printer: QPrinter) -> None:
    painter = QPainter(printer)
    try:
        for index, image in enumerate(render_pages(pdf, PRINT_SCALE)):
            if index:
                printer.newPage()
            target = painter.viewport()
            size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(target.x(), target.y(), size.width(), size.height())
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
    finally:
        painter.end()
