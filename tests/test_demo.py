from __future__ import annotations

from collections import Counter
from dataclasses import asdict

from po_desk.domain.uppdrag import age_group, age_in_year
from po_desk.services import demo, store_lifecycle
from tests.conftest import PASSPHRASE, TODAY


def make(tmp_path, name: str, seed: int):
    created = store_lifecycle.create_store(
        tmp_path / name,
        namn="Demo",
        lan="Värmlands län",
        kommuner=["Karlstad", "Hammarö"],
        passphrase=PASSPHRASE,
    )
    demo.fill(created.workspace, uppdrag_count=1500, years=5, seed=seed, today=TODAY)
    items = created.workspace.uppdrag.all()
    created.workspace.session.close()
    return items


def comparable(items):
    return [
        {
            k: v
            for k, v in asdict(u).items()
            if k not in ("id", "kommun_id", "ombud_id", "klient_id", "updated_at")
        }
        for u in items
    ]


def test_same_seed_same_data_other_seed_other_data(tmp_path) -> None:
    first = make(tmp_path, "a.podesk", seed=7)
    again = make(tmp_path, "b.podesk", seed=7)
    other = make(tmp_path, "c.podesk", seed=8)
    assert comparable(first) == comparable(again)
    assert comparable(first) != comparable(other)


def test_proportions_resemble_the_national_tables(tmp_path) -> None:
    items = make(tmp_path, "a.podesk", seed=3)
    assert len(items) == 1500
    kon = Counter(u.kon for u in items)
    assert 0.49 < kon["kvinna"] / len(items) < 0.61  # 55 % nationally
    groups = Counter(age_group(age_in_year(u.fodelsear, u.start.year)) for u in items)
    assert groups.most_common(1)[0][0] == "30-49"
    assert None not in groups
    with_children = sum(1 for u in items if u.barn != "nej") / len(items)
    assert 0.10 < with_children < 0.20  # 15 % nationally
    orsaker = Counter(code for u in items for code in u.kontaktorsaker)
    assert orsaker.most_common(1)[0][0] == "myndigheter"
    assert all(u.kontaktorsaker for u in items)
    assert all(u.start <= TODAY and (u.slut is None or u.slut <= TODAY) for u in items)
    last_year = [u for u in items if u.start.year == TODAY.year - 1]
    assert len(last_year) > 200  # last year's return has a full year of data
    assert all((u.slut is None) == (u.avslutsorsak is None) for u in items)
