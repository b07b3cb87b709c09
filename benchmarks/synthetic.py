"""A national-size synthetic polku workbook, deterministic from a seed.

Why: speed goals (findings, loading, rendering, Neo4j push/pull) are measured on a graph of
the size a national collection of regional graphs reaches: about 3,000 services, 600
segments, 5,000 referrals and 300 designed paths. A national graph is a union of regional
ones, so the generator builds ``20 × size`` regions that each look like one wellbeing
county (its own actors, services, segments, referrals and paths), plus national actors
(Kela, pension insurers, legal aid) that provide services in every region and a few
referrals that cross regions. ``--size 10`` therefore gives a graph ten times as large with
the same shape, which is what "ten times the size" should mean.

The workbook follows ``shared/spec/workbook.md`` exactly (CSV folder, one file per sheet).
Segments come in families that share front doors and segment limits, so some segments see
the same effective subgraph (as in a real region). It deliberately contains every kind of
finding: services without providers, no-lead and
multiple-leads subjects, referrals without owner or information flow, long waits,
unreachable services, dead ends, over-capacity services, broken designed paths, entries that
are not eligible for their segment, segment-limited referrals and services.

Usage::

    python benchmarks/synthetic.py -o /tmp/national            # ≈3,000 services
    python benchmarks/synthetic.py -o /tmp/national10 --size 10
    python benchmarks/synthetic.py -o /tmp/national --seed 7 --ttl   # also writes /tmp/national.ttl

As a module: ``generate(size=1, seed=42) -> dict[sheet, list[row dict]]`` and
``write_workbook_csv(sheets, folder)``.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from pathlib import Path

SHEETS: dict[str, list[str]] = {
    "actors": ["id", "name", "kind", "parent", "region"],
    "services": ["id", "name", "providers", "capacity_per_month", "entry", "needs", "segments",
                 "method", "legal_basis", "description"],
    "outcomes": ["id", "name", "description"],
    "needs": ["id", "name", "factor"],
    "segments": ["id", "name", "size", "participation_rate", "needs", "entry", "description"],
    "referrals": ["id", "from", "to", "segments", "volume_per_month", "median_wait_days",
                  "owner", "information_flow"],
    "responsibilities": ["actor", "subject", "role", "note"],
    "paths": ["path", "segment", "step", "node", "name"],
}

REGIONS_PER_SIZE = 20
SERVICES_PER_REGION = 150
SEGMENTS_PER_REGION = 30
REFERRALS_PER_REGION = 250
PATHS_PER_REGION = 15
LOCAL_ACTORS_PER_REGION = 14
FAMILY_SIZE = 5       # segments per family (see _region)
FRONT_DOORS = 6       # entry services most segments of a region start at

SERVICE_NAMES = [
    "Alkuhaastattelu", "Työllistymissuunnitelma", "Työnvälitys", "Työkokeilu",
    "Työvalmennus", "Työvoimakoulutus", "Palkkatuki", "Starttiraha", "Uraohjaus",
    "Monialainen palvelutarpeen arviointi", "Monialainen työllistymissuunnitelma",
    "Kuntouttava työtoiminta", "Sosiaalinen kuntoutus", "Aikuissosiaalityö",
    "Työttömien terveystarkastus", "Mielenterveyspalvelut", "Päihdepalvelut",
    "Moniammatillinen työkyvyn arviointi", "Ammatillinen kuntoutus", "Kuntoutustutkimus",
    "NUOTTI-valmennus", "Velkaneuvonta", "Ammatillinen koulutus", "TYÖOTE-koordinaatio",
    "IPS-yksilövalmennus", "Etsivä nuorisotyö", "Nuorten työpaja", "Klubitalo",
    "Ohjaamo-neuvonta", "Asumisneuvonta",
]
METHODS = ["", "", "", "", "IPS", "Työote", "Kykyviisari", "TYP"]
LEGAL = ["", "", "Laki kuntouttavasta työtoiminnasta 189/2001", "Sosiaalihuoltolaki 1301/2014",
         "Laki työvoimapalvelujen järjestämisestä 380/2023",
         "Laki työllistymistä edistävästä monialaisesta yhteispalvelusta 381/2023"]
NEEDS = [
    ("health", ["Hoitamaton terveysongelma", "Mielenterveyden häiriö", "Päihteet",
                "Alentunut työkyky", "Uni ja jaksaminen", "Krooninen kipu", "Neuropsykiatria",
                "Kuntoutustarve"]),
    ("competence", ["Osaamisvaje", "Kielitaito", "Digitaidot", "Tutkinnon puute",
                    "Vanhentunut ammattitaito", "Lukivaikeus", "Uraohjaus", "Työnhakutaidot"]),
    ("social", ["Asuminen", "Velat", "Elämänhallinta", "Perhetilanne", "Yksinäisyys",
                "Toimeentulo", "Rikostausta", "Liikkuminen"]),
    ("motivation", ["Motivaatio", "Arjen rytmi", "Itsetunto", "Tavoitteiden asettaminen",
                    "Luottamus palveluihin", "Pitkä työttömyys", "Syrjäytymisen riski",
                    "Tulevaisuususko"]),
    ("work", ["Työpaikan sopeutukset", "Osatyökyky", "Työkokemus", "Työnantajakontaktit",
              "Palkkatukityö", "Yrittäjyys", "Työhönvalmennus", "Työnantajan tuki"]),
]
OUTCOMES = [
    ("outcome-open-work", "Avoimet työmarkkinat"), ("outcome-education", "Koulutus"),
    ("outcome-rehabilitation", "Kuntoutus"), ("outcome-pension", "Eläkepäätös"),
    ("outcome-supported-work", "Tuettu työ"), ("outcome-entrepreneur", "Yrittäjyys"),
]
LOCAL_ACTOR_KINDS = [
    ("wellbeing-county", "Hyvinvointialue"), ("employment-area", "Työllisyysalue"),
    ("municipality", "Kunta A"), ("municipality", "Kunta B"), ("municipality", "Kunta C"),
    ("third-sector", "Klubitalo ry"), ("third-sector", "Työpajayhdistys"),
    ("education", "Ammattiopisto"), ("occupational-health", "Työterveys Oy"),
    ("employer", "Työnantajaverkosto"), ("other", "Ohjaamo"),
    ("wellbeing-county", "Työkykytiimi"), ("wellbeing-county", "Psykiatria"),
    ("third-sector", "Nuorisosäätiö"),
]
NATIONAL_ACTORS = [
    ("kela", "kela", "Kela"), ("pension", "other", "Työeläkeyhtiö"),
    ("legal-aid", "state", "Oikeusaputoimisto"), ("keha", "state", "KEHA-keskus"),
    ("ttl", "research", "Työterveyslaitos"),
]


def _need_ids() -> list[tuple[str, str, str]]:
    out = []
    for factor, names in NEEDS:
        for i, name in enumerate(names):
            out.append((f"need-{factor}-{i + 1}", name, factor))
    return out


def generate(size: float = 1, seed: int = 42) -> dict[str, list[dict[str, str]]]:
    """Rows per sheet of a synthetic national workbook; same ``size`` and ``seed``, same rows.

    >>> sheets = generate(size=0.05, seed=1)
    >>> len(sheets["services"])
    150
    """
    rnd = random.Random(seed)
    regions = max(1, round(REGIONS_PER_SIZE * size))
    sheets: dict[str, list[dict[str, str]]] = {name: [] for name in SHEETS}
    needs = _need_ids()
    need_ids = [n for n, _, _ in needs]
    for nid, name, factor in needs:
        sheets["needs"].append({"id": nid, "name": name, "factor": factor})
    for oid, name in OUTCOMES:
        sheets["outcomes"].append({"id": oid, "name": name, "description": ""})
    outcome_ids = [o for o, _ in OUTCOMES]
    for aid, kind, name in NATIONAL_ACTORS:
        sheets["actors"].append({"id": aid, "name": name, "kind": kind, "parent": "",
                                 "region": "Koko maa"})

    cross_region_services: list[str] = []
    for r in range(regions):
        _region(rnd, r, sheets, need_ids, outcome_ids, cross_region_services)

    # A few referrals across regions (people move; national services refer on).
    n_cross = max(1, REFERRALS_PER_REGION * regions // 100)
    for i in range(n_cross):
        a, b = rnd.sample(cross_region_services, 2)
        sheets["referrals"].append({
            "id": f"xref-{i + 1:05d}", "from": a, "to": b, "segments": "",
            "volume_per_month": str(rnd.randint(1, 5)),
            "median_wait_days": str(rnd.randint(5, 60)), "owner": "kela",
            "information_flow": rnd.choice(["yes", "no", "unknown"]),
        })
    return sheets


def _region(rnd: random.Random, r: int, sheets: dict[str, list[dict[str, str]]],
            need_ids: list[str], outcome_ids: list[str], cross: list[str]) -> None:
    """Append one region's rows; services are layered so referrals mostly flow forward."""
    p = f"r{r + 1:03d}"
    region_name = f"Alue {r + 1}"
    actors = []
    for i, (kind, name) in enumerate(LOCAL_ACTOR_KINDS[:LOCAL_ACTORS_PER_REGION]):
        aid = f"{p}-actor-{i + 1:02d}"
        parent = f"{p}-actor-01" if name in ("Työkykytiimi", "Psykiatria") else ""
        sheets["actors"].append({"id": aid, "name": f"{name} ({region_name})", "kind": kind,
                                 "parent": parent, "region": region_name})
        actors.append(aid)
    all_providers = actors + [a for a, _, _ in NATIONAL_ACTORS]

    segments = [f"{p}-seg-{i + 1:02d}" for i in range(SEGMENTS_PER_REGION)]
    services = [f"{p}-svc-{i + 1:03d}" for i in range(SERVICES_PER_REGION)]
    layer = {s: i * 5 // SERVICES_PER_REGION for i, s in enumerate(services)}  # 0..4
    entries = [s for s in services if layer[s] == 0]
    # Segments come in families (young people, health, debt and housing …): limits on
    # services and referrals usually name a whole family, and a family's segments usually
    # start at the family's few front doors, as in a real region.
    families = [segments[i:i + FAMILY_SIZE] for i in range(0, len(segments), FAMILY_SIZE)]
    front_doors = entries[:FRONT_DOORS]
    family_doors = [sorted(rnd.sample(front_doors, rnd.randint(1, 2))) for _ in families]

    def limit(single_max: int) -> list[str]:
        if rnd.random() < 0.97:
            return list(rnd.choice(families))
        return sorted(rnd.sample(segments, rnd.randint(1, single_max)))
    provider_sets: dict[str, list[str]] = {}

    for i, sid in enumerate(services):
        roll = rnd.random()
        if roll < 0.03:
            providers: list[str] = []
        elif roll < 0.75:
            providers = [rnd.choice(all_providers)]
        else:
            providers = sorted(set(rnd.sample(all_providers, rnd.randint(2, 3))))
        provider_sets[sid] = providers
        seg_limit = limit(4) if rnd.random() < 0.2 else []
        sheets["services"].append({
            "id": sid,
            "name": f"{SERVICE_NAMES[i % len(SERVICE_NAMES)]} {region_name} #{i + 1}",
            "providers": ";".join(providers),
            "capacity_per_month": str(rnd.randint(5, 80)) if rnd.random() < 0.7 else "",
            "entry": "yes" if sid in entries else "no",
            "needs": ";".join(sorted(rnd.sample(need_ids, rnd.randint(1, 3)))),
            "segments": ";".join(seg_limit),
            "method": rnd.choice(METHODS),
            "legal_basis": rnd.choice(LEGAL),
            "description": "",
        })
        if len(providers) >= 2:
            roll = rnd.random()
            leads = ([] if roll < 0.3 else providers[:2] if roll < 0.4 else [providers[0]])
            for a in leads:
                sheets["responsibilities"].append(
                    {"actor": a, "subject": sid, "role": "lead", "note": ""})
            for a in providers:
                if a not in leads:
                    sheets["responsibilities"].append(
                        {"actor": a, "subject": sid, "role": "participant", "note": ""})
    cross.extend(rnd.sample(services, 3))

    # Referrals: mostly to a later layer; some to outcomes from the last layers; a few back.
    by_layer = {k: [s for s in services if layer[s] == k] for k in range(5)}
    seen: set[tuple[str, str]] = set()
    referral_rows: list[dict[str, str]] = []
    applicable: dict[str, list[tuple[str, list[str]]]] = {s: [] for s in services}
    n = 0
    while n < REFERRALS_PER_REGION:
        src = rnd.choice(services)
        k = layer[src]
        roll = rnd.random()
        if k >= 2 and roll < 0.12 + 0.08 * k:
            dst = rnd.choice(outcome_ids)
        elif k < 4 and roll < 0.9:
            dst = rnd.choice(by_layer[rnd.randint(k + 1, 4)])
        else:
            dst = rnd.choice(services)
        if dst == src or (src, dst) in seen:
            continue
        seen.add((src, dst))
        n += 1
        segs = limit(3) if rnd.random() < 0.2 else []
        rid = f"{p}-ref-{n:04d}"
        owner = ""
        if rnd.random() < 0.88:
            owner = provider_sets[src][0] if provider_sets[src] else rnd.choice(actors)
        referral_rows.append({
            "id": rid, "from": src, "to": dst, "segments": ";".join(segs),
            "volume_per_month": str(rnd.randint(1, 25)) if rnd.random() < 0.8 else "",
            "median_wait_days": (str(round(rnd.lognormvariate(2.6, 0.7), 1))
                                 if rnd.random() < 0.9 else ""),
            "owner": owner,
            "information_flow": rnd.choices(["yes", "no", "unknown", ""], [5, 2, 2, 1])[0],
        })
        applicable[src].append((dst, segs))
        if not owner and rnd.random() < 0.5:
            sheets["responsibilities"].append(
                {"actor": rnd.choice(actors), "subject": rid, "role": "lead", "note": ""})
    sheets["referrals"].extend(referral_rows)

    for i, seg in enumerate(segments):
        if rnd.random() < 0.8:
            seg_entries = family_doors[i // FAMILY_SIZE]
        else:
            seg_entries = sorted(rnd.sample(entries, rnd.randint(1, 3)))
        sheets["segments"].append({
            "id": seg, "name": f"Asiakasryhmä {i + 1} ({region_name})",
            "size": str(rnd.randint(50, 5000)),
            "participation_rate": f"{rnd.uniform(0.05, 0.7):.2f}",
            "needs": ";".join(sorted(rnd.sample(need_ids, rnd.randint(2, 5)))),
            "entry": ";".join(seg_entries), "description": "",
        })
        if rnd.random() < 0.3:
            leads = rnd.sample(actors, 2 if rnd.random() < 0.2 else 1)
            for a in leads:
                sheets["responsibilities"].append(
                    {"actor": a, "subject": seg, "role": "lead", "note": ""})

    # Designed paths: walks along referrals that apply to the segment; one in five takes a
    # step that has no applicable referral, as drawn-by-hand paths sometimes do.
    for i in range(PATHS_PER_REGION):
        seg = rnd.choice(segments)
        node = rnd.choice(entries)
        steps = [node]
        while node in applicable and len(steps) < 7:
            options = [d for d, segs in applicable[node] if not segs or seg in segs]
            if rnd.random() < 0.2 or not options:
                options = [rnd.choice(services + outcome_ids)]
            nxt = rnd.choice(options)
            if nxt in steps:
                break
            steps.append(nxt)
            node = nxt
        pid = f"{p}-path-{i + 1:02d}"
        for j, node in enumerate(steps):
            sheets["paths"].append({
                "path": pid, "segment": seg, "step": str(j + 1), "node": node,
                "name": f"Palvelupolku {i + 1} ({region_name})" if j == 0 else "",
            })


def write_workbook_csv(sheets: dict[str, list[dict[str, str]]], folder: str | Path) -> Path:
    """Write the sheets as ``<sheet>.csv`` files into ``folder`` atomically (whole folder)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from polku.io.atomic import output_dir

    folder = Path(folder)
    with output_dir(folder) as tmp:
        for sheet, columns in SHEETS.items():
            buf = io.StringIO()
            w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
            w.writeheader()
            for row in sheets[sheet]:
                w.writerow({c: row.get(c, "") for c in columns})
            (tmp / f"{sheet}.csv").write_text(buf.getvalue(), encoding="utf-8")
    return folder


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-o", "--out", required=True, help="workbook folder to write")
    ap.add_argument("--size", type=float, default=1.0, help="1 = national size; 10 = ten times")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--ttl", action="store_true",
                    help="also write OUT.ttl beside the folder (needs polku.workbook/rdf)")
    args = ap.parse_args(argv)
    sheets = generate(args.size, args.seed)
    folder = write_workbook_csv(sheets, args.out)
    counts = ", ".join(f"{k} {len(v)}" for k, v in sheets.items())
    print(f"wrote {folder}: {counts}")
    if args.ttl:
        from polku.io.rdf import write_turtle
        from polku.io.workbook import read_workbook

        ttl = folder.with_suffix(".ttl")
        write_turtle(read_workbook(folder), ttl)
        print(f"wrote {ttl}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
