"""The libraries po-desk ships with, their versions and licences, for "Om po-desk".

Python libraries are read from their installed metadata (the bundle carries it), walking
po-desk's requirements; components compiled into them are listed by hand below."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import metadata

# Built into the libraries above, with no package metadata of their own.
EMBEDDED = (
    ("Qt", "6 (i PySide6)", "LGPL-3.0-only"),
    ("SQLCipher", "4 (i sqlcipher3)", "BSD-3-Clause"),
    ("OpenSSL", "3 (i sqlcipher3 och cryptography)", "Apache-2.0"),
    ("PDFium", "(i pypdfium2)", "BSD-3-Clause, Apache-2.0"),
    ("DejaVu-typsnitt", "2.37", "Bitstream Vera / DejaVu (fri)"),
)
LICENCE_TEXT_NAMES = ("LICENSE", "LICENCE", "COPYING")


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    licence: str
    licence_text: str = ""


def _requirement_name(requirement: str) -> str | None:
    if "extra ==" in requirement:
        return None  # test tools are not shipped
    match = re.match(r"[A-Za-z0-9_.\-]+", requirement)
    return match.group(0) if match else None


def _licence_of(meta: metadata.PackageMetadata) -> str:
    expression = meta.get("License-Expression")
    if expression:
        return expression
    classifiers = [
        c.rsplit("::", 1)[-1].strip() for c in meta.get_all("Classifier") or []
        if c.startswith("License ::")
    ]  # fmt: skip
    if classifiers:
        return ", ".join(classifiers)
    text = (meta.get("License") or "").strip().splitlines()
    return text[0][:60] if text else "se licensfilen"


def _licence_text(distribution: metadata.Distribution) -> str:
    for file in distribution.files or []:
        name = file.name.upper()
        if ".dist-info" in str(file) and name.startswith(LICENCE_TEXT_NAMES):
            try:
                return file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
    return ""


def shipped_components(root: str = "po-desk") -> list[Component]:
    """po-desk's runtime requirements, transitively, then the embedded components."""
    found: dict[str, Component] = {}
    pending = [root]
    while pending:
        name = pending.pop()
        key = name.lower().replace("_", "-")
        if key in found:
            continue
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # optional or platform-specific requirement not installed here
        meta = distribution.metadata
        found[key] = Component(
            meta["Name"], distribution.version, _licence_of(meta), _licence_text(distribution)
        )
        for requirement in distribution.requires or []:
            required = _requirement_name(requirement)
            if required and _applies(requirement):
                pending.append(required)
    own = found.pop(root, None)
    listed = sorted(found.values(), key=lambda c: c.name.lower())
    embedded = [Component(name, version, licence) for name, version, licence in EMBEDDED]
    return ([own] if own else []) + listed + embedded


def _applies(requirement: str) -> bool:
    """False for requirements limited to another platform or Python (by their marker)."""
    if ";" not in requirement:
        return True
    try:
        from packaging.requirements import Requirement
    except ImportError:  # without packaging, take every requirement that is installed
        return True
    marker = Requirement(requirement).marker
    return marker is None or marker.evaluate()
