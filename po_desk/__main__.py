from __future__ import annotations

from po_desk.cli import entry

entry()
