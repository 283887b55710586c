"""The official län and kommuner (SCB's codes): lookup by code or by any usual spelling.

A return names places the way people write them ("Värmland", "Värmlands län", "17";
"Karlstad", "Karlstads kommun", "1780"). Compilations group by code, so every spelling
must resolve to one code, and a name not on the list must be refused, not guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

_LAN_SUFFIXES = (" län",)
_KOMMUN_SUFFIXES = (" kommun", " stad")
_SPACES = re.compile(r"[\s\u00a0\u2010-\u2015\u2212-]+")


@dataclass(frozen=True)
class Lan:
    kod: str
    namn: str
    kortnamn: str


@dataclass(frozen=True)
class Kommun:
    kod: str
    namn: str
    lan_kod: str


class UnknownPlace(ValueError):
    """A name or code that is not on the official list."""


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold().strip()
    return _SPACES.sub(" ", folded.replace("-", " "))


def _spellings(text: str, suffixes: tuple[str, ...]) -> list[str]:
    """The folded forms a written name may stand for, most literal first."""
    folded = _fold(text)
    forms = [folded]
    for suffix in suffixes:
        if folded.endswith(suffix):
            stem = folded[: -len(suffix)].strip()
            forms.append(stem)
            if stem.endswith("s"):  # genitive: "karlstads kommun", "värmlands län"
                forms.append(stem[:-1])
    return forms


@dataclass(frozen=True)
class Places:
    lan: tuple[Lan, ...]
    kommuner: tuple[Kommun, ...]
    source: str
    valid_from: str

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> Places:
        return cls(
            lan=tuple(Lan(e["kod"], e["namn"], e["kortnamn"]) for e in document["lan"]),
            kommuner=tuple(Kommun(e["kod"], e["namn"], e["lan"]) for e in document["kommuner"]),
            source=document["kalla"],
            valid_from=document["giltig_fran"],
        )

    def find_lan(self, text: str) -> Lan:
        """The län a code or a spelling names; `UnknownPlace` if none."""
        wanted = text.strip()
        for lan in self.lan:
            if wanted in (lan.kod, lan.kod.lstrip("0")) and wanted:
                return lan
        forms = _spellings(wanted, _LAN_SUFFIXES)
        for lan in self.lan:
            if {_fold(lan.namn), _fold(lan.kortnamn)} & set(forms):
                return lan
        raise UnknownPlace(f"Länet ”{text.strip()}” finns inte i SCB:s förteckning över län.")

    def find_kommun(self, text: str) -> Kommun:
        """The kommun a code or a spelling names; `UnknownPlace` if none."""
        wanted = text.strip()
        for kommun in self.kommuner:
            if wanted == kommun.kod:
                return kommun
        forms = _spellings(wanted, _KOMMUN_SUFFIXES)
        for form in forms:
            for kommun in self.kommuner:
                if _fold(kommun.namn) == form:
                    return kommun
        raise UnknownPlace(
            f"Kommunen ”{text.strip()}” finns inte i SCB:s förteckning över kommuner."
        )

    def kommuner_in(self, lan: Lan) -> list[Kommun]:
        return [k for k in self.kommuner if k.lan_kod == lan.kod]

    def lan_of(self, kommun: Kommun) -> Lan:
        return next(lan for lan in self.lan if lan.kod == kommun.lan_kod)
