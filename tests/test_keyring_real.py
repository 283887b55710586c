"""The keyring path against a real Secret Service (gnome-keyring under dbus-run-session).

.ci/run starts the daemon and sets PO_DESK_REAL_KEYRING=1; elsewhere this is skipped.
"""

from __future__ import annotations

import os
from pathlib import Path

import keyring
import pytest

from po_desk.services import store_lifecycle
from po_desk.store import os_keyring
from tests.conftest import PASSPHRASE

pytestmark = pytest.mark.skipif(
    os.environ.get("PO_DESK_REAL_KEYRING") != "1",
    reason="needs a running Secret Service (set up by .ci/run)",
)


def test_remembered_key_opens_the_store_through_secret_service(tmp_path: Path) -> None:
    keyring.set_keyring(keyring.core.load_keyring("keyring.backends.SecretService.Keyring"))
    assert os_keyring.available()
    created = store_lifecycle.create_store(
        tmp_path / "x.podesk", namn="A", lan="Skåne län", kommuner=["Lund"], passphrase=PASSPHRASE
    )
    assert created.workspace.keys.remember_key()
    created.workspace.session.close()
    reopened = store_lifecycle.open_remembered(tmp_path / "x.podesk")
    assert reopened is not None
    reopened.keys.forget_key()
    reopened.session.close()
    assert store_lifecycle.open_remembered(tmp_path / "x.podesk") is None


def test_plaintext_backends_are_never_used(monkeypatch, tmp_path: Path) -> None:
    """With the real Secret Service running, a plaintext backend that the keyring library
    offers first is refused, alone or ahead of the Secret Service in a chain."""
    from keyring.backends import SecretService, chainer, fail

    from tests.test_keyring_allowlist import PlaintextFileKeyring

    monkeypatch.setattr(os_keyring, "ACCEPTED_BACKENDS", os_keyring.OS_KEYRINGS)
    plaintext = PlaintextFileKeyring(tmp_path / "keyring_pass.cfg")
    for offered in (plaintext, fail.Keyring()):
        keyring.set_keyring(offered)
        assert not os_keyring.available()
        assert os_keyring.recall("any") is None
        assert os_keyring.remember("any", b"k" * 32) is False
    assert not plaintext.path.exists()
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [plaintext, SecretService.Keyring()])
    keyring.set_keyring(chainer.ChainerBackend())
    assert os_keyring.remember("any", b"k" * 32)  # into the Secret Service only
    assert not plaintext.path.exists()
    os_keyring.forget("any")
