"""The ombud as a table (Inställningar): name, kön, tjänstgöringsgrad, from and to."""

from __future__ import annotations

from po_desk.domain import categories
from po_desk.domain.formatting import number
from po_desk.domain.verksamhet import Ombud
from po_desk.ui.table_model import RIGHT, Column, TableModel

COLUMNS: tuple[Column[Ombud], ...] = (
    Column("Namn", lambda o: o.namn),
    Column("Kön", lambda o: categories.name_of(categories.KON, o.kon), fit=True),
    Column(
        "Tjänstgöringsgrad",
        lambda o: number(o.tjanstgoringsgrad, 2),
        RIGHT,
        sort_key=lambda o: o.tjanstgoringsgrad,
        fit=True,
    ),
    Column("Från", lambda o: o.fran.isoformat(), fit=True),
    Column("Till", lambda o: o.till.isoformat() if o.till else "", sort_key=lambda o: o.till),
)


class OmbudTableModel(TableModel[Ombud]):
    def __init__(self) -> None:
        super().__init__(COLUMNS, key=lambda o: o.id)
