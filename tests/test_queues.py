"""The queueing what-if (polku.analyses.queues, ``polku whatif --capacity/--places/--demand``).

The Erlang C prediction is checked against a discrete-event simulation of the same M/M/c
queue with ciw (a queueing-network simulation library): the mean wait of the simulated
clients must lie within :data:`TOLERANCE` (10 %) of the formula. Each check averages three
independent runs of about 40,000 clients after a warm-up; their spread is about 3 % of the
mean, so 10 % is more than three standard errors and a correct formula passes reliably,
while a formula with the wrong number of places fails (at 70 % utilisation, M/M/1 predicts
waits 42 % longer than M/M/3).
"""

from __future__ import annotations

import json
import re
import statistics
from pathlib import Path

import pytest

from ecobuild import Builder
from helpers import run as invoke
from polku.analyses.queues import (DAYS_PER_MONTH, effective_capacity, erlang_c, queue,
                                   queue_whatif)
from polku.io.load import load_graph

# these tests read the command line's English source texts
pytestmark = pytest.mark.usefixtures("english_cli")

TOLERANCE = 0.10


def simulated_wait_days(arrivals: float, capacity: float, places: int, seeds=(1, 2, 3),
                        clients: int = 40_000) -> float:
    """Mean wait (days) of an M/M/c queue simulated with ciw: λ = ``arrivals`` a month,
    ``places`` servers each serving ``capacity / places`` clients a month."""
    import ciw

    months = clients / arrivals
    warmup = months * 0.05
    means = []
    for seed in seeds:
        network = ciw.create_network(
            arrival_distributions=[ciw.dists.Exponential(rate=arrivals)],
            service_distributions=[ciw.dists.Exponential(rate=capacity / places)],
            number_of_servers=[places])
        ciw.seed(seed)
        sim = ciw.Simulation(network)
        sim.simulate_until_max_time(months)
        waits = [r.waiting_time for r in sim.get_all_records() if r.arrival_date > warmup]
        means.append(statistics.mean(waits) * DAYS_PER_MONTH)
    return statistics.mean(means)


@pytest.fixture()
def clinic(tmp_path: Path) -> Path:
    """a (front door) refers 21 clients a month to s (capacity 30, one place), which
    refers 14 on to t (capacity 15) and the rest to work."""
    b = Builder("clinic").chain()
    b.service("s", providers=["x"], capacity=30)
    b.service("t", providers=["x"], capacity=15)
    b.referral("r-as", "a", "s", owner="x", info="yes", volume=21, wait=3)
    b.referral("r-st", "s", "t", owner="x", info="yes", volume=14, wait=3)
    b.referral("r-sw", "s", "work", owner="x", info="yes", volume=7, wait=3)
    b.referral("r-tw", "t", "work", owner="x", info="yes", volume=14, wait=3)
    return b.workbook(tmp_path / "clinic")


def test_erlang_c_matches_the_textbook_values():
    assert erlang_c(1, 0.7) == pytest.approx(0.7)
    # M/M/2 at a = 1.6: C = a^2/(2!(1-ρ)) / (1 + a + a^2/(2!(1-ρ))), ρ = 0.8
    top = 1.6 ** 2 / (2 * 0.2)
    assert erlang_c(2, 1.6) == pytest.approx(top / (1 + 1.6 + top))
    assert erlang_c(200, 150.0) == pytest.approx(erlang_c(200, 150.0), rel=1e-12)  # no overflow
    assert 0 < erlang_c(200, 190.0) < 1


@pytest.mark.slow  # a discrete-event simulation, three seeds
def test_whatif_predicts_the_waits_a_ciw_simulation_gives(clinic):
    r = invoke("whatif", clinic, "--places", "s=3", "--format", "json", "--no-calibrate")
    assert r.exit_code == 0, r.output
    s = json.loads(r.stdout)["services"]["s"]
    assert s["before"]["inflow"] == 21 and s["before"]["places"] == 1
    assert s["before"]["modelled_utilization"] == 0.7 and s["after"]["modelled_utilization"] == 0.7
    for state, places in ((s["before"], 1), (s["after"], 3)):
        simulated = simulated_wait_days(21, 30, places)
        assert state["wait_days"] == pytest.approx(simulated, rel=TOLERANCE), (places, simulated)
    # three places, each a third as fast, at the same utilisation: clients wait less
    assert s["after"]["wait_days"] * 1.3 < s["before"]["wait_days"]


def test_demand_flows_downstream_and_findings_are_created(clinic):
    r = invoke("whatif", clinic, "--demand", "s=+20%", "--format", "json", "--no-calibrate")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    services = doc["services"]
    assert set(services) == {"s", "t"}                       # a and work are not queues here
    assert services["s"]["after"]["inflow"] == pytest.approx(25.2)
    assert services["t"]["after"]["inflow"] == pytest.approx(16.8)  # 14 scaled with s
    assert services["t"]["before"]["unstable"] is False
    assert services["t"]["after"] == {"inflow": 16.8, "capacity": 15, "places": 1,
                                      "modelled_utilization": 1.12, "wait_days": None,
                                      "unstable": True, "effective_capacity": None}
    created = [(f["kind"], f["subject"]) for f in doc["findings"]["created"]]
    assert created == [("over-capacity", "t")] and doc["findings"]["resolved"] == []


def test_more_capacity_resolves_an_over_capacity(clinic):
    r = invoke("whatif", clinic, "--capacity", "t=10", "--format", "json")
    assert [f["subject"] for f in json.loads(r.stdout)["findings"]["created"]] == ["t"]
    r = invoke("whatif", clinic, "--capacity", "t=10", "--capacity", "s=20,5", "--lang", "en")
    assert r.exit_code == 0, r.output
    assert "queue grows without bound" in r.stdout and "Created (2)" in r.stdout


def test_a_front_door_demand_change_scales_what_it_sends_on(clinic):
    doc = json.loads(invoke("whatif", clinic, "--demand", "a=-50%", "--format", "json").stdout)
    assert doc["services"]["a"]["before"]["inflow"] is None       # no arrivals known
    assert doc["services"]["s"]["after"]["inflow"] == pytest.approx(10.5)


def test_queue_edge_cases():
    assert queue(0, 10).wait_days == 0 and queue(0, 10).modelled_utilization == 0
    assert queue(5, 0).unstable and queue(5, 0).wait_days is None
    assert queue(None, 10).wait_days is None and not queue(None, 10).unstable
    assert queue(10, 10).unstable                            # ρ = 1 grows without bound


@pytest.mark.parametrize("args, message", [
    (["--capacity", "nope=5"], "--capacity: 'nope' is not in the graph"),
    (["--capacity", "x=5"], "--capacity: 'x' is an actor, not a service"),
    (["--capacity", "s=-5"], "--capacity: capacity of 's' cannot be negative (-5)"),
    (["--capacity", "s=lots"], "--capacity: capacity of 's': 'lots' is not a number"),
    (["--capacity", "s"], "--capacity: 's': write the service's id, = and the value"),
    (["--places", "s=0"], "--places: places at 's': '0' is not a whole number, 1 or more"),
    (["--places", "s=1.5"], "--places: places at 's': '1.5' is not a whole number, 1 or more"),
    (["--demand", "s=20"], "--demand: demand at 's': '20' is not a percentage"),
    (["--demand", "s=+2O%"], "--demand: demand at 's': '+2O%' is not a percentage"),
    (["--demand", "s=-120%"], "would make demand negative"),
    (["--demand", "nope=+5%"], "--demand: 'nope' is not in the graph"),
    (["--places", "s=1000000000"], "--places: places at 's': at most 100,000, not 1,000,000,000"),
    (["--capacity", "s=1e308"],
     "--capacity: capacity of 's': at most 100,000 a month, not 1e+308"),
    (["--demand", "s=+100000%"],
     "--demand: demand at 's': a change of at most +1,000%, not +100,000%"),
    (["--remove", "s", "--capacity", "s=5"], "--remove: a removal and a change of capacity"),
    ([], "--remove: say what changes"),
])
def test_bad_queue_options_are_one_clear_error(clinic, args, message):
    r = invoke("whatif", clinic, *args)
    assert r.exit_code == 1
    assert message in r.stderr and r.stdout == ""


@pytest.mark.parametrize("lang, args, message", [
    ("fi", ["--capacity", "s=-5"],
     "virhe: --capacity: palvelun 's' kapasiteetti ei voi olla negatiivinen (-5)"),
    ("sv", ["--capacity", "x=5"], "fel: --capacity: 'x' är av typen aktör, inte en tjänst"),
    ("fi", [], "virhe: --remove: kerro, mikä muuttuu"),
    # the figures too, as the language writes them (not 100,000 and 1e+09)
    ("fi", ["--capacity", "s=1e9"], "enintään 100 000 kuukaudessa, ei 1 000 000 000"),
    ("sv", ["--demand", "s=+5000%"], "en ändring på högst +1 000 %, inte +5 000 %"),
])
def test_a_bad_queue_option_is_worded_in_the_readers_language(clinic, lang, args, message):
    """The option as typed, the rest in --lang: no English left in a Finnish line."""
    r = invoke("whatif", clinic, *args, "--lang", lang)
    spaced = r.stderr.replace("\u00a0", " ").replace("\u202f", " ")
    assert r.exit_code == 1 and message in spaced, r.stderr


def test_remove_still_works(clinic):
    r = invoke("whatif", clinic, "--remove", "t", "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["removed_ids"] == ["r-st", "r-tw", "t"]


# -- calibrated to the observed waits ------------------------------------------------------

EXAMPLE = Path(__file__).resolve().parents[1] / "graphs" / "keski-uusimaa"
EXAMPLE_TTL = EXAMPLE.parent / "keski-uusimaa.ttl"


def test_the_baseline_reproduces_the_observed_wait_of_debt_advice():
    """The example's debt advice: 30 clients a month, capacity 70, 35 days observed. At its
    nominal capacity the model said 0.33 days; calibrated, it starts from the 35."""
    g = load_graph(EXAMPLE)
    nominal = queue_whatif(g, capacity={"talous-ja-velkaneuvonta": 80}, calibrate=False)
    s = nominal["services"]["talous-ja-velkaneuvonta"]
    assert s["before"]["wait_days"] < 1 and s["observed_wait_days"] == 35
    result = queue_whatif(g, capacity={"talous-ja-velkaneuvonta": 80})
    s = result["services"]["talous-ja-velkaneuvonta"]
    assert s["before"]["wait_days"] == pytest.approx(s["observed_wait_days"], rel=TOLERANCE)
    assert s["calibration"]["effective_capacity"] == s["before"]["effective_capacity"]
    # more nominal capacity is served at the same ratio: the wait falls, but not to nothing
    assert s["after"]["effective_capacity"] == pytest.approx(
        80 * s["calibration"]["ratio"], rel=1e-2)
    assert 1 < s["after"]["wait_days"] < s["before"]["wait_days"]


def test_every_service_with_an_observed_wait_starts_from_it():
    g = load_graph(EXAMPLE)
    services = [n for n, d in g.nodes(data=True)
                if d.get("type") == "service" and d.get("capacity_per_month")]
    result = queue_whatif(g, demand={s: 0.0 for s in services}, capacity={
        s: g.nodes[s]["capacity_per_month"] for s in services})
    checked = 0
    for sid, s in result["services"].items():
        if s["calibration"]:
            checked += 1
            assert s["before"]["wait_days"] == pytest.approx(s["observed_wait_days"],
                                                             rel=TOLERANCE), sid
            assert s["after"] == s["before"], sid         # nothing changed: the same
    assert checked >= 10


@pytest.mark.parametrize("inflow, places, wait", [
    (30, 1, 35), (21, 1, 3), (60, 4, 25), (0.5, 1, 200), (400, 30, 0.5), (12, 3, 90)])
def test_effective_capacity_gives_the_observed_wait(inflow, places, wait):
    cap = effective_capacity(inflow, places, wait)
    assert cap > inflow
    assert queue(inflow, cap, places).wait_days == pytest.approx(wait, rel=1e-6)


def test_nothing_to_calibrate_to():
    assert effective_capacity(None, 1, 10) is None and effective_capacity(10, 1, None) is None
    assert effective_capacity(10, 1, 0) is None and effective_capacity(0, 1, 10) is None


@pytest.mark.slow  # a discrete-event simulation, three seeds
def test_a_simulated_queue_at_the_effective_capacity_waits_as_observed(clinic):
    """The clinic's s: 21 clients a month and 3 days observed before it (its referral's
    wait); simulated at the calibrated capacity, clients wait the 3 days."""
    r = invoke("whatif", clinic, "--capacity", "s=30", "--format", "json")
    s = json.loads(r.stdout)["services"]["s"]
    assert s["observed_wait_days"] == 3
    cap = s["calibration"]["effective_capacity"]
    assert simulated_wait_days(21, cap, 1) == pytest.approx(3, rel=TOLERANCE)


def test_calibrated_from_an_event_log(clinic, tmp_path: Path):
    """``polku whatif GRAPH --eventlog LOG``: the observed waits and volumes come from the
    log's hand-offs (a → s in 8 days, s → t in 20 days, by the median), not the graph's."""
    log = tmp_path / "log.csv"
    lines = ["case,service,start,end"]
    for i in range(40):                   # 40 cases in two months: 20 a month into s
        wait = 30 if i == 0 else 8        # one outlier: the median is 8
        lines += [f"c{i},a,2025-01-01T00:00,2025-01-01T00:00",
                  f"c{i},s,2025-01-{1 + wait:02d}T00:00,2025-01-{1 + wait:02d}T02:00"]
    lines += ["c99,a,2025-02-28T00:00,2025-02-28T00:00"]
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = invoke("whatif", clinic, "--eventlog", log, "--capacity", "s=40", "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["observed"]["source"] == "eventlog" and doc["observed"]["log"]["months"] == 2
    s = doc["services"]["s"]
    assert s["observed_wait_days"] == 8 and s["before"]["inflow"] == 20
    assert s["before"]["wait_days"] == pytest.approx(8, rel=TOLERANCE)
    text = invoke("whatif", clinic, "--eventlog", log, "--capacity", "s=40", "--lang", "en")
    assert "from the event log: 81 events over 2 months" in text.stdout
    assert "observed wait 8.0 d; calibrated" in text.stdout
    r = invoke("whatif", clinic, "--eventlog", log, "--remove", "s")
    assert r.exit_code == 1 and "--eventlog" in r.stderr


def test_calibration_does_not_push_every_service_to_the_edge():
    """Read as M/M/1 queueing alone, a wait of weeks in front of a service that serves a
    client in hours needs a queue at 97-99 % of its capacity: every calibrated service of
    the example came out nearly full, and a fifth more clients at the front door made a
    dozen of them grow without bound. The calibration reads at most a modelled utilisation
    of 80 % into a wait; the rest is lead time, and the baseline still gives the observed
    wait."""
    from polku.analyses.queues import MAX_CALIBRATED_UTILIZATION

    g = load_graph(EXAMPLE)
    result = queue_whatif(g, demand={"alkuhaastattelu": 0.2})
    calibrated = {sid: s for sid, s in result["services"].items() if s["calibration"]}
    assert len(calibrated) >= 20
    for sid, s in calibrated.items():
        assert s["before"]["modelled_utilization"] <= MAX_CALIBRATED_UTILIZATION + 1e-3, sid
        assert s["before"]["wait_days"] == pytest.approx(s["observed_wait_days"],
                                                         rel=TOLERANCE), sid
        assert s["calibration"]["lead_days"] >= 0, sid
    assert [sid for sid, s in result["services"].items() if s["after"]["unstable"]] == []
    # the lead time stays: more capacity shortens only the queue's part of the wait
    debt = queue_whatif(g, capacity={"talous-ja-velkaneuvonta": 80})["services"][
        "talous-ja-velkaneuvonta"]
    lead = debt["calibration"]["lead_days"]
    assert 30 < lead < debt["after"]["wait_days"] < debt["before"]["wait_days"] == 35


def test_the_what_if_text_names_the_models_utilisation_and_capacity():
    """One word, one meaning: the what-if's utilisation is the model's (inflow / effective
    capacity), named so; the effective capacity is a capacity, not a share of one; the
    capacity asked is written as asked."""
    r = invoke("whatif", EXAMPLE, "--capacity", "ips=5,5", "--lang", "fi")
    assert r.exit_code == 0, r.output
    text = r.stdout.replace("\u00a0", " ").replace("\u202f", " ")
    assert "mallin käyttöaste 80 %, odotus 18 pv" in text
    assert "toteutuva kapasiteetti 19 asiakasta kuukaudessa (1,25 × ilmoitettu)" in text
    assert "jonon ulkopuolista odotusta" in text
    assert "kapasiteetti 15 → 5,5" in text and "kapasiteetista)" not in text
    assert not re.search(r"(ennen|jälkeen): +käyttöaste", text)


def test_an_event_logs_small_volumes_stay_hidden_for_the_public(clinic, tmp_path: Path):
    """``polku whatif --eventlog LOG --suppress``: 3 hand-offs a month into s in the log
    is a small cell like a workbook's; s's figures are hidden, not computed from it."""
    log = tmp_path / "log.csv"
    lines = ["case,service,start,end"]
    for i in range(6):                    # 6 cases in two months: 3 a month into s
        lines += [f"c{i},a,2025-0{1 + i % 2}-01T00:00,2025-0{1 + i % 2}-01T00:00",
                  f"c{i},s,2025-0{1 + i % 2}-09T00:00,2025-0{1 + i % 2}-09T02:00"]
    lines += ["c99,a,2025-02-28T00:00,2025-02-28T00:00"]
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ("whatif", clinic, "--eventlog", log, "--capacity", "s=40", "--format", "json")
    owner = json.loads(invoke(*args).stdout)["services"]["s"]
    assert owner["before"]["inflow"] == 3 and owner["hidden"] is False
    r = invoke(*args, "--suppress")
    assert r.exit_code == 0, r.output
    public = json.loads(r.stdout)["services"]["s"]
    assert public["hidden"] is True and public["before"]["inflow"] is None
    assert public["before"]["unstable"] is None and '"inflow": 3' not in r.stdout


@pytest.mark.parametrize("lang, question, before, after", [
    ("en", "What if the capacity of IPS supported employment were 5.5 and the demand at Work "
     "trial rose by 20% in Central Uusimaa ecosystem for participation in working life? "
     "(M/M/c queues, 30.4 days a month)", "before: ", "after:  "),
    ("sv", "Tänk om kapaciteten för IPS – individanpassat stöd till arbete var 5,5 och "
     "efterfrågan på Arbetsprövning steg med 20\u00a0% i Mellersta Nylands ekosystem för "
     "deltagande i arbetslivet? (M/M/c-köer, 30,4 dagar i månaden)", "före:  ", "efter: "),
])
def test_the_what_if_question_is_a_sentence_and_before_and_after_line_up(
        lang, question, before, after):
    """The question reads as a sentence of the reader's language (it read 'What if capacity
    of … to 5.5, demand at … +20% in …?'), and each service's before and after lines have
    their figures in one column in every language (they did only in Finnish)."""
    r = invoke("whatif", EXAMPLE, "--capacity", "ips=5.5" if lang == "en" else "ips=5,5",
               "--demand", "tyokokeilu=+20%", "--lang", lang)
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == question
    befores = [li for li in lines if li.strip().startswith(before.strip())]
    afters = [li for li in lines if li.strip().startswith(after.strip())]
    assert befores and len(befores) == len(afters)
    for b, a in zip(befores, afters):
        assert b.startswith("      " + before) and a.startswith("      " + after), (b, a)
        assert len(b) - len(b[6:].split(": ", 1)[1].lstrip()) == \
            len(a) - len(a[6:].split(": ", 1)[1].lstrip()), (b, a)


def test_the_json_names_the_two_utilisations_apart(tmp_path: Path):
    """The README: "Two utilisations, two names". The what-if's JSON said ``utilization``
    for the modelled figure (debt advice: 0.8, against its effective capacity of 37.5),
    while the bottleneck ranking's ``utilization`` is the nominal one (30 ÷ 70 = 0.43) and
    the suggestion says ``utilization`` (nominal) beside ``modelled_utilization``. Every
    door names the queue state's figure ``modelled_utilization``; ``utilization`` is only
    ever the nominal one."""
    import shutil

    from fastapi.testclient import TestClient

    from polku.app import create_app
    from polku.server.auth import Tokens

    debt = "talous-ja-velkaneuvonta"
    r = invoke("whatif", EXAMPLE_TTL, "--capacity", f"{debt}=80", "--format", "json")
    assert r.exit_code == 0, r.output
    s = json.loads(r.stdout)["services"][debt]
    assert s["before"]["modelled_utilization"] == 0.8 and "utilization" not in s["before"]
    assert s["after"]["modelled_utilization"] == 0.7 and "utilization" not in s["after"]
    assert s["before"]["effective_capacity"] == 37.5
    r = invoke("bottlenecks", EXAMPLE_TTL, "--top", "100", "--format", "json")
    [row] = [x for x in json.loads(r.stdout)["by_flow"] if x["service"] == debt]
    assert row["utilization"] == 0.43 and "modelled_utilization" not in row
    # the HTTP API's what-if answers the same keys (an editor's: the public's debt advice
    # is hidden, a referral into it being a small number)
    shutil.copytree(EXAMPLE, tmp_path / "ku")
    token = "editor-token-0123456789"
    api = TestClient(create_app([tmp_path], Tokens({"editor": token})),
                     headers={"Authorization": f"Bearer {token}"}).get(
        "/api/graphs/ku/whatif", params={"capacity": f"{debt}=80"})
    assert api.status_code == 200, api.text
    s = api.json()["services"][debt]
    assert (s["before"]["modelled_utilization"], s["after"]["modelled_utilization"]) == \
        (0.8, 0.7)
    assert "utilization" not in s["before"] and "utilization" not in s["after"]
    # and the OpenAPI description says which utilisation it is
    spec = TestClient(create_app([tmp_path])).get("/openapi.json").json()
    said = json.dumps(spec["paths"]["/api/graphs/{name}/whatif"])
    assert "modelled_utilization" in said and "nominal" in said
