"""The return's countable answers, its statsbidrag and the recorded figures it did not
report before (issue 15): what the enhetschef answers per year, kept with the year's other
saved answers (the `manuellt` dict of strings), and the sections the return carries.

Answers are typed (yes/no, a number, a choice from a list); None = not answered. The
free-text comments go through the anonymisation guard in services, like the other
manual fields. The old free texts `handledning`, `forandringar_malgrupp` and
`ekonomisk_redovisning` stay in `manuellt` and serve as the comments to the handledning
answer, the målgrupp answer and the statsbidrag.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, cast

from po_desk.domain import aterrapport_document as doc
from po_desk.domain import categories, counting
from po_desk.domain.categories import Category
from po_desk.domain.ko import Anmalan, KoStatus
from po_desk.domain.uppdrag import Uppdrag

MALGRUPPER: tuple[Category, ...] = (
    Category("samsjuklighet", "Samsjuklighet"),
    Category("npf", "NPF"),
    Category("intellektuell_funktionsnedsattning", "Intellektuell funktionsnedsättning"),
    Category("sprakhinder", "Språkhinder"),
    Category("kriminalitet", "Kriminalitet"),
    Category("hemloshet", "Hemlöshet"),
    Category("aldre", "Äldre"),
    Category("unga_vuxna", "Unga vuxna"),
    Category("annan", "Annan"),
)

ORGANISATIONSFORMER: tuple[Category, ...] = (
    Category("kommun", "Kommun"),
    Category("kommunalforbund", "Kommunalförbund"),
    Category("region", "Region"),
    Category("stiftelse", "Stiftelse"),
    Category("ideell_forening", "Ideell förening"),
    Category("ekonomisk_forening", "Ekonomisk förening"),
    Category("annan", "Annan"),
)

# The yes/no answers: (id in the return, question as the form asks it).
JaNejKey = Literal[
    "handledning",
    "forandringar_malgrupp",
    "rutin_brister_till_ledningsgrupp",
    "brukarorganisation_plats",
]
JA_NEJ: tuple[tuple[JaNejKey, str], ...] = (
    ("handledning", "Har ombuden fått handledning under året?"),
    ("forandringar_malgrupp", "Har målgruppen förändrats under året?"),
    (
        "rutin_brister_till_ledningsgrupp",
        "Finns en systematisk rutin för att föra brister till ledningsgruppen?",
    ),
    (
        "brukarorganisation_plats",
        "Har brukar-, patient- eller anhörigorganisation erbjudits plats i ledningsgruppen?",
    ),
)
# Comments the return carries in `svar.kommentarer` (the others are old `manuellt` texts).
KOMMENTARER: tuple[tuple[str, str], ...] = (
    ("nya_ombud", "Kommentar om nya ombud"),
    ("rutin_brister_till_ledningsgrupp", "Kommentar om rutinen för brister"),
    ("brukarorganisation_plats", "Kommentar om brukarorganisation"),
    ("organisationsform", "Kommentar om organisationsform"),
)
GODA_EXEMPEL_LABEL = "Goda exempel"
# Ended uppdrag longer than this count as "over two years".
TWO_YEARS_DAYS = 730
NOT_GIVEN = "ej_angivet"  # an uppdrag recorded without hänvisad från / avslutsorsak

# Where the answers are kept among the year's saved strings.
_KEYS = {
    "handledning": "svar_handledning",
    "forandringar_malgrupp": "svar_forandringar_malgrupp",
    "rutin_brister_till_ledningsgrupp": "svar_rutin_brister",
    "brukarorganisation_plats": "svar_brukarorganisation_plats",
}
NYA_OMBUD_KEY = "svar_nya_ombud"
INTRO_KEY = "svar_nya_ombud_intro"
MALGRUPPER_KEY = "svar_malgrupper"
ORGANISATIONSFORM_KEY = "svar_organisationsform"
GODA_EXEMPEL_KEY = "goda_exempel"
STATSBIDRAG_KEYS = {
    "beviljat_belopp": "sb_beviljat_belopp",
    "beviljade_tjanster": "sb_beviljade_tjanster",
    "anvant_belopp": "sb_anvant_belopp",
    "kommunens_finansiering": "sb_kommunens_finansiering",
}


def _comment_key(answer: str) -> str:
    return f"kommentar_{answer}"


def saved_keys() -> frozenset[str]:
    """Every key these answers use in the year's saved strings."""
    return frozenset(
        {
            *_KEYS.values(),
            NYA_OMBUD_KEY,
            INTRO_KEY,
            MALGRUPPER_KEY,
            ORGANISATIONSFORM_KEY,
            GODA_EXEMPEL_KEY,
            *(_comment_key(key) for key, _ in KOMMENTARER),
            *STATSBIDRAG_KEYS.values(),
        }
    )


@dataclass(frozen=True)
class Svar:
    """The countable answers of a year; None = not answered."""

    handledning: bool | None = None
    nya_ombud: int | None = None
    nya_ombud_introduktionsutbildning: int | None = None
    forandringar_malgrupp: bool | None = None
    malgrupper: tuple[str, ...] = ()
    rutin_brister_till_ledningsgrupp: bool | None = None
    brukarorganisation_plats: bool | None = None
    organisationsform: str | None = None
    goda_exempel: str = ""
    kommentarer: dict[str, str] = field(default_factory=dict)

    def free_texts(self) -> dict[str, str]:
        """The texts to guard, by their Swedish label."""
        labels = dict(KOMMENTARER)
        texts = {labels[key]: text for key, text in self.kommentarer.items() if key in labels}
        return {GODA_EXEMPEL_LABEL: self.goda_exempel, **texts}


@dataclass(frozen=True)
class Statsbidrag:
    """What the verksamhet records of its grant; None = not given. Kronor are whole."""

    beviljat_belopp: int | None = None
    beviljade_tjanster: float | None = None
    anvant_belopp: int | None = None
    kommunens_finansiering: int | None = None


def _yes_no_from(value: str | None) -> bool | None:
    return {"ja": True, "nej": False}.get(value or "")


def _yes_no_to(value: bool | None) -> str:
    return "" if value is None else ("ja" if value else "nej")


def _int_from(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() else None


def _float_from(value: str | None) -> float | None:
    try:
        number = float((value or "").strip().replace(",", "."))
    except ValueError:
        return None
    return number if number >= 0 else None


def _num_to(value: float | None) -> str:
    return "" if value is None else str(value)


def svar_from(saved: dict[str, str]) -> Svar:
    known_groups = categories.codes(MALGRUPPER)
    groups = {g for g in saved.get(MALGRUPPER_KEY, "").split(",") if g}
    form = saved.get(ORGANISATIONSFORM_KEY) or None
    return Svar(
        handledning=_yes_no_from(saved.get(_KEYS["handledning"])),
        nya_ombud=_int_from(saved.get(NYA_OMBUD_KEY)),
        nya_ombud_introduktionsutbildning=_int_from(saved.get(INTRO_KEY)),
        forandringar_malgrupp=_yes_no_from(saved.get(_KEYS["forandringar_malgrupp"])),
        malgrupper=tuple(code for code in known_groups if code in groups),
        rutin_brister_till_ledningsgrupp=_yes_no_from(
            saved.get(_KEYS["rutin_brister_till_ledningsgrupp"])
        ),
        brukarorganisation_plats=_yes_no_from(saved.get(_KEYS["brukarorganisation_plats"])),
        organisationsform=form if form in categories.codes(ORGANISATIONSFORMER) else None,
        goda_exempel=saved.get(GODA_EXEMPEL_KEY, ""),
        kommentarer={key: saved.get(_comment_key(key), "") for key, _ in KOMMENTARER},
    )


def svar_to(svar: Svar) -> dict[str, str]:
    result = {
        _KEYS["handledning"]: _yes_no_to(svar.handledning),
        _KEYS["forandringar_malgrupp"]: _yes_no_to(svar.forandringar_malgrupp),
        _KEYS["rutin_brister_till_ledningsgrupp"]: _yes_no_to(
            svar.rutin_brister_till_ledningsgrupp
        ),
        _KEYS["brukarorganisation_plats"]: _yes_no_to(svar.brukarorganisation_plats),
        NYA_OMBUD_KEY: _num_to(svar.nya_ombud),
        INTRO_KEY: _num_to(svar.nya_ombud_introduktionsutbildning),
        MALGRUPPER_KEY: ",".join(svar.malgrupper),
        ORGANISATIONSFORM_KEY: svar.organisationsform or "",
        GODA_EXEMPEL_KEY: svar.goda_exempel.strip(),
    }
    for key, _ in KOMMENTARER:
        result[_comment_key(key)] = svar.kommentarer.get(key, "").strip()
    return result


def svar_problems(svar: Svar) -> list[str]:
    problems = []
    for value, label in (
        (svar.nya_ombud, "Antalet nya ombud"),
        (svar.nya_ombud_introduktionsutbildning, "Antalet som gått introduktionsutbildningen"),
    ):
        if value is not None and not 0 <= value <= 1000:
            problems.append(f"{label} ska vara ett heltal mellan 0 och 1000.")
    if (
        svar.nya_ombud_introduktionsutbildning is not None
        and (svar.nya_ombud or 0) < svar.nya_ombud_introduktionsutbildning
    ):
        problems.append(
            "Fler har gått introduktionsutbildningen än det finns nya ombud under året."
        )
    if set(svar.malgrupper) - set(categories.codes(MALGRUPPER)):
        problems.append("Okänd grupp i målgruppen.")
    if svar.malgrupper and svar.forandringar_malgrupp is not True:
        problems.append("Grupper anges bara när målgruppen har förändrats.")
    if svar.organisationsform is not None and svar.organisationsform not in categories.codes(
        ORGANISATIONSFORMER
    ):
        problems.append("Okänd organisationsform.")
    if set(svar.kommentarer) - {key for key, _ in KOMMENTARER}:
        problems.append("Okänd kommentar.")
    return problems


def statsbidrag_from(saved: dict[str, str]) -> Statsbidrag:
    return Statsbidrag(
        beviljat_belopp=_int_from(saved.get(STATSBIDRAG_KEYS["beviljat_belopp"])),
        beviljade_tjanster=_float_from(saved.get(STATSBIDRAG_KEYS["beviljade_tjanster"])),
        anvant_belopp=_int_from(saved.get(STATSBIDRAG_KEYS["anvant_belopp"])),
        kommunens_finansiering=_int_from(saved.get(STATSBIDRAG_KEYS["kommunens_finansiering"])),
    )


def statsbidrag_to(bidrag: Statsbidrag) -> dict[str, str]:
    return {STATSBIDRAG_KEYS[key]: _num_to(getattr(bidrag, key)) for key in STATSBIDRAG_KEYS}


MAX_KRONOR = 10_000_000_000


def statsbidrag_problems(bidrag: Statsbidrag) -> list[str]:
    problems = []
    for key, label in (
        ("beviljat_belopp", "Beviljat belopp"),
        ("anvant_belopp", "Använt belopp"),
        ("kommunens_finansiering", "Kommunens finansiering"),
    ):
        value = getattr(bidrag, key)
        if value is not None and not 0 <= value <= MAX_KRONOR:
            problems.append(f"{label} ska vara ett belopp i hela kronor, 0 eller mer.")
    tjanster = bidrag.beviljade_tjanster
    if tjanster is not None and not 0 <= tjanster <= 1000:
        problems.append("Beviljade tjänster ska vara ett tal mellan 0 och 1000.")
    return problems


def _kr(amount: int) -> str:
    return f"{amount:,}".replace(",", "\u00a0") + " kr"


def _tal(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def statsbidrag_section(
    bidrag: Statsbidrag, tjanster_31_dec: float, arsarbetare: float
) -> doc.Statsbidrag:
    """The grant set against what the records give; `skal` says why it may be under-used
    (so that part of the grant may have to be paid back)."""
    skal = []
    if (
        bidrag.beviljat_belopp is not None
        and bidrag.anvant_belopp is not None
        and bidrag.anvant_belopp < bidrag.beviljat_belopp
    ):
        skal.append(
            f"Använt belopp är {_kr(bidrag.beviljat_belopp - bidrag.anvant_belopp)} lägre än "
            "beviljat; det som inte använts kan behöva betalas tillbaka."
        )
    if bidrag.beviljade_tjanster is not None:
        if tjanster_31_dec + 0.005 < bidrag.beviljade_tjanster:
            skal.append(
                f"Tjänsterna den 31 december ({_tal(tjanster_31_dec)}) är färre än de "
                f"beviljade ({_tal(bidrag.beviljade_tjanster)})."
            )
        if arsarbetare + 0.005 < bidrag.beviljade_tjanster:
            skal.append(
                f"Årsarbetarna ({_tal(arsarbetare)}) är färre än de beviljade tjänsterna "
                f"({_tal(bidrag.beviljade_tjanster)})."
            )
    return {
        "beviljat_belopp": bidrag.beviljat_belopp,
        "beviljade_tjanster": bidrag.beviljade_tjanster,
        "anvant_belopp": bidrag.anvant_belopp,
        "kommunens_finansiering": bidrag.kommunens_finansiering,
        "tjanster_31_dec": tjanster_31_dec,
        "arsarbetare": arsarbetare,
        "underutnyttjat": bool(skal),
        "skal": skal,
    }


def svar_section(svar: Svar) -> doc.Svar:
    return {
        "handledning": svar.handledning,
        "nya_ombud": svar.nya_ombud,
        "nya_ombud_introduktionsutbildning": svar.nya_ombud_introduktionsutbildning,
        "forandringar_malgrupp": svar.forandringar_malgrupp,
        "malgrupper": list(svar.malgrupper) if svar.forandringar_malgrupp else [],
        "rutin_brister_till_ledningsgrupp": svar.rutin_brister_till_ledningsgrupp,
        "brukarorganisation_plats": svar.brukarorganisation_plats,
        "organisationsform": svar.organisationsform,
        "goda_exempel": svar.goda_exempel,
        "kommentarer": {
            "nya_ombud": svar.kommentarer.get("nya_ombud", ""),
            "rutin_brister_till_ledningsgrupp": svar.kommentarer.get(
                "rutin_brister_till_ledningsgrupp", ""
            ),
            "brukarorganisation_plats": svar.kommentarer.get("brukarorganisation_plats", ""),
            "organisationsform": svar.kommentarer.get("organisationsform", ""),
        },
    }


def hanvisad_fran(items: list[Uppdrag], year: int) -> doc.HanvisadFran:
    """Over the uppdrag started in the year (a returning klient's new uppdrag counts too),
    by the actor that referred them; `ej_angivet` when none was recorded."""
    started = [u for u in items if u.start.year == year]
    counts = Counter(u.hanvisad_fran or NOT_GIVEN for u in started)
    known = categories.codes(categories.HANVISAD_FRAN)
    result = {code: counts.get(code, 0) for code in known}
    result["annan"] += sum(n for code, n in counts.items() if code not in (*known, NOT_GIVEN))
    result[NOT_GIVEN] = counts.get(NOT_GIVEN, 0)
    result["totalt"] = len(started)
    # The keys are the categories' codes, ej_angivet and totalt (tests/test_report_types.py).
    return cast(doc.HanvisadFran, result)


def avslutade(
    items: list[Uppdrag], year: int, counted: counting.PeriodCount | None = None
) -> doc.Avslutade:
    """Over the avslutade klienter of the year (as `klienter.avslutade` counts them), each
    by the last uppdrag that ended in the year: its avslutsorsak and its length in days."""
    counted = counted or counting.count_year(items, year)
    ended = [p.latest for p in counted.avslutade]
    counts = Counter(u.avslutsorsak or NOT_GIVEN for u in ended)
    known = categories.codes(categories.AVSLUTSORSAKER)
    orsak = {code: counts.get(code, 0) for code in known}
    orsak["annan"] += sum(n for code, n in counts.items() if code not in (*known, NOT_GIVEN))
    orsak[NOT_GIVEN] = counts.get(NOT_GIVEN, 0)
    lengths = [((u.slut or date(year, 12, 31)) - u.start).days for u in ended]
    return {
        "antal": len(ended),
        # The categories' codes and ej_angivet, as tests/test_report_types.py checks.
        "avslutsorsak": cast(doc.Avslutsorsak, orsak),
        "langd_median_dagar": float(statistics.median(lengths)) if lengths else None,
        "over_tva_ar": sum(1 for days in lengths if days > TWO_YEARS_DAYS),
    }


def ej_aktuella(anmalningar: list[Anmalan], year: int) -> doc.EjAktuella:
    """Anmälningar closed as "ej aktuell" in the year, with their reasons (texts that
    passed the guard when saved; the same text counted once with its number)."""
    closed = [
        a
        for a in anmalningar
        if a.status == KoStatus.EJ_AKTUELL
        and a.status_datum is not None
        and a.status_datum.year == year
    ]
    reasons = Counter((a.orsak or "").strip() or "Ingen orsak angiven" for a in closed)
    return {
        "antal": len(closed),
        "orsaker": [
            {"orsak": text, "antal": n}
            for text, n in sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
        ],
    }


@dataclass(frozen=True)
class LoadedManual:
    """The year's manual parts (the `manuellt` dict) as a form loaded them: the version a
    save is checked against. Saving parts is refused (errors.ConflictError) when one of
    them was saved by someone else since with another value; parts the save does not
    touch are merged as they are stored."""

    values: dict[str, str] = field(default_factory=dict)

    def overwritten(self, stored: dict[str, str], changes: dict[str, str]) -> list[str]:
        """The parts of `changes` someone else changed since this was loaded."""
        return [
            key
            for key, value in changes.items()
            if stored.get(key) != self.values.get(key) and stored.get(key) != value
        ]

    def after_save(self, changes: dict[str, str]) -> LoadedManual:
        """What the form holds after its own save of `changes` (other parts as loaded)."""
        return LoadedManual({**self.values, **changes})

    def adopting(self, stored: dict[str, str], parts: tuple[str, ...]) -> LoadedManual:
        """After a conflict: `parts` as stored now, so that saving again overwrites the
        other change knowingly (the message says so)."""
        adopted = {key: stored[key] for key in parts if key in stored}
        kept = {key: value for key, value in self.values.items() if key not in parts}
        return LoadedManual({**kept, **adopted})
