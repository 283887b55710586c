"""po-desk: the desktop register of a verksamhet med personligt ombud."""

from __future__ import annotations

import functools


def __getattr__(name: str) -> str:
    # `__version__` is read from the installed metadata on first use only: importing
    # importlib.metadata costs start-up time the window should not wait for.
    if name == "__version__":
        return _version()
    raise AttributeError(name)


@functools.cache
def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("po-desk")
    except metadata.PackageNotFoundError:  # running from a source checkout
        return "0.0.0+source"
