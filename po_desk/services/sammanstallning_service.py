"""Compiling returns (po-desk aggregate): every file checked against the return's JSON
Schema, one year, each verksamhet once, and every text in it through the anonymisation
guard; any problem names the file and nothing is written."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from po_desk.domain import aterrapport_document as doc
from po_desk.domain import guard, return_checks, sammanstallning
from po_desk.domain import sammanstallning_document as sdoc
from po_desk.domain.cancellation import checkpoint
from po_desk.domain.errors import PoDeskError, os_reason
from po_desk.domain.places import UnknownPlace
from po_desk.paths import resource
from po_desk.services import return_schema
from po_desk.services.files import write_private_file
from po_desk.services.official_places import official_places

SUFFIXES = (".json", ".csv", ".pdf")
READABLE = (return_schema.SCHEMA_V2, return_schema.SCHEMA_V1)

log = logging.getLogger(__name__)

# Given a return (official names and codes), the same verksamhet's return of the year before,
# or None; the consistency rules then warn of figures that jumped by more than half.
PreviousOf = Callable[[doc.WrittenReturn], doc.WrittenReturn | None]


class SammanstallningError(PoDeskError):
    exit_code = 2


def _texts(value: Any, field: str = "") -> Iterator[tuple[str, str]]:
    """Every string in a return with the field it stands in (`brister.texter.1.beskrivning`,
    lists counted from 1)."""
    if isinstance(value, str):
        yield field, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, f"{field}.{key}" if field else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value, start=1):
            yield from _texts(item, f"{field}.{index}" if field else str(index))


def _strings(value: Any, out: list[str]) -> list[str]:
    """Every string in a return, in the order `_texts` walks them, without their fields."""
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, dict):
        for item in value.values():
            _strings(item, out)
    elif isinstance(value, list):
        for item in value:
            _strings(item, out)
    return out


class _Guard:
    """The guard's hard findings of every distinct text of one compilation: most texts of a
    return (codes, dates, category names, stock phrases) recur in every return, so each is
    scanned once (issue 17: the guard over 116 returns took a second)."""

    def __init__(self) -> None:
        self._clean: set[str] = set()

    def check(self, path: Path, document: doc.WrittenReturn) -> None:
        """Refuses a return that carries what identifies a person, in any of its texts.

        Only hard hits refuse: warnings were confirmed by whoever saved the text, and nobody
        is there to confirm them during a compilation. The message names the field, never
        the text."""
        clean = self._clean
        for text in _strings(document, []):
            if text in clean:
                continue
            hard = guard.scan_blocking(text)
            if not hard:
                clean.add(text)
                continue
            field = next(field for field, value in _texts(document) if value == text)
            log.info("guard refused a return: %s", sorted({f.kind for f in hard}))
            raise SammanstallningError(
                f"{path}: fältet {field} innehåller {guard.describe(hard)}; "
                "ta bort uppgiften i återrapporten. Inget sammanställdes."
            )


def _guard(path: Path, document: doc.WrittenReturn) -> None:
    """The guard over one return (see `_Guard.check`)."""
    _Guard().check(path, document)


def _refuse(path: Path, finding: return_checks.Finding) -> SammanstallningError:
    return SammanstallningError(
        f"{path}: bryter mot regeln {finding.rule} ({return_checks.RULES[finding.rule]}) "
        f"i {finding.path}: {finding.message} Inget sammanställdes."
    )


def _refuse_by_rule(path: Path, document: dict[str, Any]) -> None:
    """For a return that breaks the schema: the consistency rule it breaks, if any (the
    schema bounds some of what the rules check, such as shares)."""
    try:
        findings = return_checks.check(document, date.today().year, places=official_places())
    except (AttributeError, KeyError, TypeError, ValueError):
        return  # too malformed for the rules; the schema's message names the field
    errors = return_checks.errors(findings)
    if errors:
        raise _refuse(path, errors[0])


def _checked(
    path: Path, document: doc.WrittenReturn, previous_of: PreviousOf | None
) -> tuple[doc.WrittenReturn, list[sdoc.QualityRow]]:
    """The return with official place names and codes, and its warnings as quality rows;
    an error of a consistency rule refuses the file, naming the file and the rule."""
    places = official_places()
    today = date.today().year
    errors = return_checks.errors(return_checks.check(document, today, places=places))
    if errors:
        raise _refuse(path, errors[0])
    try:
        document = places.normalize_return(document)
    except UnknownPlace as error:  # the rule above names it first; kept as a last guard
        raise SammanstallningError(f"{path}: {error} Inget sammanställdes.") from None
    previous = previous_of(document) if previous_of is not None else None
    findings = return_checks.check(document, today, previous=previous, places=places)
    if return_checks.errors(findings):
        raise _refuse(path, return_checks.errors(findings)[0])
    quality: list[sdoc.QualityRow] = [
        {
            "fil": Path(path).name,
            "verksamhet": document["verksamhet"]["namn"],
            "lan": document["verksamhet"]["lan"],
            "regel": finding.rule,
            "falt": finding.path,
            "meddelande": finding.message,
        }
        for finding in return_checks.warnings(findings)
    ]
    return document, quality


def load(paths: list[Path]) -> list[doc.WrittenReturn]:
    return load_checked(paths)[0]


def load_checked(
    paths: list[Path], previous_of: PreviousOf | None = None
) -> tuple[list[doc.WrittenReturn], list[sdoc.QualityRow]]:
    """The returns (official names and codes) and the quality rows of their warnings; each
    checked against the schema it names before it is read as a return."""
    if not paths:
        raise SammanstallningError("Inga återrapporter att sammanställa.")
    returns: list[doc.WrittenReturn] = []
    quality: list[sdoc.QualityRow] = []
    seen: dict[tuple[str, str], Path] = {}
    scanned = _Guard()
    for path in paths:
        checkpoint()
        try:
            document = json.loads(Path(path).read_bytes().decode("utf-8-sig"))
        except OSError as error:
            raise SammanstallningError(f"{path}: kan inte läsas ({os_reason(error)}).") from None
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise SammanstallningError(f"{path}: är ingen giltig JSON-fil.") from None
        if not isinstance(document, dict) or document.get("schema") not in READABLE:
            schema = document.get("schema") if isinstance(document, dict) else None
            raise SammanstallningError(
                f"{path}: okänt schema {schema!r}; väntade po-desk/aterrapport/2 eller /1."
            )
        problems = return_schema.problems(document)
        if problems:
            _refuse_by_rule(Path(path), document)  # a share over 100 %: name the rule
            raise SammanstallningError(f"{path}: följer inte schemat ({problems[0]}).")
        # Valid against the schema it names: from here a written return, which
        # sammanstallning reads as the typed document (aterrapport_v1.upgrade).
        written: doc.WrittenReturn = document
        scanned.check(Path(path), written)
        checked, warned = _checked(Path(path), written, previous_of)
        quality += warned
        if returns and checked["ar"] != returns[0]["ar"]:
            raise SammanstallningError(
                f"{path}: gäller år {checked['ar']}, de andra återrapporterna {returns[0]['ar']}."
            )
        key = (checked["verksamhet"]["namn"], checked["verksamhet"]["lan"])
        if key in seen:
            raise SammanstallningError(f"{path}: samma verksamhet som {seen[key]} ({key[0]}).")
        seen[key] = Path(path)
        returns.append(checked)
    return returns, quality


def folder_files(folder: Path) -> list[Path]:
    return sorted(Path(folder).glob("*.json"))


def compile_files(paths: list[Path], previous: list[Path] | None = None) -> sdoc.Sammanstallning:
    """The compilation with its quality section (`kvalitet`: the rules' warnings); with
    `previous` (last year's returns, checked the same way), the change of every count and
    the consistency checks' jump warnings, each verksamhet against its own previous return."""
    earlier = load([Path(p) for p in previous]) if previous else None
    previous_of: PreviousOf | None = None
    if earlier:
        earlier_returns = earlier
        previous_of = lambda document: sammanstallning.previous_of(document, earlier_returns)  # noqa: E731
    returns, quality = load_checked([Path(p) for p in paths], previous_of)
    if previous and earlier and earlier[0]["ar"] >= returns[0]["ar"]:
        raise SammanstallningError(
            f"{previous[0]}: föregående års återrapporter gäller {earlier[0]['ar']}, "
            f"inte ett år före {returns[0]['ar']}."
        )
    compilation = sammanstallning.compile_returns(
        returns,
        [Path(p).name for p in paths],
        previous=earlier,
        previous_sources=[Path(p).name for p in previous or []],
    )
    compilation["kvalitet"] = quality
    return compilation


def render(compilation: sdoc.Sammanstallning, suffix: str) -> bytes:
    if suffix == ".json":
        return json.dumps(compilation, ensure_ascii=False, indent=2).encode("utf-8")
    if suffix == ".csv":
        from po_desk.reports import sammanstallning_csv  # reportlab loads on first use

        return sammanstallning_csv.render(compilation)
    from po_desk.reports import sammanstallning_pdf  # reportlab loads on first use

    return sammanstallning_pdf.render(compilation, resource("fonts"))


def aggregate(
    paths: list[Path], out: Path, previous: list[Path] | None = None
) -> sdoc.Sammanstallning:
    """Checks every input, compiles, renders in memory, then writes `out` atomically."""
    suffix = Path(out).suffix.lower()
    if suffix not in SUFFIXES:
        raise SammanstallningError(f"{out}: ange .json, .csv eller .pdf som filändelse.")
    compilation = compile_files(paths, previous)
    write_private_file(Path(out), render(compilation, suffix))
    return compilation
