"""Every window and dialog on the screen it opens on, whatever its size and scaling
(a 1280×800 screen at 125 % is 1024×640 points; at 200 % 640×400).

`fitted` sizes a window to the available screen geometry; `ScreenFitter`, installed on the
application, does it for every window as it is shown: it shrinks the window to the screen,
moves it wholly onto the screen, and where the content cannot shrink that far, puts the
content in a scroll area, with a dialog's buttons kept outside it so they stay in reach."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QEvent, QObject, QRect, QSize, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QDialog,
    QFrame,
    QLayout,
    QMainWindow,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QComboBox

# QAbstractButton, QComboBox, QDialogButtonBox and QWizard are imported where they are
# used: PySide6 makes a class (and its enums) on first use, and the first window shows
# before any of them is needed (QDialogButtonBox alone costs a few milliseconds).

# Room for a window manager's title bar and borders, which are not known before the first
# show (and never on some platforms).
FRAME = QSize(16, 40)
_FITTED = "po_desk_fitted"
W = TypeVar("W", bound=QMainWindow)


def available(widget: QWidget | None = None) -> QRect:
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)


def _frame(window: QWidget) -> QSize:
    measured = window.frameGeometry().size() - window.geometry().size()
    return measured.expandedTo(FRAME)


def limit(window: QWidget) -> QSize:
    """The largest size of the window's client area that keeps its frame on the screen."""
    room = available(window).size() - _frame(window)
    return room.expandedTo(QSize(200, 150))


def narrow_combo(combo: QComboBox, characters: int = 14) -> QComboBox:
    """A combo that may be narrower than its longest choice (a filter row then fits a
    small screen); its list still opens wide enough to read every choice."""
    from PySide6.QtWidgets import QComboBox

    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    view = combo.view()
    view.setMinimumWidth(view.sizeHintForColumn(0) + 2 * view.frameWidth() + 24)
    return combo


def fitted(window: QWidget, width: int, height: int) -> QSize:
    return QSize(width, height).boundedTo(limit(window))


def fits(window: QWidget) -> bool:
    return available(window).contains(window.frameGeometry())


def fit(window: QWidget) -> None:
    """Shrinks `window` to the screen (scrolling its content if need be) and moves it on."""
    most = limit(window)
    need = window.minimumSizeHint().expandedTo(window.minimumSize())
    # The main window always scrolls: its views differ in size, and a later one may need
    # more room than the first one shown.
    if (
        isinstance(window, QMainWindow)
        or need.width() > most.width()
        or need.height() > most.height()
    ):
        _scrollable(window)
        window.setMinimumSize(window.minimumSize().boundedTo(most))
    window.resize(window.size().boundedTo(most))
    room, frame = available(window), _frame(window)
    x = min(max(window.x(), room.left()), room.right() + 1 - window.width() - frame.width())
    y = min(max(window.y(), room.top()), room.bottom() + 1 - window.height() - frame.height())
    window.move(max(x, room.left()), max(y, room.top()))


def _scroll_area(content: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setWidget(content)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    return scroll


def _is_button_row(item: QLayout | QWidget | None) -> bool:
    from PySide6.QtWidgets import QAbstractButton, QDialogButtonBox

    if isinstance(item, QDialogButtonBox):
        return True
    if isinstance(item, QBoxLayout):
        widgets = [item.itemAt(i).widget() for i in range(item.count())]
        return any(isinstance(w, QAbstractButton) for w in widgets)
    return False


def _scrollable(window: QWidget) -> None:
    if isinstance(window, QMainWindow):
        central = window.centralWidget()
        if central is not None and not isinstance(central, QScrollArea):
            window.takeCentralWidget()
            window.setCentralWidget(_scroll_area(central))
        return
    from PySide6.QtWidgets import QWizard

    if isinstance(window, QWizard):
        for page_id in window.pageIds():
            page = window.page(page_id)
            if page.layout() is not None:
                _wrap_layout(page, keep_buttons=False)
        return
    if window.layout() is not None and type(window).__module__.startswith("po_desk."):
        # Our own dialogs only: Qt's (message boxes, file dialogs) are only shrunk and moved.
        _wrap_layout(window, keep_buttons=isinstance(window, QDialog))


def _wrap_layout(widget: QWidget, keep_buttons: bool) -> None:
    """Moves the widget's layout into a scroll area; the last row of buttons stays below."""
    layout = widget.layout()
    buttons: QLayout | QWidget | None = None
    if keep_buttons and layout.count():
        last = layout.itemAt(layout.count() - 1)
        candidate = last.widget() or last.layout()
        if _is_button_row(candidate):
            buttons = candidate
            layout.takeAt(layout.count() - 1)
    content = QWidget()
    content.setLayout(layout)  # takes the layout (and its widgets) off `widget`
    outer = QVBoxLayout(widget)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(_scroll_area(content), 1)
    if isinstance(buttons, QWidget):
        outer.addWidget(buttons)
    elif isinstance(buttons, QLayout):
        margins = layout.contentsMargins()
        buttons.setContentsMargins(margins.left(), 0, margins.right(), margins.bottom())
        outer.addLayout(buttons)


class ScreenFitter(QObject):
    """Fits every top-level window of the application as it is first shown."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QWidget)
            and watched.isWindow()
            and isinstance(watched, QDialog | QMainWindow)
            and not watched.property(_FITTED)
        ):
            watched.setProperty(_FITTED, True)
            fit(watched)
        return False


# The fitter installed on the application, held here (a Qt property holding a QObject
# can outlive the C++ object it wraps, and touching that crashes the process).
_installed: list[ScreenFitter] = []


def install(app: QApplication) -> ScreenFitter:
    fitter = ScreenFitter(app)
    app.installEventFilter(fitter)
    _installed[:] = [fitter]
    return fitter


def _alive(fitter: ScreenFitter | None) -> ScreenFitter | None:
    from shiboken6 import Shiboken

    return fitter if fitter is not None and Shiboken.isValid(fitter) else None


def _reinstall(app: QApplication, fitter: ScreenFitter) -> None:
    """The fitter back on the application, unless either is gone meanwhile (a test's
    window and application may end before the event loop's next turn)."""
    from shiboken6 import Shiboken

    if Shiboken.isValid(app) and Shiboken.isValid(fitter) and _installed[:1] == [fitter]:
        app.installEventFilter(fitter)


def show_first(make: Callable[[], W]) -> W:
    """The program's first window, made by `make`, fitted and shown with the fitter lifted
    from the application meanwhile: every object an application-wide Python event filter
    sees is wrapped by PySide6, and the first one of a class PySide6 does not know (a rich
    text label's text control, a scroll area's gesture manager) makes it create every
    lazily loaded class of QtCore, QtGui and QtWidgets (≈ 180 enum classes, a few
    hundredths of a second). Put back at once, the fitter sees every later window; that
    cost then comes after the window is on the screen."""
    app = QApplication.instance()
    fitter = _alive(_installed[0]) if app is not None and _installed else None
    if app is not None and fitter is not None:
        app.removeEventFilter(fitter)
    try:
        window = make()
        if fitter is not None and not window.property(_FITTED):
            window.setProperty(_FITTED, True)
            fit(window)
        window.show()
    finally:
        if app is not None and fitter is not None:
            # Back on the event loop's first turn, after the window's first painting and
            # before any later window (the program opens its store on a later turn).
            QTimer.singleShot(0, lambda: _reinstall(app, fitter))
    return window
