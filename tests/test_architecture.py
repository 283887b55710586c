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


# -- The ui computes nothing (issue 16.1, tightened) -------------------------------------
#
# Beyond the rule modules above: what a view may take from the domain at all. Capitalised
# names (types, enums, label tables, constants) come from any domain module; functions only
# from the modules and names below, each a label, a format or an error, never a rule.
UI_DOMAIN_MODULES = frozenset(
    {
        "po_desk.domain.formatting",  # numbers, decimals and days as Swedish text
        "po_desk.domain.errors",  # the exceptions a view shows
        "po_desk.domain.categories",  # category names and codes: labels of reference data
        "po_desk.domain.cancellation",  # the cancel token of a running operation
    }
)
UI_DOMAIN_FUNCTIONS = frozenset(
    {
        # The text of a path in the return and of the kö basis: labels of the tables.
        "po_desk.domain.aterrapport_tables.describe_path",
        "po_desk.domain.aterrapport_tables.ko_basis_text",
        # The sentence describing the ledningsgrupp's composition (the service decides it).
        "po_desk.domain.ledningsgrupp.describe",
        # Live strength of a passphrase being typed: feedback on input, before any service.
        "po_desk.domain.passphrase.estimate",
    }
)


def _domain_names(tree: ast.AST) -> tuple[dict[str, str], list[str]]:
    """Local names bound to domain modules or names, and every `module.name` used."""
    bound: dict[str, str] = {}
    used: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if not node.module.startswith("po_desk.domain"):
                continue
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                bound[alias.asname or alias.name] = full
                if node.module != "po_desk.domain":
                    used.append(full)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("po_desk.domain") and alias.asname:
                    bound[alias.asname] = alias.name
    modules_bound = {
        local: full for local, full in bound.items() if full.count(".") == 2 and local[:1].islower()
    }
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules_bound
        ):
            used.append(f"{modules_bound[node.value.id]}.{node.attr}")
    return bound, used


def domain_functions_in(path: Path) -> list[str]:
    """Domain functions a view reaches that are not a label, a format or an error."""
    _bound, used = _domain_names(ast.parse(path.read_text(encoding="utf-8")))
    return [
        name for name in used
        if name.rsplit(".", 1)[1][:1].islower()
        and name.rsplit(".", 1)[0] not in UI_DOMAIN_MODULES
        and name not in UI_DOMAIN_FUNCTIONS
    ]  # fmt: skip


# Counting, ordering and date arithmetic in a view, each an ast.unparse of the expression
# keyed by file. A use found here is flagged unless listed: the list holds the genuine
# layout uses (widths, indexes, numbers of widgets or files), each with its reason.
COUNTING_BUILTINS = frozenset({"len", "sum", "sorted", "min", "max"})
UI_LAYOUT_USES = frozenset(
    {
        # Number of JSON files the user picked, and of the quality notes the service gave.
        ("sammanstallning_panel.py", "len(self._paths)"),
        ("sammanstallning_panel.py", "len(self._previous)"),
        ("sammanstallning_panel.py", "len(compilation.get('kvalitet', []))"),
        # The bold last line of a table the domain built with a total row.
        ("aterrapport_panel.py", "len(table.rows)"),
        # How many differences are not shown of those the service listed.
        ("aterrapport_panel.py", "len(differences)"),
        ("aterrapport_panel.py", "len(lines)"),
        # A long category name gets a row of its own in the form.
        ("aterrapport_svar_box.py", "len(category.name)"),
        # A description cut to the table's width.
        ("avvikelse_table_model.py", "len(first_line)"),
        # Widget and page counts, indexes kept in range, the idle timer at least a minute.
        ("avvikelser_view.py", "max(self.ombud.findData(current), 0)"),
        ("idle_lock.py", "max(1, minutes)"),
        ("import_dialog.py", "len(problems)"),
        ("import_dialog.py", "len(changes)"),
        ("main_window.py", "len(SECTIONS)"),
        ("pdf_preview.py", "len(document)"),
        ("pdf_preview.py", "len(pages)"),
        ("person_fields.py", "len(kommuner)"),
        ("uppdrag_view.py", "max(index, 0)"),
        ("widgets.py", "max(index, 0)"),
        # Places in alphabetical order for the pickers; the chosen län's kommuner first.
        ("verksamhet_fields.py", "sorted(places.lan, key=lambda lan: lan.namn)"),
        (
            "verksamhet_fields.py",
            "sorted(places.kommuner, key=lambda k: (k.lan_kod != chosen, k.namn))",
        ),
        # Birth-year spin box: a range up to this year and a middle-aged default.
        ("person_fields.py", "date.today().year - 40"),
        # Demo data starts some years back (the demo maker, not a figure).
        ("app.py", "date.today().year - DEMO_YEARS"),
        # Qt date to Python date.
        ("widgets.py", "date(value.year(), value.month(), value.day())"),
    }
)
# Modules that are layout machinery, not views: their arithmetic is about pixels and rows.
UI_LAYOUT_MODULES = frozenset({"screen_fit.py", "table_model.py"})


def _date_like(node: ast.expr) -> bool:
    """A year, month, day or date in arithmetic: `x.year`, `this_year`, `date.today()`."""
    if isinstance(node, ast.Attribute):
        return node.attr in ("year", "month", "day")
    if isinstance(node, ast.Name):
        return node.id.endswith(("year", "today", "day", "datum"))
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "today"
    )


def computations_in(path: Path) -> list[str]:
    """Counting, ordering, date arithmetic and status comparisons in a view's code."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bound, _used = _domain_names(tree)
    types = {local for local, full in bound.items() if local[:1].isupper()}
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in COUNTING_BUILTINS or node.func.id in ("date", "timedelta"):
                found.append(ast.unparse(node))
        elif isinstance(node, ast.BinOp) and any(
            _date_like(side) for side in (node.left, node.right)
        ):
            found.append(ast.unparse(node))
        elif isinstance(node, ast.Compare) and any(
            isinstance(side, ast.Attribute)
            and isinstance(side.value, ast.Name)
            and side.value.id in types
            for side in (node.left, *node.comparators)
        ):
            found.append(ast.unparse(node))  # a status compared with a domain enum member
    return [use for use in found if (path.name, use) not in UI_LAYOUT_USES]


def test_no_view_calls_a_domain_function_beyond_labels_and_formats() -> None:
    offenders = {
        p.name: calls for p in modules("ui") if (calls := domain_functions_in(p))
    }  # fmt: skip
    assert offenders == {}


def test_no_view_counts_orders_or_does_date_arithmetic() -> None:
    offenders = {
        p.name: uses for p in modules("ui")
        if p.name not in UI_LAYOUT_MODULES and (uses := computations_in(p))
    }  # fmt: skip
    assert offenders == {}


def test_the_tightened_check_sees_what_the_views_used_to_compute(tmp_path: Path) -> None:
    """Each of the rules moved out of the views in issue 16.1, as a view would write it."""
    view = tmp_path / "view.py"
    view.write_text(
        "from datetime import date, timedelta\n"
        "from po_desk.domain import uppdrag_filter\n"
        "from po_desk.domain.avvikelse import AvvikelseStatus\n"
        "from po_desk.domain.uppdrag import age_group\n"
        "start = today - timedelta(days=365), date(today.year - 1, 1, 1)\n"
        "first, meeting = this_year - 1, date.today() + week\n"
        "rows = uppdrag_filter.apply(items, criteria)\n"
        "label = f'{len(rows)} aktiva, {sum(o.grad for o in rows)} tjänster'\n"
        "years = sorted({u.start.year for u in rows}, reverse=True)\n"
        "movable = any(t != AvvikelseStatus.LYFT for t in targets)\n",
        encoding="utf-8",
    )
    assert sorted(domain_functions_in(view)) == [
        "po_desk.domain.uppdrag.age_group",
        "po_desk.domain.uppdrag_filter.apply",
    ]
    assert sorted(computations_in(view)) == sorted(
        [
            "timedelta(days=365)",
            "date(today.year - 1, 1, 1)",
            "today.year - 1",
            "today - timedelta(days=365)",
            "this_year - 1",
            "date.today() + week",
            "len(rows)",
            "sum((o.grad for o in rows))",
            "sorted({u.start.year for u in rows}, reverse=True)",
            "t != AvvikelseStatus.LYFT",
        ]
    )
