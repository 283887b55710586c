"""The command line's help and argument errors are Swedish throughout (issue 13.20): no
argparse boilerplate in English, and every option and command has a help text."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from po_desk import cli

ENGLISH = (
    "usage:", "options:", "optional arguments", "positional arguments", "show this help",
    "show program's version", "default:", "error:", "the following arguments",
    "invalid choice", "unrecognized arguments", "expected one argument", "subcommands",
)  # fmt: skip


def parsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from parsers(sub, (*path, name))


ALL = list(parsers(cli.build_parser()))


def test_every_command_is_walked() -> None:
    paths = {" ".join(path) for path, _ in ALL}
    assert {"", "init", "demo", "export aterrapport", "merge import", "import uppdrag"} <= paths


@pytest.mark.parametrize("path", [path for path, _ in ALL], ids=lambda p: " ".join(p) or "po-desk")
def test_help_is_swedish(path: tuple[str, ...], capsys) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main([*path, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("användning: po-desk")
    for english in ENGLISH:
        assert english not in text, english
    assert "visa den här hjälpen och avsluta" in text


@pytest.mark.parametrize(("path", "parser"), ALL, ids=[" ".join(p) or "po-desk" for p, _ in ALL])
def test_every_option_has_a_help_text_and_a_swedish_placeholder(
    path: tuple[str, ...], parser: argparse.ArgumentParser
) -> None:
    for action in parser._actions:
        assert action.help and action.help != argparse.SUPPRESS, (path, action.dest)
        if isinstance(action, argparse._SubParsersAction):
            assert all(choice.help for choice in action._choices_actions), path
        elif action.nargs != 0:
            # Without a metavar argparse shows the English dest (PASSPHRASE_FILE).
            assert action.metavar, (path, action.dest)


def test_the_installed_command_prints_swedish_help() -> None:
    result = subprocess.run([sys.executable, "-m", "po_desk", "--help"], capture_output=True,
                            text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0
    assert result.stdout.startswith("användning: po-desk") and "flaggor:" in result.stdout
    assert not any(english in result.stdout for english in ENGLISH)


@pytest.mark.parametrize(
    ("argv", "swedish"),
    [
        # --db or --server: which one is checked after parsing (tests/test_server_connect.py)
        (["export", "aterrapport"], "dessa argument krävs: --year, --format, --out"),
        (["export", "aterrapport", "--db", "x", "--year", "år", "--format", "pdf", "--out", "y"],
         "--year: ogiltigt värde: 'år'"),
        (["export", "aterrapport", "--db", "x", "--year", "1", "--format", "doc", "--out", "y"],
         "--format: ogiltigt val: 'doc' (välj bland 'pdf', 'json', 'csv')"),
        (["check", "--db"], "--db: ett värde behövs"),
        (["check", "--db", "x", "--okänd"], "okända argument: --okänd"),
        (["export"], "dessa argument krävs: VAD"),
    ],
)  # fmt: skip
def test_argument_errors_are_swedish(argv: list[str], swedish: str, capsys) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(argv)
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("användning: po-desk")
    assert f": fel: {swedish}" in err
    assert not any(english in err for english in ENGLISH)
