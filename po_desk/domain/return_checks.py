"""Named consistency rules for an återrapport: run before fastställ and on every return
a compilation reads.

An error means the return contradicts itself (a total that is not the sum of its parts, more
nya than klienter): it blocks fastställ and makes a compilation refuse the file. A warning is
plausible but worth a second look (a figure that jumped by more than half since last year):
it must be confirmed, and a compilation lists it in its quality section.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from po_desk.domain import categories
from po_desk.domain.places import Places, UnknownPlace

KON_CODES = ("kvinna", "man", "annan")
KNOWN_SCHEMAS = ("po-desk/aterrapport/1", "po-desk/aterrapport/2")
FIRST_YEAR = 2000
# Below this, a change of more than half is ordinary noise (2 → 4), not a jump worth asking.
JUMP_MIN_BASE = 10
JUMP_SHARE = 0.5

ERROR = "fel"
WARNING = "varning"


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    path: str
    message: str

    def line(self) -> str:
        kind = "Fel" if self.severity == ERROR else "Varning"
        return f"{kind} ({self.rule}, {self.path}): {self.message}"


RULES: dict[str, str] = {
    "summor": "Totaler är summan av sina delar.",
    "andelar": "Andelar ligger mellan 0 och 100 %.",
    "nya_och_avslutade": "Nya och avslutade är högst antalet klienter.",
    "kontaktorsaker_per_kon": "Kontaktorsaker per kön är högst antalet nya klienter av det könet.",
    "ledningsgrupp": "Fulltalig ledningsgrupp stämmer med listan över organisationer som saknas.",
    "vantetider": "Väntetider: min ≤ median ≤ max, och fördelningen summerar till antalet.",
    "ar_schema_koder": "År, schemaversion, kategorikoder och läns- och kommunkoder är giltiga.",
    "forandring": "Förändring mot föregående år över 50 %.",
}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _error(rule: str, path: str, message: str) -> Finding:
    return Finding(rule, ERROR, path, message)


def _sum_rule(path: str, total: Any, parts: list[Any]) -> Iterator[Finding]:
    numbers = [_number(p) for p in parts]
    if _number(total) is None or any(n is None for n in numbers):
        return
    if abs(sum(n for n in numbers if n is not None) - float(total)) > 1e-9:
        yield _error("summor", path, f"totalen {total} är inte summan av delarna {parts}.")


def _totals(doc: Mapping[str, Any]) -> Iterator[Finding]:
    klienter = doc.get("klienter") or {}
    kon_alder = klienter.get("kon_alder") or {}
    for row_name, row in kon_alder.items():
        if isinstance(row, dict) and "totalt" in row:
            parts = [v for k, v in row.items() if k != "totalt"]
            yield from _sum_rule(f"klienter.kon_alder.{row_name}.totalt", row["totalt"], parts)
    total_row = kon_alder.get("totalt")
    if isinstance(total_row, dict):
        for column, value in total_row.items():
            parts = [kon_alder.get(kon, {}).get(column, 0) for kon in KON_CODES]
            yield from _sum_rule(f"klienter.kon_alder.totalt.{column}", value, parts)
        yield from _sum_rule("klienter.totalt", klienter.get("totalt"), [total_row.get("totalt")])
    for name in ("med_barn", "nya_per_kon"):
        row = klienter.get(name)
        if isinstance(row, dict):
            parts = [row.get(kon, 0) for kon in KON_CODES]
            yield from _sum_rule(f"klienter.{name}.totalt", row.get("totalt"), parts)
    if isinstance(klienter.get("nya_per_kon"), dict):
        yield from _sum_rule(
            "klienter.nya", klienter.get("nya"), [klienter["nya_per_kon"]["totalt"]]
        )
    if "kvarstaende" in klienter and "avslutade" in klienter:
        yield from _sum_rule(
            "klienter.totalt", klienter.get("totalt"),
            [klienter.get("kvarstaende"), klienter.get("avslutade")],
        )  # fmt: skip
    for code, row in (doc.get("kontaktorsaker") or {}).items():
        if isinstance(row, dict):
            parts = [row.get(kon, 0) for kon in KON_CODES]
            yield from _sum_rule(f"kontaktorsaker.{code}.totalt", row.get("totalt"), parts)
    brister = doc.get("brister") or {}
    if isinstance(brister.get("per_aktor_niva"), list):
        parts = [e.get("antal") for e in brister["per_aktor_niva"]]
        yield from _sum_rule("brister.antal", brister.get("antal"), parts)
    if isinstance(brister.get("per_aktor"), dict):
        yield from _sum_rule(
            "brister.antal", brister.get("antal"), list(brister["per_aktor"].values())
        )
    ko = doc.get("ko") or {}
    per_kommun = ko.get("per_kommun")
    if isinstance(per_kommun, list) and all(isinstance(e, dict) for e in per_kommun):
        for key in ("startade_fran_ko", "vantande_31_dec"):
            if key in ko:
                parts = [e.get(key, 0) for e in per_kommun]
                yield from _sum_rule(f"ko.{key}", ko[key], parts)
    ombud = doc.get("ombud") or {}
    if all(kon in ombud for kon in KON_CODES):
        yield from _sum_rule("ombud.antal", ombud.get("antal"), [ombud[k] for k in KON_CODES])


def _any_bad_share(value: Any, inside: bool = False) -> bool:
    """Whether any share (a number under a key `andel` or `andel_…`) lies outside 0–1: the
    same walk as `_shares` without building a path for every node (a compilation walks
    every node of hundreds of returns; the paths are built only when a share is wrong)."""
    if inside:
        if isinstance(value, dict):
            return any(_any_bad_share(inner, True) for inner in value.values())
        number = _number(value)
        return number is not None and not 0 <= number <= 1
    if isinstance(value, dict):
        for key, inner in value.items():
            if key.startswith("andel") and (key == "andel" or key.startswith("andel_")):
                if _any_bad_share(inner, True):
                    return True
            elif isinstance(inner, dict | list) and _any_bad_share(inner):
                return True
    elif isinstance(value, list):
        for inner in value:
            if isinstance(inner, dict | list) and _any_bad_share(inner):
                return True
    return False


def _shares(value: Any, path: str) -> Iterator[Finding]:
    if not path and not _any_bad_share(value):
        return
    if isinstance(value, dict):
        for key, inner in value.items():
            inner_path = f"{path}.{key}" if path else key
            if key == "andel" or key.startswith("andel_"):
                yield from _share_values(inner, inner_path)
            else:
                yield from _shares(inner, inner_path)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _shares(inner, f"{path}.{index}")


def _share_values(value: Any, path: str) -> Iterator[Finding]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _share_values(inner, f"{path}.{key}")
        return
    number = _number(value)
    if number is not None and not 0 <= number <= 1:
        yield _error("andelar", path, f"andelen {value} ligger utanför 0–100 %.")


def _nya_avslutade(doc: Mapping[str, Any]) -> Iterator[Finding]:
    klienter = doc.get("klienter") or {}
    total = _number(klienter.get("totalt"))
    if total is None:
        return
    for key in ("nya", "avslutade", "kvarstaende"):
        value = _number(klienter.get(key))
        if value is not None and value > total:
            yield _error(
                "nya_och_avslutade", f"klienter.{key}",
                f"{key} ({klienter[key]}) är fler än klienterna under året ({klienter['totalt']}).",
            )  # fmt: skip


def _orsaker_per_kon(doc: Mapping[str, Any]) -> Iterator[Finding]:
    nya = (doc.get("klienter") or {}).get("nya_per_kon")
    if not isinstance(nya, dict):
        return
    for code, row in (doc.get("kontaktorsaker") or {}).items():
        if not isinstance(row, dict):
            continue
        for kon in (*KON_CODES, "totalt"):
            count, limit = _number(row.get(kon)), _number(nya.get(kon))
            if count is not None and limit is not None and count > limit:
                yield _error(
                    "kontaktorsaker_per_kon", f"kontaktorsaker.{code}.{kon}",
                    f"{row[kon]} med orsaken men bara {nya[kon]} nya klienter ({kon}).",
                )  # fmt: skip


def _ledningsgrupp(doc: Mapping[str, Any]) -> Iterator[Finding]:
    group = doc.get("ledningsgrupp") or {}
    if "fulltalig" not in group or "saknas" not in group:
        return
    if bool(group["fulltalig"]) == bool(group["saknas"]):
        yield _error(
            "ledningsgrupp", "ledningsgrupp.fulltalig",
            "fulltalig stämmer inte med listan över organisationer som saknas.",
        )  # fmt: skip


def _vantetider(doc: Mapping[str, Any]) -> Iterator[Finding]:
    ko = doc.get("ko") or {}
    waits = ko.get("vantetid_dagar") or {}
    values = [_number(waits.get(k)) for k in ("min", "median", "max")]
    if all(v is not None for v in values) and not values[0] <= values[1] <= values[2]:  # type: ignore[operator]
        yield _error("vantetider", "ko.vantetid_dagar", "min, median och max är i fel ordning.")
    bins = ko.get("fordelning")
    if isinstance(bins, dict) and "startade_fran_ko" in ko:
        for finding in _sum_rule("ko.fordelning", ko["startade_fran_ko"], list(bins.values())):
            yield Finding("vantetider", ERROR, finding.path, finding.message)


def _year_schema_codes(doc: Mapping[str, Any], current_year: int) -> Iterator[Finding]:
    if doc.get("schema") not in KNOWN_SCHEMAS:
        yield _error("ar_schema_koder", "schema", f"okänd schemaversion {doc.get('schema')!r}.")
    year = doc.get("ar")
    if (
        not isinstance(year, int)
        or isinstance(year, bool)
        or not FIRST_YEAR <= year <= current_year
    ):
        yield _error("ar_schema_koder", "ar", f"året {year!r} är inte ett giltigt rapportår.")
    orsaker = set(categories.codes(categories.KONTAKTORSAKER))
    for code in doc.get("kontaktorsaker") or {}:
        if code not in orsaker:
            yield _error("ar_schema_koder", f"kontaktorsaker.{code}", "okänd kontaktorsak.")
    # Aktörer are open in the schema: a verksamhet's own aktör is known when the return
    # names it (`kategorinamn`, issue 16); nivåer are a fixed list.
    named = (doc.get("kategorinamn") or {}).get("aktor") or {}
    aktorer = set(categories.codes(categories.AKTORER)) | set(named)
    nivaer = set(categories.codes(categories.NIVAER))
    for index, entry in enumerate((doc.get("brister") or {}).get("per_aktor_niva") or []):
        if entry.get("aktor") not in aktorer or entry.get("niva") not in nivaer:
            yield _error(
                "ar_schema_koder", f"brister.per_aktor_niva.{index}", "okänd aktör eller nivå."
            )


def _places(doc: Mapping[str, Any], places: Places) -> Iterator[Finding]:
    """Codes on SCB's list, as many kommunkoder as kommuner, and a lan_kod that agrees
    with the län's name when the name is on the list too."""
    verksamhet = doc.get("verksamhet")
    if not isinstance(verksamhet, dict):
        return
    codes, names = verksamhet.get("kommunkoder"), verksamhet.get("kommuner")
    if isinstance(codes, list) and isinstance(names, list) and len(codes) != len(names):
        yield _error(
            "ar_schema_koder", "verksamhet.kommunkoder",
            f"{len(codes)} kommunkoder men {len(names)} kommuner.",
        )  # fmt: skip
        return
    try:
        places.normalize_return(dict(doc))
    except UnknownPlace as error:
        field = "verksamhet.lan_kod" if "län" in str(error).casefold() else "verksamhet.kommuner"
        yield _error("ar_schema_koder", field, str(error))
        return
    except (KeyError, TypeError):
        return  # the schema check names what is missing
    if "lan_kod" in verksamhet:
        try:
            named = places.find_lan(str(verksamhet.get("lan", "")))
        except UnknownPlace:
            return
        if named.kod != verksamhet["lan_kod"]:
            yield _error(
                "ar_schema_koder", "verksamhet.lan_kod",
                f"länskoden {verksamhet['lan_kod']} hör inte till {verksamhet['lan']}.",
            )  # fmt: skip


def _figures(value: Any, path: str = "") -> Iterator[tuple[str, float]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in ("texter", "manuellt", "schema", "ar", "andel", "verksamhet"):
                continue
            yield from _figures(inner, f"{path}.{key}" if path else key)
    else:
        number = _number(value)
        if number is not None:
            yield path, number


def _jumps(doc: Mapping[str, Any], previous: Mapping[str, Any]) -> Iterator[Finding]:
    before = dict(_figures(previous))
    for path, now in _figures(doc):
        then = before.get(path)
        if then is None or max(then, now) < JUMP_MIN_BASE or then == 0:
            continue
        change = (now - then) / then
        if abs(change) > JUMP_SHARE:
            yield Finding(
                "forandring", WARNING, path,
                f"{_plain(then)} föregående år, {_plain(now)} i år ({change:+.0%}).",
            )  # fmt: skip


def _plain(number: float) -> str:
    return str(int(number)) if number == int(number) else f"{number:.2f}".replace(".", ",")


def check(
    doc: Mapping[str, Any],
    current_year: int,
    previous: Mapping[str, Any] | None = None,
    places: Places | None = None,
) -> list[Finding]:
    """Every finding of every rule; `current_year` bounds the report year (no future years);
    `places`, the official list, checks the läns- and kommunkoder (left out: not checked)."""
    findings = [
        *_year_schema_codes(doc, current_year),
        *(_places(doc, places) if places is not None else []),
        *_totals(doc),
        *_shares(doc, ""),
        *_nya_avslutade(doc),
        *_orsaker_per_kon(doc),
        *_ledningsgrupp(doc),
        *_vantetider(doc),
    ]
    if previous is not None:
        findings.extend(_jumps(doc, previous))
    return findings


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == ERROR]


def warnings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == WARNING]
