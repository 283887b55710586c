"""The ORM classes, mapped onto the Core tables of `tables.py` (the one definition of the
schema). Every edited row has a `version` the ORM checks and bumps on each UPDATE (several
people on a server: the second saver of a row is told, never silently overwritten).

The classes are mapped on first use, not on import: the first session of a store, the
first object made or the first column attribute read (`Uppdrag.kod`) maps them all. A
one-shot command that only reads through Core (an export) never imports the ORM or builds
its mappers (issue 17: ≈0.2 s of every such command)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import Column, Table

from po_desk.store import tables
from po_desk.store.tables import new_id, utc_now

if TYPE_CHECKING:
    from datetime import date, datetime

    from sqlalchemy.orm import Mapped

__all__ = ["configure", "mapped", "new_id", "utc_now"]

_mapping = threading.RLock()


class _State:
    mapped = False
    mapping = 0  # the thread mapping the classes now (0: none); others wait on the lock


_state = _State()


class _MappedOnFirstUse(type):
    """Maps every class (configure()) when a class is first called or a mapped attribute
    is first read from one; until then a class is a plain class over its table."""

    if not TYPE_CHECKING:

        def __call__(cls, *args, **kwargs):
            configure()
            return super().__call__(*args, **kwargs)

        def __getattr__(cls, name):
            # SQLAlchemy's own probes (dunder and private names) and those its mapping
            # makes must see a plain class; another thread waits for the mapping.
            if name.startswith("_") or _state.mapped:
                raise AttributeError(name)
            if _state.mapping == threading.get_ident():
                raise AttributeError(name)
            configure()
            return type.__getattribute__(cls, name)


class Row(metaclass=_MappedOnFirstUse):
    __table__: ClassVar[Table]
    __tablename__: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "__table__" in cls.__dict__:
            cls.__tablename__ = cls.__table__.name

    def __init__(self, **values: Any) -> None:
        for key, value in values.items():
            if key not in self.__table__.c and not hasattr(type(self), key):
                raise TypeError(f"{key!r} is not an attribute of {type(self).__name__}")
            setattr(self, key, value)


class Versioned(Row):
    """A row with a version: every ORM UPDATE adds `WHERE version = :loaded` and bumps it
    (a StaleDataError when another writer got there first); Core UPDATEs bump it
    themselves."""

    version: Mapped[int]


class RowMixin(Versioned):
    """A main row: UUID key, creation and change times, audited (store/audit.py)."""

    id: Mapped[str]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Verksamhet(RowMixin):
    __table__ = tables.verksamhet
    namn: Mapped[str]
    lan: Mapped[str]
    huvudman: Mapped[str]
    start_ar: Mapped[int]


class Kommun(RowMixin):
    __table__ = tables.kommun
    namn: Mapped[str]
    sort_order: Mapped[int]
    fran: Mapped[date | None]
    till: Mapped[date | None]


class Ombud(RowMixin):
    __table__ = tables.ombud
    namn: Mapped[str]
    kon: Mapped[str]
    tjanstgoringsgrad: Mapped[float]
    fran: Mapped[date]
    till: Mapped[date | None]


class OmbudGrad(RowMixin):
    __table__ = tables.ombud_grad
    ombud_id: Mapped[str]
    fran: Mapped[date]
    grad: Mapped[float]


class Category(RowMixin):
    __table__ = tables.category
    kind: Mapped[str]
    code: Mapped[str]
    namn: Mapped[str]
    sort_order: Mapped[int]
    active: Mapped[bool]
    inaktiv_fran: Mapped[date | None]


class Klient(RowMixin):
    __table__ = tables.klient
    kon: Mapped[str]
    fodelsear: Mapped[int]


class CategoryNamn(RowMixin):
    __table__ = tables.category_namn
    category_id: Mapped[str]
    fran: Mapped[date]
    namn: Mapped[str]


class UppdragBarn(RowMixin):
    __table__ = tables.uppdrag_barn
    uppdrag_id: Mapped[str]
    fran: Mapped[date]
    barn: Mapped[str]


class UppdragKontaktorsak(Row):
    __table__ = tables.uppdrag_kontaktorsak
    uppdrag_id: Mapped[str]
    code: Mapped[str]


class UppdragPrioritetsgrund(Row):
    __table__ = tables.uppdrag_prioritetsgrund
    uppdrag_id: Mapped[str]
    code: Mapped[str]


class Uppdrag(RowMixin):
    __table__ = tables.uppdrag
    kod: Mapped[str]
    klient_id: Mapped[str | None]
    kon: Mapped[str]
    fodelsear: Mapped[int]
    kommun_id: Mapped[str]
    ombud_id: Mapped[str | None]
    anmald: Mapped[date | None]
    start: Mapped[date]
    slut: Mapped[date | None]
    avslutsorsak: Mapped[str | None]
    barn: Mapped[str]
    hanvisad_fran: Mapped[str | None]
    anteckning: Mapped[str | None]
    kontaktorsaker: Mapped[list[UppdragKontaktorsak]]
    prioritetsgrunder: Mapped[list[UppdragPrioritetsgrund]]
    barn_andringar: Mapped[list[UppdragBarn]]


class KoAnmalanKontaktorsak(Row):
    __table__ = tables.ko_anmalan_kontaktorsak
    anmalan_id: Mapped[str]
    code: Mapped[str]


class KoAnmalanPrioritetsgrund(Row):
    __table__ = tables.ko_anmalan_prioritetsgrund
    anmalan_id: Mapped[str]
    code: Mapped[str]


class KoAnmalan(RowMixin):
    __table__ = tables.ko_anmalan
    kod: Mapped[str]
    anmald: Mapped[date]
    kon: Mapped[str]
    fodelsear: Mapped[int]
    kommun_id: Mapped[str]
    status: Mapped[str]
    erbjuden: Mapped[date | None]
    status_datum: Mapped[date | None]
    orsak: Mapped[str | None]
    uppdrag_id: Mapped[str | None]
    kontaktorsaker: Mapped[list[KoAnmalanKontaktorsak]]
    prioritetsgrunder: Mapped[list[KoAnmalanPrioritetsgrund]]


class PrioriteringsordningGrund(Row):
    __table__ = tables.prioriteringsordning_grund
    ordning_id: Mapped[str]
    code: Mapped[str]
    rang: Mapped[int]


class Prioriteringsordning(RowMixin):
    __table__ = tables.prioriteringsordning
    beslutad: Mapped[date]
    anteckning: Mapped[str]
    beslutad_av: Mapped[str | None]
    ingen: Mapped[bool]
    grunder: Mapped[list[PrioriteringsordningGrund]]


class Intagningsstopp(RowMixin):
    __table__ = tables.intagningsstopp
    fran: Mapped[date]
    till: Mapped[date | None]
    orsak: Mapped[str]


class LedningsgruppMote(RowMixin):
    __table__ = tables.ledningsgrupp_mote
    datum: Mapped[date]
    anteckning: Mapped[str]


class LedningsgruppMedlem(RowMixin):
    __table__ = tables.ledningsgrupp_medlem
    organisation: Mapped[str]
    roll: Mapped[str]
    fran: Mapped[date]
    till: Mapped[date | None]


class AvvikelseKategori(Row):
    __table__ = tables.avvikelse_kategori
    avvikelse_id: Mapped[str]
    code: Mapped[str]


class AvvikelseAtgard(Row):
    __table__ = tables.avvikelse_atgard
    avvikelse_id: Mapped[str]
    code: Mapped[str]


class Avvikelse(RowMixin):
    __table__ = tables.avvikelse
    datum: Mapped[date]
    ombud_id: Mapped[str | None]
    aktor: Mapped[str]
    niva: Mapped[str]
    beskrivning: Mapped[str]
    konsekvens: Mapped[str]
    uppdrag_kod: Mapped[str | None]
    status: Mapped[str]
    mote_id: Mapped[str | None]
    aterkoppling: Mapped[str]
    aterkoppling_datum: Mapped[date | None]
    kategorier: Mapped[list[AvvikelseKategori]]
    atgarder: Mapped[list[AvvikelseAtgard]]


class Aterrapport(RowMixin):
    __table__ = tables.aterrapport
    ar: Mapped[int]
    manuellt: Mapped[str]
    faststalld: Mapped[str | None]
    faststalld_at: Mapped[datetime | None]
    faststalld_av: Mapped[str | None]


class AuditEntry(Row):
    __table__ = tables.audit_log
    id: Mapped[str]
    at: Mapped[datetime]
    actor: Mapped[str]
    action: Mapped[str]
    table_name: Mapped[str]
    row_id: Mapped[str]


class Setting(Versioned):
    __table__ = tables.setting
    key: Mapped[str]
    value: Mapped[str]


def mapped() -> bool:
    """Whether the classes are mapped in this process (tests: a Core-only read maps none)."""
    return _state.mapped


def configure() -> None:
    """Maps every class onto its table, once per process (thread-safe)."""
    if _state.mapped:
        return
    with _mapping:
        if _state.mapped or _state.mapping:
            return  # mapped meanwhile, or this thread is mapping (the lock is re-entrant)
        _state.mapping = threading.get_ident()
        try:
            _map_all()
            _state.mapped = True
        finally:
            _state.mapping = 0


def _map_all() -> None:
    from sqlalchemy.orm import configure_mappers, registry, relationship

    mapper = registry(metadata=tables.metadata)

    def codes(link: type[Row], order: Column[Any]) -> Any:
        # A row's own list: replaced as a whole, loaded with the row in one more query.
        return relationship(link, cascade="all, delete-orphan", lazy="selectin", order_by=order)

    for link in (
        UppdragKontaktorsak,
        UppdragPrioritetsgrund,
        KoAnmalanKontaktorsak,
        KoAnmalanPrioritetsgrund,
        PrioriteringsordningGrund,
        AvvikelseKategori,
        AvvikelseAtgard,
        AuditEntry,
    ):
        mapper.map_imperatively(link, link.__table__)
    relationships: dict[type[Row], dict[str, Any]] = {
        Uppdrag: {
            "kontaktorsaker": codes(UppdragKontaktorsak, tables.uppdrag_kontaktorsak.c.code),
            "prioritetsgrunder": codes(
                UppdragPrioritetsgrund, tables.uppdrag_prioritetsgrund.c.code
            ),
            "barn_andringar": codes(UppdragBarn, tables.uppdrag_barn.c.fran),
        },
        KoAnmalan: {
            "kontaktorsaker": codes(KoAnmalanKontaktorsak, tables.ko_anmalan_kontaktorsak.c.code),
            "prioritetsgrunder": codes(
                KoAnmalanPrioritetsgrund, tables.ko_anmalan_prioritetsgrund.c.code
            ),
        },
        Prioriteringsordning: {
            "grunder": codes(PrioriteringsordningGrund, tables.prioriteringsordning_grund.c.rang)
        },
        Avvikelse: {
            "kategorier": codes(AvvikelseKategori, tables.avvikelse_kategori.c.code),
            "atgarder": codes(AvvikelseAtgard, tables.avvikelse_atgard.c.code),
        },
    }
    for versioned in (
        Verksamhet,
        Kommun,
        Ombud,
        OmbudGrad,
        Category,
        Klient,
        CategoryNamn,
        UppdragBarn,
        Uppdrag,
        KoAnmalan,
        Prioriteringsordning,
        Intagningsstopp,
        LedningsgruppMote,
        LedningsgruppMedlem,
        Avvikelse,
        Aterrapport,
        Setting,
    ):
        table = versioned.__table__
        mapper.map_imperatively(
            versioned,
            table,
            version_id_col=table.c.version,
            properties=relationships.get(versioned, {}),
        )
    configure_mappers()
