"""What the workstation remembers between runs through QSettings: the window's geometry
and the last store's path (or the last server profile's name). Never a secret, never
client data."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QWidget

from po_desk.services.app_settings import make_private
from po_desk.ui import screen_fit

GEOMETRY_KEY = "fonster/geometri"
LAST_STORE_KEY = "register/senaste"
# The name of the server profile last used; empty when a file was used last.
LAST_SERVER_KEY = "register/senaste_server"


def _settings() -> QSettings:
    # An INI file in the user's settings folder on every platform: readable, easy to
    # remove, and the same format the tests redirect with QSettings.setPath.
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "po-desk", "po-desk")


def restore_geometry(window: QWidget) -> bool:
    """The saved geometry, if there is one and it fits the screen the window is on now
    (a geometry saved on a larger screen, or at a smaller scale, is left unused)."""
    saved = _settings().value(GEOMETRY_KEY)
    if not (isinstance(saved, QByteArray | bytes) and saved):
        return False
    before = window.geometry()
    if window.restoreGeometry(QByteArray(saved)) and _fits(window):
        return True
    window.setGeometry(before)
    return False


def _fits(window: QWidget) -> bool:
    room = screen_fit.available(window)
    frame = screen_fit.FRAME
    geometry = window.geometry()
    return (
        room.contains(geometry)
        and geometry.width() + frame.width() <= room.width()
        and geometry.height() + frame.height() <= room.height()
    )


def _sync(settings: QSettings) -> None:
    settings.sync()
    make_private(Path(settings.fileName()))  # it names the store: user-only, like the store


def save_geometry(window: QWidget) -> None:
    settings = _settings()
    settings.setValue(GEOMETRY_KEY, window.saveGeometry())
    _sync(settings)


def last_store() -> Path | None:
    value = _settings().value(LAST_STORE_KEY)
    return Path(value) if isinstance(value, str) and value else None


def remember_store(path: Path) -> None:
    settings = _settings()
    settings.setValue(LAST_STORE_KEY, str(Path(path).resolve()))
    settings.setValue(LAST_SERVER_KEY, "")
    _sync(settings)


def last_server() -> str | None:
    """The server profile used last, when a server (not a file) was used last."""
    value = _settings().value(LAST_SERVER_KEY)
    return value if isinstance(value, str) and value else None


def remember_server(profile_name: str) -> None:
    settings = _settings()
    settings.setValue(LAST_SERVER_KEY, profile_name)
    _sync(settings)
