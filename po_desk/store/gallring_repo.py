"""Gallring: thinning closed records to what the statistics of past years need.

After the period the kommun's informationshanteringsplan sets, an avslutat uppdrag keeps
only what the återrapport counts (kön, födelseår, kommun, dates, barn, kontaktorsaker,
hänvisad från and avslutsorsak, both coded categories); its note, ombud and
prioritetsgrunder go. Ended kö-anmälningar lose their free-text reason, except an "ej
aktuell" one, whose reason the return counts; avvikelser lose their link to an uppdrag
code. Every figure of past returns stays the same."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, delete, select, update

from po_desk.domain.ko import ENDED, KoStatus
from po_desk.store import models
from po_desk.store.store import Store


@dataclass(frozen=True)
class GallringCounts:
    uppdrag: int
    anmalningar: int
    avvikelser: int

    @property
    def total(self) -> int:
        return self.uppdrag + self.anmalningar + self.avvikelser


def _uppdrag_to_thin(cutoff: date) -> Select[Any]:
    u = models.Uppdrag
    has_links = select(models.UppdragPrioritetsgrund.uppdrag_id).where(
        models.UppdragPrioritetsgrund.uppdrag_id == u.id
    )
    return select(u.id).where(
        u.slut.is_not(None),
        u.slut < cutoff,
        (u.anteckning.is_not(None)) | (u.ombud_id.is_not(None)) | has_links.exists(),
    )


def _anmalningar_to_thin(cutoff: date) -> Select[Any]:
    a = models.KoAnmalan
    thinned = tuple(status for status in ENDED if status != KoStatus.EJ_AKTUELL)
    return select(a.id).where(a.status.in_(thinned), a.status_datum < cutoff, a.orsak.is_not(None))


def _avvikelser_to_thin(cutoff: date) -> Select[Any]:
    v = models.Avvikelse
    return select(v.id).where(v.datum < cutoff, v.uppdrag_kod.is_not(None))


class GallringRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def preview(self, cutoff: date) -> GallringCounts:
        with self._store.session() as session:
            return GallringCounts(
                len(session.scalars(_uppdrag_to_thin(cutoff)).all()),
                len(session.scalars(_anmalningar_to_thin(cutoff)).all()),
                len(session.scalars(_avvikelser_to_thin(cutoff)).all()),
            )

    def run(self, cutoff: date) -> GallringCounts:
        """Thins everything older than `cutoff` in one transaction."""
        with self._store.transaction() as session:
            uppdrag = session.scalars(_uppdrag_to_thin(cutoff)).all()
            anmalningar = session.scalars(_anmalningar_to_thin(cutoff)).all()
            avvikelser = session.scalars(_avvikelser_to_thin(cutoff)).all()
            now = models.utc_now()
            if uppdrag:
                session.execute(
                    update(models.Uppdrag)
                    .where(models.Uppdrag.id.in_(uppdrag))
                    .values(
                        anteckning=None,
                        ombud_id=None,
                        updated_at=now,
                        version=models.Uppdrag.version + 1,
                    )
                )
                session.execute(
                    delete(models.UppdragPrioritetsgrund).where(
                        models.UppdragPrioritetsgrund.uppdrag_id.in_(uppdrag)
                    )
                )
            if anmalningar:
                session.execute(
                    update(models.KoAnmalan)
                    .where(models.KoAnmalan.id.in_(anmalningar))
                    .values(orsak=None, updated_at=now, version=models.KoAnmalan.version + 1)
                )
            if avvikelser:
                session.execute(
                    update(models.Avvikelse)
                    .where(models.Avvikelse.id.in_(avvikelser))
                    .values(uppdrag_kod=None, updated_at=now, version=models.Avvikelse.version + 1)
                )
            return GallringCounts(len(uppdrag), len(anmalningar), len(avvikelser))
