"""Compiling the returns of many verksamheter (the länsstyrelse's and Socialstyrelsen's
view): the same sections as a return, summed per län and in total, plus what only a
compilation can say (how many verksamheter had a kö, used a ground at which rank, had a
fulltalig ledningsgrupp). Pure: the files are read and checked in services."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict, cast

from po_desk.domain import aterrapport_document as doc
from po_desk.domain import aterrapport_v1, categories, return_checks, sammanstallning_svar
from po_desk.domain import sammanstallning_document as sdoc
from po_desk.domain.aterrapport import AGE_LABELS, KON_CODES
from po_desk.domain.vantetid import BINS, KO_ORSAKER, bin_of

SCHEMA = "po-desk/sammanstallning/1"
KON_KEYS: tuple[doc.KonOrTotal, ...] = (*KON_CODES, "totalt")


def _sum_kon(rows: Sequence[Mapping[str, int]]) -> doc.PerKon:
    summed = {key: sum(int(row.get(key, 0)) for row in rows) for key in KON_KEYS}
    return cast(doc.PerKon, summed)  # the keys of a PerKon


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def klienter(returns: list[doc.Aterrapport]) -> sdoc.Klienter:
    parts = [r["klienter"] for r in returns]
    kon_alder = {
        kon: {label: sum(doc.counts(p["kon_alder"][kon])[label] for p in parts) for label in
              (*AGE_LABELS, "totalt")}
        for kon in KON_KEYS
    }  # fmt: skip
    totalt = sum(p["totalt"] for p in parts)
    med_barn = _sum_kon([doc.counts(p["med_barn"]) for p in parts])
    return {
        "totalt": totalt,
        "nya": sum(p["nya"] for p in parts),
        "avslutade": sum(p["avslutade"] for p in parts),
        "kvarstaende": sum(p["kvarstaende"] for p in parts),
        "kon_alder": cast(doc.KonAlder, kon_alder),  # KON_KEYS × AGE_LABELS and totalt
        "med_barn": {**med_barn, "andel": _share(med_barn["totalt"], totalt)},
        "nya_per_kon": _sum_kon(
            [doc.counts(p["nya_per_kon"]) if "nya_per_kon" in p else {} for p in parts]
        ),
    }


def kontaktorsaker(returns: list[doc.Aterrapport], nya_per_kon: doc.PerKon) -> doc.Kontaktorsaker:
    result: dict[str, doc.KontaktorsakRow] = {}
    for orsak in categories.KONTAKTORSAKER:
        rows = [doc.kontaktorsak_rows(r["kontaktorsaker"])[orsak.code] for r in returns]
        summed = _sum_kon([doc.counts(row) for row in rows])
        share = {
            key: _share(doc.counts(summed)[key], doc.counts(nya_per_kon)[key]) for key in KON_KEYS
        }
        result[orsak.code] = {**summed, "andel": cast(doc.Andelar, share)}  # PerKon's keys
    return cast(doc.Kontaktorsaker, result)  # the codes, as tests/test_report_types.py checks


def ko(returns: list[doc.Aterrapport]) -> sdoc.Ko:
    parts = [r["ko"] for r in returns]
    medians = [p["vantetid_dagar"]["median"] for p in parts if p["vantetid_dagar"]["median"]
               is not None]  # fmt: skip
    per_median_bin = Counter(bin_of(round(m)) for m in medians)
    longest = [
        p["vantande_31_dec_langst_dagar"]
        for p in parts
        if p["vantande_31_dec_langst_dagar"] is not None
    ]
    return {
        "verksamheter_med_ko": sum(1 for p in parts if p["hade_ko"]),  # by the answer
        "verksamheter_med_ko_besvarat": sum(1 for p in parts if p["hade_ko_besvarad"]),
        "orsaker": {
            code: sum(1 for p in parts if p["hade_ko"] and code in p["orsaker"])
            for code, _ in KO_ORSAKER
        },
        "vantande_31_dec": sum(p["vantande_31_dec"] for p in parts),
        "vantande_31_dec_langst_dagar": max(longest) if longest else None,
        "startade_fran_ko": sum(p["startade_fran_ko"] for p in parts),
        # The keys are the labels of BINS, as tests/test_report_types.py checks.
        "fordelning_personer": cast(
            doc.Fordelning,
            {label: sum(doc.counts(p["fordelning"])[label] for p in parts) for label, _, _ in BINS},
        ),
        "fordelning_verksamheter_median": cast(
            doc.Fordelning, {label: per_median_bin.get(label, 0) for label, _, _ in BINS}
        ),
        "median_av_medianer": float(statistics.median(medians)) if medians else None,
        "verksamheter_med_intagningsstopp": sum(1 for p in parts if p["intagningsstopp_dagar"]),
        "intagningsstopp_dagar": sum(p["intagningsstopp_dagar"] for p in parts),
    }


def ko_per_kommun(returns: list[doc.Aterrapport]) -> list[sdoc.KoPerKommun]:
    """Each verksamhet's väntetider per kommun, as the national table counts them."""
    return [
        {"lan": r["verksamhet"]["lan"], "verksamhet": r["verksamhet"]["namn"], **entry}
        for r in returns
        for entry in r["ko"]["per_kommun"]
    ]


def prioriteringsordning_beslut(returns: list[doc.Aterrapport]) -> sdoc.PrioriteringsordningBeslut:
    """How many verksamheter have a decided prioriteringsordning, and of those without:
    how many decided to have none, and how many recorded no decision."""
    parts = [r["prioriteringsordning"] for r in returns]
    return {
        "med_beslutad": sum(1 for p in parts if p["har_prioriteringsordning"]),
        "utan_beslutad": sum(1 for p in parts if not p["har_prioriteringsordning"]),
        "beslutat_ingen": sum(
            1 for p in parts if p["beslutad"] and not p["har_prioriteringsordning"]
        ),
        "inget_beslut": sum(1 for p in parts if not p["beslutad"]),
    }


def prioriteringsordning(returns: list[doc.Aterrapport]) -> list[sdoc.GrundUse]:
    """For each ground: how many verksamheter with a decided ordning use it, and how many
    at each rank."""
    users: Counter[str] = Counter()
    ranks: dict[str, Counter[int]] = defaultdict(Counter)
    names: dict[str, str] = {}
    for document in returns:
        for entry in document["prioriteringsordning"]["grunder"]:
            users[entry["grund"]] += 1
            ranks[entry["grund"]][entry["rang"]] += 1
            names.setdefault(entry["grund"], entry["namn"])
    order = categories.codes(categories.PRIORITETSGRUNDER)
    ordered = sorted(users, key=lambda g: (order.index(g) if g in order else len(order), g))
    return [
        {
            "grund": ground,
            "namn": names[ground],
            "verksamheter": users[ground],
            "per_rang": {str(rank): count for rank, count in sorted(ranks[ground].items())},
        }
        for ground in ordered
    ]


def ombud(returns: list[doc.Aterrapport]) -> doc.Ombud:
    parts = [r["ombud"] for r in returns]
    result: doc.Ombud = {
        "antal": sum(p["antal"] for p in parts),
        "arsarbetare": round(sum(p["arsarbetare"] for p in parts), 2),
        "kvinna": sum(p["kvinna"] for p in parts),
        "man": sum(p["man"] for p in parts),
        "annan": sum(p["annan"] for p in parts),
    }
    # Tjänster 31 dec only when every return has it (returns of schema 1 do not).
    if parts and all("tjanster_31_dec" in p for p in parts):
        result["tjanster_31_dec"] = round(sum(p["tjanster_31_dec"] for p in parts), 2)
    return result


def ledningsgrupp(returns: list[doc.Aterrapport]) -> sdoc.Ledningsgrupp:
    parts = [r["ledningsgrupp"] for r in returns]
    missing = Counter(code for p in parts for code in p["saknas"])
    return {
        "fulltaliga": sum(1 for p in parts if p["fulltalig"]),
        "saknas": dict(missing.most_common()),
        "moten": sum(p["moten"] for p in parts),
    }


def brister(returns: list[doc.Aterrapport], with_texts: bool) -> sdoc.Brister:
    pairs: Counter[tuple[str, str]] = Counter()
    kategorier: Counter[str] = Counter()
    texts: dict[str, list[sdoc.BristTextFrom]] = defaultdict(list)
    for document in returns:
        for entry in document["brister"]["per_aktor_niva"]:
            pairs[(entry["aktor"], entry["niva"])] += entry["antal"]
        kategorier.update(document["brister"]["per_kategori"])
        if with_texts:
            for text in document["brister"]["texter"]:
                texts[text["aktor"]].append(
                    {"verksamhet": document["verksamhet"]["namn"],
                     "lan": document["verksamhet"]["lan"], **text}
                )  # fmt: skip
    aktor_order = categories.codes(categories.AKTORER)
    niva_order = categories.codes(categories.NIVAER)
    section: sdoc.Brister = {
        "antal": sum(r["brister"]["antal"] for r in returns),
        "per_aktor_niva": [
            {"aktor": aktor, "niva": niva, "antal": count}
            for (aktor, niva), count in sorted(
                pairs.items(),
                key=lambda p: (
                    aktor_order.index(p[0][0]) if p[0][0] in aktor_order else 99,
                    niva_order.index(p[0][1]) if p[0][1] in niva_order else 9,
                ),
            )
        ],
        "per_kategori": dict(kategorier.most_common()),
    }
    if with_texts:
        section["texter_per_aktor"] = {
            aktor: texts[aktor]
            for aktor in sorted(texts, key=lambda a: aktor_order.index(a) if a in aktor_order
                                else 99)
        }  # fmt: skip
    return section


def category_names(returns: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, str]]:
    """The names the compilation shows: the national defaults for the default codes (one
    code summed over many verksamheter, each perhaps naming it its own way, gets one name);
    a code a verksamhet added itself gets the name its return carries (the first return's,
    in the compilation's order)."""
    names = {
        kind.value: {c.code: c.name for c in entries}
        for kind, entries in categories.DEFAULTS.items()
    }
    for document in returns:
        for kind, carried in document.get("kategorinamn", {}).items():
            for code, name in carried.items():
                names.setdefault(kind, {}).setdefault(code, name)
    return names


class _Texts(TypedDict, total=False):
    brister_texter: list[sdoc.BristTexter]


def sections(returns: list[doc.Aterrapport], with_texts: bool = False) -> sdoc.Section:
    kommuner = {k for r in returns for k in r["verksamhet"]["kommuner"]}
    counted = klienter(returns)
    svar_sections = sammanstallning_svar.sections(returns, with_texts)
    texts: _Texts = {"brister_texter": brister_texter(returns)} if with_texts else {}
    return {
        "antal_verksamheter": len(returns),
        "antal_kommuner": len(kommuner),
        "klienter": counted,
        "kontaktorsaker": kontaktorsaker(returns, counted["nya_per_kon"]),
        "ko": ko(returns),
        "ko_per_kommun": ko_per_kommun(returns),
        "prioriteringsordning": prioriteringsordning(returns),
        "prioriteringsordning_beslut": prioriteringsordning_beslut(returns),
        "ombud": ombud(returns),
        "ledningsgrupp": ledningsgrupp(returns),
        "brister": brister(returns, with_texts),
        "brister_verksamheter": brister_verksamheter(returns),
        "ko_verksamheter": ko_verksamheter(returns),
        **texts,
        **svar_sections,
        "kategorinamn": category_names(returns),
    }


def compile_returns(
    returns: Sequence[doc.WrittenReturn],
    sources: list[str],
    previous: Sequence[doc.WrittenReturn] | None = None,
    previous_sources: list[str] | None = None,
) -> sdoc.Sammanstallning:
    """The compilation; the order of `returns` does not matter. Version 1 and version 2
    returns compile together (version 1 read in version 2's shape). Given the previous
    year's returns, `foregaende_ar` carries the change of every count and the warnings for
    figures that jumped in a verksamhet's return."""
    upgraded = [aterrapport_v1.upgrade(r) for r in returns]
    result = _compile(upgraded, sources)
    if previous:
        earlier = [aterrapport_v1.upgrade(r) for r in previous]
        before = _compile(earlier, previous_sources or [])
        result["foregaende_ar"] = comparison(result, before, jump_warnings(upgraded, earlier))
    return result


def _compile(returns: list[doc.Aterrapport], sources: list[str]) -> sdoc.Sammanstallning:
    ordered = sorted(returns, key=lambda r: (r["verksamhet"]["lan"], r["verksamhet"]["namn"]))
    by_lan: dict[str, list[doc.Aterrapport]] = defaultdict(list)
    for document in ordered:
        by_lan[document["verksamhet"]["lan"]].append(document)
    return {
        "schema": SCHEMA,
        "ar": ordered[0]["ar"] if ordered else None,
        "antal_verksamheter": len(ordered),
        "verksamheter": [
            {"namn": r["verksamhet"]["namn"], "lan": r["verksamhet"]["lan"]} for r in ordered
        ],
        "kallor": sorted(sources),
        "totalt": sections(ordered, with_texts=True),
        "lan": {lan: sections(items) for lan, items in sorted(by_lan.items())},
    }


# --- Brister by reporting verksamheter, kö per verksamhet, the previous year (issue 15) ---

# The national report lists central nivå first: those brister need action above the kommun.
NIVA_NATIONAL_ORDER = ("central", "lokal", "handlaggare")
NO_CATEGORY = ""  # a text of a schema 1 return may carry no kategori


def _index(order: tuple[str, ...] | list[str], code: str) -> int:
    return order.index(code) if code in order else len(order)


def _brist_key(key: tuple[str, str, str]) -> tuple[int, int, int, str, str, str]:
    niva, aktor, kategori = key
    return (
        _index(NIVA_NATIONAL_ORDER, niva),
        _index(categories.codes(categories.AKTORER), aktor),
        _index(categories.codes(categories.BRISTKATEGORIER), kategori),
        niva,
        aktor,
        kategori,
    )


def brister_verksamheter(returns: list[doc.Aterrapport]) -> list[sdoc.BristVerksamheter]:
    """Per nivå × aktör × kategori (central nivå first): how many verksamheter reported such
    a brist, in how many län, and how many avvikelser. An avvikelse with two kategorier
    counts in both rows."""
    reporters: dict[tuple[str, str, str], set[tuple[str, str]]] = defaultdict(set)
    avvikelser: Counter[tuple[str, str, str]] = Counter()
    for document in returns:
        who = (document["verksamhet"]["lan"], document["verksamhet"]["namn"])
        for text in document["brister"]["texter"]:
            for kategori in text.get("kategorier") or [NO_CATEGORY]:
                key = (text["niva"], text["aktor"], kategori)
                reporters[key].add(who)
                avvikelser[key] += 1
    return [
        {
            "niva": key[0],
            "aktor": key[1],
            "kategori": key[2],
            "verksamheter": len(reporters[key]),
            "lan": len({lan for lan, _ in reporters[key]}),
            "avvikelser": avvikelser[key],
        }
        for key in sorted(reporters, key=_brist_key)
    ]


def brister_texter(returns: list[doc.Aterrapport]) -> list[sdoc.BristTexter]:
    """Every text under its nivå and aktör (central nivå first), each with its kategorier,
    konsekvens and åtgärder, and the verksamhet that reported it."""
    groups: dict[tuple[str, str], list[sdoc.BristTextRow]] = defaultdict(list)
    for document in returns:
        for text in document["brister"]["texter"]:
            groups[(text["niva"], text["aktor"])].append(
                {
                    "verksamhet": document["verksamhet"]["namn"],
                    "lan": document["verksamhet"]["lan"],
                    "datum": text["datum"],
                    "kategorier": list(text.get("kategorier") or []),
                    "beskrivning": text["beskrivning"],
                    "konsekvens": text.get("konsekvens", ""),
                    "atgarder": list(text.get("atgarder") or []),
                    "aterkoppling": text.get("aterkoppling", ""),
                }
            )
    ordered = sorted(groups, key=lambda k: _brist_key((k[0], k[1], NO_CATEGORY)))
    return [
        {
            "niva": niva,
            "aktor": aktor,
            "verksamheter": len({(t["lan"], t["verksamhet"]) for t in groups[(niva, aktor)]}),
            "texter": sorted(
                groups[(niva, aktor)], key=lambda t: (t["lan"], t["verksamhet"], t["datum"])
            ),
        }
        for niva, aktor in ordered
    ]


def ko_verksamheter(returns: list[doc.Aterrapport]) -> list[sdoc.KoVerksamhet]:
    """The verksamheter that had a kö (by the answer), each with its causes."""
    return [
        {
            "lan": r["verksamhet"]["lan"],
            "verksamhet": r["verksamhet"]["namn"],
            "orsaker": [code for code, _ in KO_ORSAKER if code in r["ko"]["orsaker"]],
            "vantande_31_dec": r["ko"]["vantande_31_dec"],
            "startade_fran_ko": r["ko"]["startade_fran_ko"],
            "median_dagar": r["ko"]["vantetid_dagar"]["median"],
        }
        for r in returns
        if r["ko"]["hade_ko"]
    ]


_MISSING = object()
# Texts, and lists of verksamheter rather than counts, carry no change.
_SKIPPED_KEYS = (
    "texter", "texter_per_aktor", "brister_texter", "ko_verksamheter", "kategorinamn",
)  # fmt: skip


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _identity(item: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple((k, v) for k, v in item.items() if isinstance(v, str))


# Figures that are no sum: a verksamhet or kommun absent one year gives them no change.
NOT_ADDITIVE = frozenset(
    {"min", "median", "max", "median_av_medianer", "vantande_31_dec_langst_dagar",
     "median_dagar"}
)  # fmt: skip


def change(now: Any, before: Any = _MISSING, key: str = "") -> Any:
    """Now − before for every count in a compilation's section, in the same shape: a count
    missing on one side is 0 there; an unknown figure (None) gives no change (None). Lists
    of rows are matched by their text fields (aktör, nivå, kommun…); rows only last year
    are kept, with their change. Texts, yes/no answers and lists of codes carry no count."""
    if isinstance(now, dict) or isinstance(before, dict):
        now_d = now if isinstance(now, dict) else {}
        before_d = before if isinstance(before, dict) else {}
        result = {}
        for key in [*now_d, *(k for k in before_d if k not in now_d)]:
            if key in _SKIPPED_KEYS:
                continue
            value = change(now_d.get(key, _MISSING), before_d.get(key, _MISSING), key)
            if value is not _MISSING:
                result[key] = value
        return result
    if isinstance(now, list) or isinstance(before, list):
        rows_now = now if isinstance(now, list) else []
        rows_before = before if isinstance(before, list) else []
        if not all(isinstance(item, dict) for item in [*rows_now, *rows_before]):
            return _MISSING  # a list of codes or texts: no count
        earlier = {_identity(row): row for row in rows_before}
        seen = set()
        result_rows = []
        for row in rows_now:
            identity = _identity(row)
            seen.add(identity)
            result_rows.append({**dict(identity), **change(row, earlier.get(identity, {}))})
        for row in rows_before:
            identity = _identity(row)
            if identity not in seen:
                result_rows.append({**dict(identity), **change({}, row)})
        return result_rows
    if now is _MISSING and before is _MISSING:
        return _MISSING
    if not (_is_number(now) or now in (None, _MISSING)) or not (
        _is_number(before) or before in (None, _MISSING)
    ):
        return _MISSING
    if now is None or before is None:
        return None
    if _MISSING in (now, before) and key in NOT_ADDITIVE:
        return None
    now_n = 0 if now is _MISSING else now
    before_n = 0 if before is _MISSING else before
    difference = now_n - before_n
    return difference if isinstance(difference, int) else round(difference, 4)


def verksamhet_key(document: doc.WrittenReturn) -> tuple[str, ...]:
    """How a verksamhet is recognised from one year to the next: by its official codes when
    its return carries them, else by its name."""
    verksamhet = document["verksamhet"]
    if verksamhet.get("lan_kod") and verksamhet.get("kommunkoder"):
        return ("kod", verksamhet["lan_kod"], *sorted(verksamhet["kommunkoder"]))
    return ("namn", verksamhet["namn"].strip().casefold())


def previous_of(
    document: doc.WrittenReturn, previous: Sequence[doc.WrittenReturn]
) -> doc.WrittenReturn | None:
    """The verksamhet's return of the previous year, if among `previous`: matched by name,
    or by codes when both returns carry them."""
    wanted = verksamhet_key(document)
    name = ("namn", document["verksamhet"]["namn"].strip().casefold())
    for candidate in previous:
        key = verksamhet_key(candidate)
        if key == wanted or ("namn", candidate["verksamhet"]["namn"].strip().casefold()) == name:
            return candidate
    return None


def jump_warnings(
    returns: list[doc.Aterrapport], previous: list[doc.Aterrapport]
) -> list[sdoc.Finding]:
    """The consistency checks' warnings for figures that jumped since the verksamhet's
    previous return (return_checks rule `forandring`)."""
    result: list[sdoc.Finding] = []
    for document in returns:
        before = previous_of(document, previous)
        if before is None:
            continue
        for finding in return_checks.check(document, document["ar"], previous=before):
            if finding.rule == "forandring":
                result.append(
                    {
                        "lan": document["verksamhet"]["lan"],
                        "verksamhet": document["verksamhet"]["namn"],
                        "regel": finding.rule,
                        "falt": finding.path,
                        "meddelande": finding.message,
                    }
                )
    return result


def comparison(
    compilation: sdoc.Sammanstallning,
    previous_compilation: sdoc.Sammanstallning,
    varningar: list[sdoc.Finding],
) -> sdoc.Foregaende:
    """The previous year's compilation beside this one: its figures (texts left out), the
    change of every count (now − previous), in total and per län, and `varningar`."""
    year = previous_compilation["ar"]
    assert year is not None  # a previous year is compiled from one return or more
    lans = sorted({*compilation["lan"], *previous_compilation["lan"]})
    figures = sdoc.Section(**previous_compilation["totalt"])
    figures.pop("brister_texter", None)
    figures["brister"] = sdoc.Brister(**figures["brister"])
    figures["brister"].pop("texter_per_aktor", None)
    return {
        "ar": year,
        "antal_verksamheter": previous_compilation["antal_verksamheter"],
        "kallor": previous_compilation["kallor"],
        "totalt": figures,
        "lan": previous_compilation["lan"],
        "forandring": {
            "totalt": change(compilation["totalt"], previous_compilation["totalt"]),
            "lan": {
                lan: change(
                    compilation["lan"].get(lan, {}), previous_compilation["lan"].get(lan, {})
                )
                for lan in lans
            },
        },
        "varningar": varningar,
    }
