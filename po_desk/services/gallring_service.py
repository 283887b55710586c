"""Gallring per the kommun's informationshanteringsplan: a period in years, a preview of
what will be thinned, and a log entry for every run."""

from __future__ import annotations

import json
from datetime import date, datetime

from po_desk.domain.errors import ValidationFailed
from po_desk.domain.verksamhet import SettingValue
from po_desk.services.changes import EVERYTHING, writes
from po_desk.store.audit_repo import AuditRepository
from po_desk.store.gallring_repo import GallringCounts, GallringRepository
from po_desk.store.store import Store
from po_desk.store.verksamhet_repo import VerksamhetRepository

PERIOD_SETTING = "gallring_ar"
LOG_SETTING = "gallring_logg"


def cutoff_for(years: int, today: date) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


class GallringService:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._repo = GallringRepository(store)
        self._settings = VerksamhetRepository(store)
        self._audit = AuditRepository(store)

    def period_years(self) -> int:
        """0 means gallring is off (no period decided yet)."""
        return int(self._settings.get_setting(PERIOD_SETTING, "0"))

    def period_setting(self) -> SettingValue[int]:
        value, version = self._settings.setting(PERIOD_SETTING, "0")
        return SettingValue(int(value), version)

    @writes(settings=True)
    def set_period_years(self, years: int, loaded: int | None = None) -> int:
        """`loaded`: the setting's version the form showed (None: not checked); returns
        the version now stored."""
        if not 0 <= years <= 50:
            raise ValidationFailed(["Gallringsfristen ska vara mellan 0 och 50 år."])
        return self._settings.set_setting(PERIOD_SETTING, str(years), loaded, "Gallringsfristen")

    def _cutoff(self, today: date | None) -> date:
        years = self.period_years()
        if years == 0:
            raise ValidationFailed(["Ange först efter hur många år avslutade uppdrag gallras."])
        return cutoff_for(years, today or date.today())

    def preview(self, today: date | None = None) -> tuple[date, GallringCounts]:
        cutoff = self._cutoff(today)
        return cutoff, self._repo.preview(cutoff)

    @writes(EVERYTHING)
    def run(self, today: date | None = None) -> GallringCounts:
        cutoff = self._cutoff(today)
        counts = self._repo.run(cutoff)
        entry = {
            "tid": datetime.now().isoformat(timespec="seconds"),
            "av": self._store.actor,
            "fore": cutoff.isoformat(),
            "uppdrag": counts.uppdrag,
            "anmalningar": counts.anmalningar,
            "avvikelser": counts.avvikelser,
        }
        self._settings.set_setting(LOG_SETTING, json.dumps([*self.log(), entry]))
        self._audit.record("gallring", "gallring", f"före {cutoff.isoformat()}")
        return counts

    def log(self) -> list[dict[str, object]]:
        entries: list[dict[str, object]] = json.loads(self._settings.get_setting(LOG_SETTING, "[]"))
        return entries
