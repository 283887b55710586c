"""Views show the figures the use cases give (issue 16.1): checked in the widgets."""

from __future__ import annotations

from datetime import date, timedelta

from po_desk.domain.verksamhet import Ombud
from po_desk.services.workspace import Workspace


def test_ombud_tab_counts_an_ombud_leaving_later_as_active(qtbot, workspace: Workspace) -> None:
    from po_desk.ui.settings_view import OmbudTab

    today = date.today()
    service = workspace.verksamhet
    service.save_ombud(Ombud("Anna", "kvinna", 1.0, today - timedelta(days=400)))
    service.save_ombud(Ombud("Bo", "man", 0.5, today - timedelta(days=400), today + timedelta(30)))
    service.save_ombud(Ombud("Dan", "man", 0.25, today + timedelta(days=10)))
    tab = OmbudTab(workspace)
    qtbot.addWidget(tab)
    assert tab.summary.text() == "2 aktiva ombud, 1,50 heltidstjänster"
