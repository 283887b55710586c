"""Swedish everywhere Qt writes text or numbers itself: standard buttons and dialogs
(Qt's own Swedish translation) and the locale used for numbers and dates in widgets."""

from __future__ import annotations

import logging
from pathlib import Path

import PySide6
from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

SWEDISH = QLocale(QLocale.Language.Swedish, QLocale.Country.Sweden)


def _translation_folders() -> list[str]:
    # QLibraryInfo knows the folder in a pip install; in a PyInstaller bundle the files
    # sit beside the PySide6 package instead.
    return [
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
        str(Path(PySide6.__file__).parent / "Qt" / "translations"),
    ]


def install(app: QApplication) -> bool:
    """Sets the Swedish locale and Qt's Swedish texts; True when the texts were found."""
    QLocale.setDefault(SWEDISH)
    if getattr(app, "_po_desk_translator", None) is not None:
        return True
    for folder in _translation_folders():
        translator = QTranslator(app)
        if translator.load(SWEDISH, "qtbase", "_", folder):
            app.installTranslator(translator)
            app._po_desk_translator = translator  # type: ignore[attr-defined]
            return True
    log.warning("Qt's Swedish translation not found; standard buttons stay in English")
    return False
