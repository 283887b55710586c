"""Issue 13.12: the dots and rings of capital Å, Ä and Ö (and the tails of g, j, p) are not
clipped in unselected tabs or in the sidebar, with the Fusion style and the Windows style.

Checked on pixels: where a tab or item reading "Ändringslogg" differs from one reading
"Andringslogg" is the ink of the dots; there must be as much of it as in a label with room
to spare (clipped dots leave less, or none)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QListWidget, QStyleFactory, QTabWidget, QWidget

from po_desk.ui.main_window import SECTIONS
from po_desk.ui.tabs import roomy_tabs

# Words whose accented and plain forms have the same width (no kerning pair changes).
PAIRS = (("Ändringslogg", "Andringslogg"), ("Ålder", "Alder"), ("Öppna", "Oppna"))
STYLES = ("Fusion", "Windows")


def _tab_image(qtbot, style: str, text: str) -> QImage:
    tabs = roomy_tabs(QTabWidget())
    qtbot.addWidget(tabs)
    tabs.setStyle(QStyleFactory.create(style))
    tabs.tabBar().setStyle(tabs.style())
    tabs.addTab(QWidget(), "Vald")
    tabs.addTab(QWidget(), text)  # not selected
    tabs.resize(400, 80)
    tabs.show()
    qtbot.waitExposed(tabs)
    bar = tabs.tabBar()
    return bar.grab(bar.tabRect(1)).toImage()


def _differing(first: QImage, second: QImage) -> int:
    assert first.size() == second.size()
    return sum(
        first.pixel(x, y) != second.pixel(x, y)
        for y in range(first.height())
        for x in range(first.width())
    )


def _label_image(qtbot, text: str) -> QImage:
    label = QLabel(text)
    qtbot.addWidget(label)
    label.setContentsMargins(10, 10, 10, 10)
    label.adjustSize()
    return label.grab().toImage()


def _accent_ink(qtbot, accented: str, plain: str) -> int:
    """The accent's ink where there is room for it."""
    return _differing(_label_image(qtbot, accented), _label_image(qtbot, plain))


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(("accented", "plain"), PAIRS)
def test_unselected_tabs_show_the_whole_letter(qtbot, style: str, accented: str, plain: str):
    shown = _differing(_tab_image(qtbot, style, accented), _tab_image(qtbot, style, plain))
    assert shown >= 0.9 * _accent_ink(qtbot, accented, plain), (shown, accented)


def _nav_image(qtbot, style: str, first: str) -> QImage:
    from po_desk.ui.main_window import sidebar

    nav = sidebar([first, *SECTIONS[1:]])
    qtbot.addWidget(nav)
    nav.setStyle(QStyleFactory.create(style))
    nav.resize(170, 300)
    nav.show()
    qtbot.waitExposed(nav)
    return nav.viewport().grab(nav.visualItemRect(nav.item(0))).toImage()


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(("accented", "plain"), [("Översikt", "Oversikt"), *PAIRS])
def test_sidebar_items_show_the_whole_letter(qtbot, style: str, accented: str, plain: str):
    shown = _differing(_nav_image(qtbot, style, accented), _nav_image(qtbot, style, plain))
    assert shown >= 0.9 * _accent_ink(qtbot, accented, plain), (shown, accented)


def test_the_views_use_the_roomy_tabs(qtbot, window) -> None:
    from po_desk.ui.tabs import TAB_STYLE

    window.nav.setCurrentRow(len(SECTIONS) - 1)
    for index in range(len(SECTIONS)):
        window.nav.setCurrentRow(index)
    bars = [t.tabBar() for t in window.findChildren(QTabWidget)]
    assert len(bars) >= 3
    assert all(bar.styleSheet() == TAB_STYLE for bar in bars)
    assert isinstance(window.nav, QListWidget)
