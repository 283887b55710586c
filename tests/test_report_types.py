"""The typed report documents (issue 16) agree with what is written: the återrapport's
TypedDicts with its JSON Schema (the same keys at every level, the same required sets,
compatible leaf types), and the sammanställning's TypedDicts with the JSON it exports."""

# No `from __future__ import annotations`: the TypedDict below needs NotRequired evaluated.
import copy
import json
import types
import typing
from pathlib import Path
from typing import Any, NotRequired, Required, get_args, get_origin, get_type_hints

from po_desk.domain import aterrapport_document as doc
from po_desk.domain import categories
from po_desk.domain.aterrapport import AGE_LABELS
from po_desk.domain.aterrapport_svar import NOT_GIVEN
from po_desk.domain.vantetid import BINS
from po_desk.services import return_schema

SCALARS = {"integer": int, "number": float, "string": str, "boolean": bool, "null": type(None)}


def _hints(typed: Any) -> dict[str, Any]:
    return get_type_hints(typed, include_extras=True)


def _strip(hint: Any) -> Any:
    """The type without Required/NotRequired around it."""
    while get_origin(hint) in (Required, NotRequired):
        hint = get_args(hint)[0]
    return hint


def _union(hint: Any) -> tuple[Any, ...]:
    if get_origin(hint) in (typing.Union, types.UnionType):
        return get_args(hint)
    return (hint,)


def _schema_leaf_types(node: dict[str, Any]) -> set[Any]:
    if "const" in node:
        return {type(node["const"])}
    if "enum" in node:
        return {type(value) for value in node["enum"]}
    kind = node.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {SCALARS[k] for k in kinds}


def schema_mismatches(hint: Any, node: dict[str, Any], path: str = "$") -> list[str]:
    """Every place where the type `hint` and the schema `node` disagree."""
    hint = _strip(hint)
    kind = node.get("type")
    if "properties" in node or (kind == "object" and "additionalProperties" not in node):
        if not typing.is_typeddict(hint):
            return [f"{path}: the schema has an object, the type {hint!r}"]
        problems = []
        hints = _hints(hint)
        names, props = set(hints), set(node.get("properties", {}))
        if names != props:
            problems.append(
                f"{path}: keys only in the type {sorted(names - props)}, "
                f"only in the schema {sorted(props - names)}"
            )
        required = set(node.get("required", []))
        if set(hint.__required_keys__) != required:
            problems.append(
                f"{path}: required in the type {sorted(hint.__required_keys__)}, "
                f"in the schema {sorted(required)}"
            )
        for key in sorted(names & props):
            problems += schema_mismatches(hints[key], node["properties"][key], f"{path}.{key}")
        return problems
    if kind == "object":  # a map: dict[str, V] with the values' schema
        if get_origin(hint) is not dict or get_args(hint)[0] is not str:
            return [f"{path}: the schema has a map, the type {hint!r}"]
        return schema_mismatches(get_args(hint)[1], node["additionalProperties"], f"{path}.*")
    if kind == "array":
        if get_origin(hint) is not list:
            return [f"{path}: the schema has an array, the type {hint!r}"]
        return schema_mismatches(get_args(hint)[0], node["items"], f"{path}[]")
    wanted = _schema_leaf_types(node)
    got = set(_union(hint))
    if got != wanted:
        return [f"{path}: the schema allows {sorted(t.__name__ for t in wanted)}, "
                f"the type {sorted(t.__name__ for t in got)}"]  # fmt: skip
    return []


def value_mismatches(value: Any, hint: Any, path: str = "$") -> list[str]:
    """Every place where a written JSON value and the type `hint` disagree (a key the type
    lacks, a required key the value lacks, a value of another type)."""
    hint = _strip(hint)
    if hint is Any or hint is object:
        return []
    if typing.is_typeddict(hint):
        if not isinstance(value, dict):
            return [f"{path}: {type(value).__name__} where the type has an object"]
        hints = _hints(hint)
        problems = [f"{path}: key {key!r} not in the type" for key in value if key not in hints]
        problems += [
            f"{path}: required key {key!r} missing"
            for key in hint.__required_keys__
            if key not in value
        ]
        for key in value:
            if key in hints:
                problems += value_mismatches(value[key], hints[key], f"{path}.{key}")
        return problems
    origin = get_origin(hint)
    if origin is dict:
        if not isinstance(value, dict):
            return [f"{path}: {type(value).__name__} where the type has a map"]
        inner = get_args(hint)[1]
        return [p for k, v in value.items() for p in value_mismatches(v, inner, f"{path}.{k}")]
    if origin is list:
        if not isinstance(value, list):
            return [f"{path}: {type(value).__name__} where the type has a list"]
        item = get_args(hint)[0]
        return [p for i, v in enumerate(value) for p in value_mismatches(v, item, f"{path}[{i}]")]
    options = _union(hint)
    if len(options) > 1 and not all(isinstance(o, type) for o in options):
        # A union of structures: the value fits one of them.
        attempts = [value_mismatches(value, option, path) for option in options]
        return [] if any(not a for a in attempts) else attempts[0]
    allowed = tuple(float if o is float else o for o in options)
    if isinstance(value, bool) and bool not in allowed:
        return [f"{path}: bool where the type has {options}"]
    if float in allowed and isinstance(value, int):
        return []
    if not isinstance(value, allowed):
        return [f"{path}: {type(value).__name__} where the type has {options}"]
    return []


# --- The återrapport and its schema ---------------------------------------------------


def test_return_type_agrees_with_schema() -> None:
    assert schema_mismatches(doc.Aterrapport, return_schema.schema()) == []


def test_a_key_renamed_in_the_schema_is_found() -> None:
    changed = copy.deepcopy(return_schema.schema())
    ko = changed["properties"]["ko"]
    ko["properties"]["vantande_31_dec_nu"] = ko["properties"].pop("vantande_31_dec")
    ko["required"] = ["vantande_31_dec_nu" if k == "vantande_31_dec" else k
                      for k in ko["required"]]  # fmt: skip
    found = schema_mismatches(doc.Aterrapport, changed)
    assert found and all(p.startswith("$.ko:") for p in found)
    assert "vantande_31_dec_nu" in found[0]


def test_a_key_renamed_in_the_type_is_found() -> None:
    class Ombud(typing.TypedDict):  # doc.Ombud with `antal` renamed
        antal_ombud: int
        arsarbetare: float
        tjanster_31_dec: NotRequired[float]
        kvinna: int
        man: int
        annan: int

    node = return_schema.schema()["properties"]["ombud"]
    assert schema_mismatches(doc.Ombud, node) == []
    found = schema_mismatches(Ombud, node)
    assert any("antal_ombud" in p and "'antal'" in p for p in found)
    assert any("required" in p for p in found)


def test_a_changed_required_set_or_leaf_type_is_found() -> None:
    changed = copy.deepcopy(return_schema.schema())
    changed["properties"]["ombud"]["required"].append("tjanster_31_dec")
    changed["properties"]["svar"]["properties"]["nya_ombud"]["type"] = "integer"
    found = schema_mismatches(doc.Aterrapport, changed)
    assert any(p.startswith("$.ombud: required") for p in found)
    assert any(p.startswith("$.svar.nya_ombud:") for p in found)


def test_keys_read_by_code_are_the_categories() -> None:
    """The objects the tables read by code carry exactly the codes they loop over."""
    assert list(_hints(doc.Kontaktorsaker)) == list(categories.codes(categories.KONTAKTORSAKER))
    assert list(_hints(doc.HanvisadFran)) == [
        *categories.codes(categories.HANVISAD_FRAN),
        NOT_GIVEN,
        "totalt",
    ]
    assert list(_hints(doc.Avslutsorsak)) == [
        *categories.codes(categories.AVSLUTSORSAKER),
        NOT_GIVEN,
    ]
    assert list(_hints(doc.AgeRow)) == [*AGE_LABELS, "totalt"]
    assert list(_hints(doc.Fordelning)) == [label for label, _, _ in BINS]
    assert list(_hints(doc.PerKon)) == [*typing.get_args(doc.Kon), "totalt"]


def test_a_built_return_has_the_type(demo_workspace) -> None:
    document = demo_workspace.aterrapport.compute(2025)
    written = json.loads(json.dumps(document))
    assert value_mismatches(written, doc.Aterrapport) == []
    assert return_schema.problems(written) == []
    broken = copy.deepcopy(written)
    broken["klienter"]["kon_alder"]["man"]["66+"] = broken["klienter"]["kon_alder"]["man"].pop(
        "65+"
    )
    assert value_mismatches(broken, doc.Aterrapport) == [
        "$.klienter.kon_alder.man: key '66+' not in the type",
        "$.klienter.kon_alder.man: required key '65+' missing",
    ]


# --- The sammanställning and the JSON it is written as ----------------------------------


def _typed_values(value: Any, hint: Any, found: dict[Any, list[dict[str, Any]]]) -> None:
    """Every object in `value` under the TypedDict that types it."""
    hint = _strip(hint)
    if typing.is_typeddict(hint) and isinstance(value, dict):
        found.setdefault(hint, []).append(value)
        hints = _hints(hint)
        for key, inner in value.items():
            if key in hints:
                _typed_values(inner, hints[key], found)
    elif get_origin(hint) is dict and isinstance(value, dict):
        for inner in value.values():
            _typed_values(inner, get_args(hint)[1], found)
    elif get_origin(hint) is list and isinstance(value, list):
        for inner in value:
            _typed_values(inner, get_args(hint)[0], found)


def unwritten_keys(values: list[Any], hint: Any) -> list[str]:
    """The keys of the TypedDicts within `hint` that no object they type in `values`
    (written JSON) carries, as `Type.key`."""
    found: dict[Any, list[dict[str, Any]]] = {}
    for value in values:
        _typed_values(value, hint, found)
    pending, seen, result = [_strip(hint)], set(), []
    while pending:  # every TypedDict reachable from `hint`, seen in the values or not
        typed = pending.pop()
        if typed in seen:
            continue
        seen.add(typed)
        for key, inner in _hints(typed).items():
            if not any(key in obj for obj in found.get(typed, [])):
                result.append(f"{typed.__name__}.{key}")
            stack = [_strip(inner)]
            while stack:
                part = stack.pop()
                if typing.is_typeddict(part):
                    pending.append(part)
                stack += [_strip(a) for a in get_args(part)]
    return sorted(result)


def _written_compilations(tmp_path: Path) -> list[Any]:
    from po_desk.services import sammanstallning_service
    from tests.test_aggregate import random_return

    def files(year: int, folder: str) -> list[Path]:
        (tmp_path / folder).mkdir()
        paths = []
        for seed in range(6):
            path = tmp_path / folder / f"r{seed}.json"
            document = random_return(seed, f"PO {seed}", year)
            if seed % 2:
                document["svar"]["goda_exempel"] = "Samverkan med psykiatrin."
            path.write_text(json.dumps(document), "utf-8")
            paths.append(path)
        return paths

    now, before = files(2025, "now"), files(2024, "before")
    written = []
    for previous in (before, None):
        out = tmp_path / f"out{len(written)}.json"
        sammanstallning_service.aggregate(now, out, previous=previous)
        written.append(json.loads(out.read_text("utf-8")))
    return written


def test_written_compilation_has_the_type(tmp_path) -> None:
    from po_desk.domain import sammanstallning_document as sdoc

    written = _written_compilations(tmp_path)
    for compilation in written:
        assert value_mismatches(compilation, sdoc.Sammanstallning) == []
    assert unwritten_keys(written, sdoc.Sammanstallning) == []
    broken = copy.deepcopy(written[0])
    broken["totalt"]["ko"]["vantande"] = broken["totalt"]["ko"].pop("vantande_31_dec")
    assert value_mismatches(broken, sdoc.Sammanstallning) == [
        "$.totalt.ko: key 'vantande' not in the type",
        "$.totalt.ko: required key 'vantande_31_dec' missing",
    ]


def test_text_rows_read_a_text_with_only_the_required_keys(demo_workspace) -> None:
    """The schema (and so the type) requires only datum, aktör, nivå and beskrivning of a
    brist's text; the CSV and PDF rows read the others as empty."""
    from po_desk.domain.aterrapport_tables import text_rows

    document = demo_workspace.aterrapport.compute(2025)
    text = {"datum": "2025-03-01", "aktor": "region_psykiatri", "niva": "lokal", "beskrivning": "B"}
    document["brister"]["texter"] = [text]
    assert return_schema.problems(document) == []
    assert text_rows(document) == [
        ("2025-03-01", "Region – psykiatri", "Lokal nivå", "", "B", "", "", "")
    ]


def test_a_version_1_return_read_as_the_type_lacks_only_what_is_documented() -> None:
    """aterrapport_document's docstring: a version 1 return read through the upgrade lacks
    the sections and fields added since (read with `.get`/`in`), and has no kö basis."""
    from po_desk.domain import aterrapport, aterrapport_v1

    v1 = json.loads((Path(__file__).parent / "fixtures" / "aterrapport_v1_2025.json").read_text())
    assert return_schema.problems(v1) == []
    found = value_mismatches(aterrapport_v1.upgrade(v1), doc.Aterrapport)
    missing = {p.split(": required key ")[0] + "." + p.split("'")[1] for p in found if "'" in p}
    added = {s.rstrip(".") for s in aterrapport.ADDED_SECTIONS} | set(aterrapport.ADDED_FIELDS)
    assert {m.removeprefix("$.") for m in missing} <= added
    assert [p for p in found if "'" not in p] == [
        "$.ko.hade_ko_underlag: NoneType where the type has an object"
    ]


def test_the_carried_category_names_have_one_key_per_kind() -> None:
    """aterrapport.build casts the catalogue's names to Kategorinamn: its keys are the
    kinds of reference data."""
    from po_desk.domain.aterrapport_document import Kategorinamn
    from po_desk.domain.categories import CategoryKind

    assert set(Kategorinamn.__optional_keys__) == {kind.value for kind in CategoryKind}


def test_a_verksamhet_without_ombud_counts_its_tjanster_as_decimals() -> None:
    """Nobody served: the sums are floats all the same, so they print as 0,00."""
    from po_desk.domain.aterrapport import ombud_section

    section = ombud_section([], 2025)
    assert isinstance(section["tjanster_31_dec"], float)
    assert isinstance(section["arsarbetare"], float)
