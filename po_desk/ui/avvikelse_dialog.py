"""Quick entry of an avvikelse: date (today), aktör, nivå, kategorier, texts, åtgärder."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from po_desk.domain.avvikelse import STATUS_LABELS, Avvikelse
from po_desk.domain.categories import Category, CategoryKind
from po_desk.domain.verksamhet import Ombud
from po_desk.services.avvikelse_service import AvvikelseService
from po_desk.ui.messages import accept_if_saved, edited
from po_desk.ui.widgets import (
    CategoryChecks,
    category_combo,
    choice_combo,
    date_edit,
    dialog_buttons,
    error_label,
    from_qdate,
    select_data,
    to_qdate,
)

PRIVACY_HINT = "Inga namn, personnummer, adresser eller telefonnummer."


def text_box(accessible_name: str, height: int = 64) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setAccessibleName(accessible_name)
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    box.setPlaceholderText(PRIVACY_HINT)
    return box


class AvvikelseDialog(QDialog):
    def __init__(
        self,
        service: AvvikelseService,
        ombud: list[Ombud],
        avvikelse: Avvikelse | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.original = avvikelse
        self.saved: Avvikelse | None = None
        self.setWindowTitle("Avvikelse" if avvikelse else "Ny avvikelse")
        self.datum = date_edit()
        self.datum.setAccessibleName("Datum")
        self.ombud = choice_combo(((o.namn, o.id) for o in ombud), "Ej angivet")
        self.ombud.setAccessibleName("Ombud")

        def choices(kind: CategoryKind, *kept: str) -> tuple[Category, ...]:
            return service.category_choices(kind, kept if avvikelse else ())

        item = avvikelse
        self.aktor = category_combo(
            choices(CategoryKind.AKTOR, item.aktor if item else ""), "Välj…"
        )
        self.aktor.setAccessibleName("Aktör")
        self.niva = category_combo(choices(CategoryKind.NIVA, item.niva if item else ""), "Välj…")
        self.niva.setAccessibleName("Nivå")
        self.kategorier = CategoryChecks(
            choices(CategoryKind.BRISTKATEGORI, *(item.kategorier if item else ())), columns=3
        )
        self.beskrivning = text_box("Beskrivning", 80)
        self.konsekvens = text_box("Konsekvens för den enskilde")
        self.atgarder = CategoryChecks(
            choices(CategoryKind.ATGARD, *(item.atgarder if item else ())), columns=3
        )
        self.uppdrag_kod = QLineEdit()
        self.uppdrag_kod.setAccessibleName("Uppdragets kod")
        self.uppdrag_kod.setPlaceholderText("Valfritt, till exempel 2025-017")
        self.uppdrag_kod.setMaximumWidth(180)
        self.errors = error_label()
        form = QFormLayout()
        form.addRow("&Datum:", self.datum)
        form.addRow("&Ombud:", self.ombud)
        form.addRow("&Aktör:", self.aktor)
        form.addRow("&Nivå:", self.niva)
        form.addRow("Uppdrags&kod:", self.uppdrag_kod)
        kategori_box = QGroupBox("Kategorier (minst en)")
        QVBoxLayout(kategori_box).addWidget(self.kategorier)
        texts = QFormLayout()
        texts.addRow("&Beskrivning:", self.beskrivning)
        texts.addRow("&Konsekvens för den enskilde:", self.konsekvens)
        atgard_box = QGroupBox("Vad ombudet gjorde")
        QVBoxLayout(atgard_box).addWidget(self.atgarder)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(kategori_box)
        layout.addLayout(texts)
        layout.addWidget(atgard_box)
        if avvikelse is not None:
            layout.addWidget(QLabel(f"Status: {STATUS_LABELS.get(avvikelse.status)}"))
            self._load(avvikelse)
        layout.addWidget(self.errors)
        layout.addWidget(dialog_buttons(self, "&Spara", "Avbryt", self.save))
        self.resize(760, 0)
        self.aktor.setFocus()

    def _load(self, item: Avvikelse) -> None:
        self.datum.setDate(to_qdate(item.datum))
        select_data(self.ombud, item.ombud_id)
        select_data(self.aktor, item.aktor)
        select_data(self.niva, item.niva)
        self.kategorier.set_selected(item.kategorier)
        self.beskrivning.setPlainText(item.beskrivning)
        self.konsekvens.setPlainText(item.konsekvens)
        self.atgarder.set_selected(item.atgarder)
        self.uppdrag_kod.setText(item.uppdrag_kod or "")

    def current(self) -> Avvikelse:
        values = {
            "datum": from_qdate(self.datum.date()),
            "ombud_id": self.ombud.currentData(),
            "aktor": self.aktor.currentData() or "",
            "niva": self.niva.currentData() or "",
            "kategorier": self.kategorier.selected(),
            "beskrivning": self.beskrivning.toPlainText().strip(),
            "konsekvens": self.konsekvens.toPlainText().strip(),
            "atgarder": self.atgarder.selected(),
            "uppdrag_kod": self.uppdrag_kod.text().strip() or None,
        }
        return edited(self.original, Avvikelse, values)

    def save(self) -> None:
        candidate = self.current()
        accept_if_saved(
            self,
            self.errors,
            self.service.problems(candidate),
            lambda ok: self.service.save(candidate, ok),
        )
