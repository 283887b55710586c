"""The JSON Schema of the återrapport (resources/aterrapport.schema.json) and checking a
document against it."""

from __future__ import annotations

import functools
import json
from typing import Any

from po_desk.domain.errors import PoDeskError
from po_desk.paths import resource


@functools.cache
def validator() -> Any:
    import jsonschema  # imported on first use: it is slow to load and rarely needed

    schema = json.loads(resource("aterrapport.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def problems(document: Any) -> list[str]:
    """Each place where `document` breaks the schema, as `path: message`."""
    found = []
    for error in sorted(validator().iter_errors(document), key=lambda e: list(e.path)):
        path = ".".join(str(part) for part in error.path) or "(roten)"
        found.append(f"{path}: {error.message}")
    return found


def check(document: Any) -> None:
    found = problems(document)
    if found:
        raise PoDeskError(f"Återrapporten följer inte schemat: {found[0]}")
