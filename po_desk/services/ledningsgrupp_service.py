"""The ledningsgrupp: members, whether it is fulltalig, meetings and what was raised."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from po_desk.domain import ledningsgrupp as rules
from po_desk.domain.avvikelse import AvvikelseStatus
from po_desk.domain.errors import ValidationFailed
from po_desk.domain.ledningsgrupp import Medlem, Mote, Sammansattning
from po_desk.services import free_text
from po_desk.services.changes import writes
from po_desk.store.avvikelse_repo import AvvikelseRepository
from po_desk.store.ledningsgrupp_repo import LedningsgruppRepository
from po_desk.store.store import Store


@dataclass(frozen=True)
class MeetingRow:
    """One meeting as listed: the meeting and how many avvikelser were raised at it."""

    mote: Mote
    lyfta: int


class LedningsgruppService:
    def __init__(self, store: Store) -> None:
        self._repo = LedningsgruppRepository(store)
        self._avvikelser = AvvikelseRepository(store)

    def members(self) -> list[Medlem]:
        return self._repo.members()

    @writes(ledningsgrupp=True)
    def save_member(self, member: Medlem, warnings_confirmed: bool = False) -> Medlem:
        problems = rules.validate_member(member)
        if problems:
            raise ValidationFailed(problems)
        free_text.check({"Roll": member.roll}, warnings_confirmed)
        return self._repo.save_member(member)

    def composition(self, day: date | None = None) -> Sammansattning:
        return rules.sammansattning(self.members(), day or date.today())

    def meetings(self) -> list[Mote]:
        return self._repo.meetings()

    def meeting_rows(self) -> list[MeetingRow]:
        """The meetings, newest first, each with the number of avvikelser raised at it."""
        raised = Counter(a.mote_id for a in self._avvikelser.list_all() if a.mote_id)
        meetings = sorted(self.meetings(), key=lambda m: m.datum, reverse=True)
        return [MeetingRow(m, raised.get(m.id or "", 0)) for m in meetings]

    @writes(ledningsgrupp=True, avvikelser=True)
    def save_meeting(
        self, meeting: Mote, raised: list[str] | None = None, warnings_confirmed: bool = False
    ) -> Mote:
        """Saves the meeting and lifts the chosen avvikelser at it, in one transaction."""
        raised = raised or []
        if meeting.datum > date.today().replace(year=date.today().year + 2):
            raise ValidationFailed(["Mötesdatumet ligger orimligt långt fram."])
        found = {item.id: item for item in self._avvikelser.many(raised)}
        for avvikelse_id in raised:
            item = found.get(avvikelse_id)
            if item is None or item.status != AvvikelseStatus.NY:
                raise ValidationFailed(["En av de valda avvikelserna är redan lyft eller stängd."])
            if item.datum > meeting.datum:
                raise ValidationFailed(["En avvikelse kan inte lyftas före sitt eget datum."])
        free_text.check({"Anteckning": meeting.anteckning}, warnings_confirmed)
        return self._repo.save_meeting(meeting, raised)
