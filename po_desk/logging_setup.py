"""Logging: messages name kinds and counts, never client data; nothing below WARNING on
the console so a CLI error stays one line."""

from __future__ import annotations

import logging


def configure_cli_logging() -> None:
    logging.basicConfig(level=logging.WARNING, format="po-desk: %(levelname)s %(message)s")
