"""Compiling the countable answers, the statsbidrag and the recorded figures of issue 15:
the answers counted over verksamheter ("X av Y verksamheter har handledning"), the grant
totalled with kronor per årsarbetare as the national report gives it, the huvudmän's
organisationsform, and the recorded figures summed. Returns that do not carry a section
(version 1) are counted as not answered, and left out of the recorded sums (the section
says how many carried them)."""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from typing import Any, TypedDict, cast

from po_desk.domain import aterrapport_document as doc
from po_desk.domain import aterrapport_svar, categories
from po_desk.domain import sammanstallning_document as sdoc
from po_desk.domain.aterrapport_svar import JA_NEJ, MALGRUPPER, NOT_GIVEN, ORGANISATIONSFORMER


def _ja_nej(values: list[bool | None]) -> sdoc.JaNej:
    return {
        "ja": sum(1 for v in values if v is True),
        "nej": sum(1 for v in values if v is False),
        "ej_besvarat": sum(1 for v in values if v is None),
    }


def svar(returns: list[doc.Aterrapport], with_texts: bool = False) -> sdoc.Svar:
    # A version 1 return has no svar (read as answering nothing).
    parts: list[Mapping[str, Any]] = [r.get("svar") or {} for r in returns]
    result: dict[str, Any] = {
        "verksamheter": len(returns),
        **{key: _ja_nej([p.get(key) for p in parts]) for key, _ in JA_NEJ},
    }
    answered = [p for p in parts if p.get("nya_ombud") is not None]
    result["nya_ombud"] = {
        "besvarat": len(answered),
        "antal": sum(p["nya_ombud"] for p in answered),
        "introduktionsutbildning": sum(
            p.get("nya_ombud_introduktionsutbildning") or 0 for p in answered
        ),
    }
    result["malgrupper"] = {
        code: sum(1 for p in parts if code in (p.get("malgrupper") or []))
        for code in categories.codes(MALGRUPPER)
    }
    forms = [p.get("organisationsform") for p in parts]
    result["organisationsform"] = {
        **{code: forms.count(code) for code in categories.codes(ORGANISATIONSFORMER)},
        "ej_besvarat": sum(1 for f in forms if f is None),
    }
    result["med_goda_exempel"] = sum(1 for p in parts if (p.get("goda_exempel") or "").strip())
    if with_texts:
        result["goda_exempel"] = [
            {
                "verksamhet": r["verksamhet"]["namn"],
                "lan": r["verksamhet"]["lan"],
                "text": p["goda_exempel"],
            }
            for r, p in zip(returns, parts, strict=True)
            if (p.get("goda_exempel") or "").strip()
        ]
    return cast(sdoc.Svar, result)  # JA_NEJ's keys, as tests/test_report_types.py checks


def _sum(parts: list[Mapping[str, Any]], key: str) -> int | float:
    total: int | float = sum(p[key] for p in parts if p.get(key) is not None)
    return total


def statsbidrag(returns: list[doc.Aterrapport]) -> sdoc.Statsbidrag:
    """Totals over the verksamheter that gave each figure. Kronor per årsarbetare are the
    beviljade (and the använda) kronor over the årsarbetare of the verksamheter that gave
    that amount."""
    # A version 1 return has no statsbidrag (read as not given).
    parts: list[Mapping[str, Any]] = [r.get("statsbidrag") or {} for r in returns]
    with_beviljat = [p for p in parts if p.get("beviljat_belopp") is not None]
    with_anvant = [p for p in parts if p.get("anvant_belopp") is not None]
    arsarbetare_beviljat = sum(p.get("arsarbetare") or 0 for p in with_beviljat)
    arsarbetare_anvant = sum(p.get("arsarbetare") or 0 for p in with_anvant)
    return {
        "verksamheter_med_uppgift": len(with_beviljat),
        "beviljat_belopp": _sum(parts, "beviljat_belopp"),
        "beviljade_tjanster": round(_sum(parts, "beviljade_tjanster"), 2),
        "anvant_belopp": _sum(parts, "anvant_belopp"),
        "kommunens_finansiering": _sum(parts, "kommunens_finansiering"),
        "arsarbetare": round(arsarbetare_beviljat, 2),
        "kronor_per_arsarbetare": round(_sum(with_beviljat, "beviljat_belopp")
                                        / arsarbetare_beviljat)
        if arsarbetare_beviljat else None,
        "anvant_per_arsarbetare": round(_sum(with_anvant, "anvant_belopp") / arsarbetare_anvant)
        if arsarbetare_anvant else None,
        "verksamheter_underutnyttjat": sum(1 for p in parts if p.get("underutnyttjat")),
    }  # fmt: skip


def registrerat(returns: list[doc.Aterrapport]) -> sdoc.Registrerat:
    """The recorded figures summed: hänvisad från, avslutsorsak, the length of ended
    uppdrag (the median of the verksamheternas medianer) and the ej aktuella."""
    hanvisad = [r["klienter"]["hanvisad_fran"] for r in returns if "hanvisad_fran" in r["klienter"]]
    ended = [r["avslutade"] for r in returns if "avslutade" in r]
    closed = [r["ko"]["ej_aktuella"] for r in returns if "ej_aktuella" in r["ko"]]
    medians = [e["langd_median_dagar"] for e in ended if e["langd_median_dagar"] is not None]
    hanvisad_keys = (*categories.codes(categories.HANVISAD_FRAN), NOT_GIVEN, "totalt")
    orsak_keys = (*categories.codes(categories.AVSLUTSORSAKER), NOT_GIVEN)
    # The keys are the categories' codes (and totalt), as tests/test_report_types.py checks.
    return {
        "verksamheter_med_uppgift": len(ended),
        "hanvisad_fran": cast(
            doc.HanvisadFran,
            {key: sum(doc.counts(h).get(key, 0) for h in hanvisad) for key in hanvisad_keys},
        ),
        "avslutade": {
            "antal": sum(e["antal"] for e in ended),
            "avslutsorsak": cast(
                doc.Avslutsorsak,
                {
                    key: sum(doc.counts(e["avslutsorsak"]).get(key, 0) for e in ended)
                    for key in orsak_keys
                },
            ),
            "median_av_medianer_dagar": float(statistics.median(medians)) if medians else None,
            "over_tva_ar": sum(e["over_tva_ar"] for e in ended),
        },
        "ej_aktuella": sum(c["antal"] for c in closed),
    }


class Sections(TypedDict):
    svar: sdoc.Svar
    statsbidrag: sdoc.Statsbidrag
    registrerat: sdoc.Registrerat


def sections(returns: list[doc.Aterrapport], with_texts: bool = False) -> Sections:
    """The compilation's sections of issue 15, merged into each of its sections."""
    return {
        "svar": svar(returns, with_texts),
        "statsbidrag": statsbidrag(returns),
        "registrerat": registrerat(returns),
    }


def empty_svar() -> doc.Svar:
    """The svar of a return that answered nothing (a version 1 return)."""
    return aterrapport_svar.svar_section(aterrapport_svar.Svar())
