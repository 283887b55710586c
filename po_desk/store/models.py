"""The tables. Every main row has a UUID key so stores of several workstations can be
merged, and `created_at`/`updated_at` so merges can tell which edit is newer. Every edited
row has a `version` the ORM checks and bumps on each UPDATE (several people on a server:
the second saver of a row is told, never silently overwritten)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

from po_desk.store.sealed_text import SealedText


def new_id() -> str:
    return str(uuid.uuid4())


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Versioned:
    """A row version: every ORM UPDATE adds `WHERE version = :loaded` and bumps it (a
    StaleDataError when another writer got there first); Core UPDATEs bump it themselves."""

    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class RowMixin(Versioned):
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now, onupdate=utc_now)


class Verksamhet(RowMixin, Base):
    __tablename__ = "verksamhet"
    namn: Mapped[str] = mapped_column(String(200))
    lan: Mapped[str] = mapped_column(String(100))
    huvudman: Mapped[str] = mapped_column(String(200), default="")
    start_ar: Mapped[int] = mapped_column(Integer)


class Kommun(RowMixin, Base):
    __tablename__ = "kommun"
    namn: Mapped[str] = mapped_column(String(100), unique=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # Served from/to (empty: since the start / still served); a past year lists the
    # kommuner served then.
    fran: Mapped[date | None] = mapped_column(Date, nullable=True)
    till: Mapped[date | None] = mapped_column(Date, nullable=True)


class Ombud(RowMixin, Base):
    __tablename__ = "ombud"
    namn: Mapped[str] = mapped_column(String(100))
    kon: Mapped[str] = mapped_column(String(10))
    tjanstgoringsgrad: Mapped[float] = mapped_column(Float, default=1.0)
    fran: Mapped[date] = mapped_column(Date)
    till: Mapped[date | None] = mapped_column(Date, nullable=True)


class OmbudGrad(RowMixin, Base):
    """One period of an ombud's tjänstgöringsgrad, in force from `fran` until the next."""

    __tablename__ = "ombud_grad"
    ombud_id: Mapped[str] = mapped_column(ForeignKey("ombud.id", ondelete="CASCADE"), index=True)
    fran: Mapped[date] = mapped_column(Date)
    grad: Mapped[float] = mapped_column(Float)


class Category(RowMixin, Base):
    """Reference data (kontaktorsaker, avslutsorsaker, ...) with stable codes."""

    __tablename__ = "category"
    __table_args__ = (UniqueConstraint("kind", "code"),)
    kind: Mapped[str] = mapped_column(String(30))
    code: Mapped[str] = mapped_column(String(50))
    namn: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(default=True)
    # The first day the entry is inactive (null with active false: every day).
    inaktiv_fran: Mapped[date | None] = mapped_column(Date, nullable=True)


class Klient(RowMixin, Base):
    """One person (pseudonymous: no name, no personnummer); kön and födelseår are the
    person's. A person who comes back gets a new uppdrag linked to the same klient."""

    __tablename__ = "klient"
    kon: Mapped[str] = mapped_column(String(10))
    fodelsear: Mapped[int] = mapped_column(Integer)


class CategoryNamn(RowMixin, Base):
    """A dated name of a category (a renamed prioritetsgrund): a past year's return shows
    the name in force then. A category never renamed has no rows here."""

    __tablename__ = "category_namn"
    category_id: Mapped[str] = mapped_column(
        ForeignKey("category.id", ondelete="CASCADE"), index=True
    )
    fran: Mapped[date] = mapped_column(Date)
    namn: Mapped[str] = mapped_column(String(200))


class Uppdrag(RowMixin, Base):
    __tablename__ = "uppdrag"
    kod: Mapped[str] = mapped_column(String(20), unique=True)
    # Always set by po-desk (the migration links every older uppdrag); nullable because
    # SQLite adds a column to a filled table only without NOT NULL.
    klient_id: Mapped[str | None] = mapped_column(
        ForeignKey("klient.id"), nullable=True, index=True
    )
    kon: Mapped[str] = mapped_column(String(10))
    fodelsear: Mapped[int] = mapped_column(Integer)
    kommun_id: Mapped[str] = mapped_column(ForeignKey("kommun.id"))
    ombud_id: Mapped[str | None] = mapped_column(ForeignKey("ombud.id"), nullable=True)
    anmald: Mapped[date | None] = mapped_column(Date, nullable=True)
    start: Mapped[date] = mapped_column(Date, index=True)
    slut: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    avslutsorsak: Mapped[str | None] = mapped_column(String(50), nullable=True)
    barn: Mapped[str] = mapped_column(String(10), default="nej")
    hanvisad_fran: Mapped[str | None] = mapped_column(String(50), nullable=True)
    anteckning: Mapped[str | None] = mapped_column(SealedText("uppdrag.anteckning"), nullable=True)

    kontaktorsaker: Mapped[list[UppdragKontaktorsak]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="UppdragKontaktorsak.code"
    )
    prioritetsgrunder: Mapped[list[UppdragPrioritetsgrund]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="UppdragPrioritetsgrund.code"
    )
    barn_andringar: Mapped[list[UppdragBarn]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="UppdragBarn.fran"
    )


class UppdragBarn(RowMixin, Base):
    """A dated change of hemmavarande barn during an uppdrag (the value at start is on the
    uppdrag), so a past year counts the barn in force then."""

    __tablename__ = "uppdrag_barn"
    uppdrag_id: Mapped[str] = mapped_column(
        ForeignKey("uppdrag.id", ondelete="CASCADE"), index=True
    )
    fran: Mapped[date] = mapped_column(Date)
    barn: Mapped[str] = mapped_column(String(10))


class UppdragKontaktorsak(Base):
    """One kontaktorsak of an uppdrag; it belongs to its uppdrag and merges with it."""

    __tablename__ = "uppdrag_kontaktorsak"
    uppdrag_id: Mapped[str] = mapped_column(
        ForeignKey("uppdrag.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(50), primary_key=True)


class UppdragPrioritetsgrund(Base):
    __tablename__ = "uppdrag_prioritetsgrund"
    uppdrag_id: Mapped[str] = mapped_column(
        ForeignKey("uppdrag.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(50), primary_key=True)


class KoAnmalan(RowMixin, Base):
    """A kö-anmälan; when påbörjad it points to the uppdrag it became."""

    __tablename__ = "ko_anmalan"
    kod: Mapped[str] = mapped_column(String(20), unique=True)
    anmald: Mapped[date] = mapped_column(Date, index=True)
    kon: Mapped[str] = mapped_column(String(10))
    fodelsear: Mapped[int] = mapped_column(Integer)
    kommun_id: Mapped[str] = mapped_column(ForeignKey("kommun.id"))
    status: Mapped[str] = mapped_column(String(20), index=True)
    erbjuden: Mapped[date | None] = mapped_column(Date, nullable=True)
    status_datum: Mapped[date | None] = mapped_column(Date, nullable=True)
    orsak: Mapped[str | None] = mapped_column(SealedText("ko_anmalan.orsak"), nullable=True)
    uppdrag_id: Mapped[str | None] = mapped_column(ForeignKey("uppdrag.id"), nullable=True)

    kontaktorsaker: Mapped[list[KoAnmalanKontaktorsak]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="KoAnmalanKontaktorsak.code"
    )
    prioritetsgrunder: Mapped[list[KoAnmalanPrioritetsgrund]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="KoAnmalanPrioritetsgrund.code"
    )


class KoAnmalanKontaktorsak(Base):
    __tablename__ = "ko_anmalan_kontaktorsak"
    anmalan_id: Mapped[str] = mapped_column(
        ForeignKey("ko_anmalan.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(50), primary_key=True)


class KoAnmalanPrioritetsgrund(Base):
    __tablename__ = "ko_anmalan_prioritetsgrund"
    anmalan_id: Mapped[str] = mapped_column(
        ForeignKey("ko_anmalan.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(50), primary_key=True)


class Prioriteringsordning(RowMixin, Base):
    """One version of the prioriteringsordning; versions are never edited, only added.
    `beslutad_av` NULL is a proposal nobody decided; `ingen` records "no ordning"."""

    __tablename__ = "prioriteringsordning"
    beslutad: Mapped[date] = mapped_column(Date, index=True)
    anteckning: Mapped[str] = mapped_column(
        SealedText("prioriteringsordning.anteckning"), default=""
    )
    beslutad_av: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # The server default is the one migration 0006 needed to add the column to old rows.
    ingen: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    grunder: Mapped[list[PrioriteringsordningGrund]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="PrioriteringsordningGrund.rang"
    )


class PrioriteringsordningGrund(Base):
    __tablename__ = "prioriteringsordning_grund"
    ordning_id: Mapped[str] = mapped_column(
        ForeignKey("prioriteringsordning.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(50), primary_key=True)
    rang: Mapped[int] = mapped_column(Integer)


class Intagningsstopp(RowMixin, Base):
    __tablename__ = "intagningsstopp"
    fran: Mapped[date] = mapped_column(Date)
    till: Mapped[date | None] = mapped_column(Date, nullable=True)
    orsak: Mapped[str] = mapped_column(SealedText("intagningsstopp.orsak"))


class LedningsgruppMote(RowMixin, Base):
    __tablename__ = "ledningsgrupp_mote"
    datum: Mapped[date] = mapped_column(Date, index=True)
    anteckning: Mapped[str] = mapped_column(SealedText("ledningsgrupp_mote.anteckning"), default="")


class LedningsgruppMedlem(RowMixin, Base):
    __tablename__ = "ledningsgrupp_medlem"
    organisation: Mapped[str] = mapped_column(String(50))
    roll: Mapped[str] = mapped_column(String(200))
    fran: Mapped[date] = mapped_column(Date)
    till: Mapped[date | None] = mapped_column(Date, nullable=True)


class Avvikelse(RowMixin, Base):
    """A systembrist; no client data beyond an optional uppdrag code."""

    __tablename__ = "avvikelse"
    datum: Mapped[date] = mapped_column(Date, index=True)
    ombud_id: Mapped[str | None] = mapped_column(ForeignKey("ombud.id"), nullable=True)
    aktor: Mapped[str] = mapped_column(String(50), index=True)
    niva: Mapped[str] = mapped_column(String(20))
    beskrivning: Mapped[str] = mapped_column(SealedText("avvikelse.beskrivning"))
    konsekvens: Mapped[str] = mapped_column(SealedText("avvikelse.konsekvens"), default="")
    uppdrag_kod: Mapped[str | None] = mapped_column(String(20), nullable=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    mote_id: Mapped[str | None] = mapped_column(ForeignKey("ledningsgrupp_mote.id"), nullable=True)
    aterkoppling: Mapped[str] = mapped_column(SealedText("avvikelse.aterkoppling"), default="")
    aterkoppling_datum: Mapped[date | None] = mapped_column(Date, nullable=True)

    kategorier: Mapped[list[AvvikelseKategori]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="AvvikelseKategori.code"
    )
    atgarder: Mapped[list[AvvikelseAtgard]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="AvvikelseAtgard.code"
    )


class AvvikelseKategori(Base):
    __tablename__ = "avvikelse_kategori"
    avvikelse_id: Mapped[str] = mapped_column(
        ForeignKey("avvikelse.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(50), primary_key=True)


class AvvikelseAtgard(Base):
    __tablename__ = "avvikelse_atgard"
    avvikelse_id: Mapped[str] = mapped_column(
        ForeignKey("avvikelse.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(50), primary_key=True)


class Aterrapport(RowMixin, Base):
    """What a year's return adds to the records: the manual fields, and once fastställd
    the figures as submitted (a JSON document)."""

    __tablename__ = "aterrapport"
    ar: Mapped[int] = mapped_column(Integer, unique=True)
    manuellt: Mapped[str] = mapped_column(SealedText("aterrapport.manuellt"), default="{}")
    faststalld: Mapped[str | None] = mapped_column(
        SealedText("aterrapport.faststalld"), nullable=True
    )
    faststalld_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    faststalld_av: Mapped[str | None] = mapped_column(String(100), nullable=True)


class AuditEntry(Base):
    """Who changed which row when; never the content."""

    __tablename__ = "audit_log"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    at: Mapped[datetime] = mapped_column(DateTime, default=utc_now, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))
    table_name: Mapped[str] = mapped_column(String(50))
    row_id: Mapped[str] = mapped_column(String(36))


class Setting(Versioned, Base):
    """Store-wide settings that travel with the store (not per workstation)."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
