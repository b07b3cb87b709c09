"""Push polku graphs to a Neo4j server and pull them back.

Many regional graphs live side by side in one Neo4j database. Each polku node becomes a
Neo4j node with two labels, :data:`NODE_LABEL` and the label of its type (``Service``,
``Referral`` …), and the properties ``id``, ``polku_region`` and its attributes; each edge
becomes a relationship whose type is the edge kind in capitals (``PROVIDES``, ``FROM`` …)
with the property ``key`` and its attributes. One :data:`REGION_LABEL` node per region keeps
the graph's own attributes (its name). A uniqueness constraint on ``(polku_region, id)``
keeps one node per id and region; Community edition has uniqueness (not node-key)
constraints, which is all a MERGE on id needs.

Attribute values that Neo4j can store (strings, booleans, 64-bit integers, floats, lists of
one of these) are stored as they are; the workbook's unknown columns (``extra``) become
``extra.<column>`` properties, and any other value a ``json.<name>`` property holding JSON,
so a push then a pull gives back the same graph (a tuple comes back as a list).

Safety: labels and relationship types come only from :data:`LABELS` and :data:`REL_TYPES`
(built from the fixed lists in :mod:`polku.graph`), every value travels as a query
parameter, and credentials are never part of a message. A push runs in one transaction, so
a push that fails part way leaves the region as it was.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterator, Mapping
from urllib.parse import parse_qs, urlsplit, urlunsplit

import networkx as nx

from polku.errors import Phrase, PolkuError, PolkuErrors, Said
from polku.words import N_
from polku.graph import EDGE_KINDS, NODE_TYPES, new_graph
from polku.io.rdf import structural_problems
from polku.privacy import HETU_MESSAGE, hetu_in_graph
from polku.progress import Progress, silent

NODE_LABEL = "Polku"
REGION_LABEL = "PolkuRegion"
REGION_PROPERTY = "polku_region"
#: one node per follow-up of a region (``g.graph["followups"]``): its finding key, status,
#: owner, due date, note, updated and by as properties, queryable beside the graph
FOLLOW_UP_LABEL = "PolkuFollowUp"
#: node type → Neo4j label; fixed in code, never taken from data.
LABELS: dict[str, str] = {t: "".join(p.capitalize() for p in t.split("_")) for t in NODE_TYPES}
#: edge kind → Neo4j relationship type; fixed in code, never taken from data.
REL_TYPES: dict[str, str] = {k: k.upper() for k in EDGE_KINDS}
TYPES_OF_LABEL = {v: k for k, v in LABELS.items()}
KINDS_OF_REL = {v: k for k, v in REL_TYPES.items()}
# Belt and braces: whatever graph.py lists, only plain identifiers ever reach query text.
assert all(re.fullmatch(r"[A-Z][A-Za-z]*", x) for x in LABELS.values())
assert all(re.fullmatch(r"[A-Z][A-Z_]*", x) for x in REL_TYPES.values())

#: the driver's port when a URI names none
BOLT_PORT = 7687
#: the server's code for a database it does not have
DATABASE_NOT_FOUND = "Neo.ClientError.Database.DatabaseNotFound"
NEO4J_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
DEFAULT_BATCH = 1000
EXTRA_PREFIX = "extra."
JSON_PREFIX = "json."
NODE_RESERVED = ("id", REGION_PROPERTY)
EDGE_RESERVED = ("key",)
INT64 = (-(2 ** 63), 2 ** 63 - 1)
#: what a failing call to the server was doing, as messages name it
ACTIONS = {"connect to": N_("connecting"), "findings query": N_("the findings query"),
           "schema set-up": N_("the schema set-up"), "push": N_("the push"),
           "listing of regions": N_("the listing of regions"), "pull": N_("the pull"),
           "delete": N_("the deletion")}


@dataclass(frozen=True)
class Target:
    """Where a graph lives: a server, optional credentials, database and region.

    The password is kept out of ``repr`` so that it cannot end up in a log or a traceback.
    """
    uri: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    database: str | None = None
    region: str | None = None

    @property
    def where(self) -> Phrase:
        """The server as messages name it (never with credentials), worded at the edge."""
        if self.database:
            return Phrase(N_("Neo4j at {uri}, database '{database}'"), uri=self.uri,
                          database=self.database)
        return Phrase(N_("Neo4j at {uri}"), uri=self.uri)


def target(uri: str | None = None, user: str | None = None, password: str | None = None,
           database: str | None = None, region: str | None = None) -> Target:
    """A :class:`Target` from options, falling back on ``NEO4J_URI``, ``NEO4J_USER`` and
    ``NEO4J_PASSWORD``. ``?region=R&database=D`` in the URI fill in what the options leave
    open. A password inside the URI is refused (it would show up in shell histories and
    process lists); ``user@`` is accepted.

    >>> t = target("neo4j://localhost:7687?region=keski-uusimaa", password="pw")
    >>> (t.uri, t.user, t.region)
    ('neo4j://localhost:7687', 'neo4j', 'keski-uusimaa')
    >>> t
    Target(uri='neo4j://localhost:7687', user='neo4j', database=None, region='keski-uusimaa')
    """
    text = uri or os.environ.get("NEO4J_URI")
    if not text:
        raise PolkuError(N_("no Neo4j server given: pass --uri or set NEO4J_URI"), params={})
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018  (raises ValueError for a bad port)
    except ValueError:
        raise PolkuError(N_("not a valid Neo4j URI (expected e.g. bolt://localhost:7687)"),
                         params={}) from None
    if parts.scheme not in NEO4J_SCHEMES or not parts.hostname:
        shown = f"{parts.scheme}://{parts.hostname or ''}" if parts.scheme else \
            Phrase(N_("the URI"))
        raise PolkuError(N_("{uri} is not a Neo4j URI (use bolt://host:port or "
                            "neo4j://host:port, optionally ?region=R&database=D)"),
                         params={"uri": shown})
    if parts.password is not None:
        raise PolkuError(N_("do not put the password in the Neo4j URI: use --password or "
                            "NEO4J_PASSWORD"), params={})
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = sorted(set(query) - {"region", "database"})
    if unknown:
        raise PolkuError(N_("unknown Neo4j URI parameter(s): {names} (known: region, "
                            "database)"), params={"names": ", ".join(unknown)})
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    if ":" in parts.hostname:  # IPv6 literal
        host = f"[{parts.hostname}]" + (f":{parts.port}" if parts.port else "")
    clean = urlunsplit((parts.scheme, host, parts.path, "", ""))
    password = password if password is not None else os.environ.get("NEO4J_PASSWORD")
    user = user or parts.username or os.environ.get("NEO4J_USER")
    if password is not None and not user:
        user = "neo4j"
    return Target(clean, user, password,
                  database or _one(query, "database") or None,
                  region or _one(query, "region") or None)


def _one(query: Mapping[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise PolkuError(N_("the Neo4j URI gives '{name}' {n} times"),
                         params={"name": name, "n": len(values)})
    return values[0]


# --- connection and errors -------------------------------------------------------------

@contextmanager
def open_driver(t: Target) -> Iterator[Any]:
    """A driver for ``t`` whose failures all come out as one clear :class:`PolkuError`."""
    import neo4j

    # The driver logs a broken connection at ERROR; without a handler of the application's,
    # logging's last resort would print that beside our own one-line error.
    driver_log = logging.getLogger("neo4j")
    if not driver_log.handlers:
        driver_log.addHandler(logging.NullHandler())
    auth = (t.user, t.password) if t.password is not None else None
    with neo4j_errors(t, "connect to"):
        driver = neo4j.GraphDatabase.driver(
            t.uri, auth=auth, connection_timeout=15, connection_acquisition_timeout=60,
            max_transaction_retry_time=0,
            # Server notifications (deprecations, cartesian products) would go to logging.
            notifications_min_severity="OFF")
    try:
        with neo4j_errors(t, "connect to"):
            driver.verify_connectivity()
        yield driver
    finally:
        driver.close()


@contextmanager
def neo4j_errors(t: Target, action: str, region: str | None = None) -> Iterator[None]:
    """Translate the driver's exceptions into PolkuError, naming the server, never the
    credentials."""
    from neo4j import exceptions as ex

    # each part of a message catalogued, worded at the edge (the driver's own reason is
    # the driver's English)
    during = Phrase(N_(" (region '{region}')"), region=region) if region else ""
    server = t.where
    what = Phrase(ACTIONS.get(action, action))
    rolled_back = Phrase(N_("; nothing was changed (the transaction was rolled back)")) \
        if action == "push" else ""
    try:
        yield
    except PolkuError:
        raise
    except ex.AuthError:
        if t.user:
            raise PolkuError(N_("{server} refused the credentials (user '{user}'): check "
                                "--user/--password or NEO4J_USER/NEO4J_PASSWORD"),
                             params={"server": server, "user": t.user}) from None
        raise PolkuError(N_("{server} refused the credentials (no credentials): check "
                            "--user/--password or NEO4J_USER/NEO4J_PASSWORD"),
                         params={"server": server}) from None
    except ex.IncompleteCommit:
        raise PolkuError(
            N_("the connection to {server} broke while committing{during}: the change may or "
               "may not have been applied; run the push again (it is idempotent)"),
            params={"server": server, "during": during}) from None
    except (ex.ServiceUnavailable, ex.SessionExpired, ex.TransactionError,
            ConnectionError, OSError) as e:
        reason = _known_cause(e, t) or _reason(e)
        if action == "connect to":
            raise PolkuError(N_("cannot connect to {server}: {reason}"),
                             params={"server": server, "reason": reason}) from None
        raise PolkuError(N_("lost the connection to {server} during {action}{during}: "
                            "{reason}{rolled_back}"),
                         params={"server": server, "action": what, "during": during,
                                 "reason": reason, "rolled_back": rolled_back}) from None
    except ex.Neo4jError as e:
        if e.code == DATABASE_NOT_FOUND and t.database:
            # nothing ran, so nothing was changed
            raise PolkuError(N_("{server} has no database '{database}'"),
                             params={"server": Phrase(N_("Neo4j at {uri}"), uri=t.uri),
                                     "database": t.database}) from None
        raise PolkuError(N_("{server} refused {action}{during}: {reason}{rolled_back}"),
                         params={"server": server, "action": what, "during": during,
                                 "reason": e.message or e.code,
                                 "rolled_back": rolled_back}) from None
    except ex.DriverError as e:
        raise PolkuError(N_("{action} failed at {server}{during}: {reason}"),
                         params={"server": server, "action": what, "during": during,
                                 "reason": _reason(e)}) from None
    except ValueError as e:
        # The driver's own checks of the URI and options.
        raise PolkuError(N_("cannot use {server}: {reason}"),
                         params={"server": server, "reason": str(e)}) from None


def _known_cause(e: BaseException, t: Target) -> Phrase | None:
    """Why the server could not be reached, in the reader's words, where the driver's
    exception says a cause we know (nobody listens at the address, the host name is
    unknown, no answer in time); else None, and the driver's own text is the detail. The
    routing driver (``neo4j://``) wraps each address's failure in its own exceptions: every
    one is looked through."""
    import socket

    address = _address_of(t)
    for cause in _causes(e):
        if isinstance(cause, ConnectionRefusedError):
            return Phrase(N_("no server answers at {address}"), address=address)
        if isinstance(cause, socket.gaierror):
            return Phrase(N_("the host name {host} is not known"),
                          host=urlsplit(t.uri).hostname or address)
        if isinstance(cause, (TimeoutError, socket.timeout)):
            return Phrase(N_("no answer from {address} in time"), address=address)
    return None


def _causes(e: BaseException) -> Iterator[BaseException]:
    """``e``, what caused it, and the members of an exception group among them."""
    seen: set[int] = set()
    waiting = [e]
    while waiting:
        x = waiting.pop(0)
        if id(x) in seen:
            continue
        seen.add(id(x))
        yield x
        waiting += [c for c in (x.__cause__, x.__context__) if c is not None]
        waiting += list(getattr(x, "exceptions", ()) or ())


def _address_of(t: Target) -> str:
    """The server's host and port as a message names them (the Bolt port when the URI
    gives none: where the driver knocked)."""
    parts = urlsplit(t.uri)
    host = f"[{parts.hostname}]" if ":" in (parts.hostname or "") else parts.hostname
    return f"{host}:{parts.port or BOLT_PORT}"


def _reason(e: BaseException) -> str:
    """The driver's explanation in one line: the socket's reason when it gives one."""
    text = " ".join(str(e).split()) or type(e).__name__
    found = re.search(r"reason:? (.*?)\)?$", text)
    return found.group(1).strip() if found else text


# --- values ------------------------------------------------------------------------------

def _storable(value: object) -> bool:
    """Whether Neo4j stores ``value`` as a property and gives the same value back."""
    if isinstance(value, bool) or isinstance(value, (str, float)):
        return True
    if isinstance(value, int):
        return INT64[0] <= value <= INT64[1]
    if type(value) is list and value:
        kinds = {type(x) for x in value}
        return len(kinds) == 1 and kinds <= {str, bool, int, float} and all(
            _storable(x) for x in value)
    return False


def _encode(attrs: Mapping[str, Any], reserved: tuple[str, ...], skip: tuple[str, ...],
            where: dict[str, str]) -> dict[str, Any]:
    """Neo4j properties for a node's or edge's attributes (see the module doc)."""
    out: dict[str, Any] = {}
    for name, value in attrs.items():
        if name in skip:
            continue
        if not isinstance(name, str) or name in reserved or name.startswith(
                (EXTRA_PREFIX, JSON_PREFIX)):
            raise PolkuError(N_("attribute name {name} is reserved for the Neo4j mapping"),
                             params={"name": repr(name)}, **where)
        if (name == "extra" and isinstance(value, dict) and value
                and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())):
            for col, text in value.items():
                out[EXTRA_PREFIX + col] = text
        elif _storable(value):
            out[name] = value
        else:
            try:
                out[JSON_PREFIX + name] = json.dumps(value, ensure_ascii=False, sort_keys=True)
            except (TypeError, ValueError):
                raise PolkuError(N_("attribute {name} has a value Neo4j cannot hold: "
                                    "{kind}"), params={"name": repr(name),
                                                       "kind": type(value).__name__},
                                 **where) from None
    return out


def _decode(props: Mapping[str, Any], reserved: tuple[str, ...]) -> dict[str, Any]:
    """The attributes that :func:`_encode` turned into ``props``."""
    attrs: dict[str, Any] = {}
    extra: dict[str, str] = {}
    for name, value in props.items():
        if name in reserved:
            continue
        if name.startswith(EXTRA_PREFIX):
            extra[name[len(EXTRA_PREFIX):]] = value
        elif name.startswith(JSON_PREFIX):
            attrs[name[len(JSON_PREFIX):]] = json.loads(value)
        else:
            attrs[name] = value
    if extra:
        attrs["extra"] = dict(sorted(extra.items()))
    return attrs


# --- schema ------------------------------------------------------------------------------

SCHEMA = (
    # One node per (region, id), whatever its type: MERGE on id relies on it, and it backs
    # the index every lookup of a node uses.
    f"CREATE CONSTRAINT polku_node_region_id IF NOT EXISTS FOR (n:{NODE_LABEL}) "
    f"REQUIRE (n.{REGION_PROPERTY}, n.id) IS UNIQUE",
    f"CREATE CONSTRAINT polku_region_name IF NOT EXISTS FOR (r:{REGION_LABEL}) "
    f"REQUIRE r.{REGION_PROPERTY} IS UNIQUE",
    # Pull and clean-up select a whole region.
    f"CREATE INDEX polku_node_region IF NOT EXISTS FOR (n:{NODE_LABEL}) ON (n.{REGION_PROPERTY})",
)


def ensure_schema(driver: Any, database: str | None) -> None:
    """Create the constraints and indexes (idempotent). Schema changes cannot share a
    transaction with data, so this runs before the push's transaction."""
    for statement in SCHEMA:
        driver.execute_query(statement, database_=database)
    driver.execute_query("CALL db.awaitIndexes(300)", database_=database)


# --- push --------------------------------------------------------------------------------

@dataclass(frozen=True)
class PushResult:
    """What a push did: the region, what it now holds, what it removed, how long it took."""
    region: str
    nodes: int
    relationships: int
    deleted_nodes: int
    deleted_relationships: int
    created_nodes: int
    created_relationships: int
    statements: int
    seconds: float


def graph_rows(g: nx.MultiDiGraph, region: str) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    """Rows to push: node rows by type, relationship rows by kind (checked and encoded)."""
    nodes: dict[str, list[dict]] = defaultdict(list)
    for n, d in g.nodes(data=True):
        if not isinstance(n, str) or not n:
            raise PolkuError(N_("node id {id} is not a non-empty string"),
                             params={"id": repr(n)}, node=str(n))
        t = d.get("type")
        if t not in LABELS:
            raise PolkuError(N_("unknown node type {type} (known: {known})"),
                             params={"type": repr(t), "known": ", ".join(LABELS)}, node=n)
        props = _encode(d, NODE_RESERVED, ("type",), {"node": n})
        props["id"] = n
        props[REGION_PROPERTY] = region
        nodes[t].append({"id": n, "props": props})
    rels: dict[str, list[dict]] = defaultdict(list)
    for u, v, key, d in g.edges(keys=True, data=True):
        kind = d.get("kind")
        if kind not in REL_TYPES:
            raise PolkuError(N_("edge {source} → {target} has unknown kind {kind} "
                                "(known: {known})"),
                             params={"source": u, "target": v, "kind": repr(kind),
                                     "known": ", ".join(REL_TYPES)}, node=u)
        if not isinstance(key, str):
            raise PolkuError(N_("edge {source} → {target} ({kind}) has a key that is not a "
                                "string: {key}"),
                             params={"source": u, "target": v, "kind": kind, "key": repr(key)},
                             node=u)
        props = _encode(d, EDGE_RESERVED, ("kind",), {"node": u})
        props["key"] = key
        rels[kind].append({"u": u, "v": v, "key": key, "props": props})
    return nodes, rels


def _node_statement(node_type: str) -> str:
    label = LABELS[node_type]
    others = [x for x in LABELS.values() if x != label]
    # A node whose type changed keeps its id; drop the old type's label.
    return (f"UNWIND $rows AS row "
            f"MERGE (n:{NODE_LABEL} {{{REGION_PROPERTY}: $region, id: row.id}}) "
            f"SET n = row.props, n:`{label}` "
            f"REMOVE n:{':'.join(f'`{x}`' for x in others)}")


def _rel_statement(kind: str) -> str:
    return (f"UNWIND $rows AS row "
            f"MATCH (a:{NODE_LABEL} {{{REGION_PROPERTY}: $region, id: row.u}}) "
            f"MATCH (b:{NODE_LABEL} {{{REGION_PROPERTY}: $region, id: row.v}}) "
            f"MERGE (a)-[r:`{REL_TYPES[kind]}` {{key: row.key}}]->(b) "
            f"SET r = row.props")


def _batches(rows: list, size: int) -> Iterator[list]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def push_graph(g: nx.MultiDiGraph, uri: str | None = None, user: str | None = None,
               password: str | None = None, database: str | None = None,
               region: str | None = None, batch_size: int = DEFAULT_BATCH,
               progress: Progress = silent,
               expect: Callable[[nx.MultiDiGraph], None] | None = None) -> PushResult:
    """Make region ``region`` (default: the graph's name) of the Neo4j database equal to ``g``.

    Idempotent: nodes are MERGEd on ``(region, id)`` and relationships on their endpoints,
    type and key, in batches of ``batch_size`` rows (``UNWIND $rows``); properties are set
    to exactly the attributes; nodes and relationships of the region that ``g`` no longer
    has are deleted. Other regions are never read or written. Everything happens in one
    transaction: if the push fails part way, the region keeps its previous state.
    ``batch_size=1`` is one statement per row (for comparison in the benchmark).
    ``progress`` hears of every batch (rows written so far, of all rows).
    ``expect``: called, inside the transaction and after it holds the region's write lock,
    with the region as it is now; what it raises rolls the push back. A writer that read
    the region before passes a check of that version, so that two servers over one
    database never overwrite each other's change (the check and the write are one
    transaction).

    >>> push_graph(g, "bolt://localhost:7687", password="…")  # doctest: +SKIP
    PushResult(region='keski-uusimaa', nodes=210, relationships=668, ...)
    """
    t = target(uri, user, password, database, region)
    region = t.region or str(g.graph.get("name") or "")
    if not region:
        raise PolkuError(N_("no region given and the graph has no name: pass --region"),
                         params={})
    if batch_size < 1:
        raise PolkuError(N_("batch size must be at least 1, not {n}"), params={"n": batch_size})
    nodes, rels = graph_rows(g, region)
    graph_attrs = json.dumps({k: v for k, v in g.graph.items() if k != "followups"},
                             ensure_ascii=False, sort_keys=True, default=str)
    followups = followup_rows(g)
    started = time.perf_counter()
    counts: dict[str, int] = defaultdict(int)
    with open_driver(t) as driver:
        with neo4j_errors(t, "schema set-up"):
            ensure_schema(driver, t.database)
        with neo4j_errors(t, "push", region), driver.session(database=t.database) as session:
            tx = session.begin_transaction()
            try:
                if expect is not None:
                    # the region node's lock is taken first and held to the commit: a
                    # second writer waits here, then reads what the first one committed
                    tx.run(f"MERGE (r:{REGION_LABEL} {{{REGION_PROPERTY}: $region}}) "
                           "SET r.version = coalesce(r.version, 0) + 1",
                           region=region).consume()
                    expect(_read_region(tx, replace(t, region=region))[0])
                gone_nodes, gone_rels = _write_region(tx, region, nodes, rels, graph_attrs,
                                                      batch_size, counts, progress, followups)
                tx.commit()
            finally:
                _close_quietly(tx)
    return PushResult(region, sum(map(len, nodes.values())), sum(map(len, rels.values())),
                      gone_nodes, gone_rels, counts["nodes_created"],
                      counts["relationships_created"], counts["statements"],
                      time.perf_counter() - started)


def _write_region(tx: Any, region: str, nodes: dict[str, list[dict]],
                  rels: dict[str, list[dict]], graph_attrs: str, batch_size: int,
                  counts: dict[str, int], progress: Progress = silent,
                  followups: list[dict] = ()) -> tuple[int, int]:
    """The push's statements, all in ``tx``; returns the numbers of nodes and relationships
    deleted."""
    def run(query: str, graph_part: bool = True, **params: Any) -> None:
        summary = tx.run(query, **params).consume()
        counts["statements"] += 1
        if graph_part:  # the region's own node is not part of the graph
            counts["nodes_created"] += summary.counters.nodes_created
            counts["relationships_created"] += summary.counters.relationships_created

    old_nodes, old_rels = _existing(tx, region)
    keep_nodes = {r["id"] for rows in nodes.values() for r in rows}
    keep_rels = {(r["u"], REL_TYPES[kind], r["key"], r["v"])
                 for kind, rows in rels.items() for r in rows}
    gone_rels = [eid for ident, eid in old_rels.items() if ident not in keep_rels]
    gone_nodes = [eid for n, eid in old_nodes.items() if n not in keep_nodes]
    for batch in _batches(gone_rels, batch_size):
        run("UNWIND $ids AS eid MATCH ()-[r]->() WHERE elementId(r) = eid DELETE r", ids=batch)
    for batch in _batches(gone_nodes, batch_size):
        run("UNWIND $ids AS eid MATCH (n) WHERE elementId(n) = eid DETACH DELETE n", ids=batch)
    run(f"MERGE (r:{REGION_LABEL} {{{REGION_PROPERTY}: $region}}) SET r.graph = $graph",
        graph_part=False, region=region, graph=graph_attrs)
    # follow-ups are few and small: replaced whole, in the same transaction
    run(f"MATCH (f:{FOLLOW_UP_LABEL} {{{REGION_PROPERTY}: $region}}) DETACH DELETE f",
        graph_part=False, region=region)
    if followups:
        run(f"UNWIND $rows AS row CREATE (f:{FOLLOW_UP_LABEL}) "
            f"SET f = row, f.{REGION_PROPERTY} = $region", graph_part=False, rows=list(followups),
            region=region)
    total = sum(map(len, nodes.values())) + sum(map(len, rels.values()))
    done = 0
    progress(Phrase(N_("pushing region \'{region}\'"), region=region), done, total)
    for node_type in sorted(nodes):
        query = _node_statement(node_type)
        for batch in _batches(nodes[node_type], batch_size):
            run(query, rows=batch, region=region)
            done += len(batch)
            progress(Phrase(N_("pushing region \'{region}\': {type} nodes"), region=region, type=node_type), done, total)
    for kind in sorted(rels):
        query = _rel_statement(kind)
        for batch in _batches(rels[kind], batch_size):
            run(query, rows=batch, region=region)
            done += len(batch)
            progress(Phrase(N_("pushing region \'{region}\': {kind} relationships"), region=region, kind=kind), done, total)
    progress(Phrase(N_("committing region \'{region}\'"), region=region))
    return len(gone_nodes), len(gone_rels)


def followup_rows(g: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """The graph's follow-ups as node property maps (``finding`` and the fields; a
    workbook's extra columns as ``extra.<column>``)."""
    rows = []
    for key, record in sorted((g.graph.get("followups") or {}).items()):
        row: dict[str, Any] = {"finding": key}
        for k, v in record.items():
            if k == "extra":
                row.update({EXTRA_PREFIX + c: str(x) for c, x in (v or {}).items()})
            elif v is not None:
                row[k] = v if _storable(v) else str(v)
        rows.append(row)
    return rows


def _close_quietly(tx: Any) -> None:
    """Roll back an unfinished transaction; if the connection is already gone, the server
    rolls it back itself, and the error that got us here is the one to report."""
    from neo4j.exceptions import DriverError, Neo4jError

    if tx.closed():
        return
    try:
        tx.rollback()
    except (DriverError, Neo4jError, OSError):
        pass


def _existing(tx: Any, region: str) -> tuple[dict[str, str], dict[tuple, str]]:
    """The region's node ids and relationship identities now in the database, each with
    its element id (for deleting what the new graph no longer has)."""
    nodes = {n: eid for n, eid in _rows(
        tx, f"MATCH (n:{NODE_LABEL} {{{REGION_PROPERTY}: $region}})", "n.id, elementId(n)",
        region)}
    rels = {(u, rt, key, v): eid for u, rt, key, v, eid in _rows(
        tx, f"MATCH (a:{NODE_LABEL} {{{REGION_PROPERTY}: $region}})-[r]->"
            f"(b:{NODE_LABEL} {{{REGION_PROPERTY}: $region}})",
        "a.id, type(r), r.key, b.id, elementId(r)", region)}
    return nodes, rels


def _rows(tx: Any, match: str, values: str, region: str, chunk: int = 2000) -> Iterator[list]:
    """The rows ``[values]`` of ``match``, fetched ``chunk`` rows to a record: the driver
    spends most of a pull on per-record work, so a record per row is 2–3 times slower."""
    result = tx.run(f"{match} WITH collect([{values}]) AS rows "
                    "UNWIND range(0, size(rows) - 1, $chunk) AS i "
                    "RETURN rows[i..i + $chunk] AS chunk", region=region, chunk=chunk)
    for record in result:
        yield from record["chunk"]


# --- pull --------------------------------------------------------------------------------

def regions(uri: str | None = None, user: str | None = None, password: str | None = None,
            database: str | None = None) -> list[str]:
    """The regions held in the database, sorted."""
    t = target(uri, user, password, database)
    with open_driver(t) as driver, neo4j_errors(t, "listing of regions"):
        return _regions(driver, t.database)


def _regions(driver: Any, database: str | None) -> list[str]:
    records, _, _ = driver.execute_query(
        f"MATCH (r:{REGION_LABEL}) RETURN r.{REGION_PROPERTY} AS region ORDER BY region",
        database_=database)
    return [r["region"] for r in records]


def pull_graph(uri: str | None = None, user: str | None = None, password: str | None = None,
               database: str | None = None, region: str | None = None,
               progress: Progress = silent, checked: bool = True) -> nx.MultiDiGraph:
    """The graph of region ``region`` as a typed networkx graph (see :mod:`polku.graph`).

    Without a region, the database must hold exactly one. Reads in one transaction, so a
    push running at the same time is seen whole or not at all. A region no graph file may
    hold (a referral without its two ends, a number that is text: what
    :func:`polku.io.rdf.structural_problems` checks) is refused, located by the region's
    URI and the node; ``checked=False`` reads it as it stands (to inspect or repair it).

    >>> g = pull_graph("bolt://localhost:7687", password="…", region="keski-uusimaa")  # doctest: +SKIP
    """
    return pull_region(uri, user, password, database, region, progress, checked)[0]


def pull_region(uri: str | None = None, user: str | None = None, password: str | None = None,
                database: str | None = None, region: str | None = None,
                progress: Progress = silent, checked: bool = True
                ) -> tuple[nx.MultiDiGraph, str]:
    """:func:`pull_graph`, and the region it read (the only one, when none is named): the
    graph's own name, kept with it, may be another (``push --region``)."""
    t = target(uri, user, password, database, region)
    with open_driver(t) as driver, neo4j_errors(t, "pull", t.region):
        with driver.session(database=t.database) as session:
            g, region = session.execute_read(_read_region, t, progress)
    if checked:
        # A shared database holds what any tool wrote: refuse what a graph file may not
        # hold, as reading that file would, so that no command analyses it and `pull`
        # writes no file that polku then refuses.
        refuse_unfit(g, t, region)
    return g, region


def refuse_unfit(g: nx.MultiDiGraph, t: Target, region: str, whole: bool = True) -> None:
    """Refuse what was read of region ``region`` as reading a graph file would refuse it:
    what :func:`polku.io.rdf.structural_problems` finds (``whole=False``: the nodes' own
    values only, for a read of some nodes without their edges, as
    :mod:`polku.analyses.neo4j_findings` reads them), then a personal identity code in any
    text (never quoted). Located by the region read (the graph's own name, kept with it,
    may be another: `push --region`) and the node."""
    problems = structural_problems(g, _address(t, region), with_edges=whole)
    if problems:
        raise PolkuErrors(problems)
    found = hetu_in_graph(g)
    if found is not None:
        node, attribute = found
        raise PolkuError(N_("the field {field} {problem}"),
                         params={"field": attribute, "problem": Said(HETU_MESSAGE)},
                         file=_address(t, region), node=node)


def _read_region(tx: Any, t: Target, progress: Progress = silent
                 ) -> tuple[nx.MultiDiGraph, str]:
    """The region's graph, and the region it is (the only one, when ``t`` names none)."""
    region = t.region
    if region is None:
        held = [r["region"] for r in tx.run(
            f"MATCH (r:{REGION_LABEL}) RETURN r.{REGION_PROPERTY} AS region ORDER BY region")]
        if len(held) != 1:
            if held:
                raise PolkuError(N_("{server} holds {n} regions ({names}): name one with "
                                    "--region or ?region="),
                                 params={"server": t.where, "n": len(held),
                                         "names": ", ".join(held)})
            raise PolkuError(N_("{server} holds 0 regions: name one with --region or "
                                "?region="), params={"server": t.where})
        region = held[0]
    g = region_graph(tx, t, region)
    followups = {}
    for record in tx.run(f"MATCH (f:{FOLLOW_UP_LABEL} {{{REGION_PROPERTY}: $region}}) "
                         "RETURN properties(f) AS props", region=region):
        props = dict(record["props"])
        props.pop(REGION_PROPERTY, None)
        key = props.pop("finding")
        extra = {k[len(EXTRA_PREFIX):]: v for k, v in props.items() if k.startswith(EXTRA_PREFIX)}
        followups[key] = {k: v for k, v in props.items() if not k.startswith(EXTRA_PREFIX)}
        if extra:
            followups[key]["extra"] = extra
    if followups:
        g.graph["followups"] = followups
    for n, labels, props in _rows(tx, f"MATCH (n:{NODE_LABEL} {{{REGION_PROPERTY}: $region}})",
                                  "n.id, labels(n), properties(n)", region):
        if not g.number_of_nodes() % 2000:
            progress(Phrase(N_("pulling region \'{region}\': nodes"), region=region), g.number_of_nodes())
        types = [TYPES_OF_LABEL[x] for x in labels if x in TYPES_OF_LABEL]
        if len(types) != 1:
            raise PolkuError(
                N_("region '{region}' in {server}: the node has no type label (labels: "
                   "{labels})") if not types else
                N_("region '{region}' in {server}: the node has several type labels "
                   "(labels: {labels})"),
                params={"region": region, "server": t.where,
                        "labels": ", ".join(sorted(labels))}, node=n)
        g.add_node(n, type=types[0], **_decode(props, NODE_RESERVED))
    for u, v, rel_type, props in _rows(
            tx, f"MATCH (a:{NODE_LABEL} {{{REGION_PROPERTY}: $region}})-[r]->"
                f"(b:{NODE_LABEL} {{{REGION_PROPERTY}: $region}})",
            "a.id, b.id, type(r), properties(r)", region):
        if not g.number_of_edges() % 2000:
            progress(Phrase(N_("pulling region \'{region}\': relationships"), region=region), g.number_of_edges())
        kind = KINDS_OF_REL.get(rel_type)
        if kind is None:
            raise PolkuError(N_("region '{region}' in {server}: relationship type {type} "
                                "to {target} is not a polku edge kind"),
                             params={"region": region, "server": t.where,
                                     "type": repr(rel_type), "target": v}, node=u)
        key = props.get("key") or kind
        g.add_edge(u, v, key=key, kind=kind, **_decode(props, EDGE_RESERVED))
    return g, region


def region_graph(tx: Any, t: Target, region: str) -> nx.MultiDiGraph:
    """An empty graph with region ``region``'s own attributes (its name, title, a merged
    graph's ``regions`` …, as its :data:`REGION_LABEL` node keeps them), read in ``tx``; a
    region the database does not hold is refused."""
    meta = tx.run(f"MATCH (r:{REGION_LABEL} {{{REGION_PROPERTY}: $region}}) "
                  "RETURN r.graph AS graph", region=region).single()
    if meta is None:
        raise PolkuError(N_("{server} has no region '{region}'"),
                         params={"server": t.where, "region": region})
    g = new_graph(region)
    if meta["graph"]:
        g.graph.update(json.loads(meta["graph"]))
    return g


def _address(t: Target, region: str) -> str:
    """Where a pulled region's problems are located: its URI as a reader would give it
    (``neo4j://host:7687?region=R``, with ``&database=D`` when one is named)."""
    query = f"?region={region}" + (f"&database={t.database}" if t.database else "")
    return t.uri + query


def pull_graph_from_uri(text: str) -> nx.MultiDiGraph:
    """:func:`pull_graph` for a ``neo4j://host:port?region=R`` URI (what
    :func:`polku.io.load.load_graph` accepts); credentials from the environment."""
    return pull_graph(text)


def is_neo4j_uri(text: str) -> bool:
    """Whether ``text`` names a Neo4j server rather than a file.

    >>> is_neo4j_uri("bolt://localhost:7687?region=x"), is_neo4j_uri("graphs/x.ttl")
    (True, False)
    """
    return text.split("://", 1)[0] in NEO4J_SCHEMES and "://" in text


def delete_region(uri: str | None = None, user: str | None = None, password: str | None = None,
                  database: str | None = None, region: str | None = None) -> int:
    """Remove one region (its nodes, relationships, follow-ups and region node) in one
    transaction; returns the number of nodes removed. A region the database does not hold
    is refused, naming those it holds (a typo deletes nothing, and says so)."""
    t = target(uri, user, password, database, region)
    if not t.region:
        raise PolkuError(N_("name the region to delete"), params={})
    with open_driver(t) as driver, neo4j_errors(t, "delete", t.region):
        with driver.session(database=t.database) as session:
            return session.execute_write(_delete_region, t)


def _delete_region(tx: Any, t: Target) -> int:
    """:func:`delete_region` in the transaction ``tx``: the check and the delete are one."""
    held = [r["region"] for r in tx.run(
        f"MATCH (r:{REGION_LABEL}) RETURN r.{REGION_PROPERTY} AS region ORDER BY region")]
    check_held(t, held)
    record = tx.run(
        f"MATCH (n:{NODE_LABEL} {{{REGION_PROPERTY}: $region}}) DETACH DELETE n "
        f"WITH count(*) AS removed "
        f"OPTIONAL MATCH (r:{REGION_LABEL} {{{REGION_PROPERTY}: $region}}) DETACH DELETE r "
        f"WITH DISTINCT removed "
        f"OPTIONAL MATCH (f:{FOLLOW_UP_LABEL} {{{REGION_PROPERTY}: $region}}) DETACH DELETE f "
        "WITH DISTINCT removed RETURN removed", region=t.region).single()
    return record["removed"] if record else 0


def check_held(t: Target, held: list[str]) -> None:
    """Refuse ``t``'s region when the database (holding the regions ``held``) has none of
    that name, naming the regions it has."""
    if t.region in held:
        return
    if held:
        raise PolkuError(N_("{server} has no region '{region}' (its regions: {names})"),
                         params={"server": t.where, "region": t.region,
                                 "names": ", ".join(held)}, field="region")
    raise PolkuError(N_("{server} has no region '{region}'"),
                     params={"server": t.where, "region": t.region}, field="region")


def equal_graphs(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> bool:
    """Whether two polku graphs hold the same nodes with the same attributes and the same
    edges (endpoints, keys and attributes). Ids are the identity, so this is isomorphism
    with the ids kept."""
    return (dict(a.nodes(data=True)) == dict(b.nodes(data=True))
            and _edge_set(a) == _edge_set(b))


def _edge_set(g: nx.MultiDiGraph) -> dict[tuple, dict]:
    return {(u, v, k): d for u, v, k, d in g.edges(keys=True, data=True)}


__all__ = [
    "LABELS", "REL_TYPES", "NODE_LABEL", "REGION_LABEL", "REGION_PROPERTY", "Target",
    "PushResult", "target", "push_graph", "pull_graph", "pull_region", "pull_graph_from_uri",
    "regions", "region_graph", "refuse_unfit",
    "delete_region", "is_neo4j_uri", "equal_graphs", "graph_rows", "ensure_schema",
]
