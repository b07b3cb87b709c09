"""Follow-ups: stable finding keys, the followups sheet, and its round trip through every
store (CSV, .xlsx, Turtle, JSON-LD, Neo4j on the real server)."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from polku.analyses.findings import find
from polku.errors import PolkuErrors
from polku.followup import effective, for_findings
from polku.io.load import load_graph, save_graph
from polku.io.workbook import read_workbook, write_workbook
from polku.server.http import version_of_tag
from helpers import SECOND, SECOND_REGION, edit, run

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "graphs" / "keski-uusimaa"
PLAN = ROOT / "graphs" / "plan.ttl"

FOLLOWUPS_CSV = (
    "finding,status,owner,due,note,updated,by,extra_col\n"
    "long-wait:ref-diakonia-velkaneuvonta,työn alla,keusote,2026-03-31,"
    "\"Jono puretaan, lisäaika\",2026-12-01T10:00:00Z,anna,x\n"
    "path-broken:polku-velat-asuminen:talous-ja-velkaneuvonta+kuntouttava-tyotoiminta,"
    "accepted-risk,,,,,\n"
    "unmet-need:seg-terveys:tarve-tyokyvyn-arviointi,ny,,31.1.2027,,,,\n")


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """The day these tests are about: 5 December 2026 in Finland. What is overdue is judged
    against today (:mod:`polku.clock`), and the follow-up due 31.1.2027 must not fall due
    when the suite runs later, nor a review "since today" cross midnight in Helsinki."""
    from datetime import datetime, timezone

    from polku import clock

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 5, 10, tzinfo=timezone.utc))


def example_with_followups(tmp_path: Path) -> Path:
    folder = tmp_path / "keski-uusimaa"
    shutil.copytree(EXAMPLE, folder)
    (folder / "followups.csv").write_text(FOLLOWUPS_CSV, encoding="utf-8")
    return folder


def test_keys_are_unique_and_stable_on_the_example_and_the_plan() -> None:
    for source in (EXAMPLE, PLAN):
        g = load_graph(source)
        keys = [f.key for f in find(g)]
        assert keys and not [k for k, n in Counter(keys).items() if n > 1]
        # the numbers change, the keys do not
        g2 = load_graph(source)
        for n, d in g2.nodes(data=True):
            if d.get("type") == "referral" and d.get("median_wait_days", 0) > 30:
                d["median_wait_days"] += 10
        after = find(g2)
        assert [f.key for f in after] == keys
        if source == EXAMPLE:
            assert [dict(f.metrics) for f in after] != [dict(f.metrics) for f in find(g)]


def test_the_sheet_reads_status_words_dates_and_extra_columns(tmp_path) -> None:
    g = read_workbook(example_with_followups(tmp_path))
    fu = g.graph["followups"]
    assert fu["long-wait:ref-diakonia-velkaneuvonta"] == {
        "status": "in-progress", "owner": "keusote", "due": "2026-03-31",
        "note": "Jono puretaan, lisäaika", "updated": "2026-12-01T10:00:00Z", "by": "anna",
        "extra": {"extra_col": "x"}}
    assert fu["unmet-need:seg-terveys:tarve-tyokyvyn-arviointi"] == {
        "status": "new", "due": "2027-01-31"}


def test_the_sheet_refuses_bad_rows_with_their_place(tmp_path) -> None:
    folder = example_with_followups(tmp_path)
    (folder / "followups.csv").write_text(
        "finding,status,owner,due\n"
        "long-wait:r1,valmis,,\n"
        "no such key,new,,\n"
        "long-wait:r2,new,nobody,2026-02-30\n"
        "long-wait:r3,new,,\n"
        "long-wait:r3,resolved,,\n", encoding="utf-8")
    with pytest.raises(PolkuErrors) as e:
        read_workbook(folder)
    found = {(x.row, x.column) for x in e.value.errors}
    assert {(2, "status"), (3, "finding"), (4, "due"), (6, "finding")} <= found
    assert any("'valmis' is not one of" in x.message for x in e.value.errors)


@pytest.mark.parametrize("suffix", ["", ".xlsx", ".ttl", ".jsonld"])
def test_followups_survive_every_file_store(tmp_path, suffix) -> None:
    g = read_workbook(example_with_followups(tmp_path))
    out = tmp_path / f"out{suffix}"
    if suffix in ("", ".xlsx"):
        write_workbook(g, out)
    else:
        save_graph(g, out)
    back = load_graph(out)
    assert back.graph["followups"] == g.graph["followups"]
    # and once more: written back, read back, the same
    again = tmp_path / f"again{suffix}"
    (write_workbook if suffix in ("", ".xlsx") else save_graph)(back, again)
    assert load_graph(again).graph["followups"] == g.graph["followups"]


@pytest.mark.parametrize("suffix", [".ttl", ".jsonld"])
def test_a_regions_followups_stay_with_its_findings_through_a_merge(tmp_path, suffix) -> None:
    """`polku merge` dropped every region's follow-ups; now each is keyed by the merged
    graph's ids, as the merged finding is, in every store the merged graph is written to (a
    file for others, .jsonld, leaves out who wrote it; a merged graph is no workbook: its ids
    carry their region)."""
    out = tmp_path / f"national{suffix}"
    result = run("merge", example_with_followups(tmp_path), SECOND, "-o", out)
    assert result.exit_code == 0, result.output
    g = load_graph(out)
    key = "long-wait:keski-uusimaa/ref-diakonia-velkaneuvonta"
    assert key in {f.key for f in find(g)}
    assert g.graph["followups"][key] == {
        "status": "in-progress", "owner": "keski-uusimaa/keusote", "due": "2026-03-31",
        "note": "Jono puretaan, lisäaika", "updated": "2026-12-01T10:00:00Z",
        **({} if suffix == ".jsonld" else {"by": "anna"}), "extra": {"extra_col": "x"}}
    assert set(g.graph["followups"]) == {
        key, "path-broken:keski-uusimaa/polku-velat-asuminen:"
             "keski-uusimaa/talous-ja-velkaneuvonta+keski-uusimaa/kuntouttava-tyotoiminta",
        "unmet-need:keski-uusimaa/seg-terveys:keski-uusimaa/tarve-tyokyvyn-arviointi"}
    shown = effective(g.graph["followups"], {f.key for f in find(g)}, "2026-01-01")
    assert shown[key]["status"] == "in-progress"


def test_merge_says_which_followups_a_file_for_others_withholds(tmp_path) -> None:
    """`polku merge W … -o tm.jsonld` said it kept both regions' follow-ups while the file
    for others held one: the other's finding (hyria over its capacity of 10) rests on a
    referral of 3 the file leaves out. The note says what the file holds, and why."""
    folder = tmp_path / "keski-uusimaa"
    shutil.copytree(EXAMPLE, folder)
    edit(folder / "services.csv", ",hyria,60,", ",hyria,10,")
    edit(folder / "referrals.csv", "ref-uraohjaus-hyria,uraohjaus,hyria-ammatillinen-koulutus,,5,",
         "ref-uraohjaus-hyria,uraohjaus,hyria-ammatillinen-koulutus,,3,")
    (folder / "followups.csv").write_text(
        "finding,status,owner,due,note\n"
        "over-capacity:hyria-ammatillinen-koulutus,työn alla,keusote,2027-01-31,\n"
        "long-wait:ref-diakonia-velkaneuvonta,työn alla,keusote,2027-03-31,\n",
        encoding="utf-8")
    said = {}
    for suffix, lang in ((".jsonld", "en"), (".ttl", "en"), (".jsonld", "fi"),
                         (".jsonld", "sv")):
        out = tmp_path / f"tm-{lang}{suffix}"
        result = run("merge", folder, SECOND_REGION, "-o", out, "--lang", lang)
        assert result.exit_code == 0, result.output
        said[lang, suffix] = result.output
        assert len(load_graph(out).graph.get("followups") or {}) == (
            1 if suffix == ".jsonld" else 2)
    assert "kept the regions' 1 follow-up," in said["en", ".jsonld"]
    assert ("note: 1 follow-up of the regions is withheld from this file meant for others: "
            "a small cell the file leaves out (a count from 1 to 4) could fire its finding; "
            "--no-suppress keeps it in the owner's copy") in said["en", ".jsonld"]
    assert "kept the regions' 2 follow-ups," in said["en", ".ttl"]
    assert "withheld" not in said["en", ".ttl"]
    assert "alueiden 1 seuranta säilytetty" in said["fi", ".jsonld"]
    assert "huomio: alueiden 1 seuranta jätetty pois" in said["fi", ".jsonld"]
    assert "regionernas 1 uppföljning behålls" in said["sv", ".jsonld"]
    assert "regionernas 1 uppföljning har utelämnats" in said["sv", ".jsonld"]


def test_turtle_with_followups_passes_shacl(tmp_path) -> None:
    from polku.io.validate import shacl_problems

    g = read_workbook(example_with_followups(tmp_path))
    assert shacl_problems(g) == []
    g.graph["followups"]["long-wait:x"] = {"status": "closed"}
    assert any("status" in p.message for p in shacl_problems(g))


def test_followups_survive_neo4j(tmp_path, neo4j_server) -> None:
    from polku.io import neo4jstore as ns

    g = read_workbook(example_with_followups(tmp_path))
    creds = {"uri": neo4j_server.uri, "user": neo4j_server.user,
             "password": neo4j_server.password}
    try:
        ns.push_graph(g, region="fu-roundtrip", **creds)
        back = ns.pull_graph(region="fu-roundtrip", **creds)
        assert back.graph["followups"] == g.graph["followups"]
        assert ns.equal_graphs(g, back)
        # a follow-up deleted in the graph is deleted in the database
        del g.graph["followups"]["long-wait:ref-diakonia-velkaneuvonta"]
        ns.push_graph(g, region="fu-roundtrip", **creds)
        assert ns.pull_graph(region="fu-roundtrip", **creds).graph["followups"] == \
            g.graph["followups"]
    finally:
        ns.delete_region(region="fu-roundtrip", **creds)
    import neo4j

    with neo4j.GraphDatabase.driver(neo4j_server.uri,
                                    auth=(neo4j_server.user, neo4j_server.password)) as d:
        records, _, _ = d.execute_query(
            "MATCH (f:PolkuFollowUp {polku_region: 'fu-roundtrip'}) RETURN count(f) AS n")
    assert records[0]["n"] == 0


def test_a_finding_gone_is_resolved_and_an_open_one_past_due_is_overdue(tmp_path) -> None:
    g = read_workbook(example_with_followups(tmp_path))
    keys = [f.key for f in find(g)]
    state = for_findings(g.graph["followups"], keys, "2026-12-03")
    assert state["long-wait:ref-diakonia-velkaneuvonta"]["overdue"] is True
    assert state["unmet-need:seg-terveys:tarve-tyokyvyn-arviointi"]["overdue"] is False
    gone = effective(g.graph["followups"], [k for k in keys if not k.startswith("long-wait:ref-d")],
                     "2026-12-03")
    assert gone["long-wait:ref-diakonia-velkaneuvonta"]["status"] == "resolved"
    assert gone["long-wait:ref-diakonia-velkaneuvonta"]["recorded_status"] == "in-progress"
    assert gone["long-wait:ref-diakonia-velkaneuvonta"]["overdue"] is False


# -- through the write contract, and what changed since a version --------------------------

def served_client(tmp_path: Path):
    from fastapi.testclient import TestClient

    from polku.app import create_app
    from polku.server.auth import parse_tokens

    folder = tmp_path / "graphs"
    folder.mkdir()
    example_with_followups(folder)
    tokens = parse_tokens("anna:anna-token-0123456789")
    client = TestClient(create_app([folder], tokens), raise_server_exceptions=False)
    return client, folder / "keski-uusimaa"


def write(client, method: str, path: str, body=None):
    etag = client.get("/api/graphs/keski-uusimaa").headers["etag"]
    headers = {"Authorization": "Bearer anna-token-0123456789", "If-Match": etag}
    return client.request(method, "/api/graphs/keski-uusimaa" + path, json=body,
                          headers=headers)


def test_followups_are_edited_through_the_write_contract(tmp_path) -> None:
    client, folder = served_client(tmp_path)
    key = "referral-without-owner:ref-ktt-tyokokeilu"
    r = write(client, "POST", "/rows/followups",
              {"finding": key, "status": "työn alla", "owner": "keusote", "due": "2020-01-31",
               "note": "Sovitaan vastuutaho"})
    assert r.status_code == 201, r.text
    row = client.get(f"/api/graphs/keski-uusimaa/rows/followups/{key}",
                     headers={"Authorization": "Bearer anna-token-0123456789"}).json()
    assert row["values"]["by"] == "anna" and row["values"]["updated"].endswith("Z")
    # the public reads the follow-up, not who wrote it (privacy.PERSONAL_COLUMNS)
    public = client.get(f"/api/graphs/keski-uusimaa/rows/followups/{key}").json()
    assert "by" not in public["values"] and public["values"]["status"] == "työn alla"
    doc = client.get("/api/graphs/keski-uusimaa/findings").json()
    assert doc["followups"][key]["status"] == "in-progress"
    assert doc["followups"][key]["overdue"] is True
    assert key in {f["key"] for f in doc["findings"]}
    # a bad status is refused with its place, as any row
    r = write(client, "PATCH", f"/rows/followups/{key}", {"status": "valmis"})
    assert r.status_code == 422 and "valmis" in r.text
    # an owner who is not an actor likewise
    r = write(client, "PATCH", f"/rows/followups/{key}", {"owner": "nobody"})
    assert r.status_code == 422
    # the fix itself: the referral gets an owner; the finding is gone, the follow-up resolved
    r = write(client, "PATCH", "/rows/referrals/ref-ktt-tyokokeilu", {"owner": "keusote"})
    assert r.status_code == 200, r.text
    assert key in {f["key"] for f in r.json()["findings"]["resolved"]}
    doc = client.get("/api/graphs/keski-uusimaa/findings").json()
    assert doc["followups"][key]["status"] == "resolved"
    assert doc["followups"][key]["recorded_status"] == "in-progress"
    # the sheet on disk says it, and undo takes the last change back
    assert key in (folder / "followups.csv").read_text(encoding="utf-8")
    r = write(client, "POST", "/undo")
    assert r.status_code == 200, r.text
    assert client.get("/api/graphs/keski-uusimaa/findings").json()["followups"][key][
        "status"] == "in-progress"
    r = write(client, "DELETE", f"/rows/followups/{key}")
    assert r.status_code == 200, r.text
    assert key not in client.get("/api/graphs/keski-uusimaa/findings").json()["followups"]


def test_findings_since_a_version_and_a_date(tmp_path) -> None:
    import json



    client, folder = served_client(tmp_path)
    fixed = "referral-without-owner:ref-ktt-tyokokeilu"
    assert write(client, "PATCH", "/rows/referrals/ref-ktt-tyokokeilu",
                 {"owner": "keusote"}).status_code == 200
    assert write(client, "PATCH", "/rows/referrals/ref-diakonia-velkaneuvonta",
                 {"information_flow": "no"}).status_code == 200

    def since(value: str) -> dict:
        r = run(*["findings", str(folder), "--since", value, "--format", "json"])
        assert r.exit_code == 0, r.output
        return json.loads(r.stdout)

    zero = since("0")
    assert zero["since"] == {"version": 0, "time": None}
    assert [f["key"] for f in zero["resolved"]] == [fixed]
    assert [f["key"] for f in zero["created"]] == [
        "no-information-flow:ref-diakonia-velkaneuvonta"]
    # the follow-up of the long wait is open and past its due date
    assert [o["finding"] for o in zero["overdue"]] == ["long-wait:ref-diakonia-velkaneuvonta"]
    one = since("1")
    assert one["resolved"] == [] and len(one["created"]) == 1
    assert since("2")["created"] == [] == since("2")["resolved"]
    # a date: every change made today is after the day began
    from polku.ops.review import today

    assert since(today())["since"]["version"] == 0
    # and the next day, both changes are before it (the log is stamped by the one clock)
    assert since("2026-12-06")["since"]["version"] == 2
    text = run(*["findings", str(folder), "--since", "0", "--lang", "en"]).stdout
    assert "Resolved (1)" in text and fixed in text
    bad = run(*["findings", str(folder), "--since", "eilen"])
    assert bad.exit_code != 0 and "--since" in bad.output
    assert run(*["findings", str(folder), "--since", "9"]).exit_code != 0


def test_a_date_with_no_change_logged_is_refused_as_a_version_is(tmp_path) -> None:
    """No change logged yet: `--since 3` said so (exit 1) while `--since 2026-12-01` read
    the date as version 0 and printed that nothing had changed since (exit 0), which a log
    with no changes cannot tell. Both now say that no change is logged yet, on the command
    line (findings and report) and over HTTP; `--since 0` still answers."""
    client, folder = served_client(tmp_path)
    said = ("error: --since: no change is logged for this graph yet "
            f"({folder.parent / '.polku' / 'keski-uusimaa.changes.jsonl'}): polku serve logs "
            "every edit made through it, so version 0 is the only one")
    for value in ("3", "2026-12-01", "1.12.2026"):
        r = run("findings", folder, "--since", value, "--lang", "en")
        assert (r.exit_code, r.stdout, r.stderr.strip()) == (1, "", said), value
    r = run("report", folder, "-o", tmp_path / "report.md", "--since", "2026-12-01", "-q",
            "--lang", "en")
    assert (r.exit_code, r.stderr.strip()) == (1, said)
    assert not (tmp_path / "report.md").exists()
    r = client.get("/api/graphs/keski-uusimaa/review", params={"since": "2026-12-01"})
    assert r.status_code == 400 and r.json()["error"]["field"] == "since"
    zero = run("findings", folder, "--since", "0", "--lang", "en")
    assert zero.exit_code == 0 and zero.stdout.startswith(
        "Changes since the last review (version 0)")
    # once a change is logged, a date before it is version 0, as before
    assert write(client, "PATCH", "/rows/referrals/ref-ktt-tyokokeilu",
                 {"owner": "keusote"}).status_code == 200
    r = run("findings", folder, "--since", "2026-12-01", "--format", "json")
    assert r.exit_code == 0, r.output


def test_report_and_graph_page_show_followups_and_changes(tmp_path) -> None:
    import html



    client, folder = served_client(tmp_path)
    assert write(client, "PATCH", "/rows/referrals/ref-ktt-tyokokeilu",
                 {"owner": "keusote"}).status_code == 200
    for suffix in (".html", ".md"):
        out = tmp_path / f"report{suffix}"
        r = run(*["report", str(folder), "-o", str(out), "--since", "0", "-q"])
        assert r.exit_code == 0, r.output
        text = html.unescape(out.read_text(encoding="utf-8"))
        assert "Muutokset edellisestä katselmoinnista (versio 0)" in text
        assert "Ratkaistut (1)" in text and "Myöhässä (1)" in text
        # by names, as the rest of the report (it read 'Ohjaukselta ref-ktt-tyokokeilu
        # (Kuntouttava työtoiminta (kuntouttava-tyotoiminta) → …')
        assert "Ohjaukselta Kuntouttava työtoiminta → Työkokeilu puuttuvat" in text
        # the owner by name, the day as Finns write it (it read 'keusote, … 2026-03-31')
        assert ("työn alla, Keski-Uudenmaan hyvinvointialue (Keusote), määräaika 31.3.2026 "
                "(myöhässä)") in text
    sv = tmp_path / "report-sv.md"
    run(*["report", str(folder), "-o", str(sv), "--since", "0", "--lang", "sv"])
    assert "Ändringar sedan den senaste granskningen" in sv.read_text(encoding="utf-8")
    # without --since, no such section; the follow-up still stands beside its finding
    plain = tmp_path / "plain.md"
    run(*["report", str(folder), "-o", str(plain)])
    text = plain.read_text(encoding="utf-8")
    assert "Muutokset edellisestä" not in text
    assert "työn alla, Keski-Uudenmaan hyvinvointialue (Keusote)" in text
    page = html.unescape(client.get("/graphs/keski-uusimaa").text)
    assert ("työn alla, Keski-Uudenmaan hyvinvointialue (Keusote), määräaika 31.3.2026 "
            "(myöhässä)") in page
    assert 'id="form-followup"' in page and 'data-sheet="followups"' in page
    table = run(*["findings", str(folder), "--lang", "en"]).stdout
    assert ("→ in progress, Central Uusimaa Wellbeing Services County (keusote), due 31 Mar "
            "2026 (overdue)") in table


def test_the_review_in_a_public_report_hides_what_small_cells_would_tell(tmp_path) -> None:
    """The changes since the last review are an operation (``Review``) answered for the
    report's audience: a public report words the findings created since from the published
    copy (the inflow of a service fed by a small cell is not shown), where the review used
    to word them from the owner's graph (42 clients a month beside the public 38: the
    hidden 4 by subtraction)."""
    client, folder = served_client(tmp_path)
    assert write(client, "PATCH", "/rows/referrals/ref-ktt-tyokokeilu",
                 {"volume_per_month": "4"}).status_code == 200
    assert write(client, "PATCH", "/rows/services/tyokokeilu",
                 {"capacity_per_month": "1"}).status_code == 200

    def changes(*flags: str) -> str:
        out = tmp_path / f"report{len(flags)}.md"
        r = run(*["report", str(folder), "-o", str(out), "--since", "0", "-q", *flags])
        assert r.exit_code == 0, r.output
        text = out.read_text(encoding="utf-8")
        return text[text.index("## Muutokset"):text.index("## Havainnot lajeittain")]

    public = changes()
    created = public[public.index("### Uudet (1)"):public.index("### Ratkaistut")]
    assert "Työkokeilu" in created and "tulovirtaa ei näytetä" in created
    # the published part only, as the findings route says it (docs/workbook.md, Privacy):
    # at least the 38 of the published referrals, never the 42 with the hidden 4
    assert "42" not in created and "vähintään 38 asiakasta" in created, created
    # nor does the rest of the report give the service's inflow as a whole figure (the
    # visible part of it, 38, as 'tulee 38 asiakasta'): at least the published part, as the
    # API says it
    whole = (tmp_path / "report0.md").read_text(encoding="utf-8")
    assert "Työkokeilu: tulee vähintään 38 asiakasta kuukaudessa, kun kapasiteetti on 1 " \
           "(muuta tulovirtaa ei näytetä" in whole
    assert "tulee 38 asiakasta" not in whole and "tulee 42 asiakasta" not in whole
    owner = changes("--no-suppress")
    assert "tulee 42 asiakasta kuukaudessa" in owner


def test_review_is_one_operation_with_its_checks() -> None:
    """``--since`` is checked by the operation (the field travels as data), and a review
    without its change log is refused naming the operation's parameter, ``history`` (no
    door asks without one: the command reads the log beside the graph or ``--changes``)."""
    from polku.errors import PolkuError
    from polku.ops import operations as ops
    from polku.ops.model import Model
    from polku.ops.review import History

    model = Model(load_graph(EXAMPLE))
    empty = History((), {})
    for bad, field in ((ops.Review(since="eilen", history=empty), "since"),
                       (ops.Review(since="3", history=empty), "since"),
                       (ops.Review(since="0"), "history"),
                       (ops.Review(since="0", history=empty, actor="nobody"), "actor")):
        with pytest.raises(PolkuError) as caught:
            ops.answer(bad, model)
        assert caught.value.field == field


def test_the_review_over_http_is_the_commands(tmp_path) -> None:
    """``GET /api/graphs/NAME/review?since=`` answers what ``polku findings --since``
    prints as JSON (the same operation), in the request's language; a bad ``since`` or
    ``actor`` is a 400 naming its field."""
    import json

    client, folder = served_client(tmp_path)
    fixed = "referral-without-owner:ref-ktt-tyokokeilu"
    assert write(client, "PATCH", "/rows/referrals/ref-ktt-tyokokeilu",
                 {"owner": "keusote"}).status_code == 200
    editor = {"Authorization": "Bearer anna-token-0123456789"}
    r = client.get("/api/graphs/keski-uusimaa/review", params={"since": "0", "lang": "en"},
                   headers=editor)
    assert r.status_code == 200, r.text
    assert version_of_tag(r.headers["etag"]) == \
        version_of_tag(client.get("/api/graphs/keski-uusimaa").headers["etag"])
    doc = r.json()
    assert [f["key"] for f in doc["resolved"]] == [fixed] and doc["created"] == []
    assert doc["since"] == {"version": 0, "time": None}
    assert "to Work trial (tyokokeilu)" in doc["resolved"][0]["message"]
    cli = run("findings", str(folder), "--since", "0", "--format", "json", "--lang", "en")
    assert json.loads(cli.stdout) == doc
    for query, field in (({"since": "eilen"}, "since"), ({"since": "9"}, "since"),
                         ({"since": "١"}, "since"),  # other scripts' digits: not a version
                         ({"since": "0", "actor": "nobody"}, "actor"),
                         ({"since": "0", "max_concurrent_leads": "0"}, "max_concurrent_leads")):
        bad = client.get("/api/graphs/keski-uusimaa/review", params=query)
        assert bad.status_code == 400 and bad.json()["error"]["field"] == field, bad.text
    missing = client.get("/api/graphs/keski-uusimaa/review")  # no since at all
    assert missing.status_code == 400 and missing.json()["error"]["field"] == "since"


def test_the_changes_page_answers_what_changed_since_the_last_review(tmp_path) -> None:
    """The web UI's change log page takes the last review (a version or a day) and shows
    the findings created and resolved since, by name, in the reader's language; a bad one
    is a 400 with the field marked and the message in that language."""
    import html

    client, folder = served_client(tmp_path)
    assert write(client, "PATCH", "/rows/referrals/ref-ktt-tyokokeilu",
                 {"owner": "keusote"}).status_code == 200
    page = client.get("/graphs/keski-uusimaa/changes", params={"since": "0", "lang": "fi"})
    assert page.status_code == 200, page.text
    text = html.unescape(page.text)
    assert "Muutokset edellisestä katselmoinnista (versio 0)" in text
    assert "Ratkaistut (1)" in text and "Uudet (0)" in text and "Myöhässä (1)" in text
    resolved = text[text.index("Ratkaistut (1)"):text.index("Myöhässä (1)")]
    assert "Kuntouttava työtoiminta" in resolved and "Työkokeilu" in resolved
    assert "ref-ktt-tyokokeilu" not in resolved.split('data-key="')[1].split('">', 1)[1]
    sv = html.unescape(client.get("/graphs/keski-uusimaa/changes",
                                  params={"since": "0", "lang": "sv"}).text)
    assert "Ändringar sedan den senaste granskningen (version 0)" in sv
    bad = client.get("/graphs/keski-uusimaa/changes", params={"since": "eilen", "lang": "fi"})
    assert bad.status_code == 400
    assert 'id="since" name="since" value="eilen"' in bad.text and 'aria-invalid="true"' in bad.text
    assert 'data-field="since"' in bad.text and "muutoslokin versio" in html.unescape(bad.text)
    # one organisation's part: what it must act on (the owner-less hand-off is keusote's)
    mine = html.unescape(client.get("/graphs/keski-uusimaa/changes", params={
        "since": "0", "actor": "keusote", "lang": "fi"}).text)
    assert "Ratkaistut (1)" in mine and '<option value="keusote" selected>' in mine
    theirs = html.unescape(client.get("/graphs/keski-uusimaa/changes", params={
        "since": "0", "actor": "tyonantajat", "lang": "fi"}).text)
    assert "Ratkaistut (0)" in theirs
    nobody = client.get("/graphs/keski-uusimaa/changes", params={
        "since": "0", "actor": "nobody", "lang": "fi"})
    assert nobody.status_code == 400 and 'data-field="actor"' in nobody.text
    plain = client.get("/graphs/keski-uusimaa/changes", params={"lang": "fi"})
    assert plain.status_code == 200 and "Muutokset edellisestä katselmoinnista" not in plain.text


def test_a_review_of_a_graph_nobody_edited_says_so(tmp_path) -> None:
    """A version asked of a graph whose change log is empty: not 'the latest version is 0'
    but that no change is logged yet, where the log would be, and who logs it."""
    folder = example_with_followups(tmp_path)
    r = run("findings", str(folder), "--since", "3", "--lang", "en")
    assert r.exit_code == 1
    assert "no change is logged for this graph yet (" in r.stderr
    assert ".polku/keski-uusimaa.changes.jsonl" in r.stderr and "polku serve" in r.stderr
    assert run("findings", str(folder), "--since", "0").exit_code == 0  # version 0 is there


def test_a_change_log_is_never_read_for_another_source_of_the_same_name(tmp_path) -> None:
    """A workbook folder and a Turtle file of the same name beside it share the place of
    their change log (.polku/NAME.changes.jsonl). Each change names the source it was made
    to, and the commands that revert changes refuse the other one's log: polku undo of the
    .ttl reverted the folder's latest edit into the Turtle file."""
    client, folder = served_client(tmp_path)
    ttl = folder.parent / "keski-uusimaa.ttl"
    assert run("export", folder, "--to", "turtle", "-o", ttl, "-q").exit_code == 0
    assert write(client, "PATCH", "/rows/referrals/ref-ktt-tyokokeilu",
                 {"owner": "keusote"}).status_code == 200
    log = folder.parent / ".polku" / "keski-uusimaa.changes.jsonl"
    assert '"source": "keski-uusimaa"' in log.read_text(encoding="utf-8")
    before = ttl.read_bytes()
    for args in (("undo", ttl), ("findings", ttl, "--since", "0")):
        r = run(*args, "--lang", "en")
        assert r.exit_code == 1, r.output
        assert ("the change log keski-uusimaa.changes.jsonl is kept for keski-uusimaa, not "
                "for keski-uusimaa.ttl") in r.stderr
    assert ttl.read_bytes() == before
    assert run("findings", folder, "--since", "0").exit_code == 0
    assert run("undo", folder).exit_code == 0


def test_the_server_reverts_no_change_made_to_another_source_of_the_same_name(
        tmp_path) -> None:
    """The Turtle file served on its own, beside the workbook folder whose edits its change
    log's place holds: POST /undo refused (409, in the reader's language) instead of
    reverting the folder's latest edit into the Turtle file, and the review (the API's and
    the changes page's) refused instead of rebuilding the Turtle file's past from the
    folder's changes."""
    from fastapi.testclient import TestClient

    from polku.app import create_app
    from polku.server.auth import parse_tokens

    client, folder = served_client(tmp_path)
    assert write(client, "PATCH", "/rows/referrals/ref-ktt-tyokokeilu",
                 {"owner": "keusote"}).status_code == 200
    ttl = tmp_path / "alone" / "keski-uusimaa.ttl"
    ttl.parent.mkdir()
    assert run("export", folder, "--to", "turtle", "-o", ttl, "-q").exit_code == 0
    (ttl.parent / ".polku").symlink_to(folder.parent / ".polku")  # the same place
    before = ttl.read_bytes()
    alone = TestClient(create_app([ttl], parse_tokens("anna:anna-token-0123456789")),
                       raise_server_exceptions=False)
    r = write(alone, "POST", "/undo")
    assert r.status_code == 409, r.text
    assert r.json()["error"]["code"] == "changelog-of-another-source"
    assert r.json()["error"]["message"] == (
        "muutosloki keski-uusimaa.changes.jsonl on kohteen keski-uusimaa eikä kohteen "
        "keski-uusimaa.ttl (niillä on sama nimi)")
    assert str(tmp_path) not in r.text
    assert ttl.read_bytes() == before
    fi = alone.get("/api/graphs/keski-uusimaa/review", params={"since": "0", "lang": "fi"})
    assert fi.status_code == 409 and "muutosloki keski-uusimaa.changes.jsonl" in fi.text
    assert fi.json()["error"]["code"] == "changelog-of-another-source"
    page = alone.get("/graphs/keski-uusimaa/changes", params={"since": "0", "lang": "en"})
    assert page.status_code == 409 and "is kept for keski-uusimaa, not for" in page.text
    # nor is an edit of the Turtle file logged among the folder's changes (its undo and
    # reviews would then revert it into the folder)
    log = (folder.parent / ".polku" / "keski-uusimaa.changes.jsonl").read_text(encoding="utf-8")
    edit = write(alone, "PATCH", "/rows/referrals/ref-ktt-tyokokeilu", {"owner": ""})
    assert edit.status_code == 409 and edit.json()["error"]["code"] == "changelog-of-another-source"
    assert ttl.read_bytes() == before
    assert (folder.parent / ".polku" / "keski-uusimaa.changes.jsonl").read_text(
        encoding="utf-8") == log
    # the folder's own server still reverts its change
    assert write(client, "POST", "/undo").status_code == 200


def test_a_review_since_the_first_day_there_is_is_answered(tmp_path) -> None:
    """The first day a date can name (1.1.0001) began in Finland before the first UTC day
    Python's datetime holds: the review since it is the review since version 0 on every
    door, not an OverflowError (a 500 over HTTP, a traceback at the terminal)."""
    client, folder = served_client(tmp_path)
    assert write(client, "PATCH", "/rows/referrals/ref-ktt-tyokokeilu",
                 {"owner": "keusote"}).status_code == 200
    for since in ("1.1.0001", "0001-01-01"):
        r = client.get("/api/graphs/keski-uusimaa/review", params={"since": since})
        assert r.status_code == 200, r.text
        assert r.json()["since"]["version"] == 0 and len(r.json()["resolved"]) == 1
        page = client.get("/graphs/keski-uusimaa/changes", params={"since": since})
        assert page.status_code == 200, page.text
        cli = run("findings", folder, "--since", since, "--format", "json")
        assert cli.exit_code == 0, cli.output


def test_a_second_review_of_a_version_rebuilds_nothing_and_a_write_is_seen(
        tmp_path, monkeypatch) -> None:
    """The server keeps a version's history while its files and change log stay as read:
    a second review since the same version (from the API or the changes page, by editor or
    public) neither rebuilds the earlier graph nor reads the log again; a write, or a
    change to the log alone, is reviewed from what it made."""
    from polku.ops import review

    built: list[int] = []
    real = review.graph_at
    monkeypatch.setattr(review, "graph_at", lambda h, v, name: built.append(v) or real(h, v, name))
    client, folder = served_client(tmp_path)
    assert write(client, "PATCH", "/rows/referrals/ref-ktt-tyokokeilu",
                 {"owner": "keusote"}).status_code == 200
    editor = {"Authorization": "Bearer anna-token-0123456789"}
    first = client.get("/api/graphs/keski-uusimaa/review", params={"since": "0"}, headers=editor)
    assert first.status_code == 200 and len(first.json()["resolved"]) == 1, first.text
    again = client.get("/api/graphs/keski-uusimaa/review", params={"since": "0"}, headers=editor)
    public = client.get("/api/graphs/keski-uusimaa/review", params={"since": "0"})
    page = client.get("/graphs/keski-uusimaa/changes", params={"since": "0"})
    assert again.json() == first.json() and public.status_code == page.status_code == 200
    assert built == [0]
    # a write: today's history has one more version, and version 1 is built from it
    assert write(client, "PATCH", "/rows/referrals/ref-ktt-tyokokeilu",
                 {"owner": ""}).status_code == 200
    after = client.get("/api/graphs/keski-uusimaa/review", params={"since": "1"}, headers=editor)
    assert after.status_code == 200, after.text
    assert [f["key"] for f in after.json()["created"]] == [
        "referral-without-owner:ref-ktt-tyokokeilu"]
    assert built == [0, 1]
    # the log alone changed (emptied by hand): its versions are gone
    log = folder.parent / ".polku" / "keski-uusimaa.changes.jsonl"
    log.write_text("", encoding="utf-8")
    gone = client.get("/api/graphs/keski-uusimaa/review", params={"since": "1"}, headers=editor)
    assert gone.status_code == 400 and gone.json()["error"]["field"] == "since", gone.text


@pytest.mark.parametrize("lang, hint, said", [
    ("fi", "päivämäärä: 2026-03-31 tai 31.3.2026", "kirjoita VVVV-KK-PP tai P.K.VVVV"),
    ("sv", "ett datum: 2026-03-31 eller 31.3.2026", "skriv ÅÅÅÅ-MM-DD eller D.M.ÅÅÅÅ"),
    ("en", "a date: 2026-03-31 or 31.3.2026", "write YYYY-MM-DD or D.M.YYYY")])
def test_a_date_fields_hint_and_error_name_every_form_it_takes(tmp_path, lang, hint,
                                                               said) -> None:
    """The follow-up form's due date takes 2026-03-31 and 31.3.2026 alike: its hint and a
    refusal say both in every language (the Swedish ones named only ÅÅÅÅ-MM-DD)."""
    import html
    import re

    client, _ = served_client(tmp_path)
    page = html.unescape(client.get("/graphs/keski-uusimaa", params={"lang": lang}).text)
    assert re.search(r'id="[\w-]*followup[\w-]*-due-hint">' + re.escape(hint) + "<", page), hint
    key = "referral-without-owner:ref-ktt-tyokokeilu"
    r = write(client, "POST", "/rows/followups", {"finding": key, "status": "uusi",
                                                  "due": "31.3.2026"})
    assert r.status_code == 201, r.text
    r = client.request("PATCH", f"/api/graphs/keski-uusimaa/rows/followups/{key}",
                       json={"due": "31/3/2026"}, params={"lang": lang}, headers={
                           "Authorization": "Bearer anna-token-0123456789",
                           "If-Match": client.get("/api/graphs/keski-uusimaa").headers["etag"]})
    assert r.status_code == 422 and said in r.text and "31.3.2026" in r.text, r.text


def test_overdue_follow_ups_are_named_on_every_door(tmp_path) -> None:
    """An overdue follow-up was named by its key alone (`- multiple-leads:ips: työn alla,
    Keski-Uudenmaan hyvinvointialue (Keusote) (keusote), määräaika 15.11.2026 (myöhässä)`)
    where the findings created and resolved beside it are worded: it is named as they are,
    by its kind's name and its subject's (a referral by its two ends), its owner by name
    alone, in `polku findings --since` (table, markdown; JSON with `names`), the API's
    review, the change log page and the report."""
    import html
    import json
    import re

    client, folder = served_client(tmp_path)
    r = write(client, "POST", "/rows/followups",
              {"finding": "over-capacity:monialainen-palvelutarvearvio",
               "status": "in-progress", "owner": "keusote", "due": "2026-11-15"})
    assert r.status_code == 201, r.text
    long_wait = "pitkä odotusaika: ohjaus Seurakuntien diakoniatyö → Talous- ja velkaneuvonta"
    crowded = "kapasiteetti ylittyy: Monialainen palvelutarpeen arviointi"
    owner = "työn alla, Keski-Uudenmaan hyvinvointialue (Keusote), määräaika"

    def overdue_part(text: str) -> str:
        return text.split("Myöhässä (2)")[1]

    for format in ("table", "markdown"):
        out = run("findings", folder, "--since", "0", "--format", format, "--lang", "fi")
        assert out.exit_code == 0, out.output
        part = overdue_part(out.stdout)
        # with its note, as the change log page and the report word it; the key last (in
        # code in markdown)
        quoted = "`" if format == "markdown" else ""
        assert f"- {long_wait} — {owner} 31.3.2026 (myöhässä): Jono puretaan, lisäaika " \
               f"({quoted}long-wait:ref-diakonia-velkaneuvonta{quoted})" in part, part
        assert f"- {crowded} — {owner} 15.11.2026 (myöhässä)" in part, part
        assert "(keusote)" not in part
    doc = json.loads(run("findings", folder, "--since", "0", "--format", "json",
                         "--lang", "fi").stdout)
    named = {o["finding"]: o["names"] for o in doc["overdue"]}
    assert named == {
        "long-wait:ref-diakonia-velkaneuvonta": {
            "ref-diakonia-velkaneuvonta": "ohjaus Seurakuntien diakoniatyö → Talous- ja "
                                          "velkaneuvonta",
            "keusote": "Keski-Uudenmaan hyvinvointialue (Keusote)"},
        "over-capacity:monialainen-palvelutarvearvio": {
            "monialainen-palvelutarvearvio": "Monialainen palvelutarpeen arviointi",
            "keusote": "Keski-Uudenmaan hyvinvointialue (Keusote)"}}
    api = client.get("/api/graphs/keski-uusimaa/review", params={"since": "0", "lang": "fi"})
    assert api.status_code == 200
    assert {o["finding"]: o["names"] for o in api.json()["overdue"]} == named
    page = client.get("/graphs/keski-uusimaa/changes", params={"since": "0", "lang": "fi"})
    assert page.status_code == 200
    items = re.findall(r"<li data-key=\"([^\"]+)\">(.*?)</li>",
                       overdue_part(page.text).split("</ul>")[0], re.S)
    said = {k: " ".join(html.unescape(re.sub(r"<[^>]+>", " ", v)).split()) for k, v in items}
    assert said["long-wait:ref-diakonia-velkaneuvonta"].startswith(f"{long_wait} — {owner}")
    assert said["over-capacity:monialainen-palvelutarvearvio"].startswith(f"{crowded} — ")
    for suffix in (".html", ".md"):
        out = tmp_path / f"report{suffix}"
        assert run("report", folder, "-o", out, "--since", "0", "-q").exit_code == 0
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", out.read_text(
            encoding="utf-8"))).split())
        part = overdue_part(text)[:600]
        assert f"{long_wait} — {owner} 31.3.2026 (myöhässä)" in part, part
        assert f"{crowded} — {owner} 15.11.2026 (myöhässä)" in part, part
        assert "(keusote)" not in part
