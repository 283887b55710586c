"""Synthetic demo data with the proportions of the national tables (Socialstyrelsen's
lägesrapport 2025: kön × ålder, barn; Stockholm 2020: kontaktorsaker by kön).

Nothing here is real: codes are generated, ages and dates are drawn from a seeded random
source, so the same seed and day always give the same store.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from po_desk.domain import aterrapport, aterrapport_svar, categories, ko
from po_desk.domain.intagningsstopp import Intagningsstopp
from po_desk.domain.ko import Anmalan, KoStatus
from po_desk.domain.uppdrag import Uppdrag
from po_desk.domain.verksamhet import Ombud
from po_desk.services import demo_avvikelser
from po_desk.services.official_places import official_places
from po_desk.services.workspace import Workspace

# Lägesrapport 2025, tabell 3: klienter by kön and åldersgrupp.
AGE_GROUP_WEIGHTS: dict[str, tuple[tuple[int, int, int], ...]] = {
    "kvinna": ((18, 29, 1166), (30, 49, 2796), (50, 64, 1560), (65, 85, 292)),
    "man": ((18, 29, 1019), (30, 49, 1995), (50, 64, 1128), (65, 85, 605)),
    "annan": ((18, 29, 30), (30, 49, 20), (50, 64, 5), (65, 85, 1)),
}
KON_WEIGHTS = {"kvinna": 5814, "man": 4747, "annan": 60}
# Tabell 4: 1 093 of 5 814 women and 437 of 4 747 men lived with children.
WITH_CHILDREN_SHARE = {"kvinna": 0.19, "man": 0.09, "annan": 0.05}
# Share of new clients per kön giving each kontaktorsak (rounded from the seeds).
KONTAKTORSAK_SHARE: dict[str, tuple[float, float]] = {
    "ekonomi": (0.50, 0.33),
    "bostad": (0.17, 0.12),
    "sysselsattning": (0.11, 0.07),
    "struktur_i_vardagen": (0.23, 0.19),
    "bryta_isolering": (0.14, 0.07),
    "relationsfragor": (0.06, 0.05),
    "existentiella_fragor": (0.09, 0.06),
    "myndigheter": (0.67, 0.40),
    "sjukvard": (0.44, 0.26),
    "annan": (0.02, 0.01),
}
HANVISAD_WEIGHTS = {
    "egen_kontakt": 30,
    "socialtjanst": 22,
    "psykiatri": 20,
    "primarvard": 6,
    "forsakringskassan": 4,
    "arbetsformedlingen": 3,
    "anhorig": 8,
    "brukarorganisation": 4,
    "annan": 3,
}
AVSLUT_WEIGHTS = {
    "mal_uppnatt": 45,
    "klienten_avslutade": 15,
    "flyttat": 8,
    "annan_insats": 14,
    "ingen_kontakt": 12,
    "avliden": 2,
    "annan": 4,
}
THROUGH_KO_SHARE = 0.7
# Most verksamheter with a kö wait 20–70 days; a few up to a year (lägesrapport 2025).
MEDIAN_WAIT_DAYS = 40
GROUND_SHARE = {"barn": 0.15, "vrakning": 0.12, "utan_natverk": 0.2, "akut_behov": 0.05}
OWN_GROUND = "Akut behov"
OMBUD_INITIALS = (
    "AK", "BL", "CS", "DE", "EJ", "FN", "GH", "HP", "IM", "JW", "KR", "LT", "MO", "NV", "OS",
)  # fmt: skip


PLACE_STARTS = ("Björk", "Ek", "Lind", "Sjö", "Gran", "Tall", "Rön", "Älv", "Berg", "Hed", "Ås")
PLACE_ENDS = ("vik", "by", "fors", "dal", "berga", "näs", "torp", "holm", "hammar", "sund")
REGIONS = (
    ("Värmlands län", "Värmland"),
    ("Dalarnas län", "Dalarna"),
    ("Gävleborgs län", "Gävleborg"),
    ("Jämtlands län", "Jämtland"),
    ("Västernorrlands län", "Västernorrland"),
    ("Hallands län", "Halland"),
    ("Kalmar län", "Kalmarbygden"),
)
DIRECTIONS = ("Norra", "Södra", "Västra", "Östra", "Mellersta")
# Waits that a trainer can show: urgent needs are started within days, the other grounds
# within a couple of months; only those with no ground wait long, at the end of the kö.
URGENT_WAIT_DAYS = (1, 14)
PRIORITISED_MAX_WAIT = 60
UNPRIORITISED_MAX_WAIT = 240


@dataclass(frozen=True)
class DemoIdentity:
    """The made-up verksamhet a demo store belongs to; it differs between seeds, so demo
    returns from different seeds can be compiled together."""

    namn: str
    lan: str
    kommuner: list[str]
    huvudman: str


def _genitive(name: str) -> str:
    return name if name.endswith(("s", "x", "z")) else f"{name}s"


def identity(seed: int) -> DemoIdentity:
    rng = random.Random(f"po-desk demo verksamhet {seed}")
    lan, region = rng.choice(REGIONS)
    # Real kommuner of the län (the official list; a return carries their codes).
    official = official_places()
    places = [k.namn for k in official.kommuner_in(official.find_lan(lan))]
    kommuner = rng.sample(places, min(len(places), rng.choice((1, 2, 3, 3, 4))))
    if len(kommuner) == 1:
        namn = f"Personligt ombud i {kommuner[0]}"
    elif len(kommuner) == 2:
        namn = f"Personligt ombud {kommuner[0]}–{kommuner[1]}"
    else:
        namn = f"Personligt ombud {rng.choice(DIRECTIONS)} {region}"
    return DemoIdentity(
        namn=f"{namn} (demo {seed})",
        lan=lan,
        kommuner=kommuner,
        huvudman=f"{_genitive(kommuner[0])} kommun, socialnämnden",
    )


@dataclass(frozen=True)
class DemoSummary:
    uppdrag: int
    ombud: int
    first_year: int
    last_year: int
    waiting: int
    avvikelser: int


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _age(rng: random.Random, kon: str) -> int:
    groups = AGE_GROUP_WEIGHTS[kon]
    low, high, _ = rng.choices(groups, weights=[g[2] for g in groups])[0]
    return rng.randint(low, high)


def _kontaktorsaker(rng: random.Random, kon: str) -> tuple[str, ...]:
    column = 0 if kon == "kvinna" else 1
    chosen = [code for code, shares in KONTAKTORSAK_SHARE.items() if rng.random() < shares[column]]
    if not chosen:
        chosen = [rng.choice(["myndigheter", "ekonomi", "sjukvard"])]
    return categories.in_order(categories.KONTAKTORSAKER, chosen)


def _wait_start(rng: random.Random, start: date) -> date:
    days = int(rng.lognormvariate(math.log(MEDIAN_WAIT_DAYS), 0.7))
    return start - timedelta(days=min(days, 400))


def _grounds(rng: random.Random, own_code: str) -> tuple[str, ...]:
    chosen = []
    for code, share in GROUND_SHARE.items():
        if rng.random() < share:
            chosen.append(own_code if code == "akut_behov" else code)
    return tuple(chosen)


def _ombud(rng: random.Random, count: int, first_day: date) -> list[Ombud]:
    staff = []
    for index in range(count):
        staff.append(
            Ombud(
                namn=OMBUD_INITIALS[index % len(OMBUD_INITIALS)],
                kon="kvinna" if rng.random() < 0.75 else "man",
                tjanstgoringsgrad=rng.choice((1.0, 1.0, 1.0, 0.75, 0.5)),
                fran=first_day,
            )
        )
    return staff


def build_uppdrag(
    rng: random.Random,
    count: int,
    first_day: date,
    today: date,
    kommun_ids: list[str],
    ombud_ids: list[str],
) -> list[Uppdrag]:
    span = (today - first_day).days
    items = []
    for _ in range(count):
        kon = _weighted(rng, KON_WEIGHTS)
        start = first_day + timedelta(days=rng.randrange(span + 1))
        age = _age(rng, kon)
        duration = int(rng.expovariate(1 / 420)) + 14
        slut = start + timedelta(days=duration)
        ended = slut <= today
        barn = "nej"
        if rng.random() < WITH_CHILDREN_SHARE[kon]:
            barn = "helt" if rng.random() < 0.7 else "delvis"
        anmald = _wait_start(rng, start) if rng.random() < THROUGH_KO_SHARE else None
        items.append(
            Uppdrag(
                kon=kon,
                fodelsear=(anmald or start).year - age,
                kommun_id=rng.choices(kommun_ids, weights=range(len(kommun_ids), 0, -1))[0],
                ombud_id=rng.choice(ombud_ids),
                anmald=anmald,
                start=start,
                slut=slut if ended else None,
                avslutsorsak=_weighted(rng, AVSLUT_WEIGHTS) if ended else None,
                barn=barn,
                kontaktorsaker=_kontaktorsaker(rng, kon),
                hanvisad_fran=_weighted(rng, HANVISAD_WEIGHTS),
            )
        )
    items.sort(key=lambda u: u.start)
    return items


RETURNING_SHARE = 0.05


def link_returning(items: list[Uppdrag], rng: random.Random) -> list[Uppdrag]:
    """A few persons come back: an ended uppdrag and a later one (a gap of two months or
    more) become two periods of one klient, with the person's kön and födelseår."""
    result = list(items)
    used: set[int] = set()
    for index, earlier in enumerate(result):
        if earlier.slut is None or index in used or rng.random() >= RETURNING_SHARE:
            continue
        for later_index in range(index + 1, len(result)):
            later = result[later_index]
            if later_index not in used and later.start > earlier.slut + timedelta(days=60):
                klient_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                result[index] = replace(earlier, klient_id=klient_id)
                result[later_index] = replace(
                    later, klient_id=klient_id, kon=earlier.kon, fodelsear=earlier.fodelsear
                )
                used.update((index, later_index))
                break
    return result


def fill(
    workspace: Workspace,
    uppdrag_count: int = 400,
    years: int = 3,
    seed: int = 1,
    today: date | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> DemoSummary:
    """Adds ombud and uppdrag to an open store; deterministic for a seed and a day.
    `progress(step, percent)` is told each step before it starts (the GUI's indication)."""
    tell = progress or (lambda _step, _percent: None)
    # One transaction for the whole demo (issue 17): one durable commit, not ≈90.
    with workspace.session.batch():
        tell("Ombud och uppdrag", 0)
        today = today or date.today()
        rng = random.Random(seed)
        first_day = date(today.year - years, 1, 1)
        ombud_count = max(2, min(15, round(uppdrag_count / (years * 30))))
        ombud_ids = [
            workspace.verksamhet.save_ombud(ombud).id or ""
            for ombud in _ombud(rng, ombud_count, first_day)
        ]
        kommun_ids = [k.id for k in workspace.verksamhet.get().kommuner]
        items = build_uppdrag(rng, uppdrag_count, first_day, today, kommun_ids, ombud_ids)
        items = link_returning(items, random.Random(seed * 7919 + 1))
        workspace.uppdrag.add_many(items, today)
        tell("Kön", 30)
        waiting = add_ko(workspace, rng, first_day, today, kommun_ids, uppdrag_count)
        tell("Avvikelser och ledningsgrupp", 45)
        avvikelser = demo_avvikelser.fill(workspace, rng, first_day, today, uppdrag_count / years)
        add_answers(workspace, random.Random(seed * 31 + 5), first_day.year, today.year - 1)
        tell("Ändringsloggen", 90)
        spread_audit_times(workspace, rng, first_day, today)
    tell("Klart", 100)
    return DemoSummary(len(items), ombud_count, first_day.year, today.year, waiting, avvikelser)


# Statsbidrag per ombudstjänst and the kommunernas share, roughly as in the lägesrapporter.
KRONOR_PER_TJANST = 372_000
KOMMUN_PER_TJANST = 240_000
GODA_EXEMPEL = (
    "Gemensamma träffar med Försäkringskassan har kortat handläggningen för flera klienter.",
    "Ett samarbete med vårdcentralen gav snabbare tider till läkare.",
    "",
)


def add_answers(workspace: Workspace, rng: random.Random, first: int, last: int) -> None:
    """Plausible countable answers and statsbidrag for the past years (issue 15): the
    grant follows the tjänster on 31 December; one year leaves part of it unused."""
    staff = workspace.verksamhet.list_ombud()
    unused_year = rng.randint(first, last) if last >= first else None
    form = rng.choice(["kommun", "kommun", "kommunalforbund", "ideell_forening"])
    for year in range(first, last + 1):
        tjanster = aterrapport.ombud_section(staff, year)["tjanster_31_dec"]
        if not tjanster:
            continue
        nya = rng.choice([0, 0, 1, 1, 2])
        changed = rng.random() < 0.6
        groups = categories.codes(aterrapport_svar.MALGRUPPER)
        svar = aterrapport_svar.Svar(
            handledning=rng.random() < 0.85,
            nya_ombud=nya,
            nya_ombud_introduktionsutbildning=rng.randint(0, nya),
            forandringar_malgrupp=changed,
            malgrupper=tuple(rng.sample(groups[:-1], rng.randint(1, 3))) if changed else (),
            rutin_brister_till_ledningsgrupp=rng.random() < 0.7,
            brukarorganisation_plats=rng.random() < 0.6,
            organisationsform=form,
            goda_exempel=rng.choice(GODA_EXEMPEL),
        )
        workspace.aterrapport.save_svar(year, svar, warnings_confirmed=True)
        beviljat = round(tjanster * KRONOR_PER_TJANST, -3)
        anvant = round(beviljat * 0.85, -3) if year == unused_year else beviljat
        workspace.aterrapport.save_statsbidrag(
            year,
            aterrapport_svar.Statsbidrag(
                beviljat_belopp=int(beviljat),
                beviljade_tjanster=tjanster,
                anvant_belopp=int(anvant),
                kommunens_finansiering=int(round(tjanster * KOMMUN_PER_TJANST, -3)),
            ),
        )


def _event_days(workspace: Workspace) -> dict[str, list[date]]:
    """Each row's events as its records tell them: made, then changed (ended, started from
    the kö, lifted at a meeting, answered)."""
    days: dict[str, list[date]] = {}
    for u in workspace.uppdrag.all():
        days[u.id or ""] = [u.start, *([u.slut] if u.slut else [])]
    for a in workspace.ko.all():
        days[a.id or ""] = [a.anmald, *([a.status_datum] if a.status_datum else [])]
    meeting_days = {m.id: m.datum for m in workspace.ledningsgrupp.meetings()}
    for m_id, day in meeting_days.items():
        days[m_id or ""] = [day]
    for item in workspace.avvikelser.all():
        lifted = meeting_days.get(item.mote_id) if item.mote_id else None
        answered = item.aterkoppling_datum
        days[item.id or ""] = [
            item.datum,
            *([lifted] if lifted else []),
            *([answered] if answered else []),
        ]
    for member in workspace.ledningsgrupp.members():
        days[member.id or ""] = [member.fran, *([member.till] if member.till else [])]
    for ombud in workspace.verksamhet.list_ombud():
        days[ombud.id or ""] = [ombud.fran]
    return days


def spread_audit_times(
    workspace: Workspace, rng: random.Random, first_day: date, today: date
) -> None:
    """The demo is made in one go; its ändringslogg tells it as the years of work it
    shows: each entry on the day of the event it records, in office hours (UTC)."""
    days = _event_days(workspace)
    seen: dict[str, int] = {}
    now = datetime.now(UTC).replace(tzinfo=None)
    times = {}
    for entry_id, row_id, _action in workspace.audit.entry_keys():
        events = days.get(row_id) or [first_day]
        index = seen.get(row_id, 0)
        seen[row_id] = index + 1
        day = max(first_day, min(events[min(index, len(events) - 1)], today))
        moment = datetime(day.year, day.month, day.day, 7) + timedelta(
            seconds=rng.randrange(8 * 3600) + index * 60
        )
        times[entry_id] = min(moment, now)
    workspace.audit.set_times(times)


def add_ko(
    workspace: Workspace,
    rng: random.Random,
    first_day: date,
    today: date,
    kommun_ids: list[str],
    uppdrag_count: int,
) -> int:
    """The kö's history: påbörjade anmälningar behind the uppdrag that came through the kö,
    some återtagna and ej aktuella, the people waiting today, two versions of the
    prioriteringsordning and last summer's intagningsstopp. Returns how many wait today."""
    own = workspace.ko.add_ground(OWN_GROUND)
    workspace.ko.add_version(first_day, ko.DEFAULT_ORDER, "Beslut i ledningsgruppen")
    workspace.ko.add_version(
        today - timedelta(days=200),
        (own, "barn", "vrakning", "utan_natverk", "unga_vuxna"),
        "Akut behov först efter beslut i ledningsgruppen",
    )
    anmalningar: list[Anmalan] = []
    for item in workspace.uppdrag.all():
        if item.anmald is not None:
            waited = (item.start - item.anmald).days
            grounds = _plausible_grounds(_grounds(rng, own), own, waited)
            anmalningar.append(_anmalan_like(item, grounds, KoStatus.PABORJAD, item.start, item.id))
    for _ in range(max(3, uppdrag_count // 20)):
        anmald = first_day + timedelta(days=rng.randrange((today - first_day).days))
        person = _anmalan_like(_person(rng, anmald, kommun_ids), _grounds(rng, own))
        ended = min(today, anmald + timedelta(days=rng.randint(5, 90)))
        if rng.random() < 0.6:
            person.status, person.status_datum = KoStatus.ATERTAGEN, ended
        else:
            person.status, person.status_datum = KoStatus.EJ_AKTUELL, ended
            person.orsak = "Tillhör inte målgruppen"
        anmalningar.append(person)
    waiting = max(5, uppdrag_count // 25)
    for _ in range(waiting):
        grounds = _grounds(rng, own)
        kon = _weighted(rng, KON_WEIGHTS)
        age = _age(rng, kon)
        waited = _waiting_days(rng, grounds, own, age)
        anmald = today - timedelta(days=waited)
        person = _anmalan_like(_person(rng, anmald, kommun_ids, kon, age), grounds)
        if rng.random() < 0.15:
            person.status = KoStatus.ERBJUDEN
            person.erbjuden = today - timedelta(days=min(3, waited))
        anmalningar.append(person)
    workspace.ko.add_many(anmalningar, today)
    summer = date(today.year - 1, 6, 15)
    workspace.ko.save_stopp(
        Intagningsstopp(fran=summer, till=summer + timedelta(days=61), orsak="Vakans och semester")
    )
    return waiting


def _plausible_grounds(grounds: tuple[str, ...], own: str, waited: int) -> tuple[str, ...]:
    """No one with an urgent need waited months for a start."""
    if waited > URGENT_WAIT_DAYS[1] + 7:
        return tuple(g for g in grounds if g != own)
    return grounds


def _waiting_days(rng: random.Random, grounds: tuple[str, ...], own: str, age: int) -> int:
    """How long a person still in the kö has waited: short with an urgent need, at most
    two months with another ground (unga vuxna included), longer only without one."""
    if own in grounds:
        return rng.randint(*URGENT_WAIT_DAYS)
    young = ko.YOUNG_ADULT_AGES[0] <= age <= ko.YOUNG_ADULT_AGES[1]
    if grounds or young:
        days = int(rng.lognormvariate(math.log(25), 0.6))
        return days if days <= PRIORITISED_MAX_WAIT else rng.randint(20, PRIORITISED_MAX_WAIT)
    days = int(rng.lognormvariate(math.log(60), 0.7))
    return days if days <= UNPRIORITISED_MAX_WAIT else rng.randint(60, UNPRIORITISED_MAX_WAIT)


def _person(
    rng: random.Random,
    anmald: date,
    kommun_ids: list[str],
    kon: str | None = None,
    age: int | None = None,
) -> Uppdrag:
    kon = kon or _weighted(rng, KON_WEIGHTS)
    return Uppdrag(
        kon=kon,
        fodelsear=anmald.year - (age if age is not None else _age(rng, kon)),
        kommun_id=rng.choice(kommun_ids),
        start=anmald,
        kontaktorsaker=_kontaktorsaker(rng, kon),
        anmald=anmald,
    )


def _anmalan_like(
    item: Uppdrag,
    grounds: tuple[str, ...],
    status: str = KoStatus.VANTAR,
    status_datum: date | None = None,
    uppdrag_id: str | None = None,
) -> Anmalan:
    return Anmalan(
        anmald=item.anmald or item.start,
        kon=item.kon,
        fodelsear=item.fodelsear,
        kommun_id=item.kommun_id,
        kontaktorsaker=item.kontaktorsaker,
        prioritetsgrunder=grounds,
        status=status,
        status_datum=status_datum,
        uppdrag_id=uppdrag_id,
    )
