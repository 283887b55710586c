"""The rules a merged row must meet: the same validation and anonymisation guard as the
same record typed into a form, applied to each row of a merge file as it would be written."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from po_desk.domain import (
    aterrapport_svar,
    intagningsstopp,
    ko,
    ledningsgrupp,
    vantetid,
    verksamhet,
)
from po_desk.domain import avvikelse as avvikelse_rules
from po_desk.domain.aterrapport import MANUAL_FIELDS
from po_desk.domain.avvikelse import Avvikelse
from po_desk.domain.categories import CategoryKind
from po_desk.domain.category_catalogue import DEFAULT_CATALOGUE, CategoryCatalogue
from po_desk.domain.errors import GuardBlocked, GuardNeedsConfirmation
from po_desk.domain.intagningsstopp import Intagningsstopp
from po_desk.domain.ko import Anmalan, KoStatus
from po_desk.domain.ledningsgrupp import Medlem
from po_desk.domain.uppdrag import EARLIEST_DATE, Uppdrag, kod_problems
from po_desk.services import free_text
from po_desk.services.uppdrag_service import NOTE_LABEL, UppdragService

Links = dict[str, list[dict[str, Any]]]


def _codes(links: Links, table: str) -> tuple[str, ...]:
    rows = sorted(links.get(table, []), key=lambda r: (r.get("rang") or 0, str(r.get("code"))))
    return tuple(str(r.get("code")) for r in rows)


def _get(row: dict[str, Any], key: str) -> Any:
    """A value of an incoming row as it came; its type is what the rules check."""
    return row.get(key)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError("text")
    return value


@dataclass
class MergeRules:
    """Checks one incoming row; `kommun_ids` and `grounds` are this store's, `koder` every
    uppdrag code the store will know after the merge."""

    kommun_ids: set[str]
    grounds: set[str]
    koder: set[str]
    today: date
    # This store's categories, so a merged code meets the rules a typed one does.
    catalogue: CategoryCatalogue = DEFAULT_CATALOGUE

    def __call__(
        self, table: str, row: dict[str, Any], links: Links
    ) -> tuple[list[str], list[str]]:
        check = getattr(self, f"_{table}", None)
        if check is None:
            return [], []
        problems, texts = check(row, links)
        warnings: list[str] = []
        try:
            free_text.check(texts)
        except GuardBlocked as error:
            problems.append(error.message)
        except GuardNeedsConfirmation as error:
            warnings.append(error.message)
        return problems, warnings

    # Each returns (problems, free texts by label) for one table's row.

    def _ombud(self, row: dict[str, Any], _links: Links) -> tuple[list[str], dict[str, str]]:
        grad = float(_get(row, "tjanstgoringsgrad"))
        item = verksamhet.Ombud(_text(_get(row, "namn")), _get(row, "kon"), grad, row["fran"],
                                _get(row, "till"))  # fmt: skip
        return verksamhet.validate_ombud(item), {}

    def _category(self, row: dict[str, Any], _links: Links) -> tuple[list[str], dict[str, str]]:
        problems = []
        if _get(row, "kind") not in {kind.value for kind in CategoryKind}:
            problems.append("okänd sorts kategori")
        if not _text(_get(row, "code")).strip() or not _text(_get(row, "namn")).strip():
            problems.append("kategorin saknar kod eller namn")
        return problems, {"Grund": _text(_get(row, "namn"))}

    def _uppdrag(self, row: dict[str, Any], links: Links) -> tuple[list[str], dict[str, str]]:
        item = Uppdrag(
            kon=_get(row, "kon"),
            fodelsear=_get(row, "fodelsear"),
            kommun_id=_get(row, "kommun_id"),
            start=row["start"],
            kontaktorsaker=_codes(links, "uppdrag_kontaktorsak"),
            barn=_get(row, "barn"),
            ombud_id=_get(row, "ombud_id"),
            anmald=_get(row, "anmald"),
            slut=_get(row, "slut"),
            avslutsorsak=_get(row, "avslutsorsak"),
            hanvisad_fran=_get(row, "hanvisad_fran"),
            prioritetsgrunder=_codes(links, "uppdrag_prioritetsgrund"),
            anteckning=_get(row, "anteckning"),
            kod=_text(_get(row, "kod")),
        )
        problems = UppdragService.record_rules(item, self.kommun_ids, self.today)
        problems = [p for p in problems if not p.startswith("Koden ska")]
        problems.extend(kod_problems(item.kod, "", self.today) if item.kod else ["Koden saknas."])
        # The same catalogue check as a typed uppdrag's: an empty or unknown code is refused.
        problems.extend(
            self.catalogue.problems(
                CategoryKind.AVSLUTSORSAK, (item.avslutsorsak,), (), item.slut or item.start
            )
            + self.catalogue.problems(
                CategoryKind.HANVISAD_FRAN, (item.hanvisad_fran,), (), item.start
            )
        )
        if set(item.prioritetsgrunder) - self.grounds:
            problems.append("Okänd prioritetsgrund.")
        return problems, {NOTE_LABEL: _text(item.anteckning)}

    def _ko_anmalan(self, row: dict[str, Any], links: Links) -> tuple[list[str], dict[str, str]]:
        orsak = _text(_get(row, "orsak"))
        item = Anmalan(
            anmald=row["anmald"],
            kon=_get(row, "kon"),
            fodelsear=_get(row, "fodelsear"),
            kommun_id=_get(row, "kommun_id"),
            kontaktorsaker=_codes(links, "ko_anmalan_kontaktorsak"),
            prioritetsgrunder=_codes(links, "ko_anmalan_prioritetsgrund"),
            status=_get(row, "status"),
            erbjuden=_get(row, "erbjuden"),
            status_datum=_get(row, "status_datum"),
            # Gallring empties the reason of an ended anmälan; that is no fault of the row.
            orsak=orsak or "(gallrad)",
            kod=_text(_get(row, "kod")),
        )
        problems = ko.validate(item, self.kommun_ids, self.grounds, self.today)
        if _get(row, "status") not in {status.value for status in KoStatus}:
            problems.append("Okänd status.")
        problems.extend(
            kod_problems(item.kod, ko.KOD_PREFIX, self.today) if item.kod else ["Koden saknas."]
        )
        return problems, {"Orsak": orsak}

    def _prioriteringsordning(
        self, row: dict[str, Any], links: Links
    ) -> tuple[list[str], dict[str, str]]:
        problems = ko.validate_order(_codes(links, "prioriteringsordning_grund"), self.grounds)
        problems.extend(self._date_problems(_get(row, "beslutad"), "Beslutsdatum"))
        return problems, {"Anteckning": _text(_get(row, "anteckning"))}

    def _intagningsstopp(
        self, row: dict[str, Any], _links: Links
    ) -> tuple[list[str], dict[str, str]]:
        period = Intagningsstopp(row["fran"], _get(row, "till"), _text(_get(row, "orsak")))
        problems = intagningsstopp.validate(period) + self._date_problems(period.fran, "Från")
        return problems, {"Orsak": period.orsak}

    def _ledningsgrupp_mote(
        self, row: dict[str, Any], _links: Links
    ) -> tuple[list[str], dict[str, str]]:
        datum = row["datum"]
        problems = self._date_problems(datum, "Mötesdatum")
        if datum > self.today.replace(year=self.today.year + 2):
            problems.append("Mötesdatumet ligger orimligt långt fram.")
        return problems, {"Anteckning": _text(_get(row, "anteckning"))}

    def _ledningsgrupp_medlem(
        self, row: dict[str, Any], _links: Links
    ) -> tuple[list[str], dict[str, str]]:
        member = Medlem(_get(row, "organisation"), _text(_get(row, "roll")), row["fran"],
                        _get(row, "till"))  # fmt: skip
        return ledningsgrupp.validate_member(member), {"Roll": member.roll}

    def _avvikelse(self, row: dict[str, Any], links: Links) -> tuple[list[str], dict[str, str]]:
        item = Avvikelse(
            datum=row["datum"],
            aktor=_get(row, "aktor"),
            niva=_get(row, "niva"),
            kategorier=_codes(links, "avvikelse_kategori"),
            beskrivning=_text(_get(row, "beskrivning")),
            konsekvens=_text(_get(row, "konsekvens")),
            atgarder=_codes(links, "avvikelse_atgard"),
            ombud_id=_get(row, "ombud_id"),
            uppdrag_kod=_get(row, "uppdrag_kod"),
            status=_get(row, "status"),
            mote_id=_get(row, "mote_id"),
            aterkoppling=_text(_get(row, "aterkoppling")),
            aterkoppling_datum=_get(row, "aterkoppling_datum"),
        )
        problems = avvikelse_rules.validate(item, self.koder, self.today)
        problems += self._date_problems(item.datum, "Datum")
        texts = {avvikelse_rules.FREE_TEXT_LABELS[key]: getattr(item, key)
                 for key in ("beskrivning", "konsekvens", "aterkoppling")}  # fmt: skip
        return problems, texts

    def _aterrapport(self, row: dict[str, Any], _links: Links) -> tuple[list[str], dict[str, str]]:
        problems = []
        year = _get(row, "ar")
        if not isinstance(year, int) or not 2000 <= year <= self.today.year:
            problems.append("Året kan inte redovisas.")
        labels = dict(MANUAL_FIELDS)
        # The typed answers kept with the texts (the kö answer, issue 15's answers).
        answer_keys = aterrapport_svar.saved_keys() | {vantetid.ANSWER_KEY, vantetid.REASONS_KEY}
        texts = {aterrapport_svar.GODA_EXEMPEL_KEY: aterrapport_svar.GODA_EXEMPEL_LABEL}
        texts |= {f"kommentar_{key}": label for key, label in aterrapport_svar.KOMMENTARER}
        try:
            manuellt = json.loads(_text(_get(row, "manuellt")) or "{}")
        except ValueError:
            manuellt = None
        if (
            not isinstance(manuellt, dict)
            or set(manuellt) - set(labels) - answer_keys
            or not all(isinstance(v, str) for v in manuellt.values())
        ):
            return [*problems, "De manuella fälten kan inte läsas."], {}
        labels |= texts
        return problems, {labels[key]: text for key, text in manuellt.items() if key in labels}

    @staticmethod
    def _date_problems(day: Any, label: str) -> list[str]:
        if not isinstance(day, date):
            return [f"{label} saknas."]
        if day < EARLIEST_DATE:
            return [f"{label} ligger före {EARLIEST_DATE.year}."]
        return []
