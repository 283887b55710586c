"""The libraries po-desk ships with, their versions and licences, for "Om po-desk".

Python libraries are read from their installed metadata (the bundle carries it), walking
po-desk's requirements; components compiled into them are listed by hand below. Every
component has its licence text: from its metadata (every licence file it ships), or from
resources/licences/ where the metadata has none (po-desk itself when run from a checkout,
PySide6/Qt, SQLCipher, OpenSSL, PDFium, DejaVu)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import metadata

from po_desk import __version__
from po_desk.paths import resource

OWN_LICENCE = "EUPL-1.2"
QT_TEXTS = ("licences/Qt.txt", "licences/LGPL-3.0.txt", "licences/GPL-3.0.txt")
# Built into the libraries above, with no package metadata of their own: name, version,
# licence, and the texts shipped for it in resources/.
EMBEDDED = (
    ("Qt", "6 (i PySide6)", "LGPL-3.0-only", QT_TEXTS),
    ("SQLCipher", "4 (i sqlcipher3)", "BSD-3-Clause", ("licences/SQLCipher.txt",)),
    ("OpenSSL", "3 och 4 (i sqlcipher3 och cryptography)", "Apache-2.0",
     ("licences/OpenSSL.txt", "licences/Apache-2.0.txt")),
    ("PDFium", "(i pypdfium2)", "BSD-3-Clause", ("licences/PDFium.txt",)),
    ("DejaVu-typsnitt", "2.37", "Bitstream Vera / DejaVu (fri)",
     ("fonts/LICENSE-DejaVu.txt",)),
)  # fmt: skip
# Distributions whose metadata carries no licence text: the texts shipped for them.
FALLBACK_TEXTS = {
    "po-desk": ("licences/EUPL-1.2.txt",),
    "pyside6-essentials": QT_TEXTS,
    "shiboken6": QT_TEXTS,
}
LICENCE_TEXT_NAMES = ("LICENSE", "LICENCE", "COPYING", "NOTICE")
# Known licence texts, for metadata that names no licence (sqlcipher3 names none).
TEXT_FINGERPRINTS = (
    ("This software is provided 'as-is', without any express or implied warranty", "Zlib"),
    ("Permission is hereby granted, free of charge", "MIT"),
    ("Apache License", "Apache-2.0"),
    ("Redistribution and use in source and binary forms", "BSD"),
)


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


def _field(meta: metadata.PackageMetadata, name: str) -> str | None:
    values = meta.get_all(name)
    return values[0] if values else None


def _licence_of(meta: metadata.PackageMetadata, text: str = "") -> str:
    expression = _field(meta, "License-Expression")
    if expression:
        return expression
    classifiers = [
        c.rsplit("::", 1)[-1].strip() for c in meta.get_all("Classifier") or []
        if c.startswith("License ::")
    ]  # fmt: skip
    if classifiers:
        return ", ".join(classifiers)
    declared = (_field(meta, "License") or "").strip().splitlines()
    if declared:
        return declared[0][:60]
    flat = " ".join(text.split())
    for phrase, name in TEXT_FINGERPRINTS:
        if phrase in flat:
            return name
    return "okänd (se licenstexten)"


def _is_licence_file(path: str) -> bool:
    name = path.rsplit("/", 1)[-1].upper()
    return ".dist-info/" in path and (
        "/licenses/" in path.lower() or name.startswith(LICENCE_TEXT_NAMES)
    )


def _licence_text(distribution: metadata.Distribution) -> str:
    """Every licence file the distribution ships, one after the other, with its name."""
    files = sorted(
        (f for f in distribution.files or [] if _is_licence_file(str(f).replace("\\", "/"))),
        key=lambda f: (not f.name.upper().startswith(LICENCE_TEXT_NAMES), str(f)),
    )
    texts = []
    for file in files:
        try:
            texts.append((file.name, file.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError):
            continue
    return _joined(texts)


def _joined(texts: list[tuple[str, str]]) -> str:
    if len(texts) == 1:
        return texts[0][1]
    return "\n\n".join(f"===== {name} =====\n\n{text}" for name, text in texts)


def shipped_text(names: tuple[str, ...]) -> str:
    """The licence texts shipped in resources/ under these names, joined."""
    texts = []
    for name in names:
        try:
            texts.append((name.rsplit("/", 1)[-1], resource(name).read_text(encoding="utf-8")))
        except OSError:
            continue
    return _joined(texts)


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
        text = _licence_text(distribution) or shipped_text(FALLBACK_TEXTS.get(key, ()))
        found[key] = Component(meta["Name"], distribution.version, _licence_of(meta, text), text)
        for requirement in distribution.requires or []:
            required = _requirement_name(requirement)
            if required and _applies(requirement):
                pending.append(required)
    own = found.pop(root, None)
    if own is None:  # run from a checkout, not installed: po-desk itself all the same
        own = Component(root, __version__, OWN_LICENCE, shipped_text(FALLBACK_TEXTS[root]))
    listed = sorted(found.values(), key=lambda c: c.name.lower())
    embedded = [
        Component(name, version, licence, shipped_text(texts))
        for name, version, licence, texts in EMBEDDED
    ]
    return [own, *listed, *embedded]


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
