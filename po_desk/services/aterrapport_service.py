"""The yearly återrapport: compute, keep the manual fields, fastställ, compare, export."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from po_desk.domain import aterrapport, aterrapport_svar, aterrapport_v1, return_checks, vantetid
from po_desk.domain import aterrapport_document as doc
from po_desk.domain.aterrapport import Records
from po_desk.domain.aterrapport_tables import ReportTable, tables
from po_desk.domain.errors import (
    ConflictError,
    NeedsConfirmation,
    PartsChanged,
    ValidationFailed,
)
from po_desk.domain.verksamhet import SettingValue
from po_desk.paths import resource
from po_desk.services import free_text, return_schema
from po_desk.services.changes import writes
from po_desk.services.files import write_private_file
from po_desk.services.official_places import official_places
from po_desk.store.aterrapport_repo import AterrapportRepository, SavedReturn
from po_desk.store.avvikelse_repo import AvvikelseRepository
from po_desk.store.category_repo import CategoryRepository
from po_desk.store.ko_repo import KoRepository
from po_desk.store.ledningsgrupp_repo import LedningsgruppRepository
from po_desk.store.prioritering_repo import PrioriteringRepository
from po_desk.store.store import Store
from po_desk.store.uppdrag_repo import UppdragRepository
from po_desk.store.verksamhet_repo import VerksamhetRepository

FORMATS = ("pdf", "json", "csv")
THRESHOLD_SETTING = "ko_troskel_dagar"


class AterrapportService:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._saved = AterrapportRepository(store)
        self._verksamhet = VerksamhetRepository(store)
        self._uppdrag = UppdragRepository(store)
        self._ko = KoRepository(store)
        self._prioritering = PrioriteringRepository(store)
        self._ledningsgrupp = LedningsgruppRepository(store)
        self._avvikelser = AvvikelseRepository(store)
        self._categories = CategoryRepository(store)

    def years(self, today: date | None = None) -> tuple[list[int], int]:
        """The years a return can be chosen for, newest first (this year back to the
        verksamhet's start, at least last year), and the one chosen at first: last year."""
        this_year = (today or date.today()).year
        first = min(self._verksamhet.get().start_ar, this_year - 1)
        return list(range(this_year, first - 1, -1)), this_year - 1

    def _check_year(self, year: int) -> None:
        if not 2000 <= year <= date.today().year:
            raise ValidationFailed([f"Året {year} kan inte redovisas."])

    def records(self, year: int) -> Records:
        """What the year's return is computed from: only the rows that can count in it,
        so a register of many years computes as quickly as a young one (tests check the
        result equals the one from every row)."""
        first, last = date(year, 1, 1), date(year, 12, 31)
        return Records(
            verksamhet=official_places().with_codes(self._verksamhet.get()),
            # Y−1 too: a ny klient is one with no uppdrag active in the year before.
            uppdrag=self._uppdrag.not_ended_before(date(year - 1, 1, 1)),
            anmalningar=self._ko.not_started_by(last),
            stopp=self._prioritering.stopp(),
            versions=self._prioritering.versions(),
            # Category names as they were at the end of the year (dated facts).
            ground_names=self._prioritering.ground_names_on(last),
            ombud=self._verksamhet.list_ombud(),
            members=self._ledningsgrupp.members(),
            meetings=self._ledningsgrupp.meetings(),
            avvikelser=self._avvikelser.between(first, last),
            manuellt=self._saved.get(year).manuellt,
            ko_troskel_dagar=self.ko_threshold(),
            catalogue=self._categories.catalogue(),
        )

    # -- the kö answer -------------------------------------------------------------------

    def ko_threshold(self) -> int:
        """Days a wait must exceed for the records to propose "hade kö" (store setting)."""
        return self.ko_threshold_setting().value

    def ko_threshold_setting(self) -> SettingValue[int]:
        default = vantetid.DEFAULT_THRESHOLD_DAYS
        raw, version = self._verksamhet.setting(THRESHOLD_SETTING, str(default))
        return SettingValue(int(raw) if raw.isdigit() else default, version)

    @writes(settings=True, aterrapport=True)
    def set_ko_threshold(self, days: int, loaded: int | None = None) -> int:
        """`loaded`: the setting's version the form showed (None: not checked); returns
        the version now stored."""
        if not 1 <= days <= 365:
            raise ValidationFailed(["Gränsen för kö ska vara mellan 1 och 365 dagar."])
        return self._verksamhet.set_setting(THRESHOLD_SETTING, str(days), loaded, "Gränsen för kö")

    # -- several people at once: the manual parts as a form loaded them ---------------

    def loaded_manual(self, year: int) -> aterrapport_svar.LoadedManual:
        """What a form loads with the year's answers: its save is refused for a part
        someone else changed since (ConflictError), other parts are merged."""
        return aterrapport_svar.LoadedManual(dict(self._saved.get(year).manuellt))

    def manual_after_conflict(
        self, year: int, loaded: aterrapport_svar.LoadedManual, error: ConflictError
    ) -> aterrapport_svar.LoadedManual:
        """The form keeps what was typed and takes the conflicting parts as stored now, so
        that saving again overwrites the other change knowingly."""
        parts = error.parts if isinstance(error, PartsChanged) else ()
        return loaded.adopting(self._saved.get(year).manuellt, parts)

    def _update_manual(
        self,
        year: int,
        changes: dict[str, str],
        loaded: aterrapport_svar.LoadedManual | None,
    ) -> aterrapport_svar.LoadedManual | None:
        self._saved.update_manual(year, changes, loaded)
        return loaded.after_save(changes) if loaded is not None else None

    def ko_answer(self, year: int) -> vantetid.KoAnswer:
        return vantetid.answer_from(self._saved.get(year).manuellt)

    def _check_open(self, year: int) -> None:
        if self._saved.get(year).faststalld is not None:
            raise ValidationFailed([f"Återrapporten för {year} är fastställd."])

    @writes(aterrapport=True)
    def save_ko_answer(
        self,
        year: int,
        answer: vantetid.KoAnswer,
        loaded: aterrapport_svar.LoadedManual | None = None,
    ) -> aterrapport_svar.LoadedManual | None:
        """The enhetschef's answer to "hade kö" (None = let the proposal stand) and the
        reasons; kept with the year's other answers. `loaded` (None: not checked): the
        answers as the form loaded them; returned as they stand after the save."""
        self._check_year(year)
        self._check_open(year)
        proposal = self.compute(year)["ko"]["hade_ko_forslag"]
        problems = vantetid.answer_problems(answer, proposal)
        if problems:
            raise ValidationFailed(problems)
        return self._update_manual(year, vantetid.answer_to(answer), loaded)

    # -- the countable answers and the statsbidrag (issue 15) ----------------------------

    def svar(self, year: int) -> aterrapport_svar.Svar:
        return aterrapport_svar.svar_from(self._saved.get(year).manuellt)

    @staticmethod
    def svar_problems(svar: aterrapport_svar.Svar) -> list[str]:
        """What is wrong with the answers before they are saved (the form shows it)."""
        return aterrapport_svar.svar_problems(svar)

    @writes(aterrapport=True)
    def save_svar(
        self,
        year: int,
        svar: aterrapport_svar.Svar,
        warnings_confirmed: bool = False,
        loaded: aterrapport_svar.LoadedManual | None = None,
    ) -> aterrapport_svar.LoadedManual | None:
        """The year's countable answers; their texts pass the anonymisation guard.
        `loaded`: as for save_ko_answer."""
        self._check_year(year)
        self._check_open(year)
        problems = aterrapport_svar.svar_problems(svar)
        if problems:
            raise ValidationFailed(problems)
        free_text.check(dict(svar.free_texts()), warnings_confirmed)
        return self._update_manual(year, aterrapport_svar.svar_to(svar), loaded)

    def statsbidrag(self, year: int) -> aterrapport_svar.Statsbidrag:
        return aterrapport_svar.statsbidrag_from(self._saved.get(year).manuellt)

    @writes(aterrapport=True)
    def save_statsbidrag(
        self,
        year: int,
        bidrag: aterrapport_svar.Statsbidrag,
        loaded: aterrapport_svar.LoadedManual | None = None,
    ) -> aterrapport_svar.LoadedManual | None:
        """`loaded`: as for save_ko_answer."""
        self._check_year(year)
        self._check_open(year)
        problems = aterrapport_svar.statsbidrag_problems(bidrag)
        if problems:
            raise ValidationFailed(problems)
        return self._update_manual(year, aterrapport_svar.statsbidrag_to(bidrag), loaded)

    def covers(self, year: int) -> bool:
        """Whether the register covers `year`, so a return for it is due: the verksamhet's
        start year is `year` or earlier, or the register holds records in the year (an
        uppdrag active in it, an anmälan waiting in it, an avvikelse or a meeting dated in
        it). A register started in 2026 with nothing older does not cover 2025."""
        if self._verksamhet.get().start_ar <= year:
            return True
        if not 2000 <= year <= date.today().year:
            return False
        first, last = date(year, 1, 1), date(year, 12, 31)
        records = self.records(year)
        return (
            any(u.start <= last for u in records.uppdrag)
            or any(
                a.anmald <= last and (a.status_datum is None or a.status_datum >= first)
                for a in records.anmalningar
            )
            or bool(records.avvikelser)
            or any(first <= m.datum <= last for m in records.meetings)
        )

    def compute(self, year: int) -> doc.Aterrapport:
        """The return as the records give it now."""
        self._check_year(year)
        return aterrapport.build(self.records(year), year)

    def saved(self, year: int) -> SavedReturn:
        return self._saved.get(year)

    def document(self, year: int) -> doc.WrittenReturn:
        """What is exported: the fastställd figures when the year is fastställd (of the
        schema version they were written to), else now."""
        saved = self._saved.get(year)
        return saved.faststalld if saved.faststalld is not None else self.compute(year)

    def previous_document(self, year: int) -> doc.Aterrapport | None:
        """Last year's return, to show beside this year's: the fastställd one if there is
        one, else as the records give it now; None when the register does not cover it."""
        previous = year - 1
        if previous < 2000:
            return None
        saved = self._saved.get(previous)
        if saved.faststalld is not None:
            return aterrapport_v1.upgrade(saved.faststalld)
        return self.compute(previous) if self.covers(previous) else None

    def tables_with_previous(
        self, year: int, document: doc.WrittenReturn | None = None
    ) -> list[ReportTable]:
        """The return's tables with last year's figure and the change beside each figure
        (plain tables when there is no previous year)."""
        document = document if document is not None else self.document(year)
        current = tables(document)
        previous = self.previous_document(year)
        if previous is None:
            return current
        # Rows are matched by their label: last year's figures are labelled with this
        # year's category names, so a category renamed in between stays one row.
        relabelled = {k: v for k, v in previous.items() if k != "kategorinamn"}
        if "kategorinamn" in document:
            relabelled["kategorinamn"] = document["kategorinamn"]
        # Only here: the compilation's tables are not needed to export a return.
        from po_desk.domain.sammanstallning_tables import tables_beside

        return tables_beside(current, tables(relabelled), year - 1)

    @writes(aterrapport=True)
    def save_manual(
        self,
        year: int,
        manuellt: dict[str, str],
        warnings_confirmed: bool = False,
        loaded: aterrapport_svar.LoadedManual | None = None,
    ) -> aterrapport_svar.LoadedManual | None:
        """The manual texts; `loaded`: as for save_ko_answer."""
        self._check_year(year)
        self._check_open(year)  # a fastställd return is what was sent: it stays as it is
        labels = dict(aterrapport.MANUAL_FIELDS)
        unknown = set(manuellt) - set(labels)
        if unknown:
            raise ValidationFailed(["Okänt fält i återrapporten."])
        free_text.check({labels[key]: text for key, text in manuellt.items()}, warnings_confirmed)
        # The other fields (the kö answer, the svar) are kept, in the same transaction.
        changes = {key: text.strip() for key, text in manuellt.items()}
        return self._update_manual(year, changes, loaded)

    def previous(self, year: int) -> doc.WrittenReturn | None:
        """The year before's return (fastställd, else computed), if the register covers it."""
        if year - 1 < 2000 or not self.covers(year - 1):
            return None
        return aterrapport_v1.upgrade(self.document(year - 1), only_reshape=True)

    def checks(
        self, year: int, document: doc.Aterrapport | None = None
    ) -> list[return_checks.Finding]:
        """The consistency rules on the year's return, against the year before."""
        document = self.compute(year) if document is None else document
        return return_checks.check(
            document, date.today().year, previous=self.previous(year), places=official_places()
        )

    @writes(aterrapport=True)
    def freeze(self, year: int, warnings_confirmed: bool = False) -> doc.Aterrapport:
        """Fastställ: the figures of now become the submitted return. A return that breaks
        a consistency rule is refused; one with warnings needs `warnings_confirmed`."""
        document = self.compute(year)
        findings = self.checks(year, document)
        errors = return_checks.errors(findings)
        if errors:
            raise ValidationFailed(
                [f"Återrapporten för {year} kan inte fastställas:"] + [f.line() for f in errors]
            )
        warnings = return_checks.warnings(findings)
        if warnings and not warnings_confirmed:
            raise NeedsConfirmation([f.line() for f in warnings])
        self._saved.freeze(year, document, self._store.actor, datetime.now(UTC))
        return document

    @writes(aterrapport=True)
    def unfreeze(self, year: int) -> None:
        self._saved.unfreeze(year)

    def differences(self, year: int) -> list[tuple[str, Any, Any]]:
        saved = self._saved.get(year)
        if saved.faststalld is None:
            return []
        return aterrapport.differences(
            aterrapport_v1.upgrade(saved.faststalld, only_reshape=True),
            self.compute(year),
            only_submitted=aterrapport_v1.is_v1(saved.faststalld),
        )

    def render(self, year: int, form: str) -> bytes:
        if form not in FORMATS:
            raise ValidationFailed([f"Okänt format {form}; välj pdf, json eller csv."])
        document = self.document(year)
        if form == "json":
            return_schema.check(document)
            text = json.dumps(document, ensure_ascii=False, indent=2)
            return text.encode("utf-8")
        if form == "csv":
            from po_desk.reports import aterrapport_csv  # reportlab loads on first use

            return aterrapport_csv.render(document)
        saved = self._saved.get(year)
        from po_desk.reports import aterrapport_pdf  # reportlab loads on first use

        return aterrapport_pdf.render(document, resource("fonts"), faststalld=saved.faststalld_at)

    def export(self, path: Path, year: int, form: str) -> None:
        """Rendered in memory, then written atomically; only for a year the register
        covers (an all-zero return of a year before the verksamhet is no return)."""
        self._check_year(year)
        if not self.covers(year):
            start = self._verksamhet.get().start_ar
            raise ValidationFailed(
                [f"Registret täcker inte {year}: verksamheten startade {start} och registret "
                 f"har inga uppgifter från {year}."]
            )  # fmt: skip
        write_private_file(Path(path), self.render(year, form))
