"""The sammanställning (a compilation of many returns, `schema: po-desk/sammanstallning/1`)
as a typed document (issue 16): produced by `sammanstallning.compile_returns`, completed by
services.sammanstallning_service (`kvalitet`), read by the tables and the renderers, written as
JSON by `json.dumps` as it is. It has no JSON Schema; tests/test_report_types.py checks
this type against the JSON that `po-desk aggregate` writes (no key either side lacks).

Sections a return and a compilation share reuse the return's types (aterrapport_document).
"""

# No `from __future__ import annotations` here: Python 3.11 reads NotRequired from the
# evaluated annotations only (with strings, every key would count as required).
from typing import Any, NotRequired, TypedDict, final

from po_desk.domain import aterrapport_document as doc


class VerksamhetRef(TypedDict):
    namn: str
    lan: str


class Klienter(TypedDict):
    totalt: int
    nya: int
    avslutade: int
    kvarstaende: int
    kon_alder: doc.KonAlder
    med_barn: doc.MedBarn
    nya_per_kon: doc.PerKon


class Ko(TypedDict):
    verksamheter_med_ko: int
    verksamheter_med_ko_besvarat: int
    orsaker: dict[str, int]
    vantande_31_dec: int
    vantande_31_dec_langst_dagar: int | None
    startade_fran_ko: int
    fordelning_personer: doc.Fordelning
    fordelning_verksamheter_median: doc.Fordelning
    median_av_medianer: float | None
    verksamheter_med_intagningsstopp: int
    intagningsstopp_dagar: int


class KoPerKommun(doc.KoPerKommun):
    lan: str
    verksamhet: str


class GrundUse(TypedDict):
    grund: str
    namn: str
    verksamheter: int
    per_rang: dict[str, int]


class PrioriteringsordningBeslut(TypedDict):
    med_beslutad: int
    utan_beslutad: int
    beslutat_ingen: int
    inget_beslut: int


class Ledningsgrupp(TypedDict):
    fulltaliga: int
    saknas: dict[str, int]
    moten: int


class BristTextFrom(doc.BristText):
    """A return's brist text with the verksamhet that reported it."""

    verksamhet: str
    lan: str


@final  # so that `"atgarder" in brister` tells a return's brister from this one
class Brister(TypedDict):
    antal: int
    per_aktor_niva: list[doc.AktorNiva]
    per_kategori: dict[str, int]
    texter_per_aktor: NotRequired[dict[str, list[BristTextFrom]]]


class BristVerksamheter(TypedDict):
    niva: str
    aktor: str
    kategori: str
    verksamheter: int
    lan: int
    avvikelser: int


class BristTextRow(TypedDict):
    verksamhet: str
    lan: str
    datum: str
    kategorier: list[str]
    beskrivning: str
    konsekvens: str
    atgarder: list[str]
    aterkoppling: str


class BristTexter(TypedDict):
    niva: str
    aktor: str
    verksamheter: int
    texter: list[BristTextRow]


class KoVerksamhet(TypedDict):
    lan: str
    verksamhet: str
    orsaker: list[str]
    vantande_31_dec: int
    startade_fran_ko: int
    median_dagar: float | None


class JaNej(TypedDict):
    ja: int
    nej: int
    ej_besvarat: int


class NyaOmbud(TypedDict):
    besvarat: int
    antal: int
    introduktionsutbildning: int


class GottExempel(TypedDict):
    verksamhet: str
    lan: str
    text: str


class Svar(TypedDict):
    verksamheter: int
    handledning: JaNej
    forandringar_malgrupp: JaNej
    rutin_brister_till_ledningsgrupp: JaNej
    brukarorganisation_plats: JaNej
    nya_ombud: NyaOmbud
    malgrupper: dict[str, int]
    organisationsform: dict[str, int]
    med_goda_exempel: int
    goda_exempel: NotRequired[list[GottExempel]]


class Statsbidrag(TypedDict):
    verksamheter_med_uppgift: int
    beviljat_belopp: float
    beviljade_tjanster: float
    anvant_belopp: float
    kommunens_finansiering: float
    arsarbetare: float
    kronor_per_arsarbetare: int | None
    anvant_per_arsarbetare: int | None
    verksamheter_underutnyttjat: int


class RegistreratAvslutade(TypedDict):
    antal: int
    avslutsorsak: doc.Avslutsorsak
    median_av_medianer_dagar: float | None
    over_tva_ar: int


class Registrerat(TypedDict):
    verksamheter_med_uppgift: int
    hanvisad_fran: doc.HanvisadFran
    avslutade: RegistreratAvslutade
    ej_aktuella: int


class Section(TypedDict):
    """The compilation of some returns: of all (`totalt`, with texts) or of one län."""

    antal_verksamheter: int
    antal_kommuner: int
    klienter: Klienter
    kontaktorsaker: doc.Kontaktorsaker
    ko: Ko
    ko_per_kommun: list[KoPerKommun]
    prioriteringsordning: list[GrundUse]
    prioriteringsordning_beslut: PrioriteringsordningBeslut
    ombud: doc.Ombud
    ledningsgrupp: Ledningsgrupp
    brister: Brister
    brister_verksamheter: list[BristVerksamheter]
    ko_verksamheter: list[KoVerksamhet]
    brister_texter: NotRequired[list[BristTexter]]
    svar: Svar
    statsbidrag: Statsbidrag
    registrerat: Registrerat
    # The names shown: the national defaults, and a verksamhet's own added codes.
    kategorinamn: dict[str, dict[str, str]]


class Finding(TypedDict):
    """A consistency rule's warning about one verksamhet's return."""

    lan: str
    verksamhet: str
    regel: str
    falt: str
    meddelande: str


class QualityRow(Finding):
    fil: str


class Forandring(TypedDict):
    """The change of every count (now − previous), in the shape of a Section; texts, yes/no
    answers and lists of codes carry none, so the shape is not a Section's."""

    totalt: dict[str, Any]
    lan: dict[str, dict[str, Any]]


class Foregaende(TypedDict):
    ar: int
    antal_verksamheter: int
    kallor: list[str]
    totalt: Section
    lan: dict[str, Section]
    forandring: Forandring
    varningar: list[Finding]


class Sammanstallning(TypedDict):
    schema: str
    ar: int | None
    antal_verksamheter: int
    verksamheter: list[VerksamhetRef]
    kallor: list[str]
    totalt: Section
    lan: dict[str, Section]
    foregaende_ar: NotRequired[Foregaende]
    kvalitet: NotRequired[list[QualityRow]]
