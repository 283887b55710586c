"""Compiling returns (po-desk aggregate): every file checked against the return's JSON
Schema, one year, each verksamhet once, and every text in it through the anonymisation
guard; any problem names the file and nothing is written."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from po_desk.domain import guard, sammanstallning
from po_desk.domain.cancellation import checkpoint
from po_desk.domain.errors import PoDeskError
from po_desk.paths import resource
from po_desk.secure_files import atomic_write
from po_desk.services import return_schema

SUFFIXES = (".json", ".csv", ".pdf")
READABLE = (return_schema.SCHEMA_V2, return_schema.SCHEMA_V1)

log = logging.getLogger(__name__)


class AggregateError(PoDeskError):
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


def _guard(path: Path, document: dict[str, Any]) -> None:
    """Refuses a return that carries what identifies a person, in any of its texts.

    Only hard hits refuse: warnings were confirmed by whoever saved the text, and nobody is
    there to confirm them during a compilation. The message names the field, never the text.
    """
    for field, text in _texts(document):
        hard = guard.blocking(guard.scan(text))
        if hard:
            log.info("guard refused a return: %s", sorted({f.kind for f in hard}))
            raise AggregateError(
                f"{path}: fältet {field} innehåller {guard.describe(hard)}; "
                "ta bort uppgiften i återrapporten. Inget sammanställdes."
            )


def load(paths: list[Path]) -> list[dict[str, Any]]:
    if not paths:
        raise AggregateError("Inga återrapporter att sammanställa.")
    returns: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], Path] = {}
    for path in paths:
        checkpoint()
        try:
            document = json.loads(Path(path).read_bytes().decode("utf-8-sig"))
        except OSError as error:
            raise AggregateError(f"{path}: kan inte läsas ({error.strerror}).") from None
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise AggregateError(f"{path}: är ingen giltig JSON-fil.") from None
        if not isinstance(document, dict) or document.get("schema") not in READABLE:
            schema = document.get("schema") if isinstance(document, dict) else None
            raise AggregateError(
                f"{path}: okänt schema {schema!r}; väntade po-desk/aterrapport/2 eller /1."
            )
        problems = return_schema.problems(document)
        if problems:
            raise AggregateError(f"{path}: följer inte schemat ({problems[0]}).")
        _guard(Path(path), document)
        if returns and document["ar"] != returns[0]["ar"]:
            raise AggregateError(
                f"{path}: gäller år {document['ar']}, de andra återrapporterna {returns[0]['ar']}."
            )
        key = (document["verksamhet"]["namn"], document["verksamhet"]["lan"])
        if key in seen:
            raise AggregateError(f"{path}: samma verksamhet som {seen[key]} ({key[0]}).")
        seen[key] = Path(path)
        returns.append(document)
    return returns


def folder_files(folder: Path) -> list[Path]:
    return sorted(Path(folder).glob("*.json"))


def compile_files(paths: list[Path]) -> dict[str, Any]:
    returns = load([Path(p) for p in paths])
    return sammanstallning.compile_returns(returns, [Path(p).name for p in paths])


def render(compilation: dict[str, Any], suffix: str) -> bytes:
    if suffix == ".json":
        return json.dumps(compilation, ensure_ascii=False, indent=2).encode("utf-8")
    if suffix == ".csv":
        from po_desk.reports import sammanstallning_csv  # reportlab loads on first use

        return sammanstallning_csv.render(compilation)
    from po_desk.reports import sammanstallning_pdf  # reportlab loads on first use

    return sammanstallning_pdf.render(compilation, resource("fonts"))


def aggregate(paths: list[Path], out: Path) -> dict[str, Any]:
    """Checks every input, compiles, renders in memory, then writes `out` atomically."""
    suffix = Path(out).suffix.lower()
    if suffix not in SUFFIXES:
        raise AggregateError(f"{out}: ange .json, .csv eller .pdf som filändelse.")
    compilation = compile_files(paths)
    atomic_write(Path(out), render(compilation, suffix))
    return compilation
