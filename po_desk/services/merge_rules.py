"""The rules a merged row must meet: the same validation and anonymisation guard as the
same record typed into a form, applied to each row of a merge file as it would be written."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from po_desk.domain import avvikelse as avvikelse_rules
from po_desk.domain import categories, intagningsstopp, ko, ledningsgrupp, verksamhet
from po_desk.domain.aterrapport import MANUAL_FIELDS
from po_desk.domain.avvikelse import Avvikelse
from po_desk.domain.categories import CategoryKind
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
        grad = float(row.get("tjanstgoringsgrad"))
        item = verksamhet.Ombud(_text(row.get("namn")), row.get("kon"), grad, row["fran"],
                                row.get("till"))  # fmt: skip
        return verksamhet.validate_ombud(item), {}

    def _category(self, row: dict[str, Any], _links: Links) -> tuple[list[str], dict[str, str]]:
        problems = []
        if row.get("kind") not in {kind.value for kind in CategoryKind}:
            problems.append("okänd sorts kategori")
        if not _text(row.get("code")).strip() or not _text(row.get("namn")).strip():
            problems.append("kategorin saknar kod eller namn")
        return problems, {"Grund": _text(row.get("namn"))}

    def _uppdrag(self, row: dict[str, Any], links: Links) -> tuple[list[str], dict[str, str]]:
        item = Uppdrag(
            kon=row.get("kon"),
            fodelsear=row.get("fodelsear"),
            kommun_id=row.get("kommun_id"),
            start=row["start"],
            kontaktorsaker=_codes(links, "uppdrag_kontaktorsak"),
            barn=row.get("barn"),
            ombud_id=row.get("ombud_id"),
            anmald=row.get("anmald"),
            slut=row.get("slut"),
            avslutsorsak=row.get("avslutsorsak"),
            hanvisad_fran=row.get("hanvisad_fran"),
            prioritetsgrunder=_codes(links, "uppdrag_prioritetsgrund"),
            anteckning=row.get("anteckning"),
            kod=_text(row.get("kod")),
        )
        problems = UppdragService.record_rules(item, self.kommun_ids, self.today)
        problems = [p for p in problems if not p.startswith("Koden ska")]
        problems.extend(kod_problems(item.kod, "", self.today) if item.kod else ["Koden saknas."])
        if item.avslutsorsak and item.avslutsorsak not in categories.codes(
            categories.AVSLUTSORSAKER
        ):
            problems.append("Okänd avslutsorsak.")
        if item.hanvisad_fran and item.hanvisad_fran not in categories.codes(
            categories.HANVISAD_FRAN
        ):
            problems.append("Okänt värde för hänvisad från.")
        if set(item.prioritetsgrunder) - self.grounds:
            problems.append("Okänd prioritetsgrund.")
        return problems, {NOTE_LABEL: _text(item.anteckning)}

    def _ko_anmalan(self, row: dict[str, Any], links: Links) -> tuple[list[str], dict[str, str]]:
        orsak = _text(row.get("orsak"))
        item = Anmalan(
            anmald=row["anmald"],
            kon=row.get("kon"),
            fodelsear=row.get("fodelsear"),
            kommun_id=row.get("kommun_id"),
            kontaktorsaker=_codes(links, "ko_anmalan_kontaktorsak"),
            prioritetsgrunder=_codes(links, "ko_anmalan_prioritetsgrund"),
            status=row.get("status"),
            erbjuden=row.get("erbjuden"),
            status_datum=row.get("status_datum"),
            # Gallring empties the reason of an ended anmälan; that is no fault of the row.
            orsak=orsak or "(gallrad)",
            kod=_text(row.get("kod")),
        )
        problems = ko.validate(item, self.kommun_ids, self.grounds, self.today)
        if row.get("status") not in {status.value for status in KoStatus}:
            problems.append("Okänd status.")
        problems.extend(
            kod_problems(item.kod, ko.KOD_PREFIX, self.today) if item.kod else ["Koden saknas."]
        )
        return problems, {"Orsak": orsak}

    def _prioriteringsordning(
        self, row: dict[str, Any], links: Links
    ) -> tuple[list[str], dict[str, str]]:
        problems = ko.validate_order(_codes(links, "prioriteringsordning_grund"), self.grounds)
        problems.extend(self._date_problems(row.get("beslutad"), "Beslutsdatum"))
        return problems, {"Anteckning": _text(row.get("anteckning"))}

    def _intagningsstopp(
        self, row: dict[str, Any], _links: Links
    ) -> tuple[list[str], dict[str, str]]:
        period = Intagningsstopp(row["fran"], row.get("till"), _text(row.get("orsak")))
        problems = intagningsstopp.validate(period) + self._date_problems(period.fran, "Från")
        return problems, {"Orsak": period.orsak}

    def _ledningsgrupp_mote(
        self, row: dict[str, Any], _links: Links
    ) -> tuple[list[str], dict[str, str]]:
        datum = row["datum"]
        problems = self._date_problems(datum, "Mötesdatum")
        if datum > self.today.replace(year=self.today.year + 2):
            problems.append("Mötesdatumet ligger orimligt långt fram.")
        return problems, {"Anteckning": _text(row.get("anteckning"))}

    def _ledningsgrupp_medlem(
        self, row: dict[str, Any], _links: Links
    ) -> tuple[list[str], dict[str, str]]:
        member = Medlem(row.get("organisation"), _text(row.get("roll")), row["fran"],
                        row.get("till"))  # fmt: skip
        return ledningsgrupp.validate_member(member), {"Roll": member.roll}

    def _avvikelse(self, row: dict[str, Any], links: Links) -> tuple[list[str], dict[str, str]]:
        item = Avvikelse(
            datum=row["datum"],
            aktor=row.get("aktor"),
            niva=row.get("niva"),
            kategorier=_codes(links, "avvikelse_kategori"),
            beskrivning=_text(row.get("beskrivning")),
            konsekvens=_text(row.get("konsekvens")),
            atgarder=_codes(links, "avvikelse_atgard"),
            ombud_id=row.get("ombud_id"),
            uppdrag_kod=row.get("uppdrag_kod"),
            status=row.get("status"),
            mote_id=row.get("mote_id"),
            aterkoppling=_text(row.get("aterkoppling")),
            aterkoppling_datum=row.get("aterkoppling_datum"),
        )
        problems = avvikelse_rules.validate(item, self.koder, self.today)
        problems += self._date_problems(item.datum, "Datum")
        texts = {avvikelse_rules.FREE_TEXT_LABELS[key]: getattr(item, key)
                 for key in ("beskrivning", "konsekvens", "aterkoppling")}  # fmt: skip
        return problems, texts

    def _aterrapport(self, row: dict[str, Any], _links: Links) -> tuple[list[str], dict[str, str]]:
        problems = []
        year = row.get("ar")
        if not isinstance(year, int) or not 2000 <= year <= self.today.year:
            problems.append("Året kan inte redovisas.")
        labels = dict(MANUAL_FIELDS)
        try:
            manuellt = json.loads(_text(row.get("manuellt")) or "{}")
        except ValueError:
            manuellt = None
        if (
            not isinstance(manuellt, dict)
            or set(manuellt) - set(labels)
            or not all(isinstance(v, str) for v in manuellt.values())
        ):
            return [*problems, "De manuella fälten kan inte läsas."], {}
        return problems, {labels[key]: text for key, text in manuellt.items()}

    @staticmethod
    def _date_problems(day: Any, label: str) -> list[str]:
        if not isinstance(day, date):
            return [f"{label} saknas."]
        if day < EARLIEST_DATE:
            return [f"{label} ligger före {EARLIEST_DATE.year}."]
        return []
