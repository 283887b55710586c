"""Issue 13.1: a button's clicked(bool) (an action's triggered(bool), any signal's argument)
arrives in the first parameter of the slot it is connected to. A slot with an optional
parameter then gets the signal's value instead of its default, as Sammanställ returer did
(`run(self, out=None)` got False). Checked on the source of every connection in po_desk/ui."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[1] / "po_desk" / "ui"


def _connections() -> list[tuple[str, int, ast.ClassDef | None, ast.expr, str]]:
    found = []
    for path in sorted(UI.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in [None, *[n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]]:
            body = cls.body if cls else tree.body
            for node in [n for part in body for n in ast.walk(part)]:
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "connect"
                    and isinstance(node.func.value, ast.Attribute)
                    and node.args
                ):
                    signal = node.func.value.attr
                    found.append((path.name, node.lineno, cls, node.args[0], signal))
    return found


def _method(cls: ast.ClassDef, name: str) -> ast.FunctionDef | None:
    for node in cls.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return node
    return None


def test_no_slot_has_an_optional_parameter_a_signal_could_fill() -> None:
    offenders = []
    checked = 0
    for file, line, cls, target, _signal in _connections():
        if (
            cls is not None
            and isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id == "self"
        ):
            method = _method(cls, target.attr)
            if method is None:
                continue
            checked += 1
            if method.args.defaults or any(method.args.kw_defaults):
                offenders.append(f"{file}:{line} {cls.name}.{method.name}")
    assert checked > 60  # the survey really saw the connections
    assert offenders == []


def test_lambdas_on_clicked_and_triggered_absorb_the_checked_flag() -> None:
    offenders = []
    lambdas = 0
    for file, line, _cls, target, signal in _connections():
        if signal in ("clicked", "triggered") and isinstance(target, ast.Lambda):
            lambdas += 1
            params = target.args.args
            if params and not params[0].arg.startswith("_"):
                offenders.append(f"{file}:{line}")
    assert lambdas > 5
    assert offenders == []


def test_the_survey_finds_the_old_defect() -> None:
    """The check itself fails on the shape of the defect it guards against."""
    source = (
        "class P:\n"
        "    def __init__(self):\n"
        "        self.b.clicked.connect(self.run)\n"
        "    def run(self, out=None):\n"
        "        pass\n"
    )
    cls = ast.parse(source).body[0]
    assert isinstance(cls, ast.ClassDef)
    method = _method(cls, "run")
    assert method is not None and method.args.defaults
