"""Issue 15, the countable answers, the statsbidrag and the recorded figures: kept with the
year, in the return (schema 2), in its PDF and CSV, and counted in the compilation."""

from __future__ import annotations

import csv
import io
import json
import random
import subprocess
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from po_desk.domain import aterrapport, aterrapport_svar, categories, sammanstallning
from po_desk.domain.aterrapport import Records
from po_desk.domain.aterrapport_svar import Statsbidrag, Svar
from po_desk.domain.errors import GuardBlocked, ValidationFailed
from po_desk.domain.ko import Anmalan, KoStatus
from po_desk.domain.uppdrag import Uppdrag
from po_desk.domain.verksamhet import Kommun, Ombud, Verksamhet
from po_desk.services import return_schema, sammanstallning_service
from po_desk.services.workspace import Workspace

YEAR = 2025
LAN = ["Värmlands län", "Skåne län", "Stockholms län"]
SERVICE_YEAR = date.today().year - 1


def _maybe(rng: random.Random, value):
    return value if rng.random() < 0.8 else None


def random_svar(rng: random.Random) -> Svar:
    nya = _maybe(rng, rng.randint(0, 4))
    changed = _maybe(rng, rng.random() < 0.5)
    groups = categories.codes(aterrapport_svar.MALGRUPPER)
    return Svar(
        handledning=_maybe(rng, rng.random() < 0.6),
        nya_ombud=nya,
        nya_ombud_introduktionsutbildning=rng.randint(0, nya) if nya is not None else None,
        forandringar_malgrupp=changed,
        malgrupper=tuple(rng.sample(groups, rng.randint(0, 3))) if changed else (),
        rutin_brister_till_ledningsgrupp=_maybe(rng, rng.random() < 0.5),
        brukarorganisation_plats=_maybe(rng, rng.random() < 0.5),
        organisationsform=_maybe(
            rng, rng.choice(categories.codes(aterrapport_svar.ORGANISATIONSFORMER))
        ),
        goda_exempel=rng.choice(["", "Samverkan med psykiatrin gav kortare väntan."]),
    )


def random_statsbidrag(rng: random.Random) -> Statsbidrag:
    beviljat = _maybe(rng, rng.randint(0, 2_000_000))
    return Statsbidrag(
        beviljat_belopp=beviljat,
        beviljade_tjanster=_maybe(rng, rng.choice([0.5, 1.0, 1.5, 2.0, 3.25])),
        anvant_belopp=_maybe(rng, rng.randint(0, beviljat or 1_000_000)),
        kommunens_finansiering=_maybe(rng, rng.randint(0, 500_000)),
    )


def random_answered_return(seed: int, name: str) -> dict:
    """A consistent return straight from the domain, with random answers, statsbidrag,
    hänvisad från, avslutsorsaker and ej aktuella anmälningar."""
    rng = random.Random(seed)
    kommun = Kommun(f"k{seed}", f"Kommun{seed}")
    uppdrag = []
    for _ in range(rng.randint(0, 30)):
        start = date(2022, 1, 1) + timedelta(days=rng.randint(0, 1400))
        slut = start + timedelta(days=rng.randint(0, 1000)) if rng.random() < 0.5 else None
        uppdrag.append(
            Uppdrag(
                kon=rng.choice(["kvinna", "man", "annan"]),
                fodelsear=start.year - rng.randint(18, 90),
                kommun_id=kommun.id,
                start=start,
                slut=slut,
                avslutsorsak=rng.choice([None, *categories.codes(categories.AVSLUTSORSAKER)])
                if slut
                else None,
                hanvisad_fran=rng.choice([None, *categories.codes(categories.HANVISAD_FRAN)]),
                kontaktorsaker=("ekonomi",),
            )
        )
    anmalningar = [
        Anmalan(
            date(YEAR, 1, 1) + timedelta(days=rng.randint(0, 200)),
            "kvinna",
            1970,
            kommun.id,
            ("bostad",),
            status=KoStatus.EJ_AKTUELL,
            status_datum=date(YEAR, 1, 1) + timedelta(days=rng.randint(200, 364)),
            orsak=rng.choice(["Flyttat", "Fick annat stöd"]),
        )
        for _ in range(rng.randint(0, 3))
    ]
    manuellt = {
        **aterrapport_svar.svar_to(random_svar(rng)),
        **aterrapport_svar.statsbidrag_to(random_statsbidrag(rng)),
    }
    records = Records(
        verksamhet=Verksamhet(name, rng.choice(LAN), 2020, kommuner=[kommun]),
        uppdrag=uppdrag,
        anmalningar=anmalningar,
        ombud=[Ombud("AK", "kvinna", rng.choice([0.5, 1.0, 2.0]), date(2020, 1, 1))],
        manuellt=manuellt,
    )
    return aterrapport.build(records, YEAR)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=8, unique=True))
def test_property_answers_and_statsbidrag_compile_to_the_sums(seeds) -> None:
    returns = [random_answered_return(seed, f"PO {seed}") for seed in seeds]
    assert all(not return_schema.problems(r) for r in returns)
    compiled = sammanstallning.compile_returns(returns, ["a.json"])
    for section, items in [
        (compiled["totalt"], returns),
        *(
            (compiled["lan"][lan], [r for r in returns if r["verksamhet"]["lan"] == lan])
            for lan in compiled["lan"]
        ),
    ]:
        svar = section["svar"]
        assert svar["verksamheter"] == len(items)
        for key, _ in aterrapport_svar.JA_NEJ:
            assert svar[key]["ja"] == sum(1 for r in items if r["svar"][key] is True)
            assert svar[key]["nej"] == sum(1 for r in items if r["svar"][key] is False)
            assert svar[key]["ej_besvarat"] == sum(1 for r in items if r["svar"][key] is None)
        assert svar["nya_ombud"]["antal"] == sum(r["svar"]["nya_ombud"] or 0 for r in items)
        assert svar["nya_ombud"]["introduktionsutbildning"] == sum(
            r["svar"]["nya_ombud_introduktionsutbildning"] or 0 for r in items
        )
        for code in categories.codes(aterrapport_svar.MALGRUPPER):
            assert svar["malgrupper"][code] == sum(
                1 for r in items if code in r["svar"]["malgrupper"]
            )
        for code in categories.codes(aterrapport_svar.ORGANISATIONSFORMER):
            assert svar["organisationsform"][code] == sum(
                1 for r in items if r["svar"]["organisationsform"] == code
            )
        bidrag = section["statsbidrag"]
        for key in ("beviljat_belopp", "anvant_belopp", "kommunens_finansiering"):
            assert bidrag[key] == sum(r["statsbidrag"][key] or 0 for r in items)
        assert bidrag["beviljade_tjanster"] == pytest.approx(
            sum(r["statsbidrag"]["beviljade_tjanster"] or 0 for r in items)
        )
        granted = [r for r in items if r["statsbidrag"]["beviljat_belopp"] is not None]
        arsarbetare = sum(r["ombud"]["arsarbetare"] for r in granted)
        expected = (
            round(sum(r["statsbidrag"]["beviljat_belopp"] for r in granted) / arsarbetare)
            if arsarbetare
            else None
        )
        assert bidrag["kronor_per_arsarbetare"] == expected
        assert bidrag["verksamheter_underutnyttjat"] == sum(
            1 for r in items if r["statsbidrag"]["underutnyttjat"]
        )
        reg = section["registrerat"]
        for code in (*categories.codes(categories.HANVISAD_FRAN), "ej_angivet", "totalt"):
            assert reg["hanvisad_fran"][code] == sum(
                r["klienter"]["hanvisad_fran"][code] for r in items
            )
        assert reg["avslutade"]["antal"] == sum(r["klienter"]["avslutade"] for r in items)
        for code in (*categories.codes(categories.AVSLUTSORSAKER), "ej_angivet"):
            assert reg["avslutade"]["avslutsorsak"][code] == sum(
                r["avslutade"]["avslutsorsak"][code] for r in items
            )
        assert reg["avslutade"]["over_tva_ar"] == sum(r["avslutade"]["over_tva_ar"] for r in items)
        assert reg["ej_aktuella"] == sum(r["ko"]["ej_aktuella"]["antal"] for r in items)


def test_recorded_figures_of_a_return_by_hand() -> None:
    kommun = Kommun("k", "Karlstad")

    def u(start, slut=None, orsak=None, fran=None, kon="kvinna", born=1970):
        return Uppdrag(kon=kon, fodelsear=born, kommun_id="k", start=start, slut=slut,
                       avslutsorsak=orsak, hanvisad_fran=fran,
                       kontaktorsaker=("ekonomi",))  # fmt: skip

    uppdrag = [
        u(date(YEAR, 2, 1), fran="socialtjanst", born=1971),
        u(date(YEAR, 3, 1), date(YEAR, 9, 1), "mal_uppnatt", "psykiatri", born=1972),
        u(date(2022, 1, 1), date(YEAR, 3, 1), "flyttat", "socialtjanst", born=1973),  # > 2 år
        u(date(YEAR - 1, 6, 1), date(YEAR, 6, 1), None, None, born=1974),
    ]
    closed = Anmalan(date(YEAR, 1, 5), "man", 1960, "k", ("bostad",),
                     status=KoStatus.EJ_AKTUELL, status_datum=date(YEAR, 2, 1),
                     orsak="Flyttat")  # fmt: skip
    other_year = Anmalan(date(YEAR - 1, 1, 5), "man", 1961, "k", ("bostad",),
                         status=KoStatus.EJ_AKTUELL, status_datum=date(YEAR - 1, 2, 1),
                         orsak="Flyttat")  # fmt: skip
    records = Records(
        verksamhet=Verksamhet("PO", "Värmlands län", 2020, kommuner=[kommun]),
        uppdrag=uppdrag,
        anmalningar=[closed, other_year],
        ombud=[Ombud("AK", "kvinna", 1.0, date(2020, 1, 1))],
    )
    document = aterrapport.build(records, YEAR)
    hanvisad = document["klienter"]["hanvisad_fran"]
    assert (hanvisad["socialtjanst"], hanvisad["psykiatri"], hanvisad["totalt"]) == (1, 1, 2)
    ended = document["avslutade"]
    assert ended["antal"] == document["klienter"]["avslutade"] == 3
    assert ended["avslutsorsak"]["mal_uppnatt"] == 1
    assert ended["avslutsorsak"]["flyttat"] == 1
    assert ended["avslutsorsak"]["ej_angivet"] == 1
    lengths = sorted([184, (date(YEAR, 3, 1) - date(2022, 1, 1)).days, 365])
    assert ended["langd_median_dagar"] == lengths[1] and ended["over_tva_ar"] == 1
    assert document["ko"]["ej_aktuella"] == {
        "antal": 1,
        "orsaker": [{"orsak": "Flyttat", "antal": 1}],
    }
    assert document["svar"]["handledning"] is None  # not answered
    assert document["statsbidrag"]["beviljat_belopp"] is None
    assert not document["statsbidrag"]["underutnyttjat"]
    assert not return_schema.problems(document)


def test_statsbidrag_flags_under_use() -> None:
    section = aterrapport_svar.statsbidrag_section(
        Statsbidrag(1_000_000, 2.0, 800_000, 300_000), tjanster_31_dec=1.5, arsarbetare=1.75
    )
    assert section["underutnyttjat"]
    assert len(section["skal"]) == 3
    assert "200\u00a0000 kr lägre" in section["skal"][0]
    assert "betalas tillbaka" in section["skal"][0]
    fine = aterrapport_svar.statsbidrag_section(
        Statsbidrag(1_000_000, 2.0, 1_000_000, None), tjanster_31_dec=2.0, arsarbetare=2.0
    )
    assert not fine["underutnyttjat"] and fine["skal"] == []


def test_answer_problems() -> None:
    assert aterrapport_svar.svar_problems(Svar(nya_ombud=1, nya_ombud_introduktionsutbildning=2))
    assert aterrapport_svar.svar_problems(Svar(malgrupper=("npf",)))  # no change answered
    assert aterrapport_svar.svar_problems(Svar(organisationsform="bolag"))
    assert aterrapport_svar.statsbidrag_problems(Statsbidrag(beviljat_belopp=-1))
    assert not aterrapport_svar.svar_problems(
        Svar(forandringar_malgrupp=True, malgrupper=("npf",), nya_ombud=2,
             nya_ombud_introduktionsutbildning=1, organisationsform="kommun")
    )  # fmt: skip


ANSWERS = Svar(
    handledning=True,
    nya_ombud=2,
    nya_ombud_introduktionsutbildning=1,
    forandringar_malgrupp=True,
    malgrupper=("npf", "unga_vuxna"),
    rutin_brister_till_ledningsgrupp=False,
    brukarorganisation_plats=True,
    organisationsform="kommunalforbund",
    goda_exempel="Gemensamma möten med Försäkringskassan.",
    kommentarer={"nya_ombud": "En gick utbildningen i januari året efter."},
)


def test_answers_saved_with_the_year_reach_every_export(workspace: Workspace, tmp_path) -> None:
    service = workspace.aterrapport
    service.save_svar(SERVICE_YEAR, ANSWERS)
    service.save_statsbidrag(SERVICE_YEAR, Statsbidrag(900_000, 3.0, 700_000, 250_000))
    service.save_manual(SERVICE_YEAR, {"handledning": "Extern handledare varannan vecka."})
    assert aterrapport_svar.svar_to(service.svar(SERVICE_YEAR)) == aterrapport_svar.svar_to(ANSWERS)
    assert service.svar(SERVICE_YEAR - 1) == Svar(
        kommentarer={key: "" for key, _ in aterrapport_svar.KOMMENTARER}
    )
    assert service.ko_answer(SERVICE_YEAR).hade_ko is None  # other answers untouched
    document = service.compute(SERVICE_YEAR)
    assert document["svar"]["organisationsform"] == "kommunalforbund"
    assert document["svar"]["malgrupper"] == ["npf", "unga_vuxna"]
    assert document["manuellt"]["handledning"].startswith("Extern")
    bidrag = document["statsbidrag"]
    assert (bidrag["beviljat_belopp"], bidrag["beviljade_tjanster"]) == (900_000, 3.0)
    assert bidrag["underutnyttjat"]  # 200 000 kr unused, no ombud recorded

    service.export(tmp_path / "r.json", SERVICE_YEAR, "json")
    exported = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert not return_schema.problems(exported)
    assert exported["svar"]["nya_ombud_introduktionsutbildning"] == 1

    service.export(tmp_path / "r.csv", SERVICE_YEAR, "csv")
    rows = list(csv.reader(io.StringIO((tmp_path / "r.csv").read_text("utf-8-sig")), delimiter=";"))
    assert ["Frågor till verksamheten"] in rows
    assert ["Huvudmannens organisationsform", "Kommunalförbund", ""] in rows
    assert ["Beviljat belopp (kr)", "900000"] in rows
    assert ["Statsbidraget kan vara underutnyttjat"] in rows

    service.export(tmp_path / "r.pdf", SERVICE_YEAR, "pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    for expected in ("Frågor till verksamheten", "Kommunalförbund", "Statsbidrag",
                     "Hänvisad från", "Avslutsorsak", "900 000"):  # fmt: skip
        assert expected in text

    # A compilation of the exported return counts its answers in JSON, CSV and PDF.
    out = tmp_path / "s.json"
    sammanstallning_service.aggregate([tmp_path / "r.json"], out)
    compiled = json.loads(out.read_text("utf-8"))
    assert compiled["totalt"]["svar"]["handledning"]["ja"] == 1
    assert compiled["totalt"]["svar"]["organisationsform"]["kommunalforbund"] == 1
    assert compiled["totalt"]["statsbidrag"]["beviljat_belopp"] == 900_000
    sammanstallning_service.aggregate([tmp_path / "r.json"], tmp_path / "s.csv")
    compiled_csv = (tmp_path / "s.csv").read_text("utf-8-sig")
    assert "Totalt – Verksamheternas svar" in compiled_csv
    assert "Har ombuden fått handledning under året?;1;0;0;1 av 1" in compiled_csv
    sammanstallning_service.aggregate([tmp_path / "r.json"], tmp_path / "s.pdf")
    compiled_pdf = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "s.pdf"), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "Huvudmännens organisationsform" in compiled_pdf
    assert "Beviljat belopp per årsarbetare" in compiled_pdf
    assert "Gemensamma möten med Försäkringskassan." in compiled_pdf  # goda exempel


def test_answers_refused_when_bad_identifying_or_faststalld(workspace: Workspace) -> None:
    service = workspace.aterrapport
    with pytest.raises(ValidationFailed, match="introduktionsutbildningen"):
        service.save_svar(SERVICE_YEAR, Svar(nya_ombud=1, nya_ombud_introduktionsutbildning=3))
    with pytest.raises(GuardBlocked):
        service.save_svar(SERVICE_YEAR, Svar(goda_exempel="Klienten 121212-1212 fick hjälp."))
    with pytest.raises(GuardBlocked):
        service.save_svar(SERVICE_YEAR, Svar(kommentarer={"organisationsform": "Ring 121212-1212"}))
    with pytest.raises(ValidationFailed, match="hela kronor"):
        service.save_statsbidrag(SERVICE_YEAR, Statsbidrag(anvant_belopp=-5))
    assert service.svar(SERVICE_YEAR).goda_exempel == ""
    service.freeze(SERVICE_YEAR)
    with pytest.raises(ValidationFailed, match="fastställd"):
        service.save_svar(SERVICE_YEAR, ANSWERS)
    with pytest.raises(ValidationFailed, match="fastställd"):
        service.save_statsbidrag(SERVICE_YEAR, Statsbidrag(1, 1.0, 1, 1))
    with pytest.raises(ValidationFailed, match="fastställd"):
        service.save_manual(SERVICE_YEAR, {"handledning": "Ändrad efter fastställandet."})
    assert service.differences(SERVICE_YEAR) == []


def test_a_return_faststalld_without_the_new_sections_shows_no_difference() -> None:
    kommun = Kommun("k", "Karlstad")
    records = Records(verksamhet=Verksamhet("PO", "Värmlands län", 2020, kommuner=[kommun]),
                      uppdrag=[], ombud=[Ombud("AK", "kvinna", 1.0, date(2020, 1, 1))])  # fmt: skip
    now = aterrapport.build(records, YEAR)
    before = json.loads(json.dumps(now))
    for key in ("svar", "statsbidrag", "avslutade"):
        del before[key]
    del before["klienter"]["hanvisad_fran"], before["ko"]["ej_aktuella"]
    assert aterrapport.differences(before, now) == []


def test_demo_fills_answers_and_statsbidrag_for_past_years(workspace: Workspace) -> None:
    from po_desk.services import demo

    demo.fill(workspace, uppdrag_count=60, years=2, seed=3)
    service = workspace.aterrapport
    for year in (SERVICE_YEAR - 1, SERVICE_YEAR):
        svar = service.svar(year)
        assert svar.handledning is not None and svar.organisationsform is not None
        assert svar.nya_ombud is not None
        assert not aterrapport_svar.svar_problems(svar)
        bidrag = service.statsbidrag(year)
        assert bidrag.beviljat_belopp and bidrag.beviljade_tjanster
        document = service.compute(year)
        assert bidrag.beviljade_tjanster == document["ombud"]["tjanster_31_dec"]
        assert not return_schema.problems(document)
    assert service.svar(SERVICE_YEAR + 1).handledning is None  # this year: not answered


def test_new_figures_are_named_in_words_when_they_differ() -> None:
    from po_desk.domain.aterrapport_tables import describe_path

    assert (
        describe_path("klienter.hanvisad_fran.psykiatri") == "Klienter / hänvisad från / Psykiatri"
    )
    assert describe_path("statsbidrag.beviljat_belopp") == "Statsbidrag / beviljat belopp"
    assert describe_path("avslutade.over_tva_ar") == "avslutade / längre än två år"


def test_an_empty_description_does_not_read_as_a_no(workspace: Workspace) -> None:
    """The free-text block beside the countable answers: an empty field says nothing was
    written ("–" read as "nej" beside a "Ja" for the same subject)."""
    from po_desk.domain.aterrapport_tables import tables

    service = workspace.aterrapport
    service.save_manual(SERVICE_YEAR, {"handledning": "Extern handledare varannan vecka."})
    block = next(t for t in tables(service.compute(SERVICE_YEAR)) if t.key == "manuellt")
    rows = dict(block.rows)
    assert rows["Handledning"] == "Extern handledare varannan vecka."
    assert rows["Fortbildning"] == "Ingen beskrivning lämnad."
    assert "–" not in rows.values()
