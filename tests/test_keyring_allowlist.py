"""Issue 13.2: "Kom ihåg på den här datorn" only with an OS keyring, by an allow-list.

Everything else (a third-party plugin, an in-memory keyring like the tests' own, keyring's
fail backend) is refused: the key is not stored, the GUI box is off and disabled with a
Swedish reason, and `init --remember` fails with one line before any store is made."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail

from po_desk.store import os_keyring
from tests.conftest import PASSPHRASE
from tests.support.memory_keyring import MemoryKeyring


class ThirdPartyKeyring(MemoryKeyring):
    """A plugin of high priority that would happily store anything (in plain text): the
    in-memory store under another class, which the allow-list does not name."""

    priority = 9  # type: ignore[assignment]


class PlaintextFileKeyring(KeyringBackend):
    """Like keyrings.alt's PlaintextKeyring: every secret in a readable file."""

    priority = 10  # type: ignore[assignment]

    def __init__(self, path: Path | None = None) -> None:
        super().__init__()
        self.path = path or Path("keyring_pass.cfg")

    def get_password(self, service: str, username: str) -> str | None:
        if not self.path.exists():
            return None
        for line in self.path.read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition("=")
            if key == f"{service}/{username}":
                return value
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(f"{service}/{username}={password}\n")

    def delete_password(self, service: str, username: str) -> None:
        self.path.unlink(missing_ok=True)


@pytest.fixture
def production_allow_list(monkeypatch: pytest.MonkeyPatch) -> None:
    """The allow-list as the program has it (the test fixture's addition removed)."""
    monkeypatch.setattr(os_keyring, "ACCEPTED_BACKENDS", os_keyring.OS_KEYRINGS)


@pytest.mark.parametrize("backend", [ThirdPartyKeyring, MemoryKeyring, fail.Keyring])
def test_non_os_backends_are_refused(production_allow_list, backend) -> None:
    instance = backend()
    keyring.set_keyring(instance)
    assert not os_keyring.accepts(instance)
    assert not os_keyring.available()
    assert os_keyring.remember("store-id", b"k" * 32) is False
    assert os_keyring.recall("store-id") is None
    if hasattr(instance, "secrets"):
        assert instance.secrets == {}  # nothing was written to it


def test_a_subclass_of_an_os_keyring_from_elsewhere_is_refused(production_allow_list) -> None:
    from keyring.backends import SecretService

    class Lookalike(SecretService.Keyring):
        pass

    assert os_keyring.backend_name(SecretService.Keyring()) in os_keyring.OS_KEYRINGS
    assert not os_keyring.accepts(Lookalike())


def test_a_chain_uses_only_its_os_keyring(production_allow_list, monkeypatch) -> None:
    os_ring, plugin = MemoryKeyring(), ThirdPartyKeyring()
    monkeypatch.setattr(
        os_keyring, "ACCEPTED_BACKENDS", frozenset({os_keyring.backend_name(os_ring)})
    )  # stands in for the OS keyring in this one test
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [plugin, os_ring])
    keyring.set_keyring(chainer.ChainerBackend())
    assert os_keyring.remember("store-id", b"k" * 32)
    assert plugin.secrets == {} and len(os_ring.secrets) == 1
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [plugin])
    assert not os_keyring.available()


def test_init_remember_without_os_keyring_fails_with_one_line(
    production_allow_list, tmp_path: Path, capsys, monkeypatch
) -> None:
    from po_desk import cli

    monkeypatch.setenv("PO_DESK_PASSPHRASE", PASSPHRASE)
    db = tmp_path / "x.podesk"
    args = ["init", "--db", str(db), "--verksamhet", "PO Test", "--lan", "Skåne län"]
    code = cli.main([*args, "--kommun", "Lund", "--remember"])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "nyckelring" in err
    assert not db.exists()


@pytest.mark.gui
def test_boxes_are_off_and_disabled_with_a_reason(production_allow_list, qtbot, workspace) -> None:
    from po_desk.services.app_settings import AppSettings
    from po_desk.ui.setup_wizard import PassphrasePage
    from po_desk.ui.unlock_dialog import UnlockDialog

    page = PassphrasePage()
    qtbot.addWidget(page)
    dialog = UnlockDialog(workspace.session.path)
    qtbot.addWidget(dialog)
    from po_desk.ui.settings_view import SecurityTab

    tab = SecurityTab(workspace, AppSettings(), lambda: None)
    qtbot.addWidget(tab)
    for box in (page.remember, dialog.remember, tab.remember):
        assert not box.isEnabled() and not box.isChecked()
        assert "ingen nyckelring" in box.text()
        assert "lösenfrasen efterfrågas" in box.toolTip()


def test_a_plaintext_file_backend_is_offered_and_refused(production_allow_list, tmp_path) -> None:
    plaintext = PlaintextFileKeyring(tmp_path / "keyring_pass.cfg")
    keyring.set_keyring(plaintext)
    assert keyring.get_keyring() is plaintext  # it is what the keyring library offers
    assert not os_keyring.accepts(plaintext)
    assert os_keyring.remember("store-id", b"k" * 32) is False
    assert not plaintext.path.exists()  # nothing was written in plain text
    plaintext.set_password(os_keyring.SERVICE, "store-id", "ab" * 32)
    assert os_keyring.recall("store-id") is None  # nor read back from it
