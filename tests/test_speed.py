"""Issue 17's speed misses (h25): the shortcuts taken for speed give the same answers as the
plain walks they replace."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from po_desk.domain import guard, return_checks
from po_desk.services import sammanstallning_service
from tests.test_aggregate import write_returns


def _strings_of(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings_of(item)


def test_compilation_scans_each_distinct_text_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = write_returns(tmp_path, 4)
    distinct: set[str] = set()
    for path in paths:
        distinct |= set(_strings_of(json.loads(path.read_text(encoding="utf-8"))))
    scanned: list[str] = []
    real = guard.scan_blocking

    def counting(text: str) -> list[guard.Finding]:
        scanned.append(text)
        return real(text)

    monkeypatch.setattr(guard, "scan_blocking", counting)
    sammanstallning_service.compile_files(paths)
    assert sorted(scanned) == sorted(distinct)


def test_the_cache_does_not_let_a_hard_hit_through_in_a_later_return(tmp_path: Path) -> None:
    paths = write_returns(tmp_path, 3)
    document = json.loads(paths[2].read_text(encoding="utf-8"))
    document["manuellt"]["kommentarer"] = "Ring 070-123 45 67"
    paths[2].write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(sammanstallning_service.SammanstallningError) as raised:
        sammanstallning_service.compile_files(paths)
    assert paths[2].name in str(raised.value) and "manuellt.kommentarer" in str(raised.value)


def _reference_shares(value: Any, path: str) -> Iterator[return_checks.Finding]:
    """The walk `return_checks._shares` made before it got its quick pre-check."""
    if isinstance(value, dict):
        for key, inner in value.items():
            inner_path = f"{path}.{key}" if path else key
            if key == "andel" or key.startswith("andel_"):
                yield from return_checks._share_values(inner, inner_path)
            else:
                yield from _reference_shares(inner, inner_path)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _reference_shares(inner, f"{path}.{index}")


_KEYS = st.sampled_from(["andel", "andel_kvinna", "andelx", "totalt", "kvinna", "texter", ""])
_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.floats(-2, 2, allow_nan=False),
    st.text(max_size=3),
)  # fmt: skip
_TREES = st.recursive(
    _LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(_TREES)
def test_share_check_finds_what_the_full_walk_finds(tree: Any) -> None:
    assert list(return_checks._shares(tree, "")) == list(_reference_shares(tree, ""))


def test_a_return_is_computed_on_the_kept_connection(demo_workspace) -> None:
    """The engine keeps one connection between sessions (its page cache stays warm): a
    computation opens none of its own; closing the store closes it."""
    from datetime import date

    from sqlalchemy import event

    engine = demo_workspace._store.engine
    year = date.today().year - 1
    demo_workspace.aterrapport.compute(year)
    opened: list[object] = []
    event.listen(engine, "connect", lambda connection, _record: opened.append(connection))
    demo_workspace.aterrapport.compute(year)
    demo_workspace.uppdrag.all()
    assert opened == []
    pool = engine.pool
    assert pool.checkedin() == 1  # type: ignore[attr-defined]
    demo_workspace.session.close()
    assert engine.pool.checkedin() == 0  # type: ignore[attr-defined]


def test_the_demo_is_written_in_one_commit(workspace) -> None:
    from sqlalchemy import event

    from po_desk.services import demo

    commits: list[object] = []
    event.listen(workspace._store.engine, "commit", lambda connection: commits.append(1))
    demo.fill(workspace, 60, 2, seed=3)
    assert len(commits) == 1
    assert workspace.uppdrag.count() == 60 and workspace.session.check() == []


def test_a_batch_is_rolled_back_as_a_whole(workspace) -> None:
    from po_desk.domain.verksamhet import Ombud

    before = len(workspace.verksamhet.list_ombud())
    with pytest.raises(RuntimeError), workspace.session.batch():
        workspace.verksamhet.save_ombud(
            Ombud(namn="A.B.", kon="kvinna", tjanstgoringsgrad=1.0, fran=date(2024, 1, 1))
        )
        assert len(workspace.verksamhet.list_ombud()) == before + 1  # seen inside
        raise RuntimeError("avbrutet")
    assert len(workspace.verksamhet.list_ombud()) == before


def test_another_thread_does_not_join_a_batch(workspace) -> None:
    import threading

    from po_desk.domain.verksamhet import Ombud

    seen: list[int] = []
    with workspace.session.batch():
        workspace.verksamhet.save_ombud(
            Ombud(namn="A.B.", kon="kvinna", tjanstgoringsgrad=1.0, fran=date(2024, 1, 1))
        )
        reader = threading.Thread(
            target=lambda: seen.append(len(workspace.verksamhet.list_ombud()))
        )
        reader.start()
        reader.join()
        inside = len(workspace.verksamhet.list_ombud())
    assert seen == [inside - 1]  # the other thread sees only what is committed
    assert len(workspace.verksamhet.list_ombud()) == inside


def test_the_key_is_derived_without_the_store_modules(created, tmp_path: Path) -> None:
    """A CLI command starts the KDF before SQLAlchemy and the store are imported, so the
    two overlap: the derivation itself needs neither."""
    import os
    import subprocess
    import sys

    from tests.conftest import PASSPHRASE

    path = created.workspace.session.path
    created.workspace.session.close()
    script = (
        "import sys\n"
        "from po_desk.services import unlock\n"
        f"pending = unlock.derive_early({str(path)!r}, None)\n"
        "key = pending.result()\n"
        "print(len(key), sorted(m for m in ('sqlalchemy', 'po_desk.store.store') "
        "if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
        env={**os.environ, "PO_DESK_PASSPHRASE": PASSPHRASE},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["32", "[]"]


def test_an_early_derivation_reports_a_wrong_passphrase(created, monkeypatch) -> None:
    from po_desk.domain.errors import WrongPassphrase
    from po_desk.services import store_lifecycle, unlock

    path = created.workspace.session.path
    created.workspace.session.close()
    monkeypatch.setenv("PO_DESK_PASSPHRASE", "inte rätt lösenfras alls")
    pending = unlock.derive_early(path, None)
    assert pending is not None
    with pytest.raises(WrongPassphrase):
        store_lifecycle.open_pending(path, pending)
    monkeypatch.delenv("PO_DESK_PASSPHRASE")
    assert unlock.derive_early(path, None) is None


def test_the_ko_rows_work_out_each_persons_grounds_once(demo_workspace, monkeypatch) -> None:
    """The Kö view's rows: each waiting person's grounds are worked out once for the order
    and once for the row (its place, grounds and explanation), and the explanation given
    those grounds is the one worked out from scratch."""
    from po_desk.domain import ko

    day = date.today()
    order = demo_workspace.ko.order_in_force(day).grunder
    names = demo_workspace.ko.ground_names()
    waiting = demo_workspace.ko.waiting()
    assert waiting
    for anmalan in waiting:
        grounds = ko.grounds_in_order(anmalan, order, day)
        assert ko.explain(anmalan, order, day, names, grounds) == ko.explain(
            anmalan, order, day, names
        )
    calls: list[object] = []
    real = ko.grounds_met

    def counting(anmalan, when):
        calls.append(anmalan)
        return real(anmalan, when)

    monkeypatch.setattr(ko, "grounds_met", counting)
    rows = demo_workspace.ko.queue(day)
    assert len(rows) == len(waiting)
    assert len(calls) <= 2 * len(waiting)


def test_the_kept_connection_serves_a_worker_thread(workspace) -> None:
    """GUI work runs in worker threads: the connection the main thread left in the pool
    serves them too (SQLite's same-thread check is off for a file database)."""
    import threading

    workspace.uppdrag.count()
    counted: list[int] = []
    worker = threading.Thread(target=lambda: counted.append(workspace.uppdrag.count()))
    worker.start()
    worker.join()
    assert counted == [0]
    assert workspace._store.engine.pool.checkedin() == 1  # type: ignore[attr-defined]


def test_a_new_stores_keys_are_made_without_the_store_modules() -> None:
    """`po-desk demo` makes the two key slots while SQLAlchemy and the store load."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from po_desk.services import unlock\n"
        "keys = unlock.new_keys_early('ett långt och bra lösenord 7').result()\n"
        "print(len(keys.data_key), sorted(keys.key_file.slots), sorted(m for m in "
        "('sqlalchemy', 'po_desk.store.store') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["32", "['passphrase',", "'recovery']", "[]"]


def test_a_store_is_created_with_keys_made_beforehand(tmp_path: Path) -> None:
    from po_desk.services import store_lifecycle, unlock
    from tests.conftest import PASSPHRASE

    pending = unlock.new_keys_early(PASSPHRASE)
    made = pending.result()
    assert PASSPHRASE not in repr(made) and made.data_key.hex() not in repr(made)
    created = store_lifecycle.create_store(
        tmp_path / "ny.podesk", namn="PO Test", lan="Stockholms län",
        kommuner=["Stockholm"], passphrase=PASSPHRASE, keys=pending,
    )  # fmt: skip
    assert created.recovery_key == made.recovery_key
    assert created.workspace._store.data_key == made.data_key
    created.workspace.session.close()
    # Keys made for another passphrase are never used.
    other = unlock.new_keys_early("en helt annan lång lösenfras 9")
    again = store_lifecycle.create_store(
        tmp_path / "annan.podesk", namn="PO Test", lan="Stockholms län",
        kommuner=["Stockholm"], passphrase=PASSPHRASE, keys=other,
    )  # fmt: skip
    assert again.recovery_key != other.result().recovery_key
    again.workspace.session.close()
    assert (
        store_lifecycle.open_store(tmp_path / "annan.podesk", passphrase=PASSPHRASE).session.close()
        is None
    )


def test_a_given_passphrase_opens_without_the_keyring(created, tmp_path: Path) -> None:
    """An export with PO_DESK_PASSPHRASE set does not import keyring (a sixth of a second)."""
    import os
    import subprocess
    import sys

    from tests.conftest import PASSPHRASE

    path = created.workspace.session.path
    created.workspace.session.close()
    script = (
        "import sys\n"
        "from po_desk import cli\n"
        f"code = cli.main(['check', '--db', {str(path)!r}])\n"
        "print(code, 'keyring' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
        env={**os.environ, "PO_DESK_PASSPHRASE": PASSPHRASE},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["0", "False"]


def test_a_wrong_given_passphrase_still_opens_with_the_remembered_key(
    created, monkeypatch, capsys
) -> None:
    from po_desk import cli

    path = created.workspace.session.path
    assert created.workspace.keys.remember_key()
    created.workspace.session.close()
    monkeypatch.setenv("PO_DESK_PASSPHRASE", "en felaktig men lång lösenfras")
    assert cli.main(["check", "--db", str(path)]) == 0
    capsys.readouterr()
    # Once the key is forgotten, the wrong passphrase is reported.
    from po_desk.services import store_lifecycle

    remembered = store_lifecycle.open_remembered(path)
    assert remembered is not None
    remembered.keys.forget_key()
    remembered.session.close()
    assert cli.main(["check", "--db", str(path)]) != 0
    assert "Fel lösenfras" in capsys.readouterr().err
