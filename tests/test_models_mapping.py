"""The ORM classes are mapped on first use (store/models.py), so that a Core-only read never
builds the mappers (issue 17). Each check runs in a fresh interpreter: in this one the
classes are long mapped."""

from __future__ import annotations

import subprocess
import sys

import pytest

from po_desk.store import models, tables


def fresh(code: str) -> str:
    prelude = "from po_desk.store import models\nassert not models.mapped()\n"
    result = subprocess.run(
        [sys.executable, "-c", prelude + code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_importing_the_models_neither_imports_the_orm_nor_maps() -> None:
    out = fresh("import sys\nprint(any(m.startswith('sqlalchemy.orm') for m in sys.modules))\n")
    assert out.split() == ["False"]


def test_reading_a_column_attribute_maps_every_class() -> None:
    out = fresh(
        "column = models.Uppdrag.kod\n"
        "print(models.mapped(), column.key, models.Avvikelse.kategorier.property.mapper.class_"
        ".__name__)\n"
    )
    assert out.split() == ["True", "kod", "AvvikelseKategori"]


def test_making_an_object_maps_every_class() -> None:
    out = fresh(
        "row = models.Klient(kon='k', fodelsear=1970)\n"
        "from sqlalchemy import inspect\n"
        "print(models.mapped(), inspect(row).transient, row.fodelsear)\n"
    )
    assert out.split() == ["True", "True", "1970"]


def test_mapping_from_many_threads_at_once_maps_once() -> None:
    out = fresh(
        "import threading\n"
        "seen = []\n"
        "def touch():\n"
        "    seen.append(models.KoAnmalan.kontaktorsaker.property.uselist)\n"
        "threads = [threading.Thread(target=touch) for _ in range(8)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "print(models.mapped(), len(seen), all(seen))\n"
    )
    assert out.split() == ["True", "8", "True"]


def test_unknown_attributes_and_keywords_are_refused() -> None:
    with pytest.raises(AttributeError):
        _ = models.Uppdrag.no_such_column  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="no_such_column"):
        models.Uppdrag(no_such_column=1)


def test_every_table_has_its_class_and_every_edited_row_a_version_counter() -> None:
    models.configure()
    from sqlalchemy import inspect

    classes = {cls.__table__.name: cls for cls in _all_subclasses(models.Row)
               if "__table__" in cls.__dict__}  # fmt: skip
    assert set(classes) == set(tables.metadata.tables)
    for name, cls in classes.items():
        mapper = inspect(cls)
        assert cls.__tablename__ == name
        if "version" in tables.metadata.tables[name].c:
            assert mapper.version_id_col is tables.metadata.tables[name].c.version, name


def _all_subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_all_subclasses(sub)]
    return found
