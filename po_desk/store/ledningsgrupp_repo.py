"""The ledningsgrupp's members and meetings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn

from sqlalchemy import select, update

from po_desk.domain.avvikelse import AvvikelseStatus
from po_desk.domain.errors import ConflictError
from po_desk.domain.ledningsgrupp import Medlem, Mote
from po_desk.store import models, tables
from po_desk.store.bulk import CHUNK, audit_changes
from po_desk.store.conflicts import checked_row, last_change
from po_desk.store.store import Store

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


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


def _refuse_lifted(session: Session, wanted: list[str], mote_id: str) -> NoReturn:
    """A chosen avvikelse was lifted at another meeting (or closed) since the list was
    shown: nothing is saved (the caller's transaction is rolled back), and the user is
    told who changed the first such avvikelse (not one this meeting has just lifted)."""
    avvikelse = models.Avvikelse
    found = {
        avvikelse_id: (status, lifted_at)
        for first in range(0, len(wanted), CHUNK)
        for avvikelse_id, status, lifted_at in session.execute(
            select(avvikelse.id, avvikelse.status, avvikelse.mote_id).where(
                avvikelse.id.in_(wanted[first : first + CHUNK])
            )
        )
    }
    for avvikelse_id in wanted:
        if avvikelse_id not in found:
            session.get_one(models.Avvikelse, avvikelse_id)  # NoResultFound, as before
        if found[avvikelse_id] != (AvvikelseStatus.LYFT, mote_id):
            actor, at = last_change(session, avvikelse_id)
            raise ConflictError(
                "Avvikelsen",
                actor,
                at,
                None,
                "Den är redan lyft vid ett annat möte; mötet sparades inte. Stäng "
                "och öppna på nytt för att se vilka som återstår.",
            )
    raise AssertionError("a lifted count without a lifted avvikelse")


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
            # One Core UPDATE per chunk (issue 17: an UPDATE per avvikelse through the ORM
            # was most of a demo's meetings): only rows still new are lifted, their version
            # bumped and an "ändrad" audit entry written for each, as the ORM would.
            avvikelse = models.Avvikelse
            wanted = list(dict.fromkeys(raised))
            lifted = 0
            for first in range(0, len(wanted), CHUNK):
                chunk = wanted[first : first + CHUNK]
                result = session.execute(
                    update(avvikelse)
                    .where(avvikelse.id.in_(chunk), avvikelse.status == AvvikelseStatus.NY)
                    .values(
                        status=AvvikelseStatus.LYFT,
                        mote_id=row.id,
                        updated_at=models.utc_now(),
                        version=avvikelse.version + 1,
                    )
                    .execution_options(synchronize_session=False)
                )
                lifted += result.rowcount  # type: ignore[attr-defined]
            if lifted != len(wanted):
                _refuse_lifted(session, wanted, row.id)
            audit_changes(session, avvikelse.__tablename__, wanted, "ändrad")
            return _meeting(row)
