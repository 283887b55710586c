"""The official län and kommuner (SCB's codes): lookup by code or by any usual spelling.

A return names places the way people write them ("Värmland", "Värmlands län", "17";
"Karlstad", "Karlstads kommun", "1780"). Compilations group by code, so every spelling
must resolve to one code, and a name not on the list must be refused, not guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from po_desk.domain.verksamhet import Verksamhet

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

    def lan_codes(self) -> frozenset[str]:
        return frozenset(lan.kod for lan in self.lan)

    def kommun_codes(self) -> frozenset[str]:
        return frozenset(kommun.kod for kommun in self.kommuner)

    def official_names(self, lan: str, kommuner: list[str]) -> tuple[str, list[str]]:
        """The official spelling of a län and kommuner given by name or code (a new store,
        Inställningar); `UnknownPlace` names the first that is not on the list."""
        return self.find_lan(lan).namn, [self.find_kommun(k).namn for k in kommuner]

    def with_codes(self, verksamhet: Verksamhet) -> Verksamhet:
        """The verksamhet with the codes of every place that resolves (a store made before
        the list was shipped may hold other spellings: "Värmland", "Karlstads kommun")."""
        try:
            lan_kod = self.find_lan(verksamhet.lan).kod
        except UnknownPlace:
            lan_kod = ""
        kommuner = []
        for kommun in verksamhet.kommuner:
            try:
                kommuner.append(replace(kommun, kod=self.find_kommun(kommun.namn).kod))
            except UnknownPlace:
                kommuner.append(replace(kommun, kod=""))
        return replace(verksamhet, lan_kod=lan_kod, kommuner=kommuner)

    def unresolved_kommun(self, text: str) -> bool:
        try:
            self.find_kommun(text)
        except UnknownPlace:
            return True
        return False

    def unresolved(self, verksamhet: Verksamhet) -> list[str]:
        """The stored names that are not on the list, each as a Swedish sentence."""
        problems = []
        for text, find in [(verksamhet.lan, self.find_lan)] + [
            (k.namn, self.find_kommun) for k in verksamhet.kommuner
        ]:
            try:
                find(text)
            except UnknownPlace as error:
                problems.append(str(error))
        return problems

    def normalize_return(self, document: Mapping[str, Any]) -> dict[str, Any]:
        """A return with official names and codes: codes when it carries them, else its
        names resolved (schema 1). `UnknownPlace` for a code or name not on the list."""
        verksamhet = dict(document["verksamhet"])
        by_code_lan = {lan.kod: lan for lan in self.lan}
        by_code_kommun = {k.kod: k for k in self.kommuner}
        if "lan_kod" in verksamhet:
            lan = by_code_lan.get(str(verksamhet["lan_kod"]))
            if lan is None:
                raise UnknownPlace(
                    f"Länskoden ”{verksamhet['lan_kod']}” finns inte i SCB:s förteckning."
                )
        else:
            lan = self.find_lan(str(verksamhet["lan"]))
        if "kommunkoder" in verksamhet:
            kommuner = []
            for code in verksamhet["kommunkoder"]:
                kommun = by_code_kommun.get(str(code))
                if kommun is None:
                    raise UnknownPlace(f"Kommunkoden ”{code}” finns inte i SCB:s förteckning.")
                kommuner.append(kommun)
        else:
            kommuner = [self.find_kommun(str(name)) for name in verksamhet["kommuner"]]
        verksamhet.update(
            lan=lan.namn,
            lan_kod=lan.kod,
            kommuner=[k.namn for k in kommuner],
            kommunkoder=[k.kod for k in kommuner],
        )
        return {**document, "verksamhet": verksamhet}
