"""The ledningsgrupp's members and meetings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from po_desk.domain.avvikelse import AvvikelseStatus
from po_desk.domain.errors import ConflictError
from po_desk.domain.ledningsgrupp import Medlem, Mote
from po_desk.store import models, tables
from po_desk.store.bulk import preload
from po_desk.store.conflicts import checked_row, last_change
from po_desk.store.store import Store


def _member(row: Any) -> Medlem:
    """From an ORM row or a Core row with the same column names."""
    return Medlem(
        id=row.id,
        organisation=row.organisation,
        roll=row.roll,
        fran=row.fran,
        till=row.till,
        version=row.version,
    )


def _meeting(row: Any) -> Mote:
    return Mote(id=row.id, datum=row.datum, anteckning=row.anteckning)


class LedningsgruppRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def members(self) -> list[Medlem]:
        medlem = tables.ledningsgrupp_medlem
        with self._store.reading() as connection:
            rows = connection.execute(select(medlem).order_by(medlem.c.organisation, medlem.c.fran))
            return [_member(row) for row in rows]

    def save_member(self, member: Medlem) -> Medlem:
        with self._store.transaction() as session:
            row = (
                models.LedningsgruppMedlem()
                if member.id is None
                else checked_row(
                    session, models.LedningsgruppMedlem, member.id, member.version, "Ledamoten"
                )
            )
            row.organisation, row.roll = member.organisation, member.roll
            row.fran, row.till = member.fran, member.till
            session.add(row)
            session.flush()
            return _member(row)

    def meetings(self) -> list[Mote]:
        mote = tables.ledningsgrupp_mote
        with self._store.reading() as connection:
            rows = connection.execute(select(mote).order_by(mote.c.datum))
            return [_meeting(row) for row in rows]

    def save_meeting(self, meeting: Mote, raised: list[str]) -> Mote:
        """Saves the meeting and marks `raised` avvikelser as lifted at it, in one go."""
        with self._store.transaction() as session:
            row = (
                models.LedningsgruppMote()
                if meeting.id is None
                else session.get_one(models.LedningsgruppMote, meeting.id)
            )
            row.datum, row.anteckning = meeting.datum, meeting.anteckning
            session.add(row)
            session.flush()
            _held = preload(session, models.Avvikelse, raised)
            for avvikelse_id in raised:
                avvikelse = session.get_one(models.Avvikelse, avvikelse_id)
                if avvikelse.status != AvvikelseStatus.NY:
                    # Lifted at another meeting since the list was shown: never moved.
                    actor, at = last_change(session, avvikelse_id)
                    raise ConflictError(
                        "Avvikelsen",
                        actor,
                        at,
                        None,
                        "Den är redan lyft vid ett annat möte; mötet sparades inte. Stäng "
                        "och öppna på nytt för att se vilka som återstår.",
                    )
                avvikelse.status = AvvikelseStatus.LYFT
                avvikelse.mote_id = row.id
            return _meeting(row)
