"""The JSON Schema of the återrapport (resources/aterrapport.schema.json) and checking a
document against it.

The schema is written for draft 2020-12 but uses only keywords draft 7 shares, so it is
compiled with `fastjsonschema` (a compiled validator: 290 returns in a fraction of a
second, where an interpreting validator needed seconds)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

import fastjsonschema

from po_desk.domain.errors import PoDeskError
from po_desk.paths import resource

ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


def schema() -> dict[str, Any]:
    return json.loads(resource("aterrapport.schema.json").read_text(encoding="utf-8"))


@functools.cache
def validator() -> Callable[[Any], Any]:
    compiled = dict(schema())
    compiled["$schema"] = "http://json-schema.org/draft-07/schema#"
    return fastjsonschema.compile(compiled, formats={"date": ISO_DATE})


def problems(document: Any) -> list[str]:
    """Where `document` breaks the schema, as `path: message` (the first place found)."""
    try:
        validator()(document)
    except fastjsonschema.JsonSchemaValueException as error:
        path = ".".join(str(part) for part in error.path[1:]) or "(roten)"
        return [f"{path}: {error.message}"]
    return []


def check(document: Any) -> None:
    found = problems(document)
    if found:
        raise PoDeskError(f"Återrapporten följer inte schemat: {found[0]}")
