from __future__ import annotations

import json
from pathlib import Path

import pytest

from po_desk.domain.errors import DamagedStore, KeyFileMissing, WrongPassphrase
from po_desk.store.keyslots import (
    RECOVERY_SLOT,
    KeyFile,
    new_data_key,
    new_recovery_key,
    normalise_recovery_key,
    recovery_key_readings,
)


def test_both_slots_unwrap_the_same_data_key() -> None:
    data_key = new_data_key()
    recovery = new_recovery_key()
    key_file = KeyFile.create(data_key, "hemlig fras som är lång", recovery)
    assert key_file.unlock(passphrase="hemlig fras som är lång") == data_key
    assert key_file.unlock(recovery_key=recovery) == data_key


def test_recovery_key_is_typed_leniently() -> None:
    recovery = new_recovery_key()
    assert len(recovery.split("-")) == 8
    sloppy = " ".join(recovery.lower().split("-"))
    assert normalise_recovery_key(sloppy) == normalise_recovery_key(recovery)
    key_file = KeyFile.create(new_data_key(), "hemlig fras som är lång", recovery)
    assert key_file.unlock(recovery_key=sloppy)


KEY_WITH_LOOKALIKES = "OBILA-LIOBO-ABCDE-FGHIJ-KLMNO-PQRST-UVWXY-Z2345"


def test_digits_that_cannot_be_meant_are_read_as_the_letters_they_look_like() -> None:
    data_key = new_data_key()
    key_file = KeyFile.create(data_key, "hemlig fras som är lång", KEY_WITH_LOOKALIKES)
    # 0 for O and 8 for B everywhere; 1 for I and for L in the first two groups.
    typo = "081la 1i080 a8cde fghij klmn0 pqrst uvwxy z2345"
    assert key_file.unlock(recovery_key=typo) == data_key
    assert key_file.unlock(recovery_key="0B1LA-L10B0" + KEY_WITH_LOOKALIKES[11:]) == data_key
    with pytest.raises(WrongPassphrase, match="återställningsnyckel"):
        key_file.unlock(recovery_key="0B1LA-L10B0-ABCDE-FGHIJ-KLMNO-PQRST-UVWXY-Z2346")


def test_wrong_secrets_are_refused() -> None:
    key_file = KeyFile.create(new_data_key(), "rätt fras som är lång", new_recovery_key())
    with pytest.raises(WrongPassphrase, match="Fel lösenfras"):
        key_file.unlock(passphrase="fel fras")
    with pytest.raises(WrongPassphrase, match="återställningsnyckel"):
        key_file.unlock(recovery_key=new_recovery_key())


def test_slot_cannot_be_moved_to_another_store() -> None:
    data_key = new_data_key()
    one = KeyFile.create(data_key, "rätt fras som är lång", new_recovery_key())
    other = KeyFile(store_id="another", slots=dict(one.slots))
    with pytest.raises(WrongPassphrase):
        other.unlock(passphrase="rätt fras som är lång")


def test_round_trip_and_damage(tmp_path: Path) -> None:
    store = tmp_path / "x.podesk"
    key_file = KeyFile.create(new_data_key(), "rätt fras som är lång", new_recovery_key())
    key_file.save(store)
    assert KeyFile.load(store).slots == key_file.slots
    document = json.loads((tmp_path / "x.podesk.keys").read_text())
    del document["slots"][RECOVERY_SLOT]["nonce"]
    (tmp_path / "x.podesk.keys").write_text(json.dumps(document))
    with pytest.raises(DamagedStore):
        KeyFile.load(store).unlock(recovery_key="AAAAA")
    (tmp_path / "x.podesk.keys").write_bytes(b"\x00garbage")
    with pytest.raises(DamagedStore):
        KeyFile.load(store)
    (tmp_path / "x.podesk.keys").unlink()
    with pytest.raises(KeyFileMissing):
        KeyFile.load(store)


def test_key_file_holds_no_plain_key(tmp_path: Path) -> None:
    data_key = new_data_key()
    KeyFile.create(data_key, "rätt fras som är lång", new_recovery_key()).save(tmp_path / "s")
    raw = (tmp_path / "s.keys").read_bytes()
    assert data_key.hex().encode() not in raw
    assert data_key not in raw


def test_atomic_write_never_replaces_a_device_or_folder(tmp_path: Path) -> None:
    from po_desk.secure_files import atomic_write

    folder = tmp_path / "mapp"
    folder.mkdir()
    with pytest.raises(OSError):
        atomic_write(folder, b"x")
    assert folder.is_dir()
    with pytest.raises(OSError):
        atomic_write(Path("/dev/null"), b"x")
    assert Path("/dev/null").is_char_device()
    target = tmp_path / "fil.txt"
    atomic_write(target, b"hej")
    assert target.read_bytes() == b"hej"


def test_readings_of_one_are_bounded() -> None:
    assert recovery_key_readings("o0-1x") == ["OOIX", "OOLX"]
    assert len(recovery_key_readings("1111")) == 2
    assert len(recovery_key_readings("111")) == 8


# The parameters the program uses. The autouse cheap KDF of conftest replaces them in
# every other test, so these tests (marked production_kdf) are the only ones that see them.
PRODUCTION_KDF = {"name": "argon2id", "time_cost": 3, "memory_kib": 64 * 1024, "parallelism": 2}


@pytest.mark.production_kdf
def test_the_program_stretches_with_its_production_argon2id_parameters() -> None:
    from po_desk.store import keyslots

    assert keyslots.KdfParams(time_cost=3, memory_kib=65536, parallelism=2) == keyslots.DEFAULT_KDF
    key_file = KeyFile.create(new_data_key(), "hemlig fras som är lång", new_recovery_key())
    written = json.loads(key_file.to_bytes())
    slots = written["slots"]
    assert slots, "the key file has no slots"
    for slot in slots.values():
        kdf = {key: slot["kdf"][key] for key in PRODUCTION_KDF}
        assert kdf == PRODUCTION_KDF
        # OWASP's floor for argon2id: 19 MiB with 2 passes; ours is above it.
        assert kdf["memory_kib"] >= 19 * 1024 and kdf["time_cost"] >= 2


@pytest.mark.production_kdf
def test_merge_files_are_sealed_with_the_production_parameters(workspace, tmp_path: Path) -> None:
    target = tmp_path / "export.podesk-merge"
    workspace.merge.export_file(target, "en annan lång lösenfras 9")
    envelope = json.loads(target.read_bytes())
    kdf = {key: envelope["sealed"]["kdf"][key] for key in PRODUCTION_KDF}
    assert kdf == PRODUCTION_KDF
