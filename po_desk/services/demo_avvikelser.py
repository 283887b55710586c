"""Synthetic avvikelser and a ledningsgrupp with meetings for the demo store.

The spread over aktörer follows what the national reports name most often
(Försäkringskassan, socialtjänstens ekonomiska bistånd, psykiatrin); the texts are short
made-up descriptions without any person in them.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from po_desk.domain.avvikelse import Avvikelse, AvvikelseStatus
from po_desk.domain.ledningsgrupp import Medlem, Mote
from po_desk.services.workspace import Workspace

AKTOR_WEIGHTS = {
    "forsakringskassan": 25, "soc_ekonomiskt_bistand": 18, "region_psykiatri": 15,
    "soc_socialpsykiatri": 8, "arbetsformedlingen": 8, "soc_annan": 6, "region_primarvard": 6,
    "overformyndare": 5, "kronofogden": 3, "skatteverket": 2, "hyresvard": 2,
    "region_annan_vard": 2, "annan": 2, "pensionsmyndigheten": 1, "kriminalvarden": 1,
    "statens_servicecenter": 1,
}  # fmt: skip
NIVA_WEIGHTS = {"handlaggare": 40, "lokal": 40, "central": 20}
KATEGORI_WEIGHTS = {
    "vantetider": 18, "samordning": 15, "bemotande": 12, "information": 12,
    "digitalisering": 10, "kontinuitet": 9, "regelverk": 8, "tillganglighet": 7,
    "kompetens": 6, "resursbrist": 6, "ledning": 4, "annan": 2,
}  # fmt: skip
DESCRIPTIONS = {
    "vantetider": "Beslut om ersättning dröjde i flera månader utan besked om när det kunde komma.",
    "samordning": "Två verksamheter hänvisade till varandra och ingen tog ansvar för planeringen.",
    "bemotande": "Handläggaren bemötte klienten nedlåtande och avbröt samtalet.",
    "information": "Klienten fick inte veta vilka underlag som saknades förrän ansökan avslogs.",
    "digitalisering": "Ansökan kunde bara göras digitalt och klienten saknar e-legitimation.",
    "kontinuitet": "Klienten har fått tre olika handläggare under ett halvår.",
    "regelverk": "Regelverket ger inte utrymme för den situation klienten befinner sig i.",
    "tillganglighet": "Telefontiden var kort och det gick inte att nå någon under flera veckor.",
    "kompetens": "Handläggaren saknade kunskap om psykisk funktionsnedsättning.",
    "resursbrist": "Insatsen beviljades men kunde inte verkställas på grund av personalbrist.",
    "ledning": "Rutinen för överlämning mellan enheter följdes inte.",
    "annan": "Brist som inte passar in i övriga kategorier.",
}
CONSEQUENCES = (
    "Klienten stod utan inkomst en period och fick skuld på hyran.",
    "Klientens psykiska mående försämrades under väntan.",
    "Klienten avstod från att söka stöd hon eller han har rätt till.",
    "Klienten fick resa flera gånger i onödan.",
    "Ombudet fick lägga mycket tid på att reda ut ärendet.",
)
FEEDBACK = (
    "Myndigheten har sett över rutinen och återkommit till ledningsgruppen.",
    "Frågan har tagits vidare till regional samverkan.",
    "Verksamheten har informerat sina handläggare om problemet.",
    "Ingen förändring möjlig lokalt; frågan gäller nationella regler.",
)
MEMBERS = (
    ("kommun", "Enhetschef socialpsykiatri", 0, None),
    ("psykiatri", "Verksamhetschef psykiatrisk öppenvård", 0, None),
    ("arbetsformedlingen", "Sektionschef", 0, None),
    ("forsakringskassan", "Samverkansansvarig", 0, None),
    ("brukarorganisation", "Representant för brukarorganisation", 0, None),
    # Primärvården took part for a while: the seat most often empty in the national reports.
    ("primarvard", "Vårdcentralschef", 365, 200),
)
MEETING_MONTHS = (2, 5, 9, 11)
RATE_PER_UPPDRAG = 0.25  # avvikelser per uppdrag and year: Värmland logged 112 for 224 klienter


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _avvikelse(rng: random.Random, day: date, ombud_ids: list[str]) -> Avvikelse:
    kategorier = {_weighted(rng, KATEGORI_WEIGHTS)}
    if rng.random() < 0.35:
        kategorier.add(_weighted(rng, KATEGORI_WEIGHTS))
    main = sorted(kategorier)[0]
    return Avvikelse(
        datum=day,
        aktor=_weighted(rng, AKTOR_WEIGHTS),
        niva=_weighted(rng, NIVA_WEIGHTS),
        kategorier=tuple(sorted(kategorier)),
        beskrivning=DESCRIPTIONS[main],
        konsekvens=rng.choice(CONSEQUENCES),
        atgarder=tuple(
            sorted({rng.choice(("samtal_handlaggare", "samtal_chef", "skrivelse", "klagomal"))})
        ),
        ombud_id=rng.choice(ombud_ids) if ombud_ids else None,
    )


def _meetings(first_day: date, today: date) -> list[Mote]:
    return [
        Mote(datum=date(year, month, 10), anteckning="Ordinarie möte")
        for year in range(first_day.year, today.year + 1)
        for month in MEETING_MONTHS
        if first_day <= date(year, month, 10) <= today
    ]


def fill(
    workspace: Workspace,
    rng: random.Random,
    first_day: date,
    today: date,
    uppdrag_per_year: float,
) -> int:
    """Adds members, meetings and avvikelser; returns how many avvikelser."""
    for organisation, roll, start_after, end_before in MEMBERS:
        workspace.ledningsgrupp.save_member(
            Medlem(
                organisation=organisation,
                roll=roll,
                fran=first_day + timedelta(days=start_after),
                till=today - timedelta(days=end_before) if end_before else None,
            ),
            warnings_confirmed=True,
        )
    ombud_ids = [o.id or "" for o in workspace.verksamhet.list_ombud()]
    span = (today - first_day).days
    count = max(6, round(uppdrag_per_year * RATE_PER_UPPDRAG * span / 365))
    days = sorted(first_day + timedelta(days=rng.randrange(span + 1)) for _ in range(count))
    workspace.avvikelser.add_many([_avvikelse(rng, day, ombud_ids) for day in days])
    for meeting in _meetings(first_day, today):
        raised = [a.id or "" for a in workspace.avvikelser.not_raised() if a.datum < meeting.datum]
        workspace.ledningsgrupp.save_meeting(meeting, raised, warnings_confirmed=True)
    _answer_some(workspace, rng, today)
    return count


def _answer_some(workspace: Workspace, rng: random.Random, today: date) -> None:
    """Most raised avvikelser got återkoppling; some were åtgärdade or closed; the newest
    still wait."""
    meetings = sorted(workspace.ledningsgrupp.meetings(), key=lambda m: m.datum)
    newest = meetings[-1].id if meetings else None
    answered = []
    for item in workspace.avvikelser.list():
        if item.status != AvvikelseStatus.LYFT or item.mote_id == newest or rng.random() < 0.05:
            continue
        roll = rng.random()
        if roll < 0.12:
            answered.append(replace(item, status=AvvikelseStatus.AVSLUTAD))
            continue
        status = AvvikelseStatus.ATGARDAD if roll < 0.4 else AvvikelseStatus.ATERKOPPLING
        meeting_day = next(m.datum for m in meetings if m.id == item.mote_id)
        answered.append(
            replace(
                item,
                status=status,
                aterkoppling=rng.choice(FEEDBACK),
                aterkoppling_datum=min(today, meeting_day + timedelta(days=rng.randint(20, 80))),
            )
        )
    workspace.avvikelser.add_many(answered)
