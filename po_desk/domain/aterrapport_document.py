"""The återrapport as a typed document (issue 16): one `TypedDict` per section of schema
`po-desk/aterrapport/2` (resources/aterrapport.schema.json), produced by
`aterrapport.build` and read by the tables, the renderers and the services.

A TypedDict is the JSON object itself, so serialising is `json.dumps` and nothing else.
`Required`/`NotRequired` mirror the schema's `required`; tests/test_report_types.py walks
these types and the schema side by side and fails when a key, a required set or a leaf
type differs. Objects whose keys are category codes, age groups or väntetid bins keep
fixed keys here (the schema fixes them); code that loops over the categories reads them
through `counts` and `kontaktorsak_rows`, whose keys the same test checks against the
categories.

A return as written (exported, fastställd, read from a file) may be of schema version 1;
it is a `WrittenReturn` and is read as `Aterrapport` through `aterrapport_v1.upgrade`,
after it was checked against the schema it names (services.return_schema). A version 1
return read so lacks what version 1 did not carry: the fields of aterrapport.ADDED_FIELDS
and aterrapport.ADDED_SECTIONS (read with `.get`/`in`), and `ko.hade_ko_underlag` is None.
"""

# No `from __future__ import annotations` here: Python 3.11 reads NotRequired from the
# evaluated annotations only (with strings, every key would count as required).
from collections.abc import Mapping
from typing import Any, Literal, NotRequired, TypedDict, cast

Kon = Literal["kvinna", "man", "annan"]
KonOrTotal = Literal["kvinna", "man", "annan", "totalt"]


class VerksamhetPart(TypedDict):
    namn: str
    lan: str
    kommuner: list[str]
    huvudman: NotRequired[str]
    lan_kod: NotRequired[str]
    kommunkoder: NotRequired[list[str]]


# Keys that are no identifiers take the functional form.
AgeRow = TypedDict("AgeRow", {"18-29": int, "30-49": int, "50-64": int, "65+": int, "totalt": int})


class KonAlder(TypedDict):
    kvinna: AgeRow
    man: AgeRow
    annan: AgeRow
    totalt: AgeRow


class PerKon(TypedDict):
    kvinna: int
    man: int
    annan: int
    totalt: int


class MedBarn(PerKon):
    andel: NotRequired[float]


class HanvisadFran(TypedDict):
    egen_kontakt: int
    socialtjanst: int
    psykiatri: int
    primarvard: int
    forsakringskassan: int
    arbetsformedlingen: int
    anhorig: int
    brukarorganisation: int
    annan: int
    ej_angivet: int
    totalt: int


class Klienter(TypedDict):
    totalt: int
    nya: int
    avslutade: int
    kvarstaende: int
    kon_alder: KonAlder
    med_barn: MedBarn
    nya_per_kon: NotRequired[PerKon]
    hanvisad_fran: HanvisadFran


class Andelar(TypedDict, total=False):
    kvinna: float
    man: float
    annan: float
    totalt: float


class KontaktorsakRow(PerKon):
    andel: NotRequired[Andelar]


class Kontaktorsaker(TypedDict):
    ekonomi: KontaktorsakRow
    bostad: KontaktorsakRow
    sysselsattning: KontaktorsakRow
    struktur_i_vardagen: KontaktorsakRow
    bryta_isolering: KontaktorsakRow
    relationsfragor: KontaktorsakRow
    existentiella_fragor: KontaktorsakRow
    myndigheter: KontaktorsakRow
    sjukvard: KontaktorsakRow
    annan: KontaktorsakRow


class KoUnderlag(TypedDict):
    troskel_dagar: int
    vantat_over_troskel: int
    langsta_vantan_dagar: int | None
    intagningsstopp_dagar: int


class Vantetid(TypedDict):
    min: int | None
    median: float | None
    max: int | None


Fordelning = TypedDict(
    "Fordelning",
    {"0-30": int, "31-60": int, "61-90": int, "91-180": int, "181-365": int, ">365": int},
)


class Stopp(TypedDict):
    fran: str
    till: str | None


class KoPerKommun(TypedDict):
    kommun: str
    startade_fran_ko: int
    vantetid_dagar: Vantetid
    vantande_31_dec: int
    vantande_31_dec_langst_dagar: int | None


class EjAktuellOrsak(TypedDict):
    orsak: str
    antal: int


class EjAktuella(TypedDict):
    antal: int
    orsaker: list[EjAktuellOrsak]


class Ko(TypedDict):
    hade_ko: bool
    hade_ko_forslag: bool
    hade_ko_besvarad: bool
    hade_ko_underlag: KoUnderlag
    orsaker: list[str]
    vantande_31_dec: int
    vantande_31_dec_langst_dagar: int | None
    startade_fran_ko: int
    vantetid_dagar: Vantetid
    fordelning: Fordelning
    intagningsstopp_dagar: int
    intagningsstopp: NotRequired[list[Stopp]]
    per_kommun: list[KoPerKommun]
    ej_aktuella: EjAktuella


class Grund(TypedDict):
    rang: int
    grund: str
    namn: str


class Prioriteringsordning(TypedDict):
    har_prioriteringsordning: bool
    beslutad: bool
    beslutsdatum: str | None
    beslutad_av: str | None
    grunder: list[Grund]


class Ombud(TypedDict):
    antal: int
    arsarbetare: float
    tjanster_31_dec: NotRequired[float]
    kvinna: int
    man: int
    annan: int


class Ledningsgrupp(TypedDict):
    fulltalig: bool
    saknas: list[str]
    moten: int
    organisationer: NotRequired[list[str]]


class AktorNiva(TypedDict):
    aktor: str
    niva: str
    antal: int


class BristText(TypedDict):
    datum: str
    aktor: str
    niva: str
    kategorier: NotRequired[list[str]]
    beskrivning: str
    konsekvens: NotRequired[str]
    atgarder: NotRequired[list[str]]
    status: NotRequired[str]
    aterkoppling: NotRequired[str]


class Brister(TypedDict):
    antal: int
    per_aktor_niva: list[AktorNiva]
    per_aktor: NotRequired[dict[str, int]]
    per_kategori: dict[str, int]
    atgarder: NotRequired[dict[str, int]]
    med_aterkoppling: NotRequired[int]
    texter: list[BristText]


class Kommentarer(TypedDict):
    nya_ombud: str
    rutin_brister_till_ledningsgrupp: str
    brukarorganisation_plats: str
    organisationsform: str


class Svar(TypedDict):
    handledning: bool | None
    nya_ombud: int | None
    nya_ombud_introduktionsutbildning: int | None
    forandringar_malgrupp: bool | None
    malgrupper: list[str]
    rutin_brister_till_ledningsgrupp: bool | None
    brukarorganisation_plats: bool | None
    organisationsform: str | None
    goda_exempel: str
    kommentarer: Kommentarer


class Statsbidrag(TypedDict):
    beviljat_belopp: int | None
    beviljade_tjanster: float | None
    anvant_belopp: int | None
    kommunens_finansiering: int | None
    tjanster_31_dec: float
    arsarbetare: float
    underutnyttjat: bool
    skal: list[str]


class Avslutsorsak(TypedDict):
    mal_uppnatt: int
    klienten_avslutade: int
    flyttat: int
    annan_insats: int
    ingen_kontakt: int
    avliden: int
    annan: int
    ej_angivet: int


class Avslutade(TypedDict):
    antal: int
    avslutsorsak: Avslutsorsak
    langd_median_dagar: float | None
    over_tva_ar: int


class Kategorinamn(TypedDict, total=False):
    """The category names in force on the year's last day, per kind: code → name."""

    kontaktorsak: dict[str, str]
    avslutsorsak: dict[str, str]
    hanvisad_fran: dict[str, str]
    prioritetsgrund: dict[str, str]
    aktor: dict[str, str]
    niva: dict[str, str]
    bristkategori: dict[str, str]
    atgard: dict[str, str]


class Aterrapport(TypedDict):
    """The whole return (`schema: po-desk/aterrapport/2`)."""

    schema: str
    ar: int
    verksamhet: VerksamhetPart
    klienter: Klienter
    kontaktorsaker: Kontaktorsaker
    ko: Ko
    prioriteringsordning: Prioriteringsordning
    ombud: Ombud
    ledningsgrupp: Ledningsgrupp
    brister: Brister
    manuellt: dict[str, str]
    svar: Svar
    statsbidrag: Statsbidrag
    avslutade: Avslutade
    # Optional: returns made before the names were carried lack it.
    kategorinamn: NotRequired[Kategorinamn]


# A return of the schema version it was written to (1 or 2): JSON as read or written.
WrittenReturn = Mapping[str, Any]

CountsByCode = AgeRow | HanvisadFran | Avslutsorsak | Fordelning | PerKon


def counts(row: CountsByCode) -> Mapping[str, int]:
    """A row of counts read by code (category code, age group, bin, kön): every value of
    these types is an int, which a TypedDict cannot say to the type checker. (A MedBarn or
    KontaktorsakRow passes as the PerKon it extends: read only the kön keys of those.)"""
    return cast(Mapping[str, int], row)


def kontaktorsak_rows(section: Kontaktorsaker) -> Mapping[str, KontaktorsakRow]:
    """The kontaktorsaker read by category code (the keys are categories.KONTAKTORSAKER)."""
    return cast(Mapping[str, KontaktorsakRow], section)
