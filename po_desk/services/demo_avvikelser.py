"""Synthetic avvikelser and a ledningsgrupp with meetings for the demo store.

The spread over aktörer follows what the national reports name most often
(Försäkringskassan, socialtjänstens ekonomiska bistånd, psykiatrin); the texts
(demo_texts) are made-up descriptions that fit their aktör, without any person in them.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from po_desk.domain.avvikelse import Avvikelse, AvvikelseStatus
from po_desk.domain.ledningsgrupp import Medlem, Mote
from po_desk.services import demo_texts
from po_desk.services.workspace import Workspace

AKTOR_WEIGHTS = {
    "forsakringskassan": 25, "soc_ekonomiskt_bistand": 18, "region_psykiatri": 15,
    "soc_socialpsykiatri": 8, "arbetsformedlingen": 8, "soc_annan": 6, "region_primarvard": 6,
    "overformyndare": 5, "kronofogden": 3, "skatteverket": 2, "hyresvard": 2,
    "region_annan_vard": 2, "annan": 2, "pensionsmyndigheten": 1, "kriminalvarden": 1,
    "statens_servicecenter": 1,
}  # fmt: skip
NIVA_WEIGHTS = {"handlaggare": 40, "lokal": 40, "central": 20}
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
# Återkoppling comes within a few months: only avvikelser lifted at a meeting in the last
# RECENT_MEETING_DAYS may still wait for it.
RECENT_MEETING_DAYS = 150
RATE_PER_UPPDRAG = 0.25  # avvikelser per uppdrag and year: Värmland logged 112 for 224 klienter


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class _Decks:
    """Each aktör's brister dealt in a shuffled order, so texts repeat only after all of
    that aktör's have been used."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._decks: dict[str, list[demo_texts.Brist]] = {}

    def draw(self, aktor: str) -> demo_texts.Brist:
        deck = self._decks.get(aktor)
        if not deck:
            deck = list(demo_texts.BRISTER[aktor])
            self._rng.shuffle(deck)
            self._decks[aktor] = deck
        return deck.pop()


def _avvikelse(rng: random.Random, day: date, ombud_ids: list[str], decks: _Decks) -> Avvikelse:
    aktor = _weighted(rng, AKTOR_WEIGHTS)
    kategorier, beskrivning, konsekvens = decks.draw(aktor)
    return Avvikelse(
        datum=day,
        aktor=aktor,
        niva=_weighted(rng, NIVA_WEIGHTS),
        kategorier=kategorier,
        beskrivning=demo_texts.fill_in(beskrivning, rng),
        # Only a text with a place for a number draws one (the stream stays as it was).
        konsekvens=demo_texts.fill_in(konsekvens, rng) if "{" in konsekvens else konsekvens,
        atgarder=tuple(
            sorted({rng.choice(("samtal_handlaggare", "samtal_chef", "skrivelse", "klagomal"))})
        ),
        ombud_id=rng.choice(ombud_ids) if ombud_ids else None,
    )


MEETING_NOTES = (
    "Ordinarie möte",
    "Ordinarie möte; verksamhetsplan för året",
    "Genomgång av årets avvikelser inför återrapporten",
    "Tema: väntetider hos Försäkringskassan",
    "Tema: samordnad individuell plan vid utskrivning",
    "Ordinarie möte; ny representant från brukarorganisationen",
    "Tema: digitalt utanförskap",
    "Uppföljning av tidigare lyfta avvikelser",
)


def _meetings(rng: random.Random, first_day: date, today: date) -> list[Mote]:
    return [
        Mote(datum=date(year, month, 10), anteckning=rng.choice(MEETING_NOTES))
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
    decks = _Decks(rng)
    workspace.avvikelser.add_many([_avvikelse(rng, day, ombud_ids, decks) for day in days])
    # Read once: each meeting lifts what is still new from before it (in date order).
    waiting = workspace.avvikelser.not_raised()
    for meeting in sorted(_meetings(rng, first_day, today), key=lambda m: m.datum):
        raised = [a.id or "" for a in waiting if a.datum < meeting.datum]
        waiting = [a for a in waiting if a.datum >= meeting.datum]
        workspace.ledningsgrupp.save_meeting(meeting, raised, warnings_confirmed=True)
    _answer_some(workspace, rng, today)
    return count


def _answer_some(workspace: Workspace, rng: random.Random, today: date) -> None:
    """Every avvikelse lifted more than a few months ago got återkoppling or was closed;
    of those lifted at the newest meetings, some still wait."""
    meetings = sorted(workspace.ledningsgrupp.meetings(), key=lambda m: m.datum)
    newest = meetings[-1].id if meetings else None
    recent = {m.id for m in meetings if (today - m.datum).days <= RECENT_MEETING_DAYS}
    answered = []
    for item in workspace.avvikelser.all():
        if item.status != AvvikelseStatus.LYFT or item.mote_id == newest:
            continue
        if item.mote_id in recent and rng.random() < 0.5:
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
                aterkoppling=rng.choice(
                    demo_texts.FEEDBACK.get(item.aktor, ()) + demo_texts.FEEDBACK["default"]
                ),
                aterkoppling_datum=min(today, meeting_day + timedelta(days=rng.randint(20, 80))),
            )
        )
    workspace.avvikelser.add_many(answered)
