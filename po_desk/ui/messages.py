"""Showing errors and questions in Swedish; never a traceback or client data."""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QWidget

from po_desk import diagnostics
from po_desk.domain.errors import (
    ConflictError,
    GuardNeedsConfirmation,
    PoDeskError,
    ValidationFailed,
    os_reason,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
CONFLICT_TITLE = "Någon annan har ändrat"


def error_text(error: BaseException) -> str:
    if isinstance(error, ValidationFailed):
        return "\n".join(f"• {problem}" for problem in error.problems)
    if isinstance(error, PoDeskError):
        return error.message
    # Whatever a broad `except` hands over is logged here: the type and our innermost
    # frame, never the message (it may hold client data).
    log.warning("shown to the user: %s", diagnostics.summary(error))
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return "Disken är full. Frigör utrymme och försök igen; inget halvfärdigt sparades."
    if isinstance(error, OSError):
        return f"Filen kunde inte skrivas eller läsas: {os_reason(error)}."
    return f"Ett oväntat fel inträffade ({type(error).__name__}). Inget halvfärdigt sparades."


def show_error(parent: QWidget | None, error: BaseException, title: str = "Det gick inte") -> None:
    QMessageBox.warning(parent, title, error_text(error))


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def save_with_guard(
    parent: QWidget | None,
    save: Callable[[bool], T],
    on_conflict: Callable[[ConflictError], None] | None = None,
) -> T | None:
    """Calls save(False); on a guard warning asks, then save(True). None when not saved.
    Someone else's save in between (ConflictError) is shown and handed to `on_conflict`."""
    try:
        return save(False)
    except GuardNeedsConfirmation as warning:
        if not confirm(parent, "Kontrollera texten", warning.message + "\n\nSpara ändå?"):
            return None
    except ConflictError as error:
        _conflicted(parent, error, on_conflict)
        return None
    except PoDeskError as error:
        show_error(parent, error, "Kan inte spara")
        return None
    try:
        return save(True)
    except ConflictError as error:
        _conflicted(parent, error, on_conflict)
        return None
    except PoDeskError as error:
        show_error(parent, error, "Kan inte spara")
        return None


def _conflicted(
    parent: QWidget | None,
    error: ConflictError,
    on_conflict: Callable[[ConflictError], None] | None,
) -> None:
    if on_conflict is not None:
        on_conflict(error)
    show_error(parent, error, CONFLICT_TITLE)


def adopt_version(dialog: QDialog, error: ConflictError) -> None:
    """After a conflict the form keeps what the user typed and takes the row's version
    now stored, so that saving again overwrites the other change knowingly (the message
    says so); closing the dialog instead keeps the other change."""
    original = getattr(dialog, "original", None)
    if original is None or getattr(original, "id", None) is None or error.version is None:
        return
    if hasattr(original, "version"):
        dialog.original = replace(original, version=error.version)  # type: ignore[attr-defined]


def check_then_save(
    parent: QWidget,
    errors: QLabel,
    problems: list[str],
    save: Callable[[bool], T],
    on_conflict: Callable[[ConflictError], None] | None = None,
) -> T | None:
    """Lists the form's problems in its error line, or saves through the guard."""
    if problems:
        errors.setText("\n".join(f"• {problem}" for problem in problems))
        return None
    errors.clear()
    return save_with_guard(parent, save, on_conflict)


def accept_if_saved(
    dialog: QDialog, errors: QLabel, problems: list[str], save: Callable[[bool], T]
) -> T | None:
    """The end of every record dialog: problems inline, else save through the guard, keep
    the result in `dialog.saved` and close the dialog."""
    saved = check_then_save(dialog, errors, problems, save, lambda e: adopt_version(dialog, e))
    if saved is not None:
        dialog.saved = saved  # type: ignore[attr-defined]
        dialog.accept()
    return saved


def edited(original: Any, record_type: Callable[..., T], values: dict[str, Any]) -> T:
    """A new record from the form's values, or the original with them applied."""
    if original is None:
        return record_type(**values)
    return replace(original, **values)
