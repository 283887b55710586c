"""Issue 14: the kö answer (proposed from the records with its basis, the enhetschef's
answer wins), the per-kommun and still-waiting figures, and the prioriteringsordning
decided or not. Pure domain: no Qt, no SQL; figures computed by hand in each scenario."""

from __future__ import annotations

import json
import statistics
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from po_desk.domain import (
    aterrapport,
    aterrapport_tables,
    aterrapport_v1,
    sammanstallning,
    vantetid,
)
from po_desk.domain.aterrapport import Records
from po_desk.domain.intagningsstopp import Intagningsstopp
from po_desk.domain.ko import DEFAULT_ORDER, Anmalan, KoStatus, Prioriteringsordning
from po_desk.domain.uppdrag import Uppdrag
from po_desk.domain.verksamhet import Kommun, Verksamhet

YEAR = 2025
NORD, SYD = Kommun("k-nord", "Nordby"), Kommun("k-syd", "Sydby")
NAMES = {"barn": "Barn", "vrakning": "Vräkning", "unga_vuxna": "Unga", "utan_natverk": "Nät"}


def uppdrag(anmald: date | None, start: date, kommun: Kommun = NORD) -> Uppdrag:
    return Uppdrag(
        kon="kvinna", fodelsear=1980, kommun_id=kommun.id, start=start,
        kontaktorsaker=("ekonomi",), anmald=anmald,
    )  # fmt: skip


def waiting(anmald: date, kommun: Kommun = NORD, **kw) -> Anmalan:
    return Anmalan(
        anmald=anmald, kon="man", fodelsear=1970, kommun_id=kommun.id,
        kontaktorsaker=("bostad",), **kw,
    )  # fmt: skip


def records(**kw) -> Records:
    kw.setdefault("uppdrag", [])
    return Records(
        verksamhet=Verksamhet("PO Test", "Värmlands län", 2020, kommuner=[NORD, SYD]),
        ground_names=NAMES,
        **kw,
    )


# -- the kö answer ----------------------------------------------------------------------


def test_one_day_wait_proposes_nej_with_the_basis_shown() -> None:
    document = aterrapport.build(
        records(uppdrag=[uppdrag(date(YEAR, 3, 1), date(YEAR, 3, 2))]), YEAR
    )
    ko = document["ko"]
    assert ko["hade_ko"] is False and ko["hade_ko_forslag"] is False
    assert ko["hade_ko_besvarad"] is False
    assert ko["hade_ko_underlag"] == {
        "troskel_dagar": 30, "vantat_over_troskel": 0, "langsta_vantan_dagar": 1,
        "intagningsstopp_dagar": 0,
    }  # fmt: skip
    text = aterrapport_tables.ko_basis_text(ko)
    assert text == ("0 väntade längre än 30 dagar; längsta väntan 1 dag; inget intagningsstopp")
    rows = dict(next(t for t in aterrapport_tables.tables(document) if t.key == "ko").rows)
    assert rows["Kö under året"] == "Nej" and rows["Underlag för förslaget"] == text


def test_a_wait_over_the_threshold_proposes_ja_and_thirty_days_do_not() -> None:
    def proposal(days: int, threshold: int = 30) -> bool:
        items = [uppdrag(date(YEAR, 2, 1), date(YEAR, 2, 1) + timedelta(days=days))]
        ko = aterrapport.build(records(uppdrag=items, ko_troskel_dagar=threshold), YEAR)["ko"]
        return ko["hade_ko"]

    assert proposal(30) is False
    assert proposal(31) is True
    assert proposal(31, threshold=45) is False and proposal(46, threshold=45) is True


def test_a_wait_still_going_on_31_december_counts_by_then() -> None:
    # Anmäld 20 November, still waiting: 41 days by 31 December → Ja; in the year before
    # nothing touched the kö.
    items = [waiting(date(YEAR, 11, 20))]
    ko = aterrapport.build(records(anmalningar=items), YEAR)["ko"]
    assert ko["hade_ko_forslag"] is True
    assert ko["hade_ko_underlag"]["langsta_vantan_dagar"] == 41
    assert ko["vantande_31_dec"] == 1 and ko["vantande_31_dec_langst_dagar"] == 41
    assert ko["startade_fran_ko"] == 0  # nobody started, yet the wait is in the return
    earlier = aterrapport.build(records(anmalningar=items), YEAR - 1)["ko"]
    assert earlier["hade_ko_forslag"] is False
    assert earlier["hade_ko_underlag"]["langsta_vantan_dagar"] is None


def test_an_intagningsstopp_proposes_ja() -> None:
    stopp = [Intagningsstopp(date(YEAR, 7, 1), date(YEAR, 7, 10), "semester")]
    ko = aterrapport.build(records(stopp=stopp), YEAR)["ko"]
    assert ko["hade_ko"] is True and ko["hade_ko_underlag"]["intagningsstopp_dagar"] == 10
    assert "intagningsstopp 10 dagar" in aterrapport_tables.ko_basis_text(ko)


def test_the_enhetschefs_answer_wins_over_the_proposal() -> None:
    long_wait = [uppdrag(date(YEAR, 1, 1), date(YEAR, 6, 1))]
    answered = vantetid.answer_to(vantetid.KoAnswer(False))
    ko = aterrapport.build(records(uppdrag=long_wait, manuellt=answered), YEAR)["ko"]
    assert (ko["hade_ko"], ko["hade_ko_forslag"], ko["hade_ko_besvarad"]) == (False, True, True)
    short = [uppdrag(date(YEAR, 3, 1), date(YEAR, 3, 2))]
    answered = vantetid.answer_to(vantetid.KoAnswer(True, ("vakanser", "fler_sokande")))
    ko = aterrapport.build(records(uppdrag=short, manuellt=answered), YEAR)["ko"]
    assert (ko["hade_ko"], ko["hade_ko_forslag"]) == (True, False)
    assert ko["orsaker"] == ["fler_sokande", "vakanser"]  # in the list's order
    # The answer's text lives among the saved answers but is never a manual field.
    assert set(aterrapport.build(records(manuellt=answered), YEAR)["manuellt"]) == {
        key for key, _ in aterrapport.MANUAL_FIELDS
    }


def test_answer_problems() -> None:
    assert vantetid.answer_problems(vantetid.KoAnswer(None, ("annan",)), proposal=True) == []
    assert vantetid.answer_problems(vantetid.KoAnswer(False, ("annan",)), proposal=True)
    assert vantetid.answer_problems(vantetid.KoAnswer(None, ("annan",)), proposal=False)
    assert vantetid.answer_problems(vantetid.KoAnswer(True, ("okand",)), proposal=True)
    assert vantetid.answer_from({}) == vantetid.KoAnswer()


# -- per kommun and still waiting -------------------------------------------------------


def test_per_kommun_and_still_waiting_by_hand() -> None:
    items = [
        uppdrag(date(YEAR, 1, 1), date(YEAR, 1, 11)),  # Nordby, 10 days
        uppdrag(date(YEAR, 1, 1), date(YEAR, 3, 2)),  # Nordby, 60 days
        uppdrag(date(YEAR, 1, 1), date(YEAR, 4, 1)),  # Nordby, 90 days
        uppdrag(date(YEAR - 1, 12, 1), date(YEAR, 1, 5), SYD),  # Sydby, 35 days
        uppdrag(None, date(YEAR, 5, 1), SYD),  # not through the kö
        uppdrag(date(YEAR, 12, 1), date(YEAR + 1, 1, 15), SYD),  # Sydby, waits 30 on 31 Dec
    ]
    anmalningar = [
        waiting(date(YEAR, 12, 21)),  # Nordby, waits 10 on 31 Dec
        waiting(date(YEAR, 6, 1), SYD),  # Sydby, waits 213 on 31 Dec
        waiting(date(YEAR, 2, 1), status=KoStatus.ATERTAGEN, status_datum=date(YEAR, 3, 1)),
    ]
    ko = aterrapport.build(records(uppdrag=items, anmalningar=anmalningar), YEAR)["ko"]
    assert ko["vantande_31_dec"] == 3 and ko["vantande_31_dec_langst_dagar"] == 213
    assert ko["per_kommun"] == [
        {"kommun": "Nordby", "startade_fran_ko": 3,
         "vantetid_dagar": {"min": 10, "median": 60.0, "max": 90},
         "vantande_31_dec": 1, "vantande_31_dec_langst_dagar": 10},
        {"kommun": "Sydby", "startade_fran_ko": 1,
         "vantetid_dagar": {"min": 35, "median": 35.0, "max": 35},
         "vantande_31_dec": 2, "vantande_31_dec_langst_dagar": 213},
    ]  # fmt: skip
    quiet = aterrapport.build(records(), YEAR)["ko"]["per_kommun"]
    assert [k["startade_fran_ko"] for k in quiet] == [0, 0]  # every kommun served is listed
    assert quiet[0]["vantetid_dagar"] == {"min": None, "median": None, "max": None}
    table = next(
        t
        for t in aterrapport_tables.tables(
            aterrapport.build(records(uppdrag=items, anmalningar=anmalningar), YEAR)
        )
        if t.key == "ko_per_kommun"
    )
    assert table.rows[1] == ("Sydby", 1, 35, 35.0, 35, 2, 213)


START = date(YEAR - 1, 6, 1)
wait_strategy = st.tuples(
    st.integers(0, 900),  # anmäld, days after START
    st.one_of(st.none(), st.integers(0, 500)),  # waited until start (None: still waiting)
    st.sampled_from([NORD, SYD]),
    st.booleans(),  # True: an uppdrag; False: an anmälan
)


def _build(waits):
    items, anmalningar = [], []
    for offset, days, kommun, is_uppdrag in waits:
        anmald = START + timedelta(days=offset)
        if days is not None and is_uppdrag:
            items.append(uppdrag(anmald, anmald + timedelta(days=days), kommun))
        elif days is not None:
            end = anmald + timedelta(days=days)
            anmalningar.append(waiting(anmald, kommun, status=KoStatus.ATERTAGEN, status_datum=end))
        else:
            anmalningar.append(waiting(anmald, kommun))
    return items, anmalningar


@settings(max_examples=150, deadline=None)
@given(st.lists(wait_strategy, max_size=30), st.integers(1, 120))
def test_property_per_kommun_figures_and_the_proposal_rule(waits, threshold) -> None:
    items, anmalningar = _build(waits)
    ko = aterrapport.build(
        records(uppdrag=items, anmalningar=anmalningar, ko_troskel_dagar=threshold), YEAR
    )["ko"]
    first, last = date(YEAR, 1, 1), date(YEAR, 12, 31)
    for kommun, entry in zip([NORD, SYD], ko["per_kommun"], strict=True):
        days = sorted(
            (u.start - u.anmald).days
            for u in items
            if u.kommun_id == kommun.id and u.start.year == YEAR and u.anmald
        )
        assert entry["kommun"] == kommun.namn and entry["startade_fran_ko"] == len(days)
        expected = (
            {"min": days[0], "median": float(statistics.median(days)), "max": days[-1]}
            if days
            else {"min": None, "median": None, "max": None}
        )
        assert entry["vantetid_dagar"] == expected
        still = [
            (last - a.anmald).days
            for a in anmalningar
            if a.kommun_id == kommun.id
            and a.anmald <= last
            and (a.status_datum is None or a.status_datum > last)
        ] + [
            (last - u.anmald).days
            for u in items
            if u.kommun_id == kommun.id and u.anmald and u.anmald <= last < u.start
        ]
        assert entry["vantande_31_dec"] == len(still)
        assert entry["vantande_31_dec_langst_dagar"] == (max(still) if still else None)
    assert sum(k["startade_fran_ko"] for k in ko["per_kommun"]) == ko["startade_fran_ko"]
    # The proposal rule, walked day by day: Ja when on some day of the year someone was
    # (or had just stopped being) in the kö having waited more than the threshold.
    spans = [(u.anmald, u.start) for u in items if u.anmald] + [
        (a.anmald, a.status_datum) for a in anmalningar
    ]
    over = False
    for anmald, end in spans:
        day = max(anmald, first)
        stop = min(end or last, last)
        while day <= stop and not over:
            over = (day - anmald).days > threshold
            day += timedelta(days=1)
    assert ko["hade_ko_forslag"] is over
    assert ko["hade_ko"] is over  # not answered: the proposal stands


# -- prioriteringsordning decided or not ------------------------------------------------


def test_no_decision_reports_no_decided_ordning() -> None:
    proposal = Prioriteringsordning(date(2020, 1, 1), DEFAULT_ORDER, beslutad_av=None)
    for versions in ([], [proposal]):
        ordning = aterrapport.build(records(versions=versions), YEAR)["prioriteringsordning"]
        assert ordning == {
            "har_prioriteringsordning": False, "beslutad": False, "beslutsdatum": None,
            "beslutad_av": None, "grunder": [],
        }  # fmt: skip


def test_a_decision_lists_the_ranks_and_the_date() -> None:
    versions = [
        Prioriteringsordning(date(2020, 1, 1), DEFAULT_ORDER, beslutad_av=None),
        Prioriteringsordning(date(YEAR, 3, 4), ("vrakning", "barn"), beslutad_av="enhetschef"),
    ]
    ordning = aterrapport.build(records(versions=versions), YEAR)["prioriteringsordning"]
    assert ordning["har_prioriteringsordning"] and ordning["beslutad"]
    assert (ordning["beslutsdatum"], ordning["beslutad_av"]) == ("2025-03-04", "enhetschef")
    assert ordning["grunder"] == [
        {"rang": 1, "grund": "vrakning", "namn": "Vräkning"},
        {"rang": 2, "grund": "barn", "namn": "Barn"},
    ]
    table = aterrapport_tables.prioriteringsordning_table(ordning)
    assert table.rows == ((1, "Vräkning"), (2, "Barn"))
    assert table.note == "Beslutad 2025-03-04 av enhetschefen."
    before = aterrapport.build(records(versions=versions), YEAR - 1)["prioriteringsordning"]
    assert not before["beslutad"]  # the decision came later; the proposal is not one


def test_the_decision_that_there_is_none() -> None:
    versions = [
        Prioriteringsordning(date(2023, 1, 1), DEFAULT_ORDER),
        Prioriteringsordning(date(2024, 5, 1), (), beslutad_av="ledningsgrupp", ingen=True),
    ]
    ordning = aterrapport.build(records(versions=versions), YEAR)["prioriteringsordning"]
    assert (ordning["har_prioriteringsordning"], ordning["beslutad"]) == (False, True)
    assert ordning["beslutsdatum"] == "2024-05-01" and ordning["grunder"] == []
    table = aterrapport_tables.prioriteringsordning_table(ordning)
    assert table.rows == (("–", "Verksamheten har ingen prioriteringsordning"),)


def test_version_1_returns_read_in_version_2_shape() -> None:
    v2 = aterrapport.build(records(), YEAR)
    v1 = json.loads(json.dumps(v2))
    v1["schema"] = "po-desk/aterrapport/1"
    v1["prioriteringsordning"] = [{"rang": 1, "grund": "barn", "namn": "Barn"}]
    for key in ("hade_ko_forslag", "hade_ko_besvarad", "hade_ko_underlag", "orsaker",
                "vantande_31_dec_langst_dagar", "per_kommun"):  # fmt: skip
        del v1["ko"][key]
    v1["ko"]["hade_ko"] = True
    read = aterrapport_v1.upgrade(v1)
    assert read["prioriteringsordning"]["har_prioriteringsordning"] is True
    assert read["ko"]["per_kommun"] == [] and read["ko"]["hade_ko_besvarad"] is False
    assert aterrapport_v1.upgrade(v2) is v2
    assert any(t.key == "ko" for t in aterrapport_tables.tables(v1))  # still renders
    compiled = sammanstallning.compile_returns([v1, {**v2, "verksamhet": {
        **v2["verksamhet"], "namn": "PO Två"}}], ["a.json", "b.json"])  # fmt: skip
    total = compiled["totalt"]
    assert total["ko"]["verksamheter_med_ko"] == 1
    assert total["prioriteringsordning_beslut"] == {
        "med_beslutad": 1, "utan_beslutad": 1, "beslutat_ingen": 0, "inget_beslut": 1,
    }  # fmt: skip
