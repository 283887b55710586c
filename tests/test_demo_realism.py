"""Issue 13.18: the demo looks like a real verksamhet a trainer can show."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from po_desk import cli
from po_desk.domain import guard, ko
from po_desk.domain.verksamhet import LAN
from po_desk.services import demo, sammanstallning_service, store_lifecycle
from po_desk.services.demo import OWN_GROUND
from po_desk.services.demo_texts import BRISTER
from po_desk.services.workspace import Workspace
from tests.conftest import PASSPHRASE

TODAY = date.today()
YEARS = 3
MAX_FEEDBACK_WAIT = 300  # days from the avvikelse to today while it still awaits återkoppling
MAX_NOT_LIFTED = 200  # days an avvikelse may stay new before a meeting lifts it
MAX_PRIORITISED_WAIT = 60
MAX_URGENT_WAIT = 14


def _demo_store(path: Path, seed: int, uppdrag: int = 300) -> Workspace:
    who = demo.identity(seed)
    created = store_lifecycle.create_store(
        path,
        namn=who.namn,
        lan=who.lan,
        kommuner=who.kommuner,
        huvudman=who.huvudman,
        passphrase=PASSPHRASE,
        start_ar=TODAY.year - YEARS,
    )
    demo.fill(created.workspace, uppdrag, YEARS, seed=seed, today=TODAY)
    return created.workspace


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory):
    from po_desk.store import keyslots
    from tests.conftest import CHEAP_KDF

    previous = keyslots.DEFAULT_KDF
    keyslots.DEFAULT_KDF = CHEAP_KDF
    workspace = _demo_store(tmp_path_factory.mktemp("demo") / "demo.podesk", seed=5)
    yield workspace
    workspace.session.close()
    keyslots.DEFAULT_KDF = previous


def test_each_seed_is_its_own_verksamhet_with_a_huvudman() -> None:
    identities = [demo.identity(seed) for seed in range(1, 30)]
    assert len({(i.namn, i.lan) for i in identities}) == len(identities)
    for who in identities:
        assert who.huvudman.strip() and who.lan in LAN and who.kommuner
        assert len(set(who.kommuner)) == len(who.kommuner)
    assert demo.identity(3) == demo.identity(3)


def test_avvikelser_get_lifted_and_answered_in_time(demo_store: Workspace) -> None:
    items = demo_store.avvikelser.all()
    assert len(items) > 30
    waiting = [a for a in items if a.awaits_feedback]
    assert all((TODAY - a.datum).days <= MAX_FEEDBACK_WAIT for a in waiting), [
        (TODAY - a.datum).days for a in waiting
    ]
    new = [a for a in items if a.status == "ny"]
    assert all((TODAY - a.datum).days <= MAX_NOT_LIFTED for a in new)
    answered = [a for a in items if a.aterkoppling]
    assert answered and all(a.aterkoppling_datum >= a.datum for a in answered)


def test_prioritised_anmalningar_do_not_wait_long(demo_store: Workspace) -> None:
    order = demo_store.ko.order_in_force(TODAY).grunder
    names = demo_store.ko.ground_names()
    own = next(code for code, name in names.items() if name == OWN_GROUND)
    queue = ko.order_ko(demo_store.ko.waiting(), order, TODAY)
    assert queue
    for anmalan in queue:
        waited = anmalan.days_waited(TODAY)
        if own in anmalan.prioritetsgrunder:
            assert waited <= MAX_URGENT_WAIT
        if ko.grounds_in_order(anmalan, order, TODAY):
            assert waited <= MAX_PRIORITISED_WAIT + 1, (anmalan.kod, waited)
        if anmalan.erbjuden is not None:
            assert anmalan.erbjuden >= anmalan.anmald
    # Those started from the kö with an urgent need were started within weeks.
    started = [a for a in demo_store.ko.all() if a.status == "paborjad"]
    urgent = [a for a in started if own in a.prioritetsgrunder]
    assert all((a.status_datum - a.anmald).days <= 21 for a in urgent)


def _template_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{\w+\}", template)
    return re.compile(r"\w+".join(re.escape(part) for part in parts))


def test_texts_fit_their_aktor_vary_and_pass_the_guard(demo_store: Workspace) -> None:
    items = demo_store.avvikelser.all()
    for item in items:
        brister = BRISTER[item.aktor]
        fitting = [b for b in brister if _template_pattern(b[1]).fullmatch(item.beskrivning)]
        assert fitting, (item.aktor, item.beskrivning)
        # The konsekvens of its brist, its numbers filled in: no placeholder is left.
        assert any(_template_pattern(b[2]).fullmatch(item.konsekvens) for b in fitting)
        assert "{" not in item.konsekvens and "{" not in item.beskrivning, item.konsekvens
        assert set(item.kategorier) == set(fitting[0][0])
        for text in (item.beskrivning, item.konsekvens, item.aterkoppling):
            assert guard.scan(text) == [], text
    assert len({a.beskrivning for a in items}) >= 0.4 * len(items)
    notes = [m.anteckning for m in demo_store.ledningsgrupp.meetings()]
    assert len(set(notes)) > 1 and all(guard.scan(note) == [] for note in notes)
    for aktor, brister in BRISTER.items():
        texts = [b[1] for b in brister]
        assert len(set(texts)) == len(texts), aktor


def test_the_andringslogg_is_spread_over_the_years(demo_store: Workspace) -> None:
    times = [entry.at for entry in demo_store.audit.entries()]
    assert len(times) > 500
    seconds = {t.replace(microsecond=0) for t in times}
    assert len(seconds) >= 0.9 * len(times)
    assert max(times) - min(times) > timedelta(days=365 * (YEARS - 1))
    assert all(7 <= t.hour < 16 for t in times if t.date() < TODAY)


def test_two_seeds_compile_together(tmp_path: Path, capsys) -> None:
    returns = []
    for seed in (1, 2):
        workspace = _demo_store(tmp_path / f"demo{seed}.podesk", seed=seed, uppdrag=120)
        out = tmp_path / f"retur{seed}.json"
        workspace.aterrapport.export(out, TODAY.year - 1, "json")
        workspace.session.close()
        returns.append(out)
    compiled = sammanstallning_service.compile_files(returns)
    assert compiled
    code = cli.main(["aggregate", "--out", str(tmp_path / "s.pdf"), *map(str, returns)])
    assert code == 0, capsys.readouterr().err
    assert (tmp_path / "s.pdf").read_bytes()[:5] == b"%PDF-"
