"""argparse in Swedish: its own texts ("usage:", "options:", "show this help message and
exit", "the following arguments are required") come through gettext; this module hands it a
Swedish catalogue.

argparse looks its texts up through the module-level names `_` and `ngettext`, which it took
from gettext on import. Replacing those two names in argparse is the smallest translation
hook there is: no .mo file and no change to gettext's global domain for anyone else. A text
missing from the table stays as argparse wrote it.
"""

from __future__ import annotations

import argparse

SWEDISH: dict[str, str] = {
    "usage: ": "användning: ",
    "positional arguments": "argument",
    "options": "flaggor",
    "subcommands": "kommandon",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "show program's version number and exit": "visa programmets version och avsluta",
    " (default: %(default)s)": " (förval: %(default)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
    "%(prog)s: warning: %(message)s\n": "%(prog)s: varning: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "the following arguments are required: %s": "dessa argument krävs: %s",
    "one of the arguments %s is required": "ett av argumenten %s krävs",
    "unrecognized arguments: %s": "okända argument: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "ogiltigt val: %(value)r (välj bland %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "ogiltigt värde: %(value)r",
    "expected one argument": "ett värde behövs",
    "expected at most one argument": "högst ett värde får anges",
    "expected at least one argument": "minst ett värde behövs",
    "not allowed with argument %s": "går inte att kombinera med %s",
    "ignored explicit argument %r": "värdet %r används inte",
    "ambiguous option: %(option)s could match %(matches)s": (
        "flaggan %(option)s är tvetydig: den kan vara %(matches)s"
    ),
    "unexpected option string: %s": "oväntad flagga: %s",
    "can't open '%(filename)s': %(error)s": "kan inte öppna '%(filename)s': %(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "okänt kommando %(parser_name)r (välj bland %(choices)s)"
    ),
    "cannot have multiple subparser arguments": "bara ett kommando får anges",
    "argument '%(argument_name)s' is deprecated": "argumentet '%(argument_name)s' är föråldrat",
    "command '%(parser_name)s' is deprecated": "kommandot '%(parser_name)s' är föråldrat",
    "option '%(option)s' is deprecated": "flaggan '%(option)s' är föråldrad",
}
SWEDISH_PLURAL: dict[tuple[str, str], tuple[str, str]] = {
    ("expected %s argument", "expected %s arguments"): ("%s värde behövs", "%s värden behövs"),
}


def gettext(message: str) -> str:
    return SWEDISH.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    one, many = SWEDISH_PLURAL.get((singular, plural), (singular, plural))
    return one if count == 1 else many


def install() -> None:
    """Makes argparse speak Swedish (idempotent)."""
    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


class SwedishArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser, and the parsers of its subcommands, in Swedish."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        install()
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
