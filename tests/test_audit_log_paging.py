"""The ändringslogg is fetched a page at a time (issue 16): on a store of 5 000 log entries
the first fill reads one page, scrolling reads the next, filters still count and page
right, and the export still writes every row."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import insert

from po_desk.services.audit_service import AuditService
from po_desk.store import models
from po_desk.ui.audit_table_model import PAGE_SIZE, AuditTableModel

ENTRIES = 5000
OMBUD = "ombud Anna"


def fill_log(workspace):
    """5 000 entries over about two years, two at each moment (so that a page may end
    between equal times), every fifth by the ombud."""
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = [
        {
            "id": f"e{n:05d}",
            "at": now - timedelta(hours=3 * (n // 2) + 1),
            "actor": OMBUD if n % 5 == 0 else "enhetschef",
            "action": "ändrad",
            "table_name": "uppdrag",
            "row_id": f"u{n}",
        }
        for n in range(ENTRIES)
    ]
    with workspace._store.transaction() as session:
        session.execute(insert(models.AuditEntry), rows)
    return workspace


@pytest.fixture
def logged(workspace):
    return fill_log(workspace)


class CountingAudit:
    """The audit use case, counting its page queries."""

    def __init__(self, audit: AuditService) -> None:
        self._audit = audit
        self.pages = 0

    def __getattr__(self, name: str):
        return getattr(self._audit, name)

    def page(self, *args, **kwargs):
        self.pages += 1
        return self._audit.page(*args, **kwargs)


def test_pages_cover_the_log_once_newest_first(logged) -> None:
    check_pages(logged.audit)


def test_pages_on_the_server(server_workspace) -> None:
    """The keyset query is the same on PostgreSQL (issue 18: one store, two engines)."""
    check_pages(fill_log(server_workspace).audit)


def check_pages(audit: AuditService) -> None:
    for query in (audit.query(), audit.query(actor=OMBUD), audit.query(days=30)):
        expected = audit.entries(query.since, query.actor)
        assert audit.count(query) == len(expected)
        seen, after = [], None
        while page := audit.page(query, after, 333):
            seen.extend(page)
            after = page[-1]
        assert [r.id for r in seen] == [e.id for e in expected]
        assert len({r.id for r in seen}) == len(seen)
        assert all(a.at >= b.at for a, b in pairwise(seen))
    assert audit.count(audit.query(actor=OMBUD)) == ENTRIES // 5
    # 30 days of entries every 3 hours, two at a time: 480, and the new store's own.
    assert 480 <= audit.count(audit.query(days=30)) < 600


def test_the_model_reads_one_page_then_the_next(logged) -> None:
    audit = CountingAudit(logged.audit)
    query = audit.query()
    model = AuditTableModel()
    model.start(audit.count(query), lambda after, limit: audit.page(query, after, limit))
    assert audit.pages == 1 and model.rowCount() == PAGE_SIZE
    assert model.total() >= ENTRIES and model.canFetchMore()
    model.fetchMore()
    assert audit.pages == 2 and model.rowCount() == 2 * PAGE_SIZE
    ids = [model.row_at(r).id for r in range(model.rowCount())]
    assert ids == [e.id for e in logged.audit.entries()][: 2 * PAGE_SIZE]


def test_the_log_view_fills_lazily_and_exports_everything(
    qtbot, logged, tmp_path, monkeypatch
) -> None:
    from po_desk.ui import audit_view
    from po_desk.ui.audit_view import AuditTab

    logged.audit = CountingAudit(logged.audit)  # type: ignore[misc]
    tab = AuditTab(logged)
    qtbot.addWidget(tab)
    tab.resize(900, 600)
    tab.show()
    tab.period.setCurrentIndex(tab.period.findData(None))  # Allt
    qtbot.wait(20)
    total = len(logged.audit.entries())
    pages = logged.audit.pages
    assert tab.model.rowCount() == PAGE_SIZE and tab.model.total() == total
    assert tab.count.text().replace("\N{NO-BREAK SPACE}", " ") == (
        f"{total:,} händelser".replace(",", " ")
    )
    tab.table.scrollToBottom()  # the view asks the model for more
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2 * PAGE_SIZE)
    assert logged.audit.pages == pages + 1

    tab.actor.setCurrentIndex(tab.actor.findData(OMBUD))
    assert tab.model.total() == ENTRIES // 5
    assert {tab.model.row_at(r).actor for r in range(tab.model.rowCount())} == {OMBUD}

    out = tmp_path / "logg.csv"
    monkeypatch.setattr(
        audit_view.QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(out), ""))
    )
    tab.export()
    with out.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle, delimiter=";"))
    assert lines[0] == ["Tid", "Användare", "Ändring", "Vad", "Rad-id"]
    assert len(lines) - 1 == ENTRIES // 5  # every row of the filter, not one page
