"""A canary written through every free-text field is found in no file under the store's
folder, the backup folder, the temp folder or the app's config, nor in the logs."""

from __future__ import annotations

import logging
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from po_desk.domain.avvikelse import Avvikelse, AvvikelseStatus
from po_desk.domain.intagningsstopp import Intagningsstopp
from po_desk.domain.ko import Anmalan
from po_desk.domain.ledningsgrupp import Medlem, Mote
from po_desk.domain.uppdrag import Uppdrag
from po_desk.services import backup_service

TODAY = date.today()


def files_changed_since(folder: Path, since: float):
    for path in folder.rglob("*"):
        try:
            if path.is_file() and path.stat().st_mtime >= since:
                yield path
        except OSError:
            continue


def test_canary_through_every_free_text_field(workspace, store_path, isolated_settings, caplog):
    caplog.set_level(logging.DEBUG)
    started = time.time() - 1
    canary = f"KANARIE{uuid.uuid4().hex.upper()}"
    kommun = workspace.verksamhet.get().kommuner[0].id
    workspace.verksamhet.set_notes_enabled(True)
    workspace.uppdrag.save(
        Uppdrag(
            kon="man",
            fodelsear=1970,
            kommun_id=kommun,
            start=TODAY - timedelta(days=5),
            kontaktorsaker=("ekonomi",),
            anteckning=f"not {canary}",
        )
    )
    waiting = workspace.ko.save(
        Anmalan(
            anmald=TODAY - timedelta(days=9),
            kon="man",
            fodelsear=1970,
            kommun_id=kommun,
            kontaktorsaker=("bostad",),
        )
    )
    workspace.ko.not_relevant(waiting.id, TODAY, f"orsak {canary}")
    workspace.ko.save_stopp(Intagningsstopp(TODAY, None, f"stopp {canary}"))
    workspace.ko.add_version(TODAY, ("barn",), f"beslut {canary}")
    item = workspace.avvikelser.save(
        Avvikelse(
            datum=TODAY,
            aktor="forsakringskassan",
            niva="lokal",
            kategorier=("vantetider",),
            beskrivning=f"beskrivning {canary}",
            konsekvens=f"konsekvens {canary}",
        )
    )
    workspace.ledningsgrupp.save_member(Medlem("kommun", f"roll {canary}", TODAY))
    workspace.ledningsgrupp.save_meeting(Mote(TODAY, f"möte {canary}"), [item.id])
    workspace.avvikelser.move(item.id, AvvikelseStatus.ATERKOPPLING, f"svar {canary}")
    workspace.aterrapport.save_manual(TODAY.year, {"kommentarer": f"kommentar {canary}"})
    backup = workspace.backup.automatic()
    assert workspace.uppdrag.all()[0].anteckning.endswith(canary)
    workspace.session.close()

    needles = (canary.encode("utf-8"), canary.encode("utf-16-le"))
    folders = {
        store_path.parent,
        backup_service.default_folder(store_path),
        Path(tempfile.gettempdir()),
        isolated_settings,
    }
    assert backup.path.parent in folders
    for folder in folders:
        for path in files_changed_since(folder, started):
            data = path.read_bytes()
            assert not any(needle in data for needle in needles), path
    assert canary not in caplog.text
