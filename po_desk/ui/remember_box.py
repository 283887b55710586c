"""The "Kom ihåg på den här datorn" box of the wizard, the unlock dialog and Inställningar.

It is offered only where an OS keyring is there (services decide which count); elsewhere
it is unticked and disabled, and says why in its own text, not only in a tooltip."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox

from po_desk.services.workspace import keyring_available

NO_KEYRING = (
    "Datorn har ingen nyckelring från operativsystemet (Windows, macOS, Secret Service eller "
    "KWallet), så nyckeln kan inte kommas ihåg här; lösenfrasen efterfrågas vid varje start."
)


def remember_box(label: str) -> QCheckBox:
    box = QCheckBox(label)
    if not keyring_available():
        box.setChecked(False)
        box.setEnabled(False)
        box.setText(f"{label} (går inte: ingen nyckelring på datorn)")
        box.setToolTip(NO_KEYRING)
        box.setAccessibleDescription(NO_KEYRING)
    return box
