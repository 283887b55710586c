"""po-desk: the desktop register of a verksamhet med personligt ombud."""

from __future__ import annotations

from importlib import metadata

try:
    __version__ = metadata.version("po-desk")
except metadata.PackageNotFoundError:  # running from a source checkout
    __version__ = "0.0.0+source"
