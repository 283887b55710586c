"""The ledningsgrupp underlag: gathers the period's records and renders the PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from po_desk.domain import underlag
from po_desk.domain.errors import ValidationFailed
from po_desk.domain.underlag import UnderlagData
from po_desk.paths import resource
from po_desk.services.changes import writes
from po_desk.services.files import write_private_file
from po_desk.store.avvikelse_repo import AvvikelseRepository
from po_desk.store.category_repo import CategoryRepository
from po_desk.store.ko_repo import KoRepository
from po_desk.store.ledningsgrupp_repo import LedningsgruppRepository
from po_desk.store.store import Store
from po_desk.store.uppdrag_repo import UppdragRepository
from po_desk.store.verksamhet_repo import VerksamhetRepository

SUPPRESS_SETTING = "underlag_dolj_sma_tal"


class UnderlagService:
    def __init__(self, store: Store) -> None:
        self._verksamhet = VerksamhetRepository(store)
        self._uppdrag = UppdragRepository(store)
        self._ko = KoRepository(store)
        self._avvikelser = AvvikelseRepository(store)
        self._ledningsgrupp = LedningsgruppRepository(store)
        self._categories = CategoryRepository(store)

    @staticmethod
    def default_dates(today: date | None = None) -> tuple[date, date, date]:
        """The form's first and last day (the last full half year) and meeting date."""
        today = today or date.today()
        first, last = underlag.default_period(today)
        return first, last, underlag.default_meeting(today)

    def suppress_small(self) -> bool:
        return self._verksamhet.get_setting(SUPPRESS_SETTING, "ja") == "ja"

    @writes(settings=True)
    def set_suppress_small(self, on: bool) -> None:
        self._verksamhet.set_setting(SUPPRESS_SETTING, "ja" if on else "nej")

    def data(self, fran: date, till: date, mote: date | None = None) -> UnderlagData:
        if fran > till:
            raise ValidationFailed(["Periodens början måste vara före dess slut."])
        verksamhet = self._verksamhet.get()
        return underlag.build(
            verksamhet=verksamhet.namn,
            lan=verksamhet.lan,
            kommuner=tuple(k.namn for k in verksamhet.kommuner),
            fran=fran,
            till=till,
            mote=mote or date.today(),
            uppdrag=self._uppdrag.list_all(),
            anmalningar=self._ko.list_all(),
            avvikelser=self._avvikelser.list_all(),
            meetings=self._ledningsgrupp.meetings(),
            suppress_small=self.suppress_small(),
            catalogue=self._categories.catalogue(),
        )

    def pdf(self, fran: date, till: date, mote: date | None = None) -> bytes:
        from po_desk.reports import underlag_pdf  # reportlab loads on first use

        return underlag_pdf.render(self.data(fran, till, mote), resource("fonts"))

    def export(self, path: Path, fran: date, till: date, mote: date | None = None) -> None:
        """Renders in memory, then writes the file atomically: never a half-written PDF."""
        write_private_file(Path(path), self.pdf(fran, till, mote))
