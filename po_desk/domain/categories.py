"""Reference data: the categories of DESIGN §3 with stable ids and Swedish names.

The ids are stable snake_case identifiers used in the store, exports and imports; the
names are what users read. The store seeds its reference tables from these defaults, so a
verksamhet can later rename or add entries without a new release.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Category:
    code: str
    name: str


class CategoryKind(StrEnum):
    KONTAKTORSAK = "kontaktorsak"
    AVSLUTSORSAK = "avslutsorsak"
    HANVISAD_FRAN = "hanvisad_fran"
    PRIORITETSGRUND = "prioritetsgrund"
    AKTOR = "aktor"
    NIVA = "niva"
    BRISTKATEGORI = "bristkategori"
    ATGARD = "atgard"


KON: tuple[Category, ...] = (
    Category("kvinna", "Kvinna"),
    Category("man", "Man"),
    Category("annan", "Annan"),
)

BARN: tuple[Category, ...] = (
    Category("nej", "Nej"),
    Category("helt", "Ja, helt"),
    Category("delvis", "Ja, delvis"),
)

KONTAKTORSAKER: tuple[Category, ...] = (
    Category("ekonomi", "Ekonomi"),
    Category("bostad", "Bostad"),
    Category("sysselsattning", "Sysselsättning"),
    Category("struktur_i_vardagen", "Struktur i vardagen"),
    Category("bryta_isolering", "Bryta isolering"),
    Category("relationsfragor", "Relationsfrågor"),
    Category("existentiella_fragor", "Existentiella frågor"),
    Category("myndigheter", "Stöd i kontakten med myndigheter"),
    Category("sjukvard", "Stöd i kontakten med sjukvården"),
    Category("annan", "Annan orsak"),
)

AVSLUTSORSAKER: tuple[Category, ...] = (
    Category("mal_uppnatt", "Mål uppnått"),
    Category("klienten_avslutade", "Klienten avslutade"),
    Category("flyttat", "Flyttat"),
    Category("annan_insats", "Annan insats tog över"),
    Category("ingen_kontakt", "Ingen kontakt"),
    Category("avliden", "Avliden"),
    Category("annan", "Annan"),
)

HANVISAD_FRAN: tuple[Category, ...] = (
    Category("egen_kontakt", "Egen kontakt"),
    Category("socialtjanst", "Socialtjänst"),
    Category("psykiatri", "Psykiatri"),
    Category("primarvard", "Primärvård"),
    Category("forsakringskassan", "Försäkringskassan"),
    Category("arbetsformedlingen", "Arbetsförmedlingen"),
    Category("anhorig", "Anhörig"),
    Category("brukarorganisation", "Brukarorganisation"),
    Category("annan", "Annan"),
)

PRIORITETSGRUNDER: tuple[Category, ...] = (
    Category("barn", "Hushåll med hemmavarande barn under 18 år"),
    Category("vrakning", "Risk för vräkning eller hemlöshet"),
    Category("unga_vuxna", "Unga vuxna 18–29 år"),
    Category(
        "utan_natverk", "Personer utan annan myndighetskontakt, insatser eller socialt nätverk"
    ),
)

AKTORER: tuple[Category, ...] = (
    Category("region_psykiatri", "Region – psykiatri"),
    Category("region_primarvard", "Region – primärvård"),
    Category("region_annan_vard", "Region – annan vård"),
    Category("soc_ekonomiskt_bistand", "Socialtjänsten – ekonomiskt bistånd"),
    Category("soc_socialpsykiatri", "Socialtjänsten – boendestöd/socialpsykiatri"),
    Category("soc_annan", "Socialtjänsten – annan"),
    Category("forsakringskassan", "Försäkringskassan"),
    Category("arbetsformedlingen", "Arbetsförmedlingen"),
    Category("overformyndare", "Överförmyndarnämnden/god man"),
    Category("kronofogden", "Kronofogden"),
    Category("skatteverket", "Skatteverket"),
    Category("kriminalvarden", "Kriminalvården"),
    Category("pensionsmyndigheten", "Pensionsmyndigheten"),
    Category("statens_servicecenter", "Statens servicecenter"),
    Category("hyresvard", "Hyresvärd"),
    Category("annan", "Annan"),
)

NIVAER: tuple[Category, ...] = (
    Category("handlaggare", "Handläggarnivå"),
    Category("lokal", "Lokal nivå"),
    Category("central", "Central nivå"),
)

BRISTKATEGORIER: tuple[Category, ...] = (
    Category("bemotande", "Bemötande"),
    Category("tillganglighet", "Tillgänglighet"),
    Category("digitalisering", "Digitalisering och digitalt utanförskap"),
    Category("samordning", "Samordning och samverkan"),
    Category("kontinuitet", "Kontinuitet"),
    Category("kompetens", "Kunskap och kompetens"),
    Category("vantetider", "Handläggnings- och väntetider"),
    Category("information", "Information och serviceskyldighet"),
    Category("ledning", "Ledning, organisation och rutiner"),
    Category("regelverk", "Regelverk och lagstiftning"),
    Category("resursbrist", "Resursbrist"),
    Category("annan", "Annan"),
)

ATGARDER: tuple[Category, ...] = (
    Category("samtal_handlaggare", "Samtal med handläggare"),
    Category("samtal_chef", "Samtal med chef"),
    Category("skrivelse", "Skrivelse"),
    Category("klagomal", "Klagomål"),
    Category("anmalan_ivo_jo", "Anmälan till IVO/JO"),
    Category("overklagande", "Överklagande"),
    Category("lyft_ledningsgrupp", "Lyft i ledningsgrupp"),
    Category("annan", "Annan åtgärd"),
)

# Ledningsgruppen: förordningen (2013:522) names the first five; the last are invited.
ORGANISATIONER: tuple[Category, ...] = (
    Category("kommun", "Kommunen"),
    Category("primarvard", "Regionens primärvård"),
    Category("psykiatri", "Regionens psykiatri"),
    Category("arbetsformedlingen", "Arbetsförmedlingen"),
    Category("forsakringskassan", "Försäkringskassan"),
    Category("brukarorganisation", "Patient-, brukar- eller anhörigorganisation"),
    Category("annan", "Annan"),
)
REQUIRED_ORGANISATIONER: tuple[str, ...] = tuple(c.code for c in ORGANISATIONER[:5])

DEFAULTS: dict[CategoryKind, tuple[Category, ...]] = {
    CategoryKind.KONTAKTORSAK: KONTAKTORSAKER,
    CategoryKind.AVSLUTSORSAK: AVSLUTSORSAKER,
    CategoryKind.HANVISAD_FRAN: HANVISAD_FRAN,
    CategoryKind.PRIORITETSGRUND: PRIORITETSGRUNDER,
    CategoryKind.AKTOR: AKTORER,
    CategoryKind.NIVA: NIVAER,
    CategoryKind.BRISTKATEGORI: BRISTKATEGORIER,
    CategoryKind.ATGARD: ATGARDER,
}

# Short names for narrow places (table cells); the full name is used everywhere else.
SHORT_NAMES: dict[str, str] = {
    "barn": "Barn i hushållet",
    "vrakning": "Vräkning/hemlöshet",
    "unga_vuxna": "Unga vuxna",
    "utan_natverk": "Utan nätverk",
}

# Grounds the program derives itself; users never tick them by hand.
DERIVED_PRIORITETSGRUNDER = frozenset({"unga_vuxna"})


def name_of(categories: tuple[Category, ...], code: str | None) -> str:
    """The display name of a code, or the code itself when it is unknown."""
    if code is None:
        return ""
    for category in categories:
        if category.code == code:
            return category.name
    return code


def codes(categories: tuple[Category, ...]) -> tuple[str, ...]:
    return tuple(category.code for category in categories)


def in_order(
    categories: tuple[Category, ...], selected: tuple[str, ...] | list[str]
) -> tuple[str, ...]:
    """The selected codes in the reference order; unknown codes last, alphabetically."""
    return orderer(categories)(selected)


def orderer(
    categories: tuple[Category, ...],
) -> Callable[[tuple[str, ...] | list[str]], tuple[str, ...]]:
    """`in_order` for many lists against one reference (the positions are computed once)."""
    position = {category.code: index for index, category in enumerate(categories)}
    last = len(position)

    def order(selected: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        return tuple(sorted(set(selected), key=lambda code: (position.get(code, last), code)))

    return order


_ASCII = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})


def code_for(name: str, taken: set[str]) -> str:
    """A stable snake_case id for a new category name, unique among `taken`."""
    words = "".join(ch if ch.isalnum() else " " for ch in name.lower().translate(_ASCII))
    base = "_".join(words.split())[:40] or "grund"
    code, number = base, 2
    while code in taken:
        code, number = f"{base}_{number}", number + 1
    return code
