"""The återrapport document laid out as the tables the form asks for.

Cells hold raw values (int, float, str, None) so each renderer formats them its own way:
Swedish digit groups in the PDF and the view, plain numbers with a decimal comma in CSV.
Shares are percentages (45.2 means 45,2 %).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from po_desk.domain import aterrapport_document as doc
from po_desk.domain import aterrapport_v1, categories
from po_desk.domain import sammanstallning_document as sdoc
from po_desk.domain.aterrapport import AGE_LABELS, KON_CODES, MANUAL_FIELDS
from po_desk.domain.categories import Category, CategoryKind
from po_desk.domain.formatting import decimal, number
from po_desk.domain.vantetid import BINS, KO_ORSAKER

Cell = int | float | str | None
KON_LABELS = {"kvinna": "Kvinnor", "man": "Män", "annan": "Annan", "totalt": "Totalt"}
KON_KEYS: tuple[doc.KonOrTotal, ...] = (*KON_CODES, "totalt")


def carried(document: Mapping[str, Any], kind: CategoryKind) -> tuple[Category, ...]:
    """The return's own names of `kind` (in force on its year's last day), in its order;
    the defaults for a return that carries none (schema 1, or made before names were
    carried) and for a compilation."""
    names = document.get("kategorinamn", {}).get(kind.value)
    if not names:
        return categories.DEFAULTS[kind]
    return tuple(Category(code, name) for code, name in names.items())


def _sorted_codes(codes: Any, reference: tuple[Category, ...]) -> list[str]:
    """`codes` in the reference order, codes outside it last, alphabetically."""
    index = {c.code: n for n, c in enumerate(reference)}
    return sorted(codes, key=lambda code: (index.get(code, len(index)), code))


@dataclass(frozen=True)
class ReportTable:
    key: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total_row: bool = False
    note: str = ""


def _percent(share: float) -> float:
    return round(share * 100, 2)


def _age_label(label: str) -> str:
    return f"{label.replace('-', '–')} år"


def _yes_no(value: bool) -> str:
    return "Ja" if value else "Nej"


def klienter_tables(klienter: doc.Klienter | sdoc.Klienter) -> list[ReportTable]:
    """Klienter, kön × åldersgrupp and barn: shared by a return and a compilation."""
    result = [
        ReportTable(
            "klienter",
            "Klienter under året",
            ("Mått", "Antal"),
            (
                ("Klienter under året", klienter["totalt"]),
                ("Nya klienter", klienter["nya"]),
                ("Avslutade klienter", klienter["avslutade"]),
                ("Kvarstående 31 december", klienter["kvarstaende"]),
            ),
        ),
        ReportTable(
            "kon_alder",
            "Klienter efter kön och ålder",
            ("Kön", *(_age_label(label) for label in AGE_LABELS), "Totalt"),
            tuple(
                (KON_LABELS[kon], *(doc.counts(klienter["kon_alder"][kon])[a] for a in AGE_LABELS),
                 klienter["kon_alder"][kon]["totalt"])
                for kon in KON_KEYS
            ),
            total_row=True,
            note="Ålder = redovisningsåret minus födelseåret.",
        ),
    ]  # fmt: skip
    barn = klienter["med_barn"]
    result.append(
        ReportTable(
            "med_barn",
            "Klienter som helt eller delvis bor med barn under 18 år",
            ("Kön", "Antal"),
            tuple((KON_LABELS[k], barn[k]) for k in KON_KEYS),
            total_row=True,
            note=f"Andel av alla klienter: {decimal(_percent(barn['andel']))} %.",
        )
    )
    return result


def kontaktorsak_table(
    section: doc.Kontaktorsaker, reference: tuple[Category, ...] = categories.KONTAKTORSAKER
) -> ReportTable:
    orsaker = doc.kontaktorsak_rows(section)
    return ReportTable(
        "kontaktorsaker",
        "Kontaktorsaker bland nya klienter",
        ("Kontaktorsak", "Kvinnor", "Män", "Annan", "Totalt",
         "Andel kvinnor (%)", "Andel män (%)", "Andel totalt (%)"),
        tuple(
            (c.name, orsaker[c.code]["kvinna"], orsaker[c.code]["man"],
             orsaker[c.code]["annan"], orsaker[c.code]["totalt"],
             _percent(orsaker[c.code]["andel"]["kvinna"]),
             _percent(orsaker[c.code]["andel"]["man"]),
             _percent(orsaker[c.code]["andel"]["totalt"]))
            for c in reference if c.code in orsaker
        ),
        note="En klient kan ha flera kontaktorsaker. Andel = del av årets nya klienter.",
    )  # fmt: skip


def tables(written: doc.WrittenReturn) -> list[ReportTable]:
    document = aterrapport_v1.upgrade(written)
    result = klienter_tables(document["klienter"])
    result.append(
        kontaktorsak_table(document["kontaktorsaker"], carried(document, CategoryKind.KONTAKTORSAK))
    )
    result += _ko_tables(document["ko"])
    result.append(prioriteringsordning_table(document["prioriteringsordning"]))
    ombud = document["ombud"]
    ledning = document["ledningsgrupp"]
    result += [
        ReportTable(
            "ombud",
            "Personliga ombud",
            ("Mått", "Värde"),
            (
                ("Antal ombud under året", ombud["antal"]),
                ("Tjänster 31 december", ombud.get("tjanster_31_dec")),
                ("Årsarbetare", ombud["arsarbetare"]),
                ("Kvinnor", ombud["kvinna"]),
                ("Män", ombud["man"]),
                ("Annan", ombud["annan"]),
            ),
        ),
        ReportTable(
            "ledningsgrupp",
            "Ledningsgrupp",
            ("Mått", "Värde"),
            (
                ("Fulltalig 31 december", _yes_no(ledning["fulltalig"])),
                (
                    "Saknas",
                    ", ".join(
                        categories.name_of(categories.ORGANISATIONER, c) for c in ledning["saknas"]
                    )
                    or "–",
                ),
                ("Möten under året", ledning["moten"]),
            ),
        ),
    ]
    result += brister_tables(document["brister"], document)
    from po_desk.domain import aterrapport_svar_tables  # it builds on this module

    result += aterrapport_svar_tables.return_tables(document)
    manuellt = document.get("manuellt", {})
    # Free-text descriptions beside the countable answers above: an empty one says that
    # nothing was written, never "–", which read as a "no" beside a "Ja" above.
    result.append(
        ReportTable(
            "manuellt",
            "Beskrivningar från verksamheten",
            ("Ämne", "Beskrivning"),
            tuple(
                (label, manuellt.get(key) or "Ingen beskrivning lämnad.")
                for key, label in MANUAL_FIELDS
            ),
        )
    )
    return result


BESLUTAD_AV_TEXT = {"ledningsgrupp": "ledningsgruppen", "enhetschef": "enhetschefen"}


def prioriteringsordning_table(ordning: doc.Prioriteringsordning) -> ReportTable:
    """The ranks with the decision date; or that no ordning is decided, or that there is
    none."""
    rows: tuple[tuple[Cell, ...], ...]
    if ordning["har_prioriteringsordning"]:
        rows = tuple((p["rang"], p["namn"]) for p in ordning["grunder"])
    elif ordning["beslutad"]:
        rows = (("–", "Verksamheten har ingen prioriteringsordning"),)
    else:
        rows = (("–", "Ingen beslutad prioriteringsordning"),)
    if ordning["beslutad"] and ordning["beslutsdatum"]:
        who = BESLUTAD_AV_TEXT.get(ordning["beslutad_av"] or "", "")
        note = f"Beslutad {ordning['beslutsdatum']}" + (f" av {who}." if who else ".")
    elif ordning["beslutad"]:
        note = "Beslutsdatum saknas (återrapport enligt schema version 1)."
    else:
        note = "Inget beslut är registrerat; standardgrunderna är bara ett förslag."
    return ReportTable(
        "prioriteringsordning",
        "Prioriteringsordning vid årets slut",
        ("Rang", "Grund"),
        rows,
        note=note,
    )


def _days(value: int) -> str:
    return f"{number(value)} {'dag' if value == 1 else 'dagar'}"


def ko_basis_text(ko: doc.Ko) -> str:
    """Why the records propose what they propose, in Swedish."""
    basis = ko.get("hade_ko_underlag")
    if not basis:
        return "–"
    longest = basis["langsta_vantan_dagar"]
    parts = [
        f"{number(basis['vantat_over_troskel'])} väntade längre än {_days(basis['troskel_dagar'])}",
        "ingen väntade" if longest is None else f"längsta väntan {_days(longest)}",
        f"intagningsstopp {_days(basis['intagningsstopp_dagar'])}"
        if basis["intagningsstopp_dagar"]
        else "inget intagningsstopp",
    ]
    return "; ".join(parts)


def _orsaker_text(codes: list[str]) -> str:
    names = dict(KO_ORSAKER)
    return ", ".join(names.get(code, code) for code in codes) or "–"


def _ko_tables(ko: doc.Ko) -> list[ReportTable]:
    wait = ko["vantetid_dagar"]
    answered = "Enhetschefens svar" if ko["hade_ko_besvarad"] else "Ej besvarat – förslaget gäller"
    result = [
        ReportTable(
            "ko",
            "Kö och väntetider",
            ("Mått", "Värde"),
            (
                ("Kö under året", _yes_no(ko["hade_ko"])),
                ("Svaret", answered),
                ("Förslag ur registret", _yes_no(ko["hade_ko_forslag"])),
                ("Underlag för förslaget", ko_basis_text(ko)),
                ("Orsaker till kö", _orsaker_text(ko["orsaker"])),
                ("Väntande 31 december", ko["vantande_31_dec"]),
                ("Längsta väntan hittills bland dem (dagar)", ko["vantande_31_dec_langst_dagar"]),
                ("Påbörjade från kön under året", ko["startade_fran_ko"]),
                ("Kortaste väntetid (dagar)", wait["min"]),
                ("Median väntetid (dagar)", wait["median"]),
                ("Längsta väntetid (dagar)", wait["max"]),
                ("Dagar med intagningsstopp", ko["intagningsstopp_dagar"]),
            ),
            note="Förslaget: ja när någon väntat längre än gränsen eller intagningsstopp "
            "gällt under året.",
        ),
        ReportTable(
            "vantetider",
            "Väntetid för påbörjade från kön",
            ("Väntetid", "Antal"),
            tuple(
                (f"{label.replace('-', '–')} dagar", doc.counts(ko["fordelning"])[label])
                for label, _, _ in BINS
            ),
        ),
    ]
    if ko["per_kommun"]:
        result.append(
            ReportTable(
                "ko_per_kommun",
                "Väntetider per kommun",
                ("Kommun", "Påbörjade från kön", "Kortaste (dagar)", "Median (dagar)",
                 "Längsta (dagar)", "Väntande 31 dec", "Längsta väntan hittills (dagar)"),
                tuple(
                    (k["kommun"], k["startade_fran_ko"], k["vantetid_dagar"]["min"],
                     k["vantetid_dagar"]["median"], k["vantetid_dagar"]["max"],
                     k["vantande_31_dec"], k["vantande_31_dec_langst_dagar"])
                    for k in ko["per_kommun"]
                ),
                note="Väntetid för påbörjade från kön under året; för dem som väntade "
                "31 december, hur länge de väntat då.",
            )
        )  # fmt: skip
    return result


def brister_tables(
    brister: doc.Brister | sdoc.Brister, document: Mapping[str, Any] | None = None
) -> list[ReportTable]:
    """The brister's tables with the names `document` carries (the defaults without)."""
    document = document or {}
    aktorer, nivaer = carried(document, CategoryKind.AKTOR), carried(document, CategoryKind.NIVA)
    kategorier = carried(document, CategoryKind.BRISTKATEGORI)
    atgarder = carried(document, CategoryKind.ATGARD)
    niva_codes = categories.codes(nivaer)
    per_aktor: dict[str, dict[str, int]] = {}
    for entry in brister["per_aktor_niva"]:
        per_aktor.setdefault(entry["aktor"], {})[entry["niva"]] = entry["antal"]
    rows: list[tuple[Any, ...]] = [
        (categories.name_of(aktorer, aktor),
         *(per_aktor[aktor].get(n, 0) for n in niva_codes), sum(per_aktor[aktor].values()))
        for aktor in _sorted_codes(per_aktor, aktorer)
    ]  # fmt: skip
    totals = [sum(row[i + 1] for row in rows) for i in range(len(niva_codes))]
    rows.append(("Totalt", *totals, brister["antal"]))
    result = [
        ReportTable(
            "brister_aktor_niva",
            "Systembrister per aktör och nivå",
            ("Aktör", *(n.name for n in nivaer), "Totalt"),
            tuple(rows),
            total_row=True,
        ),
        ReportTable(
            "brister_kategori",
            "Systembrister per kategori",
            ("Kategori", "Antal"),
            tuple(
                (categories.name_of(kategorier, code), count)
                for code, count in brister["per_kategori"].items()
            ),
            note="En brist kan höra till flera kategorier.",
        ),
    ]
    if "atgarder" in brister:  # a return's (a compilation counts no åtgärder)
        result.append(
            ReportTable(
                "atgarder",
                "Ombudens åtgärder",
                ("Åtgärd", "Antal"),
                tuple(
                    (categories.name_of(atgarder, code), count)
                    for code, count in brister["atgarder"].items()
                ),
                note=f"Återkoppling mottagen på {brister['med_aterkoppling']} av "
                f"{brister['antal']}.",
            )
        )
    return result


def text_rows(document: doc.Aterrapport) -> list[tuple[str, ...]]:
    """The brister's texts, one row each: datum, aktör, nivå, kategorier, texts. A text
    may lack what the schema does not require (kategorier, konsekvens, åtgärder,
    återkoppling)."""
    rows: list[tuple[str, ...]] = []
    aktorer, nivaer = carried(document, CategoryKind.AKTOR), carried(document, CategoryKind.NIVA)
    kategorier = carried(document, CategoryKind.BRISTKATEGORI)
    atgarder = carried(document, CategoryKind.ATGARD)
    for item in document["brister"]["texter"]:
        item_kategorier = item.get("kategorier", [])
        rows.append(
            (
                item["datum"],
                categories.name_of(aktorer, item["aktor"]),
                categories.name_of(nivaer, item["niva"]),
                ", ".join(categories.name_of(kategorier, c) for c in item_kategorier),
                item["beskrivning"],
                item.get("konsekvens", ""),
                ", ".join(categories.name_of(atgarder, c) for c in item.get("atgarder", [])),
                item.get("aterkoppling", ""),
            )
        )
    return rows


TEXT_HEADER = (
    "Datum", "Aktör", "Nivå", "Kategorier", "Beskrivning", "Konsekvens", "Åtgärder",
    "Återkoppling",
)  # fmt: skip


_PATH_LABELS: dict[str, str] = {
    "klienter": "Klienter", "totalt": "totalt", "nya": "nya", "avslutade": "avslutade",
    "kvarstaende": "kvarstående", "kon_alder": "kön och ålder", "med_barn": "med barn",
    "nya_per_kon": "nya per kön", "kontaktorsaker": "Kontaktorsaker", "andel": "andel",
    "ko": "Kö", "hade_ko": "kö under året", "hade_ko_forslag": "förslag om kö",
    "hade_ko_besvarad": "kö besvarad", "hade_ko_underlag": "underlag för förslaget",
    "troskel_dagar": "gräns (dagar)", "vantat_over_troskel": "väntat längre än gränsen",
    "langsta_vantan_dagar": "längsta väntan (dagar)", "orsaker": "orsaker till kö",
    "vantande_31_dec_langst_dagar": "längsta väntan hittills bland väntande 31 december",
    "per_kommun": "per kommun", "kommun": "kommun", "min": "kortaste",
    "median": "median", "max": "längsta", "har_prioriteringsordning": "har ordning",
    "beslutad": "beslutad", "beslutsdatum": "beslutsdatum", "beslutad_av": "beslutad av",
    "grunder": "grunder", "rang": "rang", "grund": "grund", "namn": "namn",
    "vantande_31_dec": "väntande 31 december",
    "startade_fran_ko": "påbörjade från kön", "vantetid_dagar": "väntetid (dagar)",
    "fordelning": "fördelning", "intagningsstopp_dagar": "dagar med intagningsstopp",
    "intagningsstopp": "intagningsstopp", "prioriteringsordning": "Prioriteringsordning",
    "ombud": "Ombud", "antal": "antal", "arsarbetare": "årsarbetare",
    "tjanster_31_dec": "tjänster 31 december",
    "ledningsgrupp": "Ledningsgrupp", "fulltalig": "fulltalig", "saknas": "saknas",
    "moten": "möten", "organisationer": "organisationer", "brister": "Systembrister",
    "per_aktor_niva": "per aktör och nivå", "per_aktor": "per aktör",
    "per_kategori": "per kategori", "atgarder": "åtgärder",
    "med_aterkoppling": "med återkoppling", "verksamhet": "Verksamhet", "ar": "År",
    **KON_LABELS,
}  # fmt: skip


# The answers, the statsbidrag and the recorded figures (issue 15).
_PATH_LABELS.update({
    "svar": "Frågor", "handledning": "handledning", "nya_ombud": "nya ombud",
    "nya_ombud_introduktionsutbildning": "nya ombud med introduktionsutbildning",
    "forandringar_malgrupp": "förändrad målgrupp", "malgrupper": "grupper",
    "rutin_brister_till_ledningsgrupp": "rutin för brister till ledningsgruppen",
    "brukarorganisation_plats": "brukarorganisation erbjuden plats",
    "organisationsform": "organisationsform", "statsbidrag": "Statsbidrag",
    "beviljat_belopp": "beviljat belopp", "beviljade_tjanster": "beviljade tjänster",
    "anvant_belopp": "använt belopp", "kommunens_finansiering": "kommunens finansiering",
    "underutnyttjat": "underutnyttjat", "skal": "skäl", "hanvisad_fran": "hänvisad från",
    "avslutsorsak": "avslutsorsak", "langd_median_dagar": "medianlängd (dagar)",
    "over_tva_ar": "längre än två år", "ej_aktuella": "ej aktuella", "orsak": "orsak",
    "ej_angivet": "ej angivet",
})  # fmt: skip


def describe_path(path: str) -> str:
    """A figure's path in words: `klienter.kon_alder.kvinna.18-29` → "Klienter / kön och
    ålder / Kvinnor / 18-29"."""
    names = {c.code: c.name for entries in categories.DEFAULTS.values() for c in entries}
    return " / ".join(_PATH_LABELS.get(part) or names.get(part, part) for part in path.split("."))
