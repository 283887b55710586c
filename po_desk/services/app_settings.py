"""Per-workstation settings, declared once with type, default and description.

They live in the user's config folder as JSON and hold no client data: the idle lock
time, backups, who works at this computer. (The window's geometry and the last store are
remembered by the GUI through QSettings.)
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from po_desk.secure_files import atomic_write, private_folder, restrict_permissions

log = logging.getLogger(__name__)


@dataclass
class AppSettings:
    idle_lock_minutes: int = field(
        default=10, metadata={"doc": "Minuter utan aktivitet innan programmet låses."}
    )
    backup_count: int = field(
        default=5, metadata={"doc": "Antal automatiska säkerhetskopior som sparas."}
    )
    backup_folder: str = field(
        default="", metadata={"doc": "Mapp för säkerhetskopior; tom = bredvid registret."}
    )
    actor: str = field(
        default="enhetschef",
        metadata={"doc": "Vem som arbetar vid den här datorn (syns i ändringsloggen)."},
    )
    server_profiles: dict[str, dict[str, object]] = field(
        default_factory=dict,
        metadata={
            "doc": "Sparade serverprofiler: värd, port, databas, användare, CA-fil "
            "(aldrig ett lösenord)."
        },
    )

    @classmethod
    def load(cls, path: Path | None = None) -> AppSettings:
        path = path or settings_path()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError):
            log.warning("settings file unreadable; defaults used")
            return cls()
        known = {f.name: f.type for f in fields(cls)}
        values = {k: v for k, v in raw.items() if k in known}
        settings = cls()
        for name, value in values.items():
            if isinstance(value, type(getattr(settings, name))):
                setattr(settings, name, value)
        return settings

    def save(self, path: Path | None = None) -> None:
        path = path or settings_path()
        private_folder(path.parent)
        atomic_write(path, json.dumps(asdict(self), indent=2).encode("utf-8"))


def settings_path() -> Path:
    import platformdirs  # imported on use: it is not needed before the window shows

    return Path(platformdirs.user_config_dir("po-desk", appauthor=False)) / "settings.json"


def default_store_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_documents_dir()) / "po-desk" / "register.podesk"


def make_private(path: Path) -> None:
    """Makes a settings file (the GUI's QSettings) and its folder readable by the user only:
    it names the store's path."""
    path = Path(path)
    if path.parent.exists():
        private_folder(path.parent)
    if path.exists():
        restrict_permissions(path)
