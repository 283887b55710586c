"""Compiling the returns of many verksamheter (the länsstyrelse's and Socialstyrelsen's
view): the same sections as a return, summed per län and in total, plus what only a
compilation can say (how many verksamheter had a kö, used a ground at which rank, had a
fulltalig ledningsgrupp). Pure: the files are read and checked in services."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from typing import Any

from po_desk.domain import aterrapport_v1, categories
from po_desk.domain.aterrapport import AGE_LABELS, KON_CODES
from po_desk.domain.vantetid import BINS, KO_ORSAKER, bin_of

SCHEMA = "po-desk/sammanstallning/1"
KON_KEYS = (*KON_CODES, "totalt")


def _sum_kon(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {key: sum(int(row.get(key, 0)) for row in rows) for key in KON_KEYS}


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def klienter(returns: list[dict[str, Any]]) -> dict[str, Any]:
    parts = [r["klienter"] for r in returns]
    kon_alder = {
        kon: {label: sum(p["kon_alder"][kon][label] for p in parts) for label in
              (*AGE_LABELS, "totalt")}
        for kon in KON_KEYS
    }  # fmt: skip
    totalt = sum(p["totalt"] for p in parts)
    med_barn = _sum_kon([p["med_barn"] for p in parts])
    return {
        "totalt": totalt,
        "nya": sum(p["nya"] for p in parts),
        "avslutade": sum(p["avslutade"] for p in parts),
        "kvarstaende": sum(p["kvarstaende"] for p in parts),
        "kon_alder": kon_alder,
        "med_barn": {**med_barn, "andel": _share(med_barn["totalt"], totalt)},
        "nya_per_kon": _sum_kon([p.get("nya_per_kon", {}) for p in parts]),
    }


def kontaktorsaker(returns: list[dict[str, Any]], nya_per_kon: dict[str, int]) -> dict[str, Any]:
    result = {}
    for orsak in categories.KONTAKTORSAKER:
        row: dict[str, Any] = _sum_kon([r["kontaktorsaker"][orsak.code] for r in returns])
        row["andel"] = {key: _share(row[key], nya_per_kon[key]) for key in KON_KEYS}
        result[orsak.code] = row
    return result


def ko(returns: list[dict[str, Any]]) -> dict[str, Any]:
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
        "fordelning_personer": {
            label: sum(p["fordelning"][label] for p in parts) for label, _, _ in BINS
        },
        "fordelning_verksamheter_median": {
            label: per_median_bin.get(label, 0) for label, _, _ in BINS
        },
        "median_av_medianer": float(statistics.median(medians)) if medians else None,
        "verksamheter_med_intagningsstopp": sum(1 for p in parts if p["intagningsstopp_dagar"]),
        "intagningsstopp_dagar": sum(p["intagningsstopp_dagar"] for p in parts),
    }


def ko_per_kommun(returns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each verksamhet's väntetider per kommun, as the national table counts them."""
    return [
        {"lan": r["verksamhet"]["lan"], "verksamhet": r["verksamhet"]["namn"], **entry}
        for r in returns
        for entry in r["ko"]["per_kommun"]
    ]


def prioriteringsordning_beslut(returns: list[dict[str, Any]]) -> dict[str, int]:
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


def prioriteringsordning(returns: list[dict[str, Any]]) -> list[dict[str, Any]]:
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


def ombud(returns: list[dict[str, Any]]) -> dict[str, Any]:
    parts = [r["ombud"] for r in returns]
    result = {
        "antal": sum(p["antal"] for p in parts),
        "arsarbetare": round(sum(p["arsarbetare"] for p in parts), 2),
        **{kon: sum(p[kon] for p in parts) for kon in KON_CODES},
    }
    # Tjänster 31 dec only when every return has it (returns of schema 1 do not).
    if parts and all("tjanster_31_dec" in p for p in parts):
        result["tjanster_31_dec"] = round(sum(p["tjanster_31_dec"] for p in parts), 2)
    return result


def ledningsgrupp(returns: list[dict[str, Any]]) -> dict[str, Any]:
    parts = [r["ledningsgrupp"] for r in returns]
    missing = Counter(code for p in parts for code in p["saknas"])
    return {
        "fulltaliga": sum(1 for p in parts if p["fulltalig"]),
        "saknas": dict(missing.most_common()),
        "moten": sum(p["moten"] for p in parts),
    }


def brister(returns: list[dict[str, Any]], with_texts: bool) -> dict[str, Any]:
    pairs: Counter[tuple[str, str]] = Counter()
    kategorier: Counter[str] = Counter()
    texts: dict[str, list[dict[str, Any]]] = defaultdict(list)
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
    section: dict[str, Any] = {
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


def sections(returns: list[dict[str, Any]], with_texts: bool = False) -> dict[str, Any]:
    kommuner = {k for r in returns for k in r["verksamhet"]["kommuner"]}
    counted = klienter(returns)
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
    }


def compile_returns(returns: list[dict[str, Any]], sources: list[str]) -> dict[str, Any]:
    """The compilation; the order of `returns` does not matter. Version 1 and version 2
    returns compile together (version 1 read in version 2's shape)."""
    returns = [aterrapport_v1.upgrade(r) for r in returns]
    ordered = sorted(returns, key=lambda r: (r["verksamhet"]["lan"], r["verksamhet"]["namn"]))
    by_lan: dict[str, list[dict[str, Any]]] = defaultdict(list)
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
