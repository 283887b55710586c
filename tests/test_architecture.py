"""The package split of DESIGN §2, checked on the import statements themselves."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "po_desk"


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules(subpackage: str = "") -> list[Path]:
    return sorted((PACKAGE / subpackage).rglob("*.py"))


def test_qt_only_in_ui() -> None:
    offenders = [
        p for p in modules() if "ui" not in p.relative_to(PACKAGE).parts
        and any(n.split(".")[0] in ("PySide6", "shiboken6") for n in imports_of(p))
    ]  # fmt: skip
    assert offenders == []


def test_sqlalchemy_and_alembic_only_in_store() -> None:
    offenders = [
        p for p in modules() if "store" not in p.relative_to(PACKAGE).parts
        and any(n.split(".")[0] in ("sqlalchemy", "alembic", "sqlcipher3") for n in imports_of(p))
    ]  # fmt: skip
    assert offenders == []


# The one third-party library the domain may use: python-stdnum, a pure-Python library
# without I/O or dependencies, whose tested personnummer and Luhn checks the guard relies
# on instead of hand-written rules (issue 12.3).
DOMAIN_LIBRARIES = frozenset({"stdnum"})


def test_domain_is_standard_library_only() -> None:
    for path in modules("domain"):
        for name in imports_of(path):
            top = name.split(".")[0]
            assert (
                top in __import__("sys").stdlib_module_names
                or top in DOMAIN_LIBRARIES
                or name.startswith("po_desk.domain")
            ), (path.name, name)


def test_only_the_guard_uses_the_domain_library() -> None:
    users = [
        p.name for p in modules("domain") if any(n.startswith("stdnum") for n in imports_of(p))
    ]
    assert users == ["guard.py"]


def test_ui_and_cli_never_import_store() -> None:
    for path in [*modules("ui"), PACKAGE / "cli.py"]:
        assert not any(n.startswith("po_desk.store") for n in imports_of(path)), path.name


def test_reports_import_only_domain() -> None:
    for path in modules("reports"):
        ours = {n for n in imports_of(path) if n.startswith("po_desk.")}
        assert all(n.startswith(("po_desk.domain", "po_desk.reports")) for n in ours), path.name


def test_domain_tests_do_not_set_up_qt(request) -> None:
    """The Qt fixtures of conftest apply to GUI tests only; this test asks for none."""
    assert "isolated_qsettings" not in request.fixturenames
