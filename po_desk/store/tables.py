"""The schema as SQLAlchemy Core tables: the one definition of every table, column, index
and constraint. Every main row has a UUID key so stores of several workstations can be
merged, `created_at`/`updated_at` so merges can tell which edit is newer, and a `version`
that every UPDATE checks and bumps (several people on a server: the second saver of a row
is told, never silently overwritten).

Core only, so that a one-shot command (an export, a check) reads the store without
importing the ORM or configuring its mappers (issue 17: a fifth of a second of every such
command); `models.py` maps the ORM classes onto these tables on the first session."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from po_desk.store.sealed_text import SealedText

metadata = MetaData()


def new_id() -> str:
    return str(uuid.uuid4())


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _version() -> Column[int]:
    # Core UPDATEs bump it themselves; the ORM's version counter (models.py) does for its.
    return Column("version", Integer, nullable=False, default=1, server_default="1")


def _row() -> tuple[Column[Any], ...]:
    """The columns every main row ends with (after its own, as the migrations made them)."""
    return (
        Column("id", String(36), primary_key=True, default=new_id),
        Column("created_at", DateTime, nullable=False, default=utc_now),
        Column("updated_at", DateTime, nullable=False, default=utc_now, onupdate=utc_now),
        _version(),
    )


def _link(name: str, parent_column: str, parent: str, *extra: Column[Any]) -> Table:
    """A code list of a row (its kontaktorsaker, prioritetsgrunder, …): one row a code."""
    return Table(
        name,
        metadata,
        Column(parent_column, ForeignKey(f"{parent}.id", ondelete="CASCADE"), primary_key=True),
        Column("code", String(50), primary_key=True),
        *extra,
    )


verksamhet = Table(
    "verksamhet",
    metadata,
    Column("namn", String(200), nullable=False),
    Column("lan", String(100), nullable=False),
    Column("huvudman", String(200), nullable=False, default=""),
    Column("start_ar", Integer, nullable=False),
    *_row(),
)

kommun = Table(
    "kommun",
    metadata,
    Column("namn", String(100), nullable=False, unique=True),
    Column("sort_order", Integer, nullable=False, default=0),
    # Served from/to (empty: since the start / still served); a past year lists the
    # kommuner served then.
    Column("fran", Date, nullable=True),
    Column("till", Date, nullable=True),
    *_row(),
)

ombud = Table(
    "ombud",
    metadata,
    Column("namn", String(100), nullable=False),
    Column("kon", String(10), nullable=False),
    Column("tjanstgoringsgrad", Float, nullable=False, default=1.0),
    Column("fran", Date, nullable=False),
    Column("till", Date, nullable=True),
    *_row(),
)

# One period of an ombud's tjänstgöringsgrad, in force from `fran` until the next.
ombud_grad = Table(
    "ombud_grad",
    metadata,
    Column("ombud_id", ForeignKey("ombud.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("fran", Date, nullable=False),
    Column("grad", Float, nullable=False),
    *_row(),
)

# Reference data (kontaktorsaker, avslutsorsaker, ...) with stable codes.
category = Table(
    "category",
    metadata,
    Column("kind", String(30), nullable=False),
    Column("code", String(50), nullable=False),
    Column("namn", String(200), nullable=False),
    Column("sort_order", Integer, nullable=False, default=0),
    Column("active", Boolean, nullable=False, default=True),
    # The first day the entry is inactive (null with active false: every day).
    Column("inaktiv_fran", Date, nullable=True),
    *_row(),
    UniqueConstraint("kind", "code"),
)

# One person (pseudonymous: no name, no personnummer); kön and födelseår are the person's.
# A person who comes back gets a new uppdrag linked to the same klient.
klient = Table(
    "klient",
    metadata,
    Column("kon", String(10), nullable=False),
    Column("fodelsear", Integer, nullable=False),
    *_row(),
)

# A dated name of a category (a renamed prioritetsgrund): a past year's return shows the
# name in force then. A category never renamed has no rows here.
category_namn = Table(
    "category_namn",
    metadata,
    Column(
        "category_id", ForeignKey("category.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("fran", Date, nullable=False),
    Column("namn", String(200), nullable=False),
    *_row(),
)

uppdrag = Table(
    "uppdrag",
    metadata,
    Column("kod", String(20), nullable=False, unique=True),
    # Always set by po-desk (the migration links every older uppdrag); nullable because
    # SQLite adds a column to a filled table only without NOT NULL.
    Column("klient_id", ForeignKey("klient.id"), nullable=True, index=True),
    Column("kon", String(10), nullable=False),
    Column("fodelsear", Integer, nullable=False),
    Column("kommun_id", ForeignKey("kommun.id"), nullable=False),
    Column("ombud_id", ForeignKey("ombud.id"), nullable=True),
    Column("anmald", Date, nullable=True),
    Column("start", Date, nullable=False, index=True),
    Column("slut", Date, nullable=True, index=True),
    Column("avslutsorsak", String(50), nullable=True),
    Column("barn", String(10), nullable=False, default="nej"),
    Column("hanvisad_fran", String(50), nullable=True),
    Column("anteckning", SealedText("uppdrag.anteckning"), nullable=True),
    *_row(),
)

# A dated change of hemmavarande barn during an uppdrag (the value at start is on the
# uppdrag), so a past year counts the barn in force then.
uppdrag_barn = Table(
    "uppdrag_barn",
    metadata,
    Column("uppdrag_id", ForeignKey("uppdrag.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("fran", Date, nullable=False),
    Column("barn", String(10), nullable=False),
    *_row(),
)

# An uppdrag's kontaktorsaker: they belong to it and merge with it.
uppdrag_kontaktorsak = _link("uppdrag_kontaktorsak", "uppdrag_id", "uppdrag")
uppdrag_prioritetsgrund = _link("uppdrag_prioritetsgrund", "uppdrag_id", "uppdrag")

# A kö-anmälan; when påbörjad it points to the uppdrag it became.
ko_anmalan = Table(
    "ko_anmalan",
    metadata,
    Column("kod", String(20), nullable=False, unique=True),
    Column("anmald", Date, nullable=False, index=True),
    Column("kon", String(10), nullable=False),
    Column("fodelsear", Integer, nullable=False),
    Column("kommun_id", ForeignKey("kommun.id"), nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("erbjuden", Date, nullable=True),
    Column("status_datum", Date, nullable=True),
    Column("orsak", SealedText("ko_anmalan.orsak"), nullable=True),
    Column("uppdrag_id", ForeignKey("uppdrag.id"), nullable=True),
    *_row(),
)

ko_anmalan_kontaktorsak = _link("ko_anmalan_kontaktorsak", "anmalan_id", "ko_anmalan")
ko_anmalan_prioritetsgrund = _link("ko_anmalan_prioritetsgrund", "anmalan_id", "ko_anmalan")

# One version of the prioriteringsordning; versions are never edited, only added.
# `beslutad_av` NULL is a proposal nobody decided; `ingen` records "no ordning".
prioriteringsordning = Table(
    "prioriteringsordning",
    metadata,
    Column("beslutad", Date, nullable=False, index=True),
    Column("anteckning", SealedText("prioriteringsordning.anteckning"), nullable=False, default=""),
    Column("beslutad_av", String(20), nullable=True),
    # The server default is the one migration 0006 needed to add the column to old rows.
    Column("ingen", Boolean, nullable=False, default=False, server_default=false()),
    *_row(),
)

prioriteringsordning_grund = _link(
    "prioriteringsordning_grund",
    "ordning_id",
    "prioriteringsordning",
    Column("rang", Integer, nullable=False),
)

intagningsstopp = Table(
    "intagningsstopp",
    metadata,
    Column("fran", Date, nullable=False),
    Column("till", Date, nullable=True),
    Column("orsak", SealedText("intagningsstopp.orsak"), nullable=False),
    *_row(),
)

ledningsgrupp_mote = Table(
    "ledningsgrupp_mote",
    metadata,
    Column("datum", Date, nullable=False, index=True),
    Column("anteckning", SealedText("ledningsgrupp_mote.anteckning"), nullable=False, default=""),
    *_row(),
)

ledningsgrupp_medlem = Table(
    "ledningsgrupp_medlem",
    metadata,
    Column("organisation", String(50), nullable=False),
    Column("roll", String(200), nullable=False),
    Column("fran", Date, nullable=False),
    Column("till", Date, nullable=True),
    *_row(),
)

# A systembrist; no client data beyond an optional uppdrag code.
avvikelse = Table(
    "avvikelse",
    metadata,
    Column("datum", Date, nullable=False, index=True),
    Column("ombud_id", ForeignKey("ombud.id"), nullable=True),
    Column("aktor", String(50), nullable=False, index=True),
    Column("niva", String(20), nullable=False),
    Column("beskrivning", SealedText("avvikelse.beskrivning"), nullable=False),
    Column("konsekvens", SealedText("avvikelse.konsekvens"), nullable=False, default=""),
    Column("uppdrag_kod", String(20), nullable=True),
    Column("status", String(20), nullable=False, index=True),
    Column("mote_id", ForeignKey("ledningsgrupp_mote.id"), nullable=True),
    Column("aterkoppling", SealedText("avvikelse.aterkoppling"), nullable=False, default=""),
    Column("aterkoppling_datum", Date, nullable=True),
    *_row(),
)

avvikelse_kategori = _link("avvikelse_kategori", "avvikelse_id", "avvikelse")
avvikelse_atgard = _link("avvikelse_atgard", "avvikelse_id", "avvikelse")

# What a year's return adds to the records: the manual fields, and once fastställd the
# figures as submitted (a JSON document).
aterrapport = Table(
    "aterrapport",
    metadata,
    Column("ar", Integer, nullable=False, unique=True),
    Column("manuellt", SealedText("aterrapport.manuellt"), nullable=False, default="{}"),
    Column("faststalld", SealedText("aterrapport.faststalld"), nullable=True),
    Column("faststalld_at", DateTime, nullable=True),
    Column("faststalld_av", String(100), nullable=True),
    *_row(),
)

# Who changed which row when; never the content.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", String(36), primary_key=True, default=new_id),
    Column("at", DateTime, nullable=False, default=utc_now, index=True),
    Column("actor", String(100), nullable=False),
    Column("action", String(20), nullable=False),
    Column("table_name", String(50), nullable=False),
    Column("row_id", String(36), nullable=False),
)

# Store-wide settings that travel with the store (not per workstation).
setting = Table(
    "setting",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
    _version(),
)
