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


# Domain modules whose functions are rules: ordering the kö, counting uppdrag and waits,
# periods and deadlines, the return and its compilation. Views take their results from a
# use case (a service); they may import these modules' types and labels (capitalised
# names), never call their functions.
RULE_MODULES = frozenset(
    {
        "po_desk.domain.counting",
        "po_desk.domain.ko",
        "po_desk.domain.vantetid",
        "po_desk.domain.intagningsstopp",
        "po_desk.domain.aterrapport",
        "po_desk.domain.sammanstallning",
        "po_desk.domain.return_checks",
        "po_desk.domain.disclosure",
        "po_desk.domain.underlag",
        "po_desk.domain.category_catalogue",
    }
)


def rule_calls_in(path: Path) -> list[str]:
    """`module.function` for every rule function `path` imports or reaches by attribute."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if full in RULE_MODULES:
                    aliases[alias.asname or alias.name] = full
                elif node.module in RULE_MODULES and alias.name[:1].islower():
                    found.append(full)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in RULE_MODULES:
                    aliases[alias.asname or alias.name] = alias.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr[:1].islower()
        ):
            found.append(f"{aliases[node.value.id]}.{node.attr}")
    return found


def test_no_view_computes_a_rule() -> None:
    offenders = {
        p.name: calls for p in modules("ui") if (calls := rule_calls_in(p))
    }  # fmt: skip
    assert offenders == {}


def test_the_rule_check_sees_a_view_that_orders_the_ko(tmp_path: Path) -> None:
    view = tmp_path / "view.py"
    view.write_text(
        "from po_desk.domain import ko\n"
        "from po_desk.domain.counting import active_on, YearFigures\n"
        "rows = ko.order_ko([], (), None)\n",
        encoding="utf-8",
    )
    assert sorted(rule_calls_in(view)) == [
        "po_desk.domain.counting.active_on",
        "po_desk.domain.ko.order_ko",
    ]
