"""The JSON Schema of the återrapport (resources/aterrapport.schema.json, version 2) and
checking a document against it. Version 1 returns (made before po-desk/aterrapport/2, and
the fastställda years of a store made then) are checked against the schema they were
written to, resources/aterrapport.schema.v1.json.

The schema is written for draft 2020-12 but uses only keywords draft 7 shares, so it is
compiled with `fastjsonschema` (a compiled validator: 290 returns in a fraction of a
second, where an interpreting validator needed seconds)."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from po_desk.domain.errors import PoDeskError
from po_desk.paths import resource

ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


SCHEMA_V1 = "po-desk/aterrapport/1"
SCHEMA_V2 = "po-desk/aterrapport/2"
FILES = {SCHEMA_V2: "aterrapport.schema.json", SCHEMA_V1: "aterrapport.schema.v1.json"}


def schema(version: str = SCHEMA_V2) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(resource(FILES[version]).read_text(encoding="utf-8"))
    return loaded


def draft7(version: str) -> dict[str, Any]:
    compiled = dict(schema(version))
    compiled["$schema"] = "http://json-schema.org/draft-07/schema#"
    return compiled


@functools.cache
def validator(version: str = SCHEMA_V2) -> Callable[[Any], Any]:
    """The compiled validator. Version 2's is generated ahead of time into
    aterrapport_validator.py (tools/gen_validator.py); it is used while its schema hash
    matches the schema file, else the schema is compiled here, as for version 1."""
    if version == SCHEMA_V2:
        from po_desk.services import aterrapport_validator as generated

        text = resource(FILES[version]).read_bytes()
        if hashlib.sha256(text).hexdigest() == generated.SCHEMA_SHA256:
            return getattr(generated, generated.ENTRY)  # type: ignore[no-any-return]
    import fastjsonschema

    return fastjsonschema.compile(draft7(version), formats={"date": ISO_DATE})


def problems(document: Any) -> list[str]:
    """Where `document` breaks the schema, as `path: message` (the first place found).
    A document naming version 1 is checked against version 1; anything else against 2."""
    version = (
        SCHEMA_V1
        if isinstance(document, dict) and document.get("schema") == SCHEMA_V1
        else SCHEMA_V2
    )
    from fastjsonschema import JsonSchemaValueException

    try:
        validator(version)(document)
    except JsonSchemaValueException as error:
        path = ".".join(str(part) for part in error.path[1:]) or "(roten)"
        return [f"{path}: {error.message}"]
    return []


def check(document: Any) -> None:
    found = problems(document)
    if found:
        raise PoDeskError(f"Återrapporten följer inte schemat: {found[0]}")
