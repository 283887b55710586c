"""Tabs with room for the whole of Å, Ä and Ö. Fusion (and the Windows style) draw an
unselected tab two pixels lower, inside the same height, which cut off the dots and rings
of capitals and the tails of g and j; a tab bar with its own padding keeps them whole."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget

TAB_STYLE = """
QTabBar::tab {
    padding: 5px 12px;
    border: 1px solid palette(mid);
    border-bottom: none;
    border-top-left-radius: 3px;
    border-top-right-radius: 3px;
    background: palette(button);
    margin-right: 1px;
}
QTabBar::tab:selected { background: palette(base); }
QTabBar::tab:!selected:hover { background: palette(light); }
"""


def roomy_tabs(tabs: QTabWidget) -> QTabWidget:
    tabs.tabBar().setStyleSheet(TAB_STYLE)
    return tabs
