"""Issue 13.17: every shipped component has its licence text, shown in Om po-desk, and the
repository carries its own EUPL-1.2 text."""

from __future__ import annotations

from pathlib import Path

import pytest

from po_desk.services.licences import shipped_components

ROOT = Path(__file__).resolve().parents[1]
# Component (as listed) -> phrases only its own licence text contains.
PHRASES = {
    "po-desk": ("European Union Public Licence v. 1.2", "'Compatible Licences' according to"),
    "pyside6_essentials": ("GNU LESSER GENERAL PUBLIC LICENSE", "GNU GENERAL PUBLIC LICENSE"),
    "shiboken6": ("GNU LESSER GENERAL PUBLIC LICENSE", "Version 3, 29 June 2007"),
    "qt": ("Qt for Python", "GNU LESSER GENERAL PUBLIC LICENSE"),
    "sqlcipher": ("ZETETIC LLC", "Redistribution and use in source and binary forms"),
    "sqlcipher3": ("Gerhard Häring", "provided 'as-is'"),
    "openssl": ("OpenSSL Project", "Apache License"),
    "pdfium": ("The PDFium Authors", "Redistribution and use"),
    "dejavu-typsnitt": ("Bitstream", "DejaVu"),
    "sqlalchemy": ("Permission is hereby granted",),
}


@pytest.fixture(scope="module")
def components():
    return {c.name.lower(): c for c in shipped_components()}


@pytest.mark.parametrize("name", sorted(PHRASES))
def test_each_component_has_its_licence_text(components, name: str) -> None:
    component = components[name]
    assert component.licence and "se licensfilen" not in component.licence
    for phrase in PHRASES[name]:
        assert phrase in component.licence_text, (name, phrase)


def test_licence_names() -> None:
    components = {c.name.lower(): c for c in shipped_components()}
    assert components["po-desk"].licence == "EUPL-1.2"
    assert components["sqlcipher3"].licence == "Zlib"
    assert components["qt"].licence == "LGPL-3.0-only"
    assert components["sqlalchemy"].licence == "MIT"


def test_the_repository_licence_is_the_shipped_eupl_text() -> None:
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("European Union Public Licence v. 1.2")
    assert " ".join(licence.split()).endswith("a new EUPL version.")  # complete, to the end
    shipped = (ROOT / "resources" / "licences" / "EUPL-1.2.txt").read_text(encoding="utf-8")
    assert shipped == licence


@pytest.mark.gui
def test_about_shows_each_text(qtbot) -> None:
    from po_desk.ui.about_dialog import AboutDialog

    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    names = [dialog.model.row_at(r).name.lower() for r in range(dialog.model.rowCount())]
    for name in ("po-desk", "qt", "sqlcipher", "openssl", "pdfium", "dejavu-typsnitt"):
        dialog.table.setCurrentIndex(dialog.model.index(names.index(name), 0))
        assert PHRASES[name][0] in dialog.licence_text.toPlainText(), name
