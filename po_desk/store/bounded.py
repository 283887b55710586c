"""Reading packed data without trusting what it says about itself: zip members and zlib
streams are read in pieces and stopped as soon as they pass a limit, so a small crafted
file (a decompression bomb) cannot fill the memory or the disk.

The limit is set from the size of the store the data belongs to, with a floor so that a
new, nearly empty store can still take in a normal backup or merge file.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

FLOOR = 64 * 1024 * 1024
FACTOR = 4
SMALL_MEMBER = 1024 * 1024  # manifests and key files are a few kilobytes
CHUNK = 1024 * 1024


class TooLarge(Exception):
    """The data unpacks to more than its limit (or more than it declares)."""


def size_limit(*reference_sizes: int, factor: int = FACTOR) -> int:
    """The most that data belonging to a store of the given size(s) may unpack to."""
    return max(FLOOR, factor * max(reference_sizes, default=0))


def file_size(path: Path) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


def read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """A zip member's bytes; TooLarge when its declared or actual size passes `limit`."""
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise TooLarge(name)
    parts: list[bytes] = []
    total = 0
    with archive.open(info) as handle:
        while chunk := handle.read(CHUNK):
            total += len(chunk)
            if total > limit or total > info.file_size:
                raise TooLarge(name)
            parts.append(chunk)
    return b"".join(parts)


def decompress(data: bytes, limit: int) -> bytes:
    """zlib-decompressed `data`; TooLarge when it would pass `limit` bytes."""
    inflater = zlib.decompressobj()
    parts: list[bytes] = []
    total = 0
    pending = data
    while not inflater.eof:
        chunk = inflater.decompress(pending, CHUNK)
        pending = inflater.unconsumed_tail
        if not chunk and not pending and not inflater.eof:
            raise zlib.error("incomplete or truncated stream")
        total += len(chunk)
        if total > limit:
            raise TooLarge("zlib")
        parts.append(chunk)
    return b"".join(parts)
