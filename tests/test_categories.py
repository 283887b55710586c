"""Category reference data read from the store for every kind (DESIGN §6, issue 16): dated
names, additions only where the återrapport can carry them, deactivation, validation of
saved codes, and the names a past year's return shows."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from po_desk.domain import categories
from po_desk.domain.categories import CategoryKind
from po_desk.domain.category_catalogue import (
    DEFAULT_CATALOGUE,
    FIXED_KINDS,
    CategoryEntry,
)
from po_desk.domain.errors import GuardBlocked, GuardNeedsConfirmation, ValidationFailed
from po_desk.domain.uppdrag import Uppdrag
from po_desk.services.audit_service import table_label
from po_desk.services.workspace import Workspace
from tests.test_avvikelser import new as new_avvikelse

TODAY = date.today()
LAST_YEAR = TODAY.year - 1
TWO_YEARS_AGO = TODAY.year - 2


def new_uppdrag(workspace: Workspace, **changes) -> Uppdrag:
    kommun = workspace.verksamhet.get().kommuner[0]
    base = Uppdrag(
        kon="kvinna",
        fodelsear=1985,
        kommun_id=kommun.id,
        start=date(LAST_YEAR, 3, 10),
        kontaktorsaker=("ekonomi",),
    )
    return replace(base, **changes)


def some_code(kind: CategoryKind) -> str:
    return categories.DEFAULTS[kind][1].code


@pytest.mark.parametrize("kind", list(CategoryKind))
def test_a_new_store_holds_every_kind_as_the_defaults(workspace: Workspace, kind) -> None:
    catalogue = workspace.verksamhet.categories()
    assert catalogue.reference(kind) == categories.DEFAULTS[kind]
    assert all(e.active for e in catalogue.of(kind))


@pytest.mark.parametrize("kind", list(CategoryKind))
def test_a_rename_from_a_date_keeps_the_old_name_before_it(workspace: Workspace, kind) -> None:
    service = workspace.verksamhet
    code = some_code(kind)
    old = categories.name_of(categories.DEFAULTS[kind], code)
    service.rename_category(kind, code, "Nytt namn på posten", date(LAST_YEAR, 1, 1))
    catalogue = service.categories()
    assert catalogue.name(kind, code, date(TWO_YEARS_AGO, 12, 31)) == old
    assert catalogue.name(kind, code, date(LAST_YEAR, 12, 31)) == "Nytt namn på posten"
    assert catalogue.name(kind, code) == "Nytt namn på posten"
    # Only that kind changed: the same code elsewhere keeps its name.
    for other in CategoryKind:
        if other != kind and code in catalogue.codes(other):
            assert catalogue.name(other, code, TODAY) == DEFAULT_CATALOGUE.name(other, code)
    assert service.category_names(kind)[code] == "Nytt namn på posten"


@given(
    names=st.lists(
        st.tuples(st.dates(date(2000, 1, 1), date(2030, 1, 1)), st.text(min_size=1)),
        min_size=1,
        max_size=6,
        unique_by=lambda pair: pair[0],
    ),
    day=st.dates(date(1999, 1, 1), date(2031, 1, 1)),
)
def test_the_name_in_force_is_the_last_one_from_on_or_before_the_day(names, day) -> None:
    dated = tuple(sorted(names))
    entry = CategoryEntry(CategoryKind.AKTOR, "x", dated[-1][1], names=dated)
    earlier = [namn for fran, namn in dated if fran <= day]
    assert entry.name_on(day) == (earlier[-1] if earlier else dated[0][1])


@pytest.mark.parametrize("kind", list(CategoryKind))
def test_additions_only_where_the_return_can_carry_a_new_code(workspace: Workspace, kind) -> None:
    service = workspace.verksamhet
    if kind in FIXED_KINDS:
        with pytest.raises(ValidationFailed, match="fast lista"):
            service.add_category(kind, "Helt ny post")
        assert service.addition_refused(kind)
        assert len(service.categories().of(kind)) == len(categories.DEFAULTS[kind])
    else:
        code = service.add_category(kind, "Helt ny post")
        assert service.addition_refused(kind) is None
        assert service.categories().of(kind)[-1].code == code == "helt_ny_post"
        with pytest.raises(ValidationFailed, match="redan"):
            service.add_category(kind, "helt ny POST")


def test_the_fixed_kinds_are_the_closed_lists_of_the_schema() -> None:
    from po_desk.services import return_schema

    schema = return_schema.draft7(return_schema.SCHEMA_V2)
    props = schema["properties"]
    closed = {
        CategoryKind.KONTAKTORSAK: props["kontaktorsaker"],
        CategoryKind.HANVISAD_FRAN: props["klienter"]["properties"]["hanvisad_fran"],
        CategoryKind.AVSLUTSORSAK: props["avslutade"]["properties"]["avslutsorsak"],
    }
    for kind, section in closed.items():
        assert section.get("additionalProperties") is False, kind
        assert set(categories.codes(categories.DEFAULTS[kind])) <= set(section["required"])
    niva = props["brister"]["properties"]["per_aktor_niva"]["items"]["properties"]["niva"]
    assert set(niva["enum"]) == set(categories.codes(categories.NIVAER))
    assert {*closed, CategoryKind.NIVA} == FIXED_KINDS


def test_names_pass_the_guard_and_are_written_to_the_andringslogg(workspace: Workspace) -> None:
    service = workspace.verksamhet
    with pytest.raises(GuardBlocked):
        service.add_category(CategoryKind.AKTOR, "Handläggare 19850101-1236")
    with pytest.raises(GuardNeedsConfirmation):
        service.add_category(CategoryKind.AKTOR, "Anna Svensson")
    assert "anna_svensson" not in service.categories().codes(CategoryKind.AKTOR)
    service.add_category(CategoryKind.AKTOR, "Anna Svensson", warnings_confirmed=True)
    assert "anna_svensson" in service.categories().codes(CategoryKind.AKTOR)
    with pytest.raises(ValidationFailed, match="Ange ett namn"):
        service.rename_category(CategoryKind.AKTOR, "kronofogden", "  ", TODAY)
    with pytest.raises(ValidationFailed, match="redan"):
        service.rename_category(CategoryKind.AKTOR, "kronofogden", "Skatteverket", TODAY)
    before = len(workspace.audit.entries())
    service.add_category(CategoryKind.ATGARD, "Möte med handläggare")
    service.rename_category(CategoryKind.AKTOR, "kronofogden", "Kronofogdemyndigheten", TODAY)
    service.set_category_active(CategoryKind.AKTOR, "hyresvard", False)
    entries = workspace.audit.entries()
    tables = {e.table_name for e in entries[: len(entries) - before]}
    assert {"category", "category_namn"} <= tables
    assert table_label("category_namn") == "Kategorinamn"
    assert not any("Kronofogdemyndigheten" in str(e) for e in entries)


def test_an_inactive_code_is_refused_on_new_records_and_kept_on_old(workspace: Workspace) -> None:
    service = workspace.verksamhet
    kept = workspace.uppdrag.save(new_uppdrag(workspace, hanvisad_fran="psykiatri"))
    service.set_category_active(CategoryKind.HANVISAD_FRAN, "psykiatri", False)
    assert "psykiatri" not in {c.code for c in service.category_choices(CategoryKind.HANVISAD_FRAN)}
    assert "psykiatri" in {
        c.code for c in service.category_choices(CategoryKind.HANVISAD_FRAN, keep=("psykiatri",))
    }
    with pytest.raises(ValidationFailed, match="Hänvisad från Psykiatri används inte längre"):
        workspace.uppdrag.save(new_uppdrag(workspace, hanvisad_fran="psykiatri"))
    workspace.uppdrag.save(replace(kept, fodelsear=1986))  # the old record keeps it
    with pytest.raises(ValidationFailed, match="Okänd hänvisad från"):
        workspace.uppdrag.save(new_uppdrag(workspace, hanvisad_fran="grannen"))
    with pytest.raises(ValidationFailed, match="Rad 1: Hänvisad från Psykiatri"):
        workspace.uppdrag.add_many([new_uppdrag(workspace, hanvisad_fran="psykiatri")])
    service.set_category_active(CategoryKind.HANVISAD_FRAN, "psykiatri", True)
    workspace.uppdrag.save(new_uppdrag(workspace, hanvisad_fran="psykiatri"))


def test_avvikelser_take_added_entries_and_refuse_inactive_ones(workspace: Workspace) -> None:
    service = workspace.verksamhet
    aktor = service.add_category(CategoryKind.AKTOR, "Tandvården")
    kategori = service.add_category(CategoryKind.BRISTKATEGORI, "Språkstöd")
    saved = workspace.avvikelser.save(new_avvikelse(aktor=aktor, kategorier=(kategori,)))
    assert saved.aktor == aktor
    service.set_category_active(CategoryKind.NIVA, "central", False)
    with pytest.raises(ValidationFailed, match="Nivå Central nivå används inte längre"):
        workspace.avvikelser.save(new_avvikelse(niva="central"))
    with pytest.raises(ValidationFailed, match="Välj aktör"):
        workspace.avvikelser.save(new_avvikelse(aktor="okand_aktor"))
    with pytest.raises(ValidationFailed, match="Rad 1: Nivå Central nivå används inte"):
        workspace.avvikelser.add_many([new_avvikelse(niva="central")])
    with pytest.raises(ValidationFailed, match="aktiv"):
        for entry in service.categories().of(CategoryKind.NIVA):
            service.set_category_active(CategoryKind.NIVA, entry.code, False)


def test_a_return_carries_its_years_names_and_counts_added_entries(workspace: Workspace) -> None:
    service = workspace.verksamhet
    added = service.add_category(CategoryKind.AKTOR, "Tandvården")
    for year in (TWO_YEARS_AGO, LAST_YEAR):
        workspace.avvikelser.save(
            new_avvikelse(datum=date(year, 6, 1), aktor="kronofogden", atgarder=("skrivelse",))
        )
        workspace.avvikelser.save(new_avvikelse(datum=date(year, 6, 2), aktor=added))
    service.rename_category(CategoryKind.AKTOR, "kronofogden", "Kronofogdemyndigheten",
                            date(LAST_YEAR, 1, 1))  # fmt: skip
    past = workspace.aterrapport.compute(TWO_YEARS_AGO)
    later = workspace.aterrapport.compute(LAST_YEAR)
    assert past["kategorinamn"]["aktor"]["kronofogden"] == "Kronofogden"
    assert later["kategorinamn"]["aktor"]["kronofogden"] == "Kronofogdemyndigheten"
    assert later["brister"]["per_aktor"][added] == 1
    assert [e["aktor"] for e in later["brister"]["per_aktor_niva"]] == ["kronofogden", added]
    from po_desk.services import return_schema

    assert return_schema.problems(later) == []
    past_csv = workspace.aterrapport.render(TWO_YEARS_AGO, "csv").decode("utf-8-sig")
    later_csv = workspace.aterrapport.render(LAST_YEAR, "csv").decode("utf-8-sig")
    assert "Kronofogden;" in past_csv and "Kronofogdemyndigheten" not in past_csv
    assert "Kronofogdemyndigheten;" in later_csv and "Tandvården;" in later_csv
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) not installed: the PDF is not read back")
    texts = []
    for year in (TWO_YEARS_AGO, LAST_YEAR):
        pdf = workspace.aterrapport.render(year, "pdf")
        texts.append(
            subprocess.run(
                ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
            ).stdout.decode("utf-8")
        )
    assert "Kronofogden" in texts[0] and "Kronofogdemyndigheten" not in texts[0]
    assert "Kronofogdemyndigheten" in texts[1] and "Tandvården" in texts[1]


def test_a_rename_after_a_return_is_fastställd_is_no_difference(workspace: Workspace) -> None:
    workspace.avvikelser.save(new_avvikelse(datum=date(LAST_YEAR, 6, 1), aktor="kronofogden"))
    workspace.aterrapport.freeze(LAST_YEAR, warnings_confirmed=True)
    workspace.verksamhet.rename_category(
        CategoryKind.AKTOR, "kronofogden", "Kronofogdemyndigheten", date(LAST_YEAR, 1, 1)
    )
    assert workspace.aterrapport.differences(LAST_YEAR) == []
    # The fastställd return keeps the names it was fastställd with.
    saved = workspace.aterrapport.document(LAST_YEAR)
    assert saved["kategorinamn"]["aktor"]["kronofogden"] == "Kronofogden"


def test_choices_give_the_names_in_force_on_the_day(workspace: Workspace) -> None:
    service = workspace.verksamhet
    service.rename_category(
        CategoryKind.AVSLUTSORSAK, "flyttat", "Flyttat från kommunen", TODAY + timedelta(days=30)
    )
    now = {c.code: c.name for c in service.category_choices(CategoryKind.AVSLUTSORSAK)}
    later = {
        c.code: c.name
        for c in service.category_choices(CategoryKind.AVSLUTSORSAK, TODAY + timedelta(days=31))
    }
    assert now["flyttat"] == "Flyttat" and later["flyttat"] == "Flyttat från kommunen"


def test_the_underlag_shows_the_names_at_the_periods_end_and_added_aktorer(
    workspace: Workspace,
) -> None:
    service = workspace.verksamhet
    added = service.add_category(CategoryKind.AKTOR, "Tandvården")
    for aktor in ("kronofogden", added, added, added):
        workspace.avvikelser.save(new_avvikelse(datum=date(LAST_YEAR, 6, 1), aktor=aktor))
    service.rename_category(
        CategoryKind.AKTOR, "kronofogden", "Kronofogdemyndigheten", date(LAST_YEAR, 7, 1)
    )
    first_half = workspace.underlag.data(date(LAST_YEAR, 1, 1), date(LAST_YEAR, 6, 30))
    whole = workspace.underlag.data(date(LAST_YEAR, 1, 1), date(LAST_YEAR, 12, 31))
    assert first_half.name(CategoryKind.AKTOR, "kronofogden") == "Kronofogden"
    assert whole.name(CategoryKind.AKTOR, "kronofogden") == "Kronofogdemyndigheten"
    assert [r.aktor for r in whole.aktor_niva] == ["kronofogden", added]
    assert list(whole.new_by_aktor) == ["kronofogden", added]
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) not installed: the PDF is not read back")
    pdf = workspace.underlag.pdf(date(LAST_YEAR, 1, 1), date(LAST_YEAR, 12, 31))
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert "Kronofogdemyndigheten" in text and "Tandvården" in text


def test_an_import_reads_renamed_names_and_refuses_inactive_codes(
    workspace: Workspace, tmp_path
) -> None:
    service = workspace.verksamhet
    kommun = service.get().kommuner[0].namn
    service.rename_category(
        CategoryKind.KONTAKTORSAK, "ekonomi", "Pengar och skulder", date(TWO_YEARS_AGO, 1, 1)
    )
    service.set_category_active(CategoryKind.HANVISAD_FRAN, "psykiatri", False)
    path = tmp_path / "uppdrag.csv"
    path.write_text(
        "kon,fodelsear,kommun,start,barn,kontaktorsaker,hanvisad_fran\n"
        f"k,1980,{kommun},{LAST_YEAR}-01-10,nej,Pengar och skulder,\n"
        f"k,1981,{kommun},{LAST_YEAR}-01-11,nej,Ekonomi,Socialtjänst\n"
        f"m,1970,{kommun},{LAST_YEAR}-02-01,nej,Bostad,Psykiatri\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed) as error:
        workspace.uppdrag_import.run(path)
    text = " ".join(error.value.problems)
    assert "Rad 4: " in text and "hänvisad från Psykiatri används inte längre" in text
    assert "Rad 2" not in text and "Rad 3" not in text
    service.set_category_active(CategoryKind.HANVISAD_FRAN, "psykiatri", True)
    plan = workspace.uppdrag_import.run(path)
    assert [u.kontaktorsaker for u in plan.new[:2]] == [("ekonomi",), ("ekonomi",)]


def test_a_compilation_shows_default_names_and_the_returns_names_of_added_codes() -> None:
    from po_desk.domain import sammanstallning
    from po_desk.domain.sammanstallning_tables import section_tables
    from tests.test_aggregate import random_return

    first, second = random_return(1, "Första"), random_return(2, "Andra")
    # The first verksamhet renamed Kronofogden and added an aktör of its own.
    first["kategorinamn"]["aktor"]["kronofogden"] = "Kronofogdemyndigheten"
    first["kategorinamn"]["aktor"]["tandvarden"] = "Tandvården"
    first["brister"]["per_aktor_niva"] = [
        {"aktor": "tandvarden", "niva": "lokal", "antal": 2},
        {"aktor": "kronofogden", "niva": "lokal", "antal": 1},
    ]
    del second["kategorinamn"]  # a return made before names were carried
    compiled = sammanstallning.compile_returns([first, second], ["a.json", "b.json"])
    names = compiled["totalt"]["kategorinamn"]["aktor"]
    assert names["kronofogden"] == "Kronofogden" and names["tandvarden"] == "Tandvården"
    table = next(t for t in section_tables(compiled["totalt"]) if t.key == "brister_aktor_niva")
    shown = [row[0] for row in table.rows]
    assert "Tandvården" in shown and "Kronofogden" in shown
    assert shown.index("Tandvården") > shown.index("Kronofogden")  # added codes last


def test_a_deactivated_ground_is_not_offered_but_kept_on_its_records(
    workspace: Workspace,
) -> None:
    workspace.verksamhet.set_category_active(CategoryKind.PRIORITETSGRUND, "vrakning", False)
    assert "vrakning" not in {g.code for g in workspace.ko.ground_choices()}
    assert "vrakning" in {g.code for g in workspace.ko.ground_choices(("vrakning",))}
    with pytest.raises(ValidationFailed, match=r"Prioritetsgrund .* används inte längre"):
        workspace.uppdrag.save(new_uppdrag(workspace, prioritetsgrunder=("vrakning",)))


def test_a_return_with_an_added_aktor_passes_the_checks_and_can_be_fastställd(
    workspace: Workspace,
) -> None:
    from po_desk.domain import return_checks

    added = workspace.verksamhet.add_category(CategoryKind.AKTOR, "Tandvården")
    workspace.avvikelser.save(new_avvikelse(datum=date(LAST_YEAR, 6, 1), aktor=added))
    document = workspace.aterrapport.compute(LAST_YEAR)
    assert return_checks.errors(workspace.aterrapport.checks(LAST_YEAR, document)) == []
    workspace.aterrapport.freeze(LAST_YEAR, warnings_confirmed=True)
    # A code the return does not name stays an error.
    del document["kategorinamn"]["aktor"][added]
    errors = return_checks.errors(workspace.aterrapport.checks(LAST_YEAR, document))
    assert [f.rule for f in errors] == ["ar_schema_koder"]


def test_an_entry_deactivated_from_a_date_stays_valid_for_records_dated_before(
    workspace: Workspace,
) -> None:
    service = workspace.verksamhet
    cutoff = date(LAST_YEAR, 7, 1)
    service.set_category_active(CategoryKind.ATGARD, "skrivelse", False, cutoff)
    row = next(r for r in service.category_rows(CategoryKind.ATGARD) if r.code == "skrivelse")
    assert row.status == f"Inaktiv från {cutoff.isoformat()}" and not row.active
    workspace.avvikelser.save(new_avvikelse(datum=date(LAST_YEAR, 6, 30)))  # skrivelse
    with pytest.raises(ValidationFailed, match="Åtgärd Skrivelse används inte längre"):
        workspace.avvikelser.save(new_avvikelse(datum=cutoff))
    before = service.category_choices(CategoryKind.ATGARD, date(LAST_YEAR, 6, 30))
    assert "skrivelse" in {c.code for c in before}
    assert "skrivelse" not in {c.code for c in service.category_choices(CategoryKind.ATGARD)}
    # An uppdrag's avslutsorsak counts on its slut.
    service.set_category_active(CategoryKind.AVSLUTSORSAK, "flyttat", False, cutoff)
    kept = workspace.uppdrag.save(new_uppdrag(workspace))
    with pytest.raises(ValidationFailed, match="Avslutsorsak Flyttat används inte längre"):
        workspace.uppdrag.close(kept.id, cutoff, "flyttat")
    workspace.uppdrag.close(kept.id, date(LAST_YEAR, 6, 1), "flyttat")
    service.set_category_active(CategoryKind.ATGARD, "skrivelse", True)
    assert service.categories().entry(CategoryKind.ATGARD, "skrivelse").inactive_from is None


def test_an_anmalan_refuses_inactive_grounds_and_kontaktorsaker(workspace: Workspace) -> None:
    from tests.test_ko_service import new as new_anmalan

    service = workspace.verksamhet
    kept = workspace.ko.save(new_anmalan(workspace, prioritetsgrunder=("vrakning",)))
    service.set_category_active(CategoryKind.PRIORITETSGRUND, "vrakning", False)
    service.set_category_active(CategoryKind.KONTAKTORSAK, "bostad", False)
    with pytest.raises(ValidationFailed, match=r"Prioritetsgrund .* används inte längre"):
        workspace.ko.save(new_anmalan(workspace, prioritetsgrunder=("vrakning",)))
    workspace.ko.save(replace(kept, fodelsear=1971))  # the stored anmälan keeps its own
    assert "bostad" not in {c.code for c in workspace.ko.category_choices()}
    assert "bostad" in {c.code for c in workspace.ko.category_choices(("bostad",))}


def test_a_renamed_category_stays_one_row_beside_last_year(workspace: Workspace) -> None:
    """The year-on-year view matches rows by name: last year's figures are labelled with
    this year's names, so a kontaktorsak renamed in between is one row, not two."""
    workspace.uppdrag.save(new_uppdrag(workspace, start=date(TWO_YEARS_AGO, 3, 10)))
    workspace.uppdrag.save(new_uppdrag(workspace, fodelsear=1990))
    workspace.verksamhet.rename_category(
        CategoryKind.KONTAKTORSAK, "ekonomi", "Ekonomi och skulder", date(LAST_YEAR, 1, 1)
    )
    tables = workspace.aterrapport.tables_with_previous(LAST_YEAR)
    orsaker = next(t for t in tables if t.key == "kontaktorsaker")
    labels = [row[0] for row in orsaker.rows]
    assert "Ekonomi och skulder" in labels and "Ekonomi" not in labels
