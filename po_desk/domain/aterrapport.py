"""The yearly återrapport to the länsstyrelse (DESIGN §4–5), computed from the records.

The result is the interchange document itself: a JSON-ready dict with Swedish keys without
diacritics and stable category ids (`schema: po-desk/aterrapport/2`), typed section by
section in `aterrapport_document`. The PDF, the CSV and the report view all render this
one document; totals are always derived, never typed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypedDict, cast

from po_desk.domain import aterrapport_document as doc
from po_desk.domain import (
    aterrapport_svar,
    categories,
    counting,
    intagningsstopp,
    ko,
    ledningsgrupp,
    vantetid,
)
from po_desk.domain.avvikelse import Avvikelse
from po_desk.domain.categories import CategoryKind
from po_desk.domain.category_catalogue import DEFAULT_CATALOGUE, CategoryCatalogue
from po_desk.domain.intagningsstopp import Intagningsstopp
from po_desk.domain.ko import Anmalan, Prioriteringsordning
from po_desk.domain.ledningsgrupp import Medlem, Mote
from po_desk.domain.uppdrag import AGE_GROUPS, Uppdrag, age_group, age_in_year, barn_during
from po_desk.domain.verksamhet import Ombud, Verksamhet

SCHEMA = "po-desk/aterrapport/2"
KON_CODES: tuple[doc.Kon, ...] = ("kvinna", "man", "annan")
AGE_LABELS = tuple(label for label, _, _ in AGE_GROUPS)
# Figures added to the return since schema 1: a return fastställd before has none.
ADDED_FIELDS = frozenset({"ombud.tjanster_31_dec", "verksamhet.lan_kod", "verksamhet.kommunkoder"})
# Whole sections added since schema 1 (issue 15): every path under them is new.
ADDED_SECTIONS = (
    "svar.",
    "statsbidrag.",
    "klienter.hanvisad_fran.",
    "avslutade.",
    "ko.ej_aktuella.",
)
MANUAL_FIELDS: tuple[tuple[str, str], ...] = (
    ("handledning", "Handledning"),
    ("fortbildning", "Fortbildning"),
    ("forandringar_malgrupp", "Förändringar i målgruppen"),
    ("ekonomisk_redovisning", "Ekonomisk redovisning"),
    ("kommentarer", "Övriga kommentarer"),
)


@dataclass
class Records:
    """Everything the return is computed from."""

    verksamhet: Verksamhet
    uppdrag: list[Uppdrag]
    anmalningar: list[Anmalan] = field(default_factory=list)
    stopp: list[Intagningsstopp] = field(default_factory=list)
    versions: list[Prioriteringsordning] = field(default_factory=list)
    ground_names: dict[str, str] = field(default_factory=dict)
    ombud: list[Ombud] = field(default_factory=list)
    members: list[Medlem] = field(default_factory=list)
    meetings: list[Mote] = field(default_factory=list)
    avvikelser: list[Avvikelse] = field(default_factory=list)
    manuellt: dict[str, str] = field(default_factory=dict)
    ko_troskel_dagar: int = vantetid.DEFAULT_THRESHOLD_DAYS
    # The store's category reference data (order, added entries, dated names).
    catalogue: CategoryCatalogue = DEFAULT_CATALOGUE


def _per_kon(counter: Counter[str]) -> doc.PerKon:
    kvinna, man, annan = (counter.get(kon, 0) for kon in KON_CODES)
    return {"kvinna": kvinna, "man": man, "annan": annan, "totalt": kvinna + man + annan}


def _age_row(ages: Counter[str] | dict[str, int]) -> doc.AgeRow:
    row = {label: ages.get(label, 0) for label in AGE_LABELS}
    row["totalt"] = sum(row.values())
    # The keys are AGE_LABELS and "totalt", as tests/test_report_types.py checks.
    return cast(doc.AgeRow, row)


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def klienter(
    items: list[Uppdrag], year: int, counted: counting.PeriodCount | None = None
) -> doc.Klienter:
    """Persons, not uppdrag (DESIGN §4); `items` must hold every uppdrag active in Y−1.
    `counted`: the year already counted (one count serves every section of a return)."""
    counted = counted or counting.count_year(items, year)
    during = counted.active
    rows: dict[str, doc.AgeRow] = {}
    for kon in KON_CODES:
        rows[kon] = _age_row(
            Counter(
                age_group(age_in_year(p.fodelsear, year)) or AGE_LABELS[0]
                for p in during
                if p.kon == kon
            )
        )
    summed = {label: sum(doc.counts(rows[kon])[label] for kon in KON_CODES) for label in AGE_LABELS}
    kon_alder: doc.KonAlder = {
        "kvinna": rows["kvinna"],
        "man": rows["man"],
        "annan": rows["annan"],
        "totalt": _age_row(summed),
    }
    first, last = date(year, 1, 1), date(year, 12, 31)
    med_barn = _per_kon(
        Counter(p.kon for p in during if any(barn_during(u, first, last) for u in p.periods))
    )
    return {
        "totalt": len(during),
        "nya": len(counted.nya),
        "avslutade": len(counted.avslutade),
        "kvarstaende": len(counted.kvarstaende),
        "kon_alder": kon_alder,
        "med_barn": {**med_barn, "andel": _share(med_barn["totalt"], len(during))},
        "nya_per_kon": _per_kon(Counter(p.kon for p in counted.nya)),
        "hanvisad_fran": aterrapport_svar.hanvisad_fran(items, year),
    }


def kontaktorsaker(
    items: list[Uppdrag], year: int, counted: counting.PeriodCount | None = None
) -> doc.Kontaktorsaker:
    """Over the nya klienter of Y, from their uppdrag that started in Y; a person counts
    once per orsak."""
    counted = counted or counting.count_year(items, year)
    orsaker = {
        p.key: {code for u in counted.started_in_period(p) for code in u.kontaktorsaker}
        for p in counted.nya
    }
    per_kon_nya = _per_kon(Counter(p.kon for p in counted.nya))
    result: dict[str, doc.KontaktorsakRow] = {}
    for orsak in categories.KONTAKTORSAKER:
        per_kon = _per_kon(Counter(p.kon for p in counted.nya if orsak.code in orsaker[p.key]))
        share = {
            key: _share(n, doc.counts(per_kon_nya)[key]) for key, n in doc.counts(per_kon).items()
        }
        row: doc.KontaktorsakRow = {**per_kon, "andel": cast(doc.Andelar, share)}  # PerKon's keys
        result[orsak.code] = row
    # The keys are the codes of categories.KONTAKTORSAKER, as tests/test_report_types.py checks.
    return cast(doc.Kontaktorsaker, result)


def _wait(summary: vantetid.WaitSummary) -> doc.Vantetid:
    return {"min": summary.min, "median": summary.median, "max": summary.max}


def ko_section(records: Records, year: int) -> doc.Ko:
    figures = vantetid.year_figures(
        records.anmalningar, records.uppdrag, records.stopp, year, records.ko_troskel_dagar
    )
    started = figures.startade_fran_ko
    basis = figures.basis
    assert basis is not None and figures.per_kommun is not None
    answer = vantetid.answer_from(records.manuellt)
    hade_ko = figures.hade_ko if answer.hade_ko is None else answer.hade_ko
    names = {k.id: k.namn for k in records.verksamhet.kommuner}
    kommun_ids = [k.id for k in records.verksamhet.kommuner]
    kommun_ids += [k for k in figures.per_kommun if k not in names]
    empty = vantetid.KommunKoFigures(vantetid.summarise([]), 0, None)
    return {
        "hade_ko": hade_ko,
        "hade_ko_forslag": figures.hade_ko,
        "hade_ko_besvarad": answer.hade_ko is not None,
        "hade_ko_underlag": {
            "troskel_dagar": basis.troskel_dagar,
            "vantat_over_troskel": basis.over_troskel,
            "langsta_vantan_dagar": basis.langsta_dagar,
            "intagningsstopp_dagar": basis.intagningsstopp_dagar,
        },
        "orsaker": list(answer.orsaker) if hade_ko else [],
        "vantande_31_dec": figures.vantande_31_dec,
        "vantande_31_dec_langst_dagar": figures.vantande_langst_dagar,
        "startade_fran_ko": started.antal,
        "vantetid_dagar": _wait(started),
        # The keys are the labels of vantetid.BINS, as tests/test_report_types.py checks.
        "fordelning": cast(doc.Fordelning, figures.fordelning),
        "intagningsstopp_dagar": figures.intagningsstopp_dagar,
        "intagningsstopp": [
            {"fran": p.fran.isoformat(), "till": p.till.isoformat() if p.till else None}
            for p in records.stopp
            if intagningsstopp.days_in_year([p], year)
        ],
        "per_kommun": [
            {
                "kommun": names.get(kommun, kommun),
                "startade_fran_ko": here.startade_fran_ko.antal,
                "vantetid_dagar": _wait(here.startade_fran_ko),
                "vantande_31_dec": here.vantande_31_dec,
                "vantande_31_dec_langst_dagar": here.vantande_langst_dagar,
            }
            for kommun in kommun_ids
            for here in [figures.per_kommun.get(kommun, empty)]
        ],
        "ej_aktuella": aterrapport_svar.ej_aktuella(records.anmalningar, year),
    }


def prioriteringsordning(records: Records, year: int) -> doc.Prioriteringsordning:
    """The decision in force on 31 December: an ordning with its ranks, the decision that
    there is none, or nothing decided (a proposal is never reported)."""
    version = ko.in_force(records.versions, date(year, 12, 31))
    decided = version is not None
    has = version is not None and not version.ingen
    return {
        "har_prioriteringsordning": has,
        "beslutad": decided,
        "beslutsdatum": version.beslutad.isoformat() if version is not None else None,
        "beslutad_av": version.beslutad_av if version is not None else None,
        "grunder": [
            {"rang": rank, "grund": code, "namn": records.ground_names.get(code, code)}
            for rank, code in enumerate(version.grunder, start=1)
        ]
        if has and version is not None
        else [],
    }


def ombud_section(staff: list[Ombud], year: int) -> doc.Ombud:
    """Antal, tjänster on 31 Dec (Σ grad) and årsarbetare (Σ grad × share of the year),
    each ombud's grad taken from the period in force on each day (DESIGN §3)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    days_in_year = (last - first).days + 1
    active = [o for o in staff if o.fran <= last and (o.till is None or o.till >= first)]
    arsarbetare = sum(o.grad_days(first, last) for o in active) / days_in_year
    tjanster = sum(o.grad_on(last) for o in active if o.active_on(last))
    kvinna, man, annan = (sum(1 for o in active if o.kon == kon) for kon in KON_CODES)
    return {
        "antal": len(active),
        # Floats even when nobody served (a sum of nothing is the int 0): every output
        # shows them with two decimals.
        "arsarbetare": round(float(arsarbetare), 2),
        "tjanster_31_dec": round(float(tjanster), 2),
        "kvinna": kvinna,
        "man": man,
        "annan": annan,
    }


def ledningsgrupp_section(records: Records, year: int) -> doc.Ledningsgrupp:
    last = date(year, 12, 31)
    composition = ledningsgrupp.sammansattning(records.members, last)
    return {
        "fulltalig": composition.fulltalig,
        "saknas": list(composition.saknas),
        "moten": len(ledningsgrupp.meetings_in(records.meetings, date(year, 1, 1), last)),
        "organisationer": sorted({m.organisation for m in records.members if m.active_on(last)}),
    }


def _position(codes: tuple[str, ...]) -> Callable[[str], tuple[int, str]]:
    """A sort key: the reference order, codes outside it last, alphabetically."""
    index = {code: number for number, code in enumerate(codes)}
    return lambda code: (index.get(code, len(index)), code)


def brister(
    items: list[Avvikelse], year: int, catalogue: CategoryCatalogue = DEFAULT_CATALOGUE
) -> doc.Brister:
    in_year = sorted(
        (a for a in items if a.datum.year == year), key=lambda a: (a.datum, a.id or "")
    )
    pairs = Counter((a.aktor, a.niva) for a in in_year)
    aktor_key = _position(catalogue.codes(CategoryKind.AKTOR))
    niva_key = _position(catalogue.codes(CategoryKind.NIVA))
    per_aktor_niva: list[doc.AktorNiva] = [
        {"aktor": aktor, "niva": niva, "antal": count}
        for (aktor, niva), count in sorted(
            pairs.items(), key=lambda p: (aktor_key(p[0][0]), niva_key(p[0][1]))
        )
    ]
    kategorier = Counter(code for a in in_year for code in a.kategorier)
    atgarder = Counter(code for a in in_year for code in a.atgarder)
    kategori_key = _position(catalogue.codes(CategoryKind.BRISTKATEGORI))
    atgard_key = _position(catalogue.codes(CategoryKind.ATGARD))
    return {
        "antal": len(in_year),
        "per_aktor_niva": per_aktor_niva,
        "per_aktor": dict(Counter(a.aktor for a in in_year).most_common()),
        # Every code counted, the verksamhet's added entries too, in the catalogue order.
        "per_kategori": {code: kategorier[code] for code in sorted(kategorier, key=kategori_key)},
        "atgarder": {code: atgarder[code] for code in sorted(atgarder, key=atgard_key)},
        "med_aterkoppling": sum(1 for a in in_year if a.aterkoppling.strip()),
        "texter": [
            {
                "datum": a.datum.isoformat(),
                "aktor": a.aktor,
                "niva": a.niva,
                "kategorier": list(a.kategorier),
                "beskrivning": a.beskrivning,
                "konsekvens": a.konsekvens,
                "atgarder": list(a.atgarder),
                "status": a.status,
                "aterkoppling": a.aterkoppling,
            }
            for a in in_year
        ],
    }


def kommuner_served(verksamhet: Verksamhet, year: int) -> list[str]:
    """The kommuner served at some time in the year (dated facts, DESIGN §3); a year
    outside every kommun's dates (before the verksamhet began) lists them all."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    served = [k.namn for k in verksamhet.kommuner if k.served_during(first, last)]
    return served or [k.namn for k in verksamhet.kommuner]


class PlaceCodes(TypedDict, total=False):
    lan_kod: str
    kommunkoder: list[str]


def place_codes(verksamhet: Verksamhet, year: int) -> PlaceCodes:
    """SCB's läns- and kommunkoder of the return, in the order of `kommuner_served`; left
    out when a name is not on the official list (the consistency check then refuses it)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    served = [k for k in verksamhet.kommuner if k.served_during(first, last)]
    served = served or list(verksamhet.kommuner)
    codes: PlaceCodes = {}
    if verksamhet.lan_kod:
        codes["lan_kod"] = verksamhet.lan_kod
    if served and all(k.kod for k in served):
        codes["kommunkoder"] = [k.kod for k in served]
    return codes


def build(records: Records, year: int) -> doc.Aterrapport:
    verksamhet = records.verksamhet
    counted = counting.count_year(records.uppdrag, year)
    ombud = ombud_section(records.ombud, year)
    return {
        "schema": SCHEMA,
        "ar": year,
        "verksamhet": {
            "namn": verksamhet.namn,
            "lan": verksamhet.lan,
            "kommuner": kommuner_served(verksamhet, year),
            "huvudman": verksamhet.huvudman,
            **place_codes(verksamhet, year),
        },
        "klienter": klienter(records.uppdrag, year, counted),
        "kontaktorsaker": kontaktorsaker(records.uppdrag, year, counted),
        "ko": ko_section(records, year),
        "prioriteringsordning": prioriteringsordning(records, year),
        "ombud": ombud,
        "ledningsgrupp": ledningsgrupp_section(records, year),
        "brister": brister(records.avvikelser, year, records.catalogue),
        "manuellt": {key: records.manuellt.get(key, "") for key, _ in MANUAL_FIELDS},
        # The countable answers, the statsbidrag and the recorded figures (issue 15).
        "avslutade": aterrapport_svar.avslutade(records.uppdrag, year, counted),
        "svar": aterrapport_svar.svar_section(aterrapport_svar.svar_from(records.manuellt)),
        "statsbidrag": aterrapport_svar.statsbidrag_section(
            aterrapport_svar.statsbidrag_from(records.manuellt),
            ombud["tjanster_31_dec"],
            ombud["arsarbetare"],
        ),
        # The category names in force on the year's last day: the return shows its year's
        # names wherever it is opened (the figures keep the stable codes).
        # (keyed by CategoryKind values, Kategorinamn's keys: tests/test_report_types.py)
        "kategorinamn": cast(doc.Kategorinamn, records.catalogue.all_names_on(date(year, 12, 31))),
    }


def flatten(document: Any, prefix: str = "") -> dict[str, Any]:
    """Every leaf figure by its path (`klienter.kon_alder.kvinna.18-29`), texts left out."""
    flat: dict[str, Any] = {}
    if isinstance(document, dict):
        for key, value in document.items():
            if key in (
                "texter", "manuellt", "schema", "andel", "kommentarer", "goda_exempel",
                "kategorinamn",
            ):  # fmt: skip
                continue  # texts are not figures; shares follow from the counts
            flat.update(flatten(value, f"{prefix}{key}."))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            flat.update(flatten(value, f"{prefix}{index}."))
    else:
        flat[prefix.rstrip(".")] = document
    return flat


def differences(
    submitted: doc.WrittenReturn, now: doc.Aterrapport, only_submitted: bool = False
) -> list[tuple[str, Any, Any]]:
    """(path, submitted value, value now) for every figure that changed since fastställd.
    `only_submitted`: compare only the figures the submitted return carried (one written
    to an older schema version, read in today's shape)."""
    before, after = flatten(submitted), flatten(now)
    # A field added to the return after it was fastställd is not a change of it.
    new_fields = {
        path
        for path in after
        if path not in before
        and any(path == added or path.startswith(f"{added}.") for added in ADDED_FIELDS)
    }
    new_fields |= {p for p in after if p.startswith(ADDED_SECTIONS) and p not in before}
    paths = [path for path in after if path not in new_fields]
    paths += [path for path in before if path not in after]  # the form's order
    if only_submitted:
        paths = [path for path in paths if path in before]
    return [
        (path, before.get(path), after.get(path))
        for path in paths
        if before.get(path) != after.get(path)
    ]
