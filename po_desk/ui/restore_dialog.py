"""Restoring the store from a backup: the backup is verified with the passphrase (or
recovery key) valid when it was made, the current store is kept as a `.bak`, then replaced."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from po_desk.services import backup_service
from po_desk.ui.messages import confirm, error_text
from po_desk.ui.ops import Op
from po_desk.ui.widgets import dialog_buttons, error_label, password_edit


class RestoreDialog(QDialog):
    """Run while the store is closed; `restored` tells whether the store was replaced."""

    def __init__(self, store_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store_path = Path(store_path)
        self.restored = False
        self.kept: Path | None = None
        self.setWindowTitle("Återställ från säkerhetskopia")
        intro = QLabel(
            f"Registret {self.store_path.name} ersätts med säkerhetskopian. Det nuvarande "
            "registret sparas först som en .bak-fil bredvid."
        )
        intro.setWordWrap(True)
        self.path = QLineEdit()
        self.path.setAccessibleName("Säkerhetskopia")
        newest = backup_service.newest(self.store_path)
        if newest is not None:
            self.path.setText(str(newest))
        choose = QPushButton("Bläddra…")
        choose.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(choose)
        self.secret = password_edit("Lösenfras som gällde när kopian gjordes")
        self.use_recovery = QCheckBox("Det är återställningsnyckeln")
        self.errors = error_label()
        form = QFormLayout()
        form.addRow("&Säkerhetskopia:", row)
        form.addRow("&Lösenfras då:", self.secret)
        form.addRow("", self.use_recovery)
        self.buttons = dialog_buttons(self, "&Återställ", "Avbryt", self.restore)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(self.buttons)
        self.resize(640, 0)

    def _choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Säkerhetskopia", str(self.store_path.parent), "po-desk (*.podesk-backup)"
        )
        if name:
            self.path.setText(name)

    def restore(self, allow_other_store: bool = False) -> None:
        backup, secret, target = Path(self.path.text()), self.secret.text(), self.store_path
        recovery = self.use_recovery.isChecked()
        self.buttons.setEnabled(False)

        def work() -> Path | None:
            if recovery:
                return backup_service.restore(
                    backup, target, recovery_key=secret, allow_other_store=allow_other_store
                )
            return backup_service.restore(
                backup, target, passphrase=secret, allow_other_store=allow_other_store
            )

        def done(kept: Path | None) -> None:
            self.restored, self.kept = True, kept
            self.accept()

        def failed(error: BaseException) -> None:
            self.buttons.setEnabled(True)
            if isinstance(error, backup_service.OtherStoreBackup) and confirm(
                self, "Annat register", f"{error.message}\n\nErsätta registret ändå?"
            ):
                self.restore(allow_other_store=True)
                return
            self.errors.setText(error_text(error))

        # No safe point to stop at once the store is being replaced: runs to its end.
        Op(
            self,
            "Kontrollerar och återställer…",
            work=work,
            on_success=done,
            on_failure=failed,
            cancel=False,
        ).run()
