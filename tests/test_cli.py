from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from po_desk import cli
from po_desk.services import store_lifecycle
from tests.conftest import PASSPHRASE


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    full_env.pop("PO_DESK_PASSPHRASE", None)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "po_desk", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def init_args(db: Path) -> list[str]:
    return [
        "init",
        "--db",
        str(db),
        "--verksamhet",
        "PO Testbygden",
        "--lan",
        "Värmlands län",
        "--kommun",
        "Karlstad",
        "--kommun",
        "Hammarö",
    ]


def test_init_wrong_passphrase_recovery_and_new_passphrase(tmp_path: Path) -> None:
    db = tmp_path / "x.podesk"
    env = {"PO_DESK_PASSPHRASE": PASSPHRASE}
    created = run_cli(*init_args(db), "--recovery-key-out", str(tmp_path / "rk.txt"), env=env)
    assert created.returncode == 0, created.stderr
    assert db.read_bytes()[:16] != b"SQLite format 3\x00"
    recovery_key = (tmp_path / "rk.txt").read_text().splitlines()[1]

    before = (db.read_bytes(), Path(f"{db}.keys").read_bytes())
    wrong = run_cli("check", "--db", str(db), env={"PO_DESK_PASSPHRASE": "fel lösenfras"})
    assert wrong.returncode == 2
    assert wrong.stderr.strip().count("\n") == 0
    assert "Fel lösenfras" in wrong.stderr
    assert (db.read_bytes(), Path(f"{db}.keys").read_bytes()) == before

    (tmp_path / "rk-in.txt").write_text(recovery_key + "\n")
    changed = run_cli(
        "passphrase",
        "--db",
        str(db),
        "--recovery-key-file",
        str(tmp_path / "rk-in.txt"),
        env={"PO_DESK_NEW_PASSPHRASE": "en ny och lång lösenfras 9"},
    )
    assert changed.returncode == 0, changed.stderr
    ok = run_cli("check", "--db", str(db), env={"PO_DESK_PASSPHRASE": "en ny och lång lösenfras 9"})
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("OK")
    # The file --recovery-key-out wrote, heading and all, is what --recovery-key-file takes.
    again = run_cli(
        "passphrase", "--db", str(db), "--recovery-key-file", str(tmp_path / "rk.txt"),
        env={"PO_DESK_NEW_PASSPHRASE": "en tredje lång lösenfras 10"},
    )  # fmt: skip
    assert again.returncode == 0, again.stderr


def test_demo_then_check(tmp_path: Path) -> None:
    db = tmp_path / "demo.podesk"
    env = {"PO_DESK_PASSPHRASE": PASSPHRASE}
    made = run_cli("demo", "--db", str(db), "--uppdrag", "2000", "--years", "5", env=env)
    assert made.returncode == 0, made.stderr
    assert "2000 uppdrag" in made.stdout
    checked = run_cli("check", "--db", str(db), env=env)
    assert checked.returncode == 0, checked.stderr
    assert "2000 uppdrag" in checked.stdout


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("po-desk ")


HEAVY = ("sqlalchemy", "po_desk.store", "po_desk.services", "PySide6", "keyring", "reportlab")


def probe_modules(
    args: list[str], env: dict[str, str] | None = None, after: str = ""
) -> tuple[str, list[str]]:
    """Runs po-desk with `args` in a child interpreter, then `after` there; its output and
    the modules it had imported (`sys.modules`)."""
    # cli.main, not the module: the program's entry leaves the process at once when done
    # (po_desk/process_exit.py), before the probe could look.
    probe = (
        "import sys\n"
        "from po_desk import cli\n"
        "try:\n"
        f"    assert cli.main({args!r}) == 0\n"
        "except SystemExit as done:\n"
        "    assert done.code in (0, None), done.code\n"
        f"{after}"
        "print('MODULES', ' '.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode == 0, result.stderr
    output, modules = result.stdout.split("MODULES ", 1)
    return output, modules.split()


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["export", "aterrapport", "-h"]])
def test_version_and_help_import_nothing_heavy(args: list[str]) -> None:
    """Issue 17: start-up imports only what the command needs (`sys.modules` in a child)."""
    _, modules = probe_modules(args)
    assert "po_desk.cli" in modules
    heavy = [name for name in modules if name.startswith(HEAVY)]
    assert heavy == []
    # Nor the standard library modules only some commands need (the server profiles'
    # dataclasses, logging), unless the interpreter's own start already has them.
    bare = subprocess.run(
        [sys.executable, "-c", "import sys; print(' '.join(sys.modules))"],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout.split()  # fmt: skip
    assert {"dataclasses", "logging", "po_desk.process_exit"} & (set(modules) - set(bare)) == set()


def test_parser_names_the_merge_rules_of_the_merge_service() -> None:
    from po_desk.services.merge_service import PREFERENCES

    assert cli.PREFERENCES == PREFERENCES


def test_errors_are_one_line_with_non_zero_exit(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("PO_DESK_PASSPHRASE", PASSPHRASE)
    code = cli.main(["check", "--db", str(tmp_path / "saknas.podesk")])
    err = capsys.readouterr().err
    assert code == 3
    assert err.count("\n") == 1 and "finns inte" in err

    monkeypatch.delenv("PO_DESK_PASSPHRASE")
    db = tmp_path / "x.podesk"
    store_lifecycle.create_store(
        db, namn="A", lan="Skåne län", kommuner=["Lund"], passphrase=PASSPHRASE
    ).workspace.session.close()
    code = cli.main(["check", "--db", str(db)])
    err = capsys.readouterr().err
    assert code == 2 and "PO_DESK_PASSPHRASE" in err and err.count("\n") == 1


def test_passphrase_file_and_keyring(tmp_path: Path, capsys, monkeypatch) -> None:
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n")
    db = tmp_path / "x.podesk"
    args = [*init_args(db), "--passphrase-file", str(secret), "--remember"]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert "Återställningsnyckel" in out
    # Remembered in the (in-memory) keyring: no passphrase needed any more.
    monkeypatch.delenv("PO_DESK_PASSPHRASE", raising=False)
    assert cli.main(["check", "--db", str(db)]) == 0


def test_weak_passphrase_and_existing_store_are_refused(tmp_path: Path, capsys, monkeypatch):
    db = tmp_path / "x.podesk"
    monkeypatch.setenv("PO_DESK_PASSPHRASE", "kort")
    assert cli.main(init_args(db)) == 1
    assert "För kort" in capsys.readouterr().err
    assert not db.exists()
    monkeypatch.setenv("PO_DESK_PASSPHRASE", PASSPHRASE)
    assert cli.main(init_args(db)) == 0
    before = db.read_bytes()
    assert cli.main(init_args(db)) == 3
    assert "finns redan" in capsys.readouterr().err
    assert db.read_bytes() == before


@pytest.mark.parametrize("bad", [["demo", "--db", "x", "--uppdrag", "-1"]])
def test_argument_errors_exit_non_zero(bad: list[str]) -> None:
    with pytest.raises(SystemExit) as error:
        cli.main(bad)
    assert error.value.code != 0


def test_recovery_key_target_is_checked_before_the_store_is_made(tmp_path: Path, capsys,
                                                                  monkeypatch) -> None:  # fmt: skip
    monkeypatch.setenv("PO_DESK_PASSPHRASE", PASSPHRASE)
    db = tmp_path / "x.podesk"
    assert cli.main([*init_args(db), "--recovery-key-out", str(tmp_path)]) == 1
    assert "ingen vanlig fil" in capsys.readouterr().err
    assert not db.exists()


def test_a_file_error_is_one_swedish_line_naming_the_file(tmp_path: Path) -> None:
    db = tmp_path / "x.podesk"
    env = {"PO_DESK_PASSPHRASE": PASSPHRASE}
    assert run_cli(*init_args(db), env=env).returncode == 0
    target = tmp_path / "saknas" / "kopia.podesk-backup"
    result = run_cli("backup", "--db", str(db), "--out", str(target), env=env)
    assert result.returncode != 0
    line = result.stderr.strip()
    assert line.count("\n") == 0 and "finns inte" in line and "No such file" not in line, line


@pytest.mark.parametrize("command", ["export", "backup", "check"])
def test_one_shot_commands_read_through_core_without_the_orm(tmp_path: Path, command: str) -> None:
    """Issue 17: a one-shot command (an export, a backup, a check) reads the store through
    SQLAlchemy Core; the ORM is not imported and the model classes are not mapped (≈0.2 s
    of every such command). An exported return is the one the mapped program writes."""
    db = tmp_path / "po.podesk"
    created = store_lifecycle.create_store(
        db, namn="PO Core", lan="Värmlands län", kommuner=["Karlstad"], passphrase=PASSPHRASE
    )
    from po_desk.services import demo

    demo.fill(created.workspace, 60, 2, seed=3)
    year = created.workspace.aterrapport.years()[1]
    expected = created.workspace.aterrapport.render(year, "json")
    created.workspace.session.close()
    out = tmp_path / "out"
    args = {
        "export": ["export", "aterrapport", "--year", str(year), "--format", "json",
                   "--out", str(out)],
        "backup": ["backup", "--out", str(out)],
        "check": ["check"],
    }[command] + ["--db", str(db)]  # fmt: skip
    env = {**os.environ, "PO_DESK_PASSPHRASE": PASSPHRASE,
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}  # fmt: skip
    output, modules = probe_modules(
        args, env, "from po_desk.store import models\nprint('MAPPED', models.mapped())\n"
    )
    assert "po_desk.store.tables" in modules
    assert [name for name in modules if name.startswith("sqlalchemy.orm")] == []
    assert "MAPPED False" in output
    if command == "export":
        assert out.read_bytes() == expected
    if command == "backup":
        assert out.stat().st_size > 0
