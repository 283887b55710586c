"""The countable answers, the statsbidrag and the recorded figures (issue 15) laid out as
tables: for a return (PDF, CSV, view) and for a compilation. A return without these
sections (version 1) gets no such tables."""

from __future__ import annotations

from typing import Any

from po_desk.domain import aterrapport_document as doc
from po_desk.domain import categories
from po_desk.domain import sammanstallning_document as sdoc
from po_desk.domain.aterrapport_svar import (
    JA_NEJ,
    MALGRUPPER,
    NOT_GIVEN,
    ORGANISATIONSFORMER,
)
from po_desk.domain.aterrapport_tables import ReportTable, carried
from po_desk.domain.categories import CategoryKind

# Tables of texts (not right-aligned numbers) in the PDF.
TEXT_KEYS = frozenset({"svar", "statsbidrag_skal", "ej_aktuella_orsaker", "goda_exempel"})
NOT_ANSWERED = "Ej besvarat"
NOT_GIVEN_LABEL = "Ej angivet"


def _answer(value: Any) -> Any:
    if value is None:
        return NOT_ANSWERED
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    return value


def _names(kind: tuple[categories.Category, ...], codes: list[str]) -> str:
    return ", ".join(categories.name_of(kind, code) for code in codes) or "–"


def svar_table(svar: doc.Svar, manuellt: dict[str, str]) -> ReportTable:
    questions = dict(JA_NEJ)
    comments = svar.get("kommentarer", {})
    rows: list[tuple[Any, ...]] = [
        (questions["handledning"], _answer(svar["handledning"]), manuellt.get("handledning", "")),
        ("Nya ombud under året", _answer(svar["nya_ombud"]), comments.get("nya_ombud", "")),
        ("varav har gått introduktionsutbildningen",
         _answer(svar["nya_ombud_introduktionsutbildning"]), ""),
        (questions["forandringar_malgrupp"], _answer(svar["forandringar_malgrupp"]),
         manuellt.get("forandringar_malgrupp", "")),
        ("Grupper som förändrats", _names(MALGRUPPER, svar["malgrupper"]), ""),
        (questions["rutin_brister_till_ledningsgrupp"],
         _answer(svar["rutin_brister_till_ledningsgrupp"]),
         comments.get("rutin_brister_till_ledningsgrupp", "")),
        (questions["brukarorganisation_plats"], _answer(svar["brukarorganisation_plats"]),
         comments.get("brukarorganisation_plats", "")),
        ("Huvudmannens organisationsform",
         categories.name_of(ORGANISATIONSFORMER, svar["organisationsform"])
         if svar["organisationsform"] else NOT_ANSWERED,
         comments.get("organisationsform", "")),
        ("Goda exempel", svar.get("goda_exempel") or "–", ""),
    ]  # fmt: skip
    return ReportTable("svar", "Frågor till verksamheten", ("Fråga", "Svar", "Kommentar"),
                       tuple(rows))  # fmt: skip


def _kr(value: float | None) -> Any:
    return NOT_ANSWERED if value is None else value


def statsbidrag_tables(bidrag: doc.Statsbidrag, kommentar: str) -> list[ReportTable]:
    result = [
        ReportTable(
            "statsbidrag",
            "Statsbidrag",
            ("Mått", "Värde"),
            (
                ("Beviljat belopp (kr)", _kr(bidrag["beviljat_belopp"])),
                ("Beviljade ombudstjänster", _kr(bidrag["beviljade_tjanster"])),
                ("Använt belopp (kr)", _kr(bidrag["anvant_belopp"])),
                ("Kommunens egen finansiering (kr)", _kr(bidrag["kommunens_finansiering"])),
                ("Tjänster 31 december enligt registret", bidrag["tjanster_31_dec"]),
                ("Årsarbetare enligt registret", bidrag["arsarbetare"]),
                ("Risk för underutnyttjat bidrag", "Ja" if bidrag["underutnyttjat"] else "Nej"),
            ),
            note=kommentar and f"Kommentar: {kommentar}",
        )
    ]
    if bidrag["skal"]:
        result.append(
            ReportTable(
                "statsbidrag_skal",
                "Statsbidraget kan vara underutnyttjat",
                ("Skäl",),
                tuple((text,) for text in bidrag["skal"]),
                note="Bidrag som inte använts kan behöva betalas tillbaka.",
            )
        )
    return result


def _counts_table(
    key: str, title: str, kind: tuple[categories.Category, ...], counts: doc.CountsByCode,
    total: int, note: str = "",
) -> ReportTable:  # fmt: skip
    by_code = doc.counts(counts)
    rows: list[tuple[Any, ...]] = [
        (categories.name_of(kind, c.code), by_code.get(c.code, 0)) for c in kind
    ]
    rows.append((NOT_GIVEN_LABEL, by_code.get(NOT_GIVEN, 0)))
    rows.append(("Totalt", total))
    return ReportTable(key, title, ("Kategori", "Antal"), tuple(rows), total_row=True, note=note)


def registrerat_tables(document: doc.Aterrapport) -> list[ReportTable]:
    """The recorded figures (none for a version 1 return, which lacks them)."""
    result = []
    hanvisad = document["klienter"].get("hanvisad_fran")
    if hanvisad is not None:
        result.append(
            _counts_table("hanvisad_fran", "Hänvisad från",
                          carried(document, CategoryKind.HANVISAD_FRAN), hanvisad,
                          hanvisad["totalt"], "Uppdrag som påbörjades under året.")
        )  # fmt: skip
    ended = document.get("avslutade")
    if ended is not None:
        result.append(
            _counts_table("avslutsorsak", "Avslutsorsak",
                          carried(document, CategoryKind.AVSLUTSORSAK),
                          ended["avslutsorsak"], ended["antal"],
                          "Avslutade klienter, efter det senaste uppdraget som avslutades.")
        )  # fmt: skip
        result.append(
            ReportTable(
                "uppdragens_langd",
                "Avslutade uppdrags längd",
                ("Mått", "Värde"),
                (
                    ("Median (dagar)", ended["langd_median_dagar"]),
                    ("Längre än två år", ended["over_tva_ar"]),
                ),
            )
        )
    closed = document["ko"].get("ej_aktuella")
    if closed is not None:
        result.append(
            ReportTable(
                "ej_aktuella_orsaker",
                f"Anmälningar som avslutats som ej aktuella: {closed['antal']}",
                ("Orsak", "Antal"),
                tuple((item["orsak"], item["antal"]) for item in closed["orsaker"]),
            )
        )
    return result


def return_tables(document: doc.Aterrapport) -> list[ReportTable]:
    """The return's tables of issue 15 (none for a return without them)."""
    result = registrerat_tables(document)
    manuellt = document.get("manuellt", {})
    if "svar" in document:
        result.append(svar_table(document["svar"], manuellt))
    if "statsbidrag" in document:
        result += statsbidrag_tables(
            document["statsbidrag"], manuellt.get("ekonomisk_redovisning", "")
        )
    return result


def _x_av_y(counts: sdoc.JaNej, total: int) -> str:
    return f"{counts['ja']} av {total}"


def compilation_tables(section: sdoc.Section) -> list[ReportTable]:
    """The counted answers, the statsbidrag totals, the organisationsform and the recorded
    figures of a compilation's section."""
    svar = section["svar"]
    total = svar["verksamheter"]
    questions = dict(JA_NEJ)
    nya = svar["nya_ombud"]
    bidrag = section["statsbidrag"]
    reg = section["registrerat"]
    result = [
        ReportTable(
            "svar_sammanstallning",
            "Verksamheternas svar",
            ("Fråga", "Ja", "Nej", "Ej besvarat", "Andel ja"),
            tuple(
                (
                    questions[key],
                    svar[key]["ja"],
                    svar[key]["nej"],
                    svar[key]["ej_besvarat"],
                    _x_av_y(svar[key], total),
                )
                for key, _ in JA_NEJ
            ),
            note=f"Nya ombud: {nya['antal']} hos {nya['besvarat']} verksamheter som svarat, "
            f"varav {nya['introduktionsutbildning']} har gått introduktionsutbildningen. "
            f"{svar['med_goda_exempel']} verksamheter beskriver goda exempel.",
        ),
        ReportTable(
            "malgrupper",
            "Förändringar i målgruppen",
            ("Grupp", "Verksamheter"),
            tuple((c.name, svar["malgrupper"][c.code]) for c in MALGRUPPER),
        ),
        ReportTable(
            "organisationsform",
            "Huvudmännens organisationsform",
            ("Organisationsform", "Verksamheter"),
            (
                *((c.name, svar["organisationsform"][c.code]) for c in ORGANISATIONSFORMER),
                (NOT_ANSWERED, svar["organisationsform"]["ej_besvarat"]),
                ("Totalt", total),
            ),
            total_row=True,
        ),
        ReportTable(
            "statsbidrag_sammanstallning",
            "Statsbidrag",
            ("Mått", "Värde"),
            (
                ("Verksamheter som redovisat beviljat belopp", bidrag["verksamheter_med_uppgift"]),
                ("Beviljat belopp (kr)", bidrag["beviljat_belopp"]),
                ("Beviljade ombudstjänster", bidrag["beviljade_tjanster"]),
                ("Använt belopp (kr)", bidrag["anvant_belopp"]),
                ("Kommunernas egen finansiering (kr)", bidrag["kommunens_finansiering"]),
                ("Årsarbetare (verksamheter med beviljat belopp)", bidrag["arsarbetare"]),
                ("Beviljat belopp per årsarbetare (kr)", bidrag["kronor_per_arsarbetare"]),
                ("Använt belopp per årsarbetare (kr)", bidrag["anvant_per_arsarbetare"]),
                (
                    "Verksamheter med risk för underutnyttjat bidrag",
                    bidrag["verksamheter_underutnyttjat"],
                ),
            ),
        ),
        _counts_table(
            "hanvisad_fran_sammanstallning",
            "Hänvisad från",
            categories.HANVISAD_FRAN,
            reg["hanvisad_fran"],
            reg["hanvisad_fran"]["totalt"],
            "Uppdrag som påbörjades under året.",
        ),
        _counts_table(
            "avslutsorsak_sammanstallning",
            "Avslutsorsak",
            categories.AVSLUTSORSAKER,
            reg["avslutade"]["avslutsorsak"],
            reg["avslutade"]["antal"],
            f"Avslutade uppdrag längre än två år: {reg['avslutade']['over_tva_ar']}. "
            "Median av verksamheternas medianlängd: "
            f"{_days(reg['avslutade']['median_av_medianer_dagar'])}. "
            f"Anmälningar avslutade som ej aktuella: {reg['ej_aktuella']}. "
            f"Returer enligt schema version 1 saknar dessa uppgifter "
            f"({reg['verksamheter_med_uppgift']} av {total} har dem).",
        ),
    ]
    return result


def _days(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}".replace(".", ",").replace(",0", "") + " dagar"
