"""Reading returns written to schema version 1 (`po-desk/aterrapport/1`) in version 2's
shape, so a compilation, a view or a PDF treats both alike.

Version 1 could not tell a decided prioriteringsordning from the seeded proposal, nor an
answered kö from the records' guess: a v1 return that lists grounds counts as having a
decided ordning (what it claimed), one that lists none as having none decided, and its
`hade_ko` stands as the answer. The figures version 1 did not carry (per kommun, the
longest wait of those waiting on 31 December, the basis, the reasons) are left empty.
"""

from __future__ import annotations

import copy
from typing import Any, Literal, cast, overload

from po_desk.domain import aterrapport_document as doc

SCHEMA_V1 = "po-desk/aterrapport/1"


def is_v1(document: doc.WrittenReturn) -> bool:
    return document.get("schema") == SCHEMA_V1


@overload
def upgrade(
    document: doc.WrittenReturn, only_reshape: Literal[False] = False
) -> doc.Aterrapport: ...


@overload
def upgrade(document: doc.WrittenReturn, only_reshape: Literal[True]) -> doc.WrittenReturn: ...


def upgrade(
    document: doc.WrittenReturn, only_reshape: bool = False
) -> doc.Aterrapport | doc.WrittenReturn:
    """A copy in version 2's shape; a version 2 document is returned as it is. `schema`
    keeps naming the version the return was written to. `only_reshape` moves what
    version 1 said to version 2's places and adds nothing it did not say (for comparing a
    fastställd version 1 return with the figures of now; so it is no `Aterrapport`).

    The caller has checked `document` against the schema it names (a file in
    services.sammanstallning_service, a fastställd return written by aterrapport.build), which is
    why the casts below hold; a version 1 return then lacks what aterrapport_document's
    docstring lists."""
    if not is_v1(document):
        return cast(doc.Aterrapport, document)
    result: dict[str, Any] = copy.deepcopy(dict(document))
    grunder = list(document["prioriteringsordning"])
    ordning: dict[str, Any] = {
        "har_prioriteringsordning": bool(grunder),
        "beslutad": bool(grunder),
        "grunder": grunder,
    }
    result["prioriteringsordning"] = ordning
    if only_reshape:
        return result
    ordning.update(beslutsdatum=None, beslutad_av=None)
    ko = result["ko"]
    ko.setdefault("hade_ko_forslag", ko["hade_ko"])
    ko.setdefault("hade_ko_besvarad", False)
    ko.setdefault("hade_ko_underlag", None)
    ko.setdefault("orsaker", [])
    ko.setdefault("vantande_31_dec_langst_dagar", None)
    ko.setdefault("per_kommun", [])
    return cast(doc.Aterrapport, result)
