"""Finding files of `resources/` the same way from a checkout, a wheel and a bundle."""

from __future__ import annotations

import sys
from importlib import resources as importlib_resources
from pathlib import Path


def resource(name: str) -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:  # PyInstaller one-folder bundle
        return Path(bundle) / "resources" / name
    try:
        installed = importlib_resources.files("po_desk.resources") / name
        if installed.is_file() or installed.is_dir():
            return Path(str(installed))
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parents[1] / "resources" / name
