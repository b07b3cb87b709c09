"""The web UI's pages: the index, a graph with its findings and edit forms, the views and
their table alternatives, the path explorer, the queueing what-if, the bottleneck ranking,
the change log and the report. Every page is self-contained (inline styles and scripts, nothing from a CDN), in
the request's language (:mod:`polku.server.language`: Finnish, Swedish or English, with a
switch on every page), and shows a banner while a graph's source is broken.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable
from urllib.parse import urlencode

import networkx as nx
from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from markupsafe import escape

from polku.io import workbook
from polku.errors import PolkuError
from polku.graph import nodes_of
from polku.present.cells import (CHOICE_NAMES, COLUMN_NAMES, SHEET_NAMES,  # noqa: F401
                                 cell_shown, column_shown)
from polku.present import langmarks
from polku.present.i18n import (DEFAULT_LANG, N_, Translator, alphabetical, error_message, error_text,
                               merged_region_names)
from polku.present.merged import region_rows
from polku.present.messages import finding_json, subject_name
from polku.present.printers import TYPE_NAMES
from polku.present.views.table import table_rows
from polku.present.captions import path_caption
from polku.present.results import (also_removed, bottlenecks_worded, described, paths_worded,
                                    queue_worded)
from polku.present.report import ranking_note
from polku.analyses.queues import MAX_CALIBRATED_UTILIZATION
from polku.ops.model import Model
from polku.ops.operations import (Bottlenecks, Describe, Findings, Paths, Queueing, Raci,
                                  Review, answer)
from polku.present.operations import Report, ViewOf
from polku.privacy import EDITOR, MIN_CELL, PUBLIC, changes_for
from polku.words import NODE_TYPE_NAMES, SEVERITY_NAMES
from polku.server.api import graph_headers
from polku.server.auth import Access, Credentials, Principal, carries
from polku.server.contract import ApiError, problem_worded, problems_listed, responses
from polku.server.language import PageLanguage, page_language
from polku.server.place import root_of
from polku.server.store import GraphStore, Version

PAGE = responses(400, 404, 409)


def shown(g: nx.MultiDiGraph | None, name: str | None, tr: Translator) -> str | None:
    """A graph as its pages name it to a reader of ``tr``'s language: its title in that
    language (the graph sheet's ``title_sv``/``title_en``), else its primary title, marked
    with its language (a page's translator marks), else its id."""
    return tr.title(g, name) if g is not None else name


def environment() -> Environment:
    # the server's pages first; then the views' parts a page shows too (a chart's table)
    return Environment(loader=ChoiceLoader([PackageLoader("polku", "templates/server"),
                                            PackageLoader("polku", "templates")]),
                       autoescape=select_autoescape(default=True, default_for_string=True))


@dataclass(frozen=True)
class FormColumn:
    name: str
    label: str
    required: bool = False
    choices: tuple[str, ...] = ()
    hint: str = ""
    #: the node types a reference column names: the field is a combobox of their names
    targets: tuple[str, ...] = ()
    #: several references, separated by ';'
    several: bool = False
    #: the choice whose words (:data:`polku.io.workbook.CHOICE_WORDS`) a stored cell may
    #: say (``bool``, ``role``, ``information_flow``, ``status``): the form shows a stored
    #: ``nej`` as the option *no*
    words: str = ""
    #: the language the field's text is written in (a name column's: ``name_sv`` is
    #: Swedish, the main ``name`` the graph's own language unless its row's ``name_lang``
    #: says otherwise): the field is labelled with it and marked with ``lang``
    lang: str = ""


@dataclass(frozen=True)
class Form:
    """One edit form of the graph page: a sheet and the columns it offers."""
    id: str
    sheet: str
    title: str
    columns: tuple[str, ...]
    mode: str = "upsert"  # "upsert": new row or edit one; "update": edit only


FORMS = (
    Form("service", "services", N_("Service"),
         ("id", "name", "name_fi", "name_sv", "name_en", "providers", "capacity_per_month", "entry",
          "needs", "segments", "legal_basis")),
    Form("referral", "referrals", N_("Referral"),
         ("id", "from", "to", "segments", "volume_per_month", "median_wait_days", "owner",
          "information_flow")),
    Form("responsibility", "responsibilities", N_("Responsibility"),
         ("actor", "subject", "role", "note")),
    Form("owner", "referrals", N_("Owner of a referral"), ("owner",), "update"),
    Form("followup", "followups", N_("Follow-up of a finding"),
         ("finding", "status", "owner", "due", "note")),
)
#: what a person types in a column of each kind
HINTS = {"refs": N_("ids separated by ';'"), "ref": N_("an id"),
         "number": N_("a number (0,5 or 0.5)"), "integer": N_("a whole number"),
         "ratio": N_("a share between 0 and 1"), "date": N_("a date: 2026-03-31 or 31.3.2026"),
         "finding_key": N_("the finding's key, shown beside it")}
#: the node types a reference may name (singular; the one catalogue, :mod:`polku.words`)
TARGET_NAMES = {t: one for t, (one, _) in NODE_TYPE_NAMES.items()}
#: the states of a served graph and the actions of the change log
#: what a served graph's source is, as a person reads it (``entry.kind``)
SOURCE_KIND_NAMES = {"workbook": N_("workbook folder"), "xlsx": N_("Excel workbook"),
                     "turtle": N_("Turtle file"), "jsonld": N_("JSON-LD file"),
                     "neo4j": N_("Neo4j database")}
STATE_NAMES = {"ok": N_("ok"), "stale": N_("source broken, last good version served"),
               "failed": N_("failed to load")}
ACTION_NAMES = {"create": N_("added"), "update": N_("changed"), "delete": N_("deleted"),
                "undo": N_("undone"), "batch": N_("changed together")}


def form_columns(form: Form, tr: Translator) -> list[FormColumn]:
    sheet = workbook.SHEETS[form.sheet]
    out = []
    for name in form.columns:
        # name_fi is no column of the sheets' own: the Finnish name of a row named in
        # another language first (polku.graph.name_of), kept as an extra column
        col = sheet.column(name) or (workbook.Column(name) if name in NAME_LANGS else None)
        assert col is not None
        choices = col.choices or (("yes", "no") if col.kind == "bool" else ())
        hint = tr(HINTS[col.kind]) if col.kind in HINTS else ""
        if col.targets:
            kinds = ", ".join(tr(TARGET_NAMES.get(t, t)) for t in col.targets)
            hint = tr("{hint} ({kinds})").format(hint=hint, kinds=kinds) if hint else kinds
        lang = NAME_LANGS.get(name, "")
        label = tr(NAME_LABELS[lang]) if lang else column_shown(form.sheet, name, tr)
        if name == "name":
            hint = tr("The main name: a reader of another language sees it where the row "
                      "has no name in theirs.")
        elif lang == NAME_LANGS["name"]:
            # beside the main name, which is in this language unless the row says another:
            # labelled so that no one types the main name twice (the page's script shows
            # it only for a row whose main name is in another language, and labels it then
            # as the other names are)
            label = tr(BESIDE_MAIN_LABEL)
            hint = tr("Only for a row whose main name is in another language: the row's "
                      "name in Finnish.")
        out.append(FormColumn(name, label, col.required, tuple(choices), hint,
                              tuple(col.targets), col.kind == "refs", _words_of(col), lang))
    return out


#: the language a name column is written in: the main ``name`` in the graph's own language
#: (Finnish; a row's ``name_lang`` may say another, and the page then relabels the field)
NAME_LANGS = {"name": DEFAULT_LANG, "name_fi": "fi", "name_sv": "sv", "name_en": "en"}
#: a name field's label, by the language it is written in
NAME_LABELS = {"fi": N_("Name in Finnish"), "sv": N_("Name in Swedish"),
               "en": N_("Name in English")}
#: the label of the field in the graph's own language beside the main name (``name_fi``)
#: as the page is sent: the main name is that language's unless its row says another
BESIDE_MAIN_LABEL = N_("Name in Finnish, when the main name is in another language")


def _words_of(col: workbook.Column) -> str:
    """The choice whose words a cell of ``col`` may say (:attr:`FormColumn.words`)."""
    if col.kind in ("bool", "status"):
        return col.kind
    return col.name if col.kind == "enum" and col.name in workbook.CHOICE_WORDS else ""


def form_words(forms: tuple[Form, ...]) -> dict[str, dict[str, str]]:
    """Every word a stored cell of a choice the forms offer may say -> the option it is
    (:func:`polku.io.workbook.choice_words`), by choice: what the page script reads a
    loaded row with, so a ``kyllä`` loads as *yes* and is not lost on the next save.

    >>> form_words(FORMS)["bool"]["nej"], form_words(FORMS)["role"]["huvudansvar"]
    ('no', 'lead')
    """
    kinds = {_words_of(col) for f in forms for col in workbook.SHEETS[f.sheet].columns
             if col.name in f.columns} - {""}
    return {k: workbook.choice_words(k) for k in sorted(kinds)}


def reference_choices(g: nx.MultiDiGraph, forms: tuple[Form, ...], tr: Translator
                      ) -> dict[str, list[tuple[str, str, str | None]]]:
    """Node type -> (id, name in ``tr``'s language, the name's language when it is another
    one, else None) of every node a reference field of ``forms`` may name, by name: what
    the forms' comboboxes offer (the page script marks a name in another language with it).
    """
    types = sorted({t for f in forms for name in f.columns
                    for col in [workbook.SHEETS[f.sheet].column(name)] if col is not None
                    for t in col.targets})

    def choice(n: str) -> tuple[str, str, str | None]:
        text, lang = tr.name(g, n)
        return n, text, lang if lang != tr.lang else None

    return {t: sorted((choice(n) for n in nodes_of(g, t)),
                      key=lambda item: (tr.order(item[1]), item[0])) for t in types}


def form_keys(g: nx.MultiDiGraph, form: Form, tr: Translator) -> list[tuple[str, str]]:
    """The rows an edit form may change, as its ``<option>``s say them, by name in the order
    of the reader's alphabet (the id, the option's value, parts two of one name): a node by
    its name and id, a referral by its two ends and its id, a responsibility by its actor,
    subject and role, a follow-up by its finding as the review names it
    (:func:`polku.present.finding_names.key_named`). An option holds text only, so no part
    of it can say its language (WCAG 3.1.2): one made of names of one language and codes
    (ids are codes in no language) says that language whole
    (``<option lang="fi">Ohjaamo (ohjaamo)</option>``); one that mixes a name with words of
    the page (a role) or names of two languages stays in the page's."""
    out: list[tuple[str, str]] = []
    if form.sheet == "followups":
        from polku.present.finding_names import FindingNames, key_named

        names = FindingNames(g, tr)
        out = [(k, key_named(k, names)) for k in g.graph.get("followups") or {}]
    elif form.sheet == "responsibilities":
        from polku.graph import responsibilities

        out = [(f"{r.actor}~{r.subject}~{r.role}",
                f"{tr.label(g, r.actor)} → {tr.label(g, r.subject)} "
                f"({tr(CHOICE_NAMES.get(r.role, r.role))})")
               for r in responsibilities(g)]
    elif workbook.SHEETS[form.sheet].node_type == "referral":
        for n in nodes_of(g, "referral"):
            ends: dict[str, str] = {}  # the first "from" and the first "to", in one pass
            for _, v, k in g.out_edges(n, data="kind"):
                ends.setdefault(k, v)
            src, dst = ends.get("from", ""), ends.get("to", "")
            names = [tr.name(g, src), tr.name(g, dst)]
            langs = {x.lang for x in names if x.lang is not None}
            if len(langs) == 1:  # names of one language and the id, a code: said whole
                out.append((n, tr.mark(f"{names[0].text} → {names[1].text} ({n})",
                                       langs.pop())))
            else:
                out.append((n, f"{tr.label(g, src)} → {tr.label(g, dst)} ({n})"))
    else:
        for n in nodes_of(g, str(workbook.SHEETS[form.sheet].node_type)):
            name = tr.name(g, n)
            out.append((n, tr.mark(f"{name.text} ({n})", name.lang)))
    # sorted by what the reader reads: a language's marks are no letters of it
    out.sort(key=lambda o: (alphabetical(langmarks.unmarked(o[1]), tr.lang), o[0]))
    return out


def finding_link(g: nx.MultiDiGraph, name: str, subject: str, language: PageLanguage) -> str:
    """The view that shows a finding's subject, focused there (in the page's language).
    The plan view draws goals, measures and actors: a risk or an indicator is shown in its
    measure's tooltip, so its finding opens the plan focused on that measure."""
    node_type = g.nodes[subject].get("type") if subject in g else None
    if node_type in ("risk", "indicator"):
        edge = "has_risk" if node_type == "risk" else "has_indicator"
        measure = next((u for u, _, k in g.in_edges(subject, data="kind") if k == edge), None)
        if measure is not None:
            subject, node_type = measure, "measure"
    query: dict[str, object]
    if node_type == "path":
        query = {"view": f"path:{subject}"}
    elif node_type == "segment":
        query = {"view": f"segment:{subject}"}
    elif node_type in ("measure", "goal"):
        query = {"view": "plan", "focus": subject, "depth": 1}
    elif node_type in ("indicator", "risk"):  # of no measure: the whole plan
        query = {"view": "plan"}
    else:
        query = {"view": "ecosystem", "focus": subject, "depth": 1}
    return language.url(f"/graphs/{name}/view", **query)


def finding_facets(g: nx.MultiDiGraph, f: Any,
                   orgs_of: Callable[[Any], list[str]] | None = None
                   ) -> tuple[list[str], list[str]]:
    """The organisations (the top of each accountable actor's ``part_of`` chain: the rule
    of every door's actor filter, :func:`polku.analyses.accountable.organisations_of`,
    which ``orgs_of`` is when given) and the client segments a finding concerns, for the
    graph page's filters: the segments it names (subject, related, ``segment``/``segments``
    in its metrics), a referral's segments and a service's ``for_segment``."""
    from polku.analyses.accountable import organisations_of

    orgs = [o for o in (orgs_of or organisations_of(g))(f) if o in g]
    metrics = dict(f.metrics or {})
    many = metrics.get("segments")
    named = [f.subject, *f.related, metrics.get("segment"),
             *(many if isinstance(many, (list, tuple)) else ())]
    segs = {n for n in named if isinstance(n, str) and g.nodes.get(n, {}).get("type") == "segment"}
    if f.subject in g and g.nodes[f.subject].get("type") in ("referral", "service"):
        segs |= {v for _, v, k in g.out_edges(f.subject, data="kind") if k == "for_segment"}
    return orgs, sorted(segs)


def finding_filters(g: nx.MultiDiGraph, found: list[Any],
                    facets: dict[Any, tuple[list[str], list[str]]], tr: Translator
                    ) -> dict[str, list[tuple[str, ...]]]:
    """The choices of the findings filters: only values some finding has, named in ``tr``'s
    language as the findings table names them, each in the order of the reader's alphabet
    (organisations and segments by name, kinds by their names, what a kind means on hover:
    a third item, the option's title); severities from the most severe."""
    from polku.kinds import meaning
    from polku.present.i18n import kind_name

    segs = tr.by_name(g, {s for _, ss in facets.values() for s in ss})
    kinds = sorted(((k, kind_name(k, tr), tr(meaning(k)) if meaning(k) else k)
                    for k in {f.kind for f in found}), key=lambda kind: tr.order(kind[1]))
    return {"organisation": organisation_choices(g, {o for os_, _ in facets.values()
                                                     for o in os_}, tr),
            "severity": [(s, tr(SEVERITY_NAMES[s])) for s in SEVERITY_NAMES
                         if any(f.severity == s for f in found)],
            "kind": kinds, "segment": segs}


def organisation_choices(g: nx.MultiDiGraph, orgs: Iterable[str], tr: Translator
                         ) -> list[tuple[str, str]]:
    """Organisations to choose from, (id, name) each, by name in the order of the reader's
    alphabet (:func:`polku.present.i18n.alphabetical`): the graph page's organisation filter
    and the change log's chooser offer one list.

    >>> from polku.graph import new_graph
    >>> from polku.present.i18n import translator
    >>> g = new_graph("g")
    >>> for a, name in (("a", "Ähtäri"), ("b", "Vantaa"), ("c", "espoo")):
    ...     g.add_node(a, type="actor", name=name)
    >>> organisation_choices(g, ["a", "b", "c"], translator("fi"))
    [('c', 'espoo'), ('b', 'Vantaa'), ('a', 'Ähtäri')]
    """
    return tr.by_name(g, set(orgs))


def answering_organisations(g: nx.MultiDiGraph, found: Iterable[Any]) -> set[str]:
    """The organisations of ``g`` that answer for one of the findings ``found`` (the top
    of each accountable actor's chain, :func:`polku.analyses.accountable.organisations_of`):
    what the organisation choosers offer."""
    from polku.analyses.accountable import organisations_of

    orgs_of = organisations_of(g)
    return {o for f in found for o in orgs_of(f) if o in g}


def is_plan(counts: dict[str, int] | None) -> bool:
    """Whether a served graph is an action plan (``polku plan``): plan measures, and no
    services nor client segments to analyse.

    >>> is_plan({"service": 0, "segment": 0, "measure": 18}), is_plan({"service": 47})
    (True, False)
    """
    return bool(counts) and not counts.get("service") and not counts.get("segment") \
        and bool(counts.get("measure"))


def views_of(g: nx.MultiDiGraph, tr: Translator | None = None) -> list[tuple[str, str]]:
    """The views the UI offers for ``g`` (the views package's menu), titled in ``tr``'s
    language."""
    from polku.present.views import menu

    return menu(g, tr)


#: the roles of a signed-in person, as the account bar shows them
ROLE_LABELS = {"viewer": N_("viewer"), "editor": N_("editor"), "admin": N_("admin")}


@dataclass(frozen=True)
class Page(PageLanguage):
    """A page's language and who reads it: the account bar of every page (sign in, or the
    signed-in person with a sign-out form carrying the session's CSRF token)."""
    account: dict[str, Any] = field(default_factory=dict)

    def context(self) -> dict[str, object]:
        return {**super().context(), "account": self.account}


def account_of(who: Principal | None, signs_in: bool, request: Request,
               tr: Translator) -> dict[str, Any]:
    """What the account bar shows: nothing without an identity provider; else a sign-in
    link back to this page, or the person, their role and organisations, and the CSRF
    token the page's writes and its sign-out send back."""
    if not signs_in:
        return {}
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if who is None or who.via != "session":
        return {"enabled": True, "signed_in": False, "login": root_of(request.scope) + "/auth/login?" + urlencode(
            {"next": here, "lang": tr.lang})}
    return {"enabled": True, "signed_in": True, "name": who.name,
            "role": tr(ROLE_LABELS[who.role]) if who.role else tr("no role"),
            "role_id": who.role, "organisations": list(who.organisations),
            "csrf": who.csrf or "", "writes": who.writes}


def personal(language: PageLanguage) -> bool:
    """Whether the page shows who reads it (a signed-in person's name and their session's
    CSRF token): such a page is never kept for other readers."""
    return bool(isinstance(language, Page) and language.account.get("signed_in"))


def edit_title(editing: bool, language: PageLanguage, tr: Translator) -> str:
    """The heading the graph page's edit forms are collapsed under: for a reader who may
    not write (yet), what editing needs (signing in is one way where the server has an
    identity provider); for one signed in as a viewer (or with no role), that they are
    signed in so, and may not edit."""
    if editing:
        return tr("Edit forms")
    account = language.account if isinstance(language, Page) else {}
    if account.get("signed_in") and not account.get("writes"):
        # signed in already: what keeps them from editing is their role, not signing in
        if account.get("role_id") == "viewer":
            return tr("Edit forms: you are signed in as a viewer, who may not edit")
        return tr("Edit forms: you are signed in without a role, and may not edit")
    if account.get("enabled"):
        return tr("Edit forms: editing needs signing in or an edit key")
    return tr("Edit forms: editing needs an edit key")


def plain_switch(language: PageLanguage) -> bool:
    """Whether the page's address carries nothing but ``lang`` (its language switch then
    says nothing else), so that the page may be kept for every reader; other query
    parameters would make every address a new page to keep.

    >>> from polku.present.i18n import translator
    >>> plain_switch(PageLanguage(translator("fi"), {"fi": "/graphs/a?lang=fi"}))
    True
    >>> plain_switch(PageLanguage(translator("fi"), {"fi": "/graphs/a?x=1&lang=fi"}))
    False
    """
    return all(v.partition("?")[2] == f"lang={code}" for code, v in language.switch.items())


def pages_router(store: GraphStore, access: Access) -> APIRouter:
    """The pages over ``store``; a page is public (the published figures) unless the request
    carries an editor's credential (:class:`polku.server.auth.Access`)."""
    router = APIRouter()
    env = environment()
    writable = access.writable
    signs_in = access.oidc is not None

    # the dependencies are coroutines: each sync one would cost a request a trip to the
    # thread pool, and under load every trip waits its turn for the interpreter. Reading
    # headers is quick; judging a credential (an identity provider's token) is not, so
    # that goes to the pool, and only when the request carries one.
    async def credentials(request: Request, authorization: str | None = Header(
            None, alias="Authorization", include_in_schema=False)) -> Credentials:
        return Credentials.of_request(request, authorization)

    async def language_of(request: Request, language: PageLanguage = Depends(page_language),
                          creds: Credentials = Depends(credentials)) -> PageLanguage:
        if not signs_in:
            return language
        who = await run_in_threadpool(access.reader, creds) if carries(creds) else None
        return Page(language.tr, language.switch, language.root,
                    account_of(who, signs_in, request, language.tr))

    async def reader(creds: Credentials = Depends(credentials)) -> str:
        return await run_in_threadpool(access.audience, creds) if carries(creds) else PUBLIC

    Language = Depends(language_of)
    Reader = Depends(reader)

    def ask(model: Model, operation: Any, who: str) -> Any:
        """One operation for the page's reader; a bad parameter is a 400 naming its field."""
        try:
            return answer(operation, model, who)
        except PolkuError as e:
            raise ApiError(400, e.message, field=e.field, cause=e) from None

    def ask_view(model: Model, name: str, page: str, operation: ViewOf, who: str,
                 language: PageLanguage) -> Any:
        """:func:`ask` for a view; a view that is not one of the graph's (an unknown name,
        a missing or unknown id) answers with the graph's views, by their names in the
        reader's language, each a link to that view's ``page`` (``view`` or ``table``)."""
        try:
            return ask(model, operation, who)
        except ApiError as e:
            if e.field == "view":
                e.choices = (N_("The views of this graph"), [
                    (language.url(f"/graphs/{name}/{page}", view=v), title)
                    for v, title in views_of(model.published(who).graph, language.tr)])
            raise

    def html(template: str, language: PageLanguage, of: Version | None = None,
             g: nx.MultiDiGraph | None = None, status: int = 200, **context: Any
             ) -> HTMLResponse:
        stale = problem_worded(of.problem, language.tr) if of is not None else None
        # every problem of the broken source, listed below its first (as polku validate
        # lists them), so that all of them can be mended at once
        stale_all = [p["message"] for p in problems_listed(of.problem, language.tr)] \
            if of is not None else []
        # the workbook's names polku does not read though they look meant: beside every
        # page of the graph, as the broken source is, so a finding they cause is read
        # with its cause
        warned = [error_text(w, language.tr) for w in of.warnings] if of is not None else []
        illustrative = g is not None and bool(g.graph.get("illustrative"))
        # the graph's title from its graph sheet heads the page; its id stays in the links
        context.setdefault("graph_title", shown(g, context.get("name"), language.tr))
        # names in another language than the page's are marked with theirs (WCAG 3.1.2)
        body = langmarks.html(env.get_template(template).render(
            stale=stale, stale_all=stale_all, warned=warned, illustrative=illustrative, state_names=STATE_NAMES,
            severity_names=SEVERITY_NAMES, refused=status >= 400, **language.context(),
            **context))
        return HTMLResponse(body, status_code=status,
                            headers=graph_headers(of, language.tr) if of is not None else None)

    @router.get("/", response_class=HTMLResponse, responses=responses(400))
    def index(language: PageLanguage = Language) -> HTMLResponse:
        """The graphs served, with their state and source."""
        rows = [dict(e.summary(store.shadowed.get(e.source.name, []), language.tr),
                     problem=problem_worded(e.problem, language.tr)) for e in store.entries()]
        # an action plan (plan measures, no services nor client segments) is no regional
        # graph whose zero services are "ok": it is listed as what it is, apart
        return html("index.html", language, title=language.tr("Regional graphs"),
                    graphs=[r for r in rows if not is_plan(r.get("counts"))],
                    plans=[r for r in rows if is_plan(r.get("counts"))],
                    type_names=TYPE_NAMES)

    def graph_html(model: Model, version: Version, shadowed: list[str], name: str,
                   language: PageLanguage, who: str) -> HTMLResponse:
        from polku.kinds import meaning

        from polku.analyses.suggest import suggestable
        from polku.followup import effective
        from polku.present.i18n import kind_name
        from polku.words import KIND_NAMES
        from polku.followup import today
        from polku.present.printers import followup_text

        tr = language.tr
        g = model.graph
        seen = model.published(who).graph  # what the findings are worded from
        found = ask(model, Findings(), who)
        # the follow-ups the reader reads (the public's: Model.followup_shown)
        states = effective(seen.graph.get("followups") or {}, {f.key for f in found}, today())
        # people read the page: names in the sentences, the subject id beside (the link)
        from polku.analyses.accountable import organisations_of

        orgs_of = organisations_of(seen)
        facets = {f.key: finding_facets(seen, f, orgs_of) for f in found}
        regions = merged_region_names(seen, tr.lang)  # a merged graph's, by name
        findings = [dict(finding_json(f, seen, tr.plainly()), link=finding_link(g, name, f.subject, language),
                         subject_name=subject_name(seen, f.subject, tr, regions),
                         orgs=facets[f.key][0], segs=facets[f.key][1],
                         meaning=tr(meaning(f.kind)) if meaning(f.kind) else "",
                         followup=followup_text(states.get(f.key), tr.plainly(), seen),
                         overdue=bool(states.get(f.key, {}).get("overdue")),
                         # "suggest a fix" only where a fix can be suggested: a kind with
                         # a candidate generator (the one registry: suggest.GENERATORS)
                         suggestable=suggestable(f.kind),
                         # who must act, by name
                         acting=[tr.label(seen, a) for a in f.accountable])
                    for f in found]
        # the page opens with what to decide: the report's first page, its suggestions
        # checked on the copy the reader sees (as the suggestions route does); kept with
        # the version like the rest of the page
        from collections import Counter

        from polku.present.decisions import decided, decisions, set_aside, set_aside_text
        from polku.present.messages import worded
        from polku.present.report import decides_text, severity_names, unowned_note

        # the reader's model's index and decisions (their suggestions verified), chosen
        # once for the version and shared with the report, in every language: worded here
        reader = model.published(who)
        first = decisions(worded(found, seen, tr.plainly()), seen, reader.index, tr,
                          data=decided(reader, found))
        # the notes beneath them, as the report says them: what a follow-up closed, and
        # the findings nobody is accountable for that they leave out
        aside = set_aside(found, seen)
        aside_note = set_aside_text(aside, tr)
        left_out = unowned_note([f.to_dict() for f in found if not f.accountable], tr, first,
                                aside)
        for c in first:
            # "suggest a fix" asks for the first of its findings that has a generator
            c["suggest_key"] = next((k for k in c["keys"] if suggestable(k.split(":")[0])),
                                    None)
        # follow-ups whose finding does not occur now (it may never have: a follow-up can
        # be written for any key), each by its finding's name as the review names it
        from polku.present.finding_names import FindingNames, key_named

        finding_names = FindingNames(seen, tr)
        gone = [dict(s, text=followup_text(s, tr.plainly(), seen),
                     name=key_named(k, finding_names))
                for k, s in states.items() if k not in {f.key for f in found}]
        forms = [dict(id=f.id, sheet=f.sheet, title=tr(f.title), mode=f.mode,
                      columns=form_columns(f, tr),
                      existing=form_keys(seen if f.sheet == "followups" else g, f, tr),
                      choice_names=CHOICE_NAMES) for f in FORMS]
        # the edit controls are an editor's: one signed in, or the page read with an edit
        # key (the page's script reads it again so once a key is typed)
        editing = writable and who == EDITOR
        return html("graph.html", language, version, g,
                    title=shown(g, name, language.tr), name=name, editing=editing,
                    edit_title=edit_title(editing, language, tr),
                    kind_names={k: kind_name(k, tr) for k in KIND_NAMES},
                    choices=reference_choices(g, FORMS, tr), action_names=ACTION_NAMES,
                    words=form_words(FORMS),
                    name_labels={"": tr("Name"), **{k: tr(v) for k, v in NAME_LABELS.items()}},
                    sheet_names_worded={k: tr(v) for k, v in SHEET_NAMES.items()},
                    source_kinds=SOURCE_KIND_NAMES,
                    info=described(ask(model, Describe(), who), seen, tr),
                    views=views_of(g, tr), findings=findings, forms=forms, writable=writable,
                    decisions=first, set_aside_note=aside_note, unowned_note=left_out,
                    # the decisions are drawn as the report draws them (decisions.html)
                    severity_words=severity_names(tr), decides_text=lambda c: decides_text(c, tr),
                    severity_counts=Counter(f.severity for f in found),
                    regions=region_rows(seen, tr.marking()),
                    gone_followups=gone, filters=finding_filters(seen, found, facets, tr),
                    etag=model.version,
                    entry=dict(version.summary(shadowed, tr), etag=model.version),
                    type_names=TYPE_NAMES)

    @router.get("/graphs/{name}", response_class=HTMLResponse, responses=PAGE)
    async def graph_page(name: str, language: PageLanguage = Language,
                         who: str = Reader) -> HTMLResponse:
        """One graph: its findings (each linked to its node in a view), views (each with a
        table alternative), and the edit forms."""
        from polku.followup import today

        # a page kept with the version is sent from here; reading a version or rendering
        # a page happens in the pool
        if not personal(language) and plain_switch(language):
            found = store.current(name)
            if found is not None:
                model, version = found
                body = model.kept(("page:graph", name, who, language.lang, language.root,
                                   today(), version.problem_text(),
                                   tuple(store.shadowed.get(name, []))))
                if body is not None:
                    return HTMLResponse(body, headers=graph_headers(version, language.tr))
        return await run_in_threadpool(graph_page_answer, name, language, who)

    def graph_page_answer(name: str, language: PageLanguage, who: str) -> HTMLResponse:
        from polku.followup import today

        model, version = store.model(name)
        shadowed = list(store.shadowed.get(name, []))
        if personal(language) or not plain_switch(language):
            return graph_html(model, version, shadowed, name, language, who)
        # the page of a version is the same for every reader of one audience and language
        # on one day: rendered once and kept with the version's model (a broken source or
        # a file it shadows changes the page, so they are part of the key)
        key = ("page:graph", name, who, language.lang, language.root, today(),
               version.problem_text(), tuple(shadowed))
        body = model.memo(key, lambda: graph_html(model, version, shadowed, name, language,
                                                  who).body)
        return HTMLResponse(body, headers=graph_headers(version, language.tr))

    @router.get("/graphs/{name}/view", response_class=HTMLResponse, responses=PAGE)
    def view(name: str, view: str = "ecosystem", focus: str | None = None,
             depth: int = Query(1, ge=0, le=20),
             # k's bounds are the operation's check, in its words as on every door
             k: int = Query(5, description="a segment's view or blueprint: how many best "
                            "paths, 1 to 50"),
             to: str | None = Query(None, description="a segment's view or blueprint: its "
                                    "best paths to this outcome only"),
             language: PageLanguage = Language, who: str = Reader) -> HTMLResponse:
        """An interactive view (the page ``polku render`` writes)."""
        from polku.present.views import view_html
        from polku.present.views.page import page_title

        model, version = store.model(name)
        v = ask_view(model, name, "view", ViewOf(
            view=view, focus=focus, depth=depth, k=k, to=to or None, lang=language.lang),
            who, language)
        page = view_html(v)
        stale = problem_worded(version.problem, language.tr)
        stale_all = [p["message"] for p in problems_listed(version.problem, language.tr)]
        graph_title = shown(model.graph, name, language.tr)
        # the bar's other views of the segment show the same paths: k and the target go on
        bar = langmarks.html(env.get_template("viewbar.html").render(
            stale=stale, stale_all=stale_all, name=name, view=view, graph_title=graph_title, k=k, to=to or None,
            **language.context()))
        page = page.replace('<body class="polku-page">', '<body class="polku-page">' + bar, 1)
        # the title names the graph as the written page's does (the server's name for an
        # untitled graph), and polku: two regions' views of one segment are two pages
        # (WCAG 2.4.2)
        page = page.replace(f"<title>{escape(page_title(v.title, v.graph_title))}</title>",
                            f"<title>{escape(page_title(v.title, graph_title))} · polku</title>",
                            1)
        return HTMLResponse(page, headers=graph_headers(version, language.tr))

    @router.get("/graphs/{name}/table", response_class=HTMLResponse, responses=PAGE)
    def table(name: str, view: str = "ecosystem", focus: str | None = None,
              depth: int = Query(1, ge=0, le=20),
              k: int = Query(5, description="a segment's view or blueprint: how many best "
                             "paths, 1 to 50"),
              to: str | None = Query(None, description="a segment's view: its best paths "
                                     "to this outcome only"),
              language: PageLanguage = Language, who: str = Reader) -> HTMLResponse:
        """A view's facts as tables: for screen readers and keyboard users."""
        model, version = store.model(name)
        v = ask_view(model, name, "table", ViewOf(view=view, focus=focus, depth=depth, k=k,
                                                 to=to or None, lang=language.lang),
                     who, language)
        nodes, edges = table_rows(v, language.tr)
        # the title says it is the table, not the picture, and names the graph as the view
        # page's does (views.page.page_title, with the marks of a name in another language
        # kept for the page's header): a picture and its table, two regions' tables, are
        # pages of their own (WCAG 2.4.2)
        title = language.tr("{view}: as a table").format(view=v.title)
        graph = shown(model.graph, name, language.tr)
        if graph and langmarks.unmarked(graph) not in langmarks.unmarked(title):
            title = f"{title} · {graph}"
        return html("table.html", language, version, model.graph, title=title, name=name,
                    view=v, spec=view, nodes=nodes, edges=edges)

    @router.get("/graphs/{name}/paths", response_class=HTMLResponse, responses=PAGE)
    def path_explorer(name: str, segment: str | None = None, to: str | None = None,
                      k: str = Query("5", description="the number of paths, 1 to 50"),
                      language: PageLanguage = Language, who: str = Reader) -> HTMLResponse:
        """Path explorer: a segment's k best paths (to an outcome) and its designed paths.
        A bad value is answered 400 with the form, the message and the field marked."""
        tr = language.tr
        model, version = store.model(name)
        g = model.graph
        # the segments by name, as every picker of them; the first is shown until one is
        # chosen (a path explorer draws one segment's paths)
        segments = tr.by_name(g, nodes_of(g, "segment"))
        # the outcomes too: a picker is by name, not by id
        outcomes = tr.by_name(g, nodes_of(g, "outcome"))
        segment = segment or (segments[0][0] if segments else None)
        report, error = None, None
        if segment:
            try:
                # the form's own text: the operation's check words a bad count, as the
                # API's and the CLI's
                # ASCII digits, as the API reads k: isdigit() alone is true of '²' and
                # of other scripts' digits, which int() refuses or the API does not take
                digits = k.strip().lstrip("-")
                count = int(k) if digits.isascii() and digits.isdigit() else k
                report = paths_worded(answer(Paths(segment=segment, k=count,  # type: ignore[arg-type]
                                                   to=to or None),
                                             model, who), model.published(who).graph, tr)
            except PolkuError as e:
                # the field it is about is marked on the form, the message in the language
                error = {"field": e.field, "message": error_message(e, tr)}
        return html("paths.html", language, version, g, status=400 if error else 200,
                    title=tr("Path explorer: {graph}").format(
                        graph=shown(g, name, language.tr)), name=name,
                    segments=segments, outcomes=outcomes, segment=segment, to=to, k=k,
                    report=report, error=error,
                    # the captions `polku paths` prints, in the page's language
                    path_caption=lambda p, needs: path_caption(p, tr, bool(needs)))

    @router.get("/graphs/{name}/whatif", response_class=HTMLResponse, responses=PAGE)
    def whatif_page(name: str, segment: str | None = None,
                    service: list[str] = Query([], description="the services changed, one "
                                               "per row (repeatable)"),
                    capacity: list[str] = Query([], description="each row's new capacity"),
                    places: list[str] = Query([], description="each row's new places"),
                    demand: list[str] = Query([], description="each row's demand change"),
                    calibrate: bool = True,
                    remove: str | None = Query(None, description=(
                        "a service to remove instead of a change: the findings it creates, "
                        "resolves and takes with it")),
                    listed: str | None = Query(None, description=(
                        "the segment whose services the form listed (the form sends it): "
                        "another than segment re-shows the form with the new segment's "
                        "services, keeping the rows they hold")),
                    language: PageLanguage = Language, who: str = Reader) -> HTMLResponse:
        """Queueing what-if for the whole graph's services, or a client segment's when one
        is chosen (``segment``; the page chooses none itself): change the capacity, places
        or demand (in %) of one or more services, one row each, and see the affected
        services' observed wait beside the modelled utilisation and wait before and after
        (calibrated to the observed waits unless ``calibrate=false``), and the findings
        created and resolved. Or remove one of the services (``remove``) and see the findings
        created, resolved and gone with it, each saying why (as ``polku whatif --remove``).
        A bad value is answered 400 with the form, the message and the field marked.
        The page's script changes the service lists with the segment; without it, a form
        sent with another segment than it ``listed`` the services of comes back with the new
        segment's lists and says which chosen services they do not hold."""
        tr = language.tr
        model, version = store.model(name)
        g = model.graph
        segments = tr.by_name(g, nodes_of(g, "segment"))
        # none chosen is the whole graph, as `polku whatif` and the API without a segment:
        # the page picks no client segment for the reader
        segment = segment or None
        services: list[tuple[str, str]] = []
        removable: list[tuple[str, str]] = []
        rows = change_rows(service, capacity, places, demand)
        result, removal, error, notice = None, None, None, None
        try:
            services = queue_services(model, segment, tr)
            removable = queue_services(model, segment, tr, capacity=False)
            if listed is not None and listed != (segment or ""):
                rows, remove, notice = follow_segment(g, segment, services, removable, rows,
                                                      remove, tr)
            if notice:
                asked = None  # the reader chooses again among the new segment's services
            elif remove:
                removal = removal_result(model, remove, rows, tr=tr, language=language,
                                         name=name, who=who, segment=segment)
                asked = None
            else:
                asked = whatif_changes(model, segment, rows, tr)
            if asked is not None:
                result = whatif_result(model, *asked, tr=tr, language=language, name=name,
                                       rows=[r.service.strip() for r in rows],
                                       who=who, calibrate=calibrate, segment=segment)
        except ApiError as e:
            error = e
        title = tr("What if: {graph}").format(graph=shown(g, name, language.tr))
        return html("whatif.html", language, version, g, status=error.status if error else 200,
                    title=title, name=name, segments=segments, segment=segment,
                    services=services, rows=rows + [ChangeRow()], calibrate=calibrate,
                    max_calibrated=MAX_CALIBRATED_UTILIZATION, removable=removable,
                    remove=remove or "", removal=removal, result=result, error=error, error_row=getattr(error, "row", 0),
                    error_message=error.worded(tr) if error else None, notice=notice,
                    lists=model.memo(("whatif-lists", tr.lang), lambda: segment_lists(model, tr)))

    @router.get("/graphs/{name}/bottlenecks", response_class=HTMLResponse, responses=PAGE)
    def bottleneck_page(name: str, top: int = Query(20, description="How many services each "
                                                    "ranking lists (1 to 100 000)"),
                        language: PageLanguage = Language, who: str = Reader) -> HTMLResponse:
        """The bottleneck ranking: betweenness and flow."""
        tr = language.tr
        model, version = store.model(name)
        g = model.graph
        ranking = bottlenecks_worded(ask(model, Bottlenecks(top=top), who),
                                     model.published(who).graph, tr)
        note = ranking_note(ranking["by_betweenness"] + ranking["by_flow"],
                            model.published(who).graph.graph.get("min_cell") or MIN_CELL, tr)
        return html("bottlenecks.html", language, version, g,
                    title=tr("Bottlenecks: {graph}").format(
                        graph=shown(g, name, language.tr)), name=name,
                    ranking=ranking, note=note)

    @router.get("/graphs/{name}/raci", response_class=HTMLResponse, responses=PAGE)
    def raci_page(name: str, subjects: str = "all",
                  language: PageLanguage = Language, who: str = Reader) -> HTMLResponse:
        """The RACI matrix (who leads, takes part in, is consulted on or informed of what),
        sortable and filterable, for ``subjects`` (all, segments, services, referrals,
        measures)."""
        from polku.analyses.raci import SUBJECT_CHOICES
        from polku.present.raci_output import raci_section, raci_worded

        tr = language.tr
        if subjects not in SUBJECT_CHOICES:  # the page's own words, before any graph is read
            raise ApiError(400, tr("unknown subjects '{value}' (use {choices})").format(
                value=subjects, choices=", ".join(SUBJECT_CHOICES)), field="subjects")
        model, version = store.model(name)
        seen = model.published(who).graph
        m = raci_worded(ask(model, Raci(subjects=subjects), who), seen, tr)
        choices = [(c, tr(RACI_SUBJECTS[c])) for c in SUBJECT_CHOICES]
        return html("raci.html", language, version, model.graph,
                    title=tr("Responsibility matrix (RACI): {graph}").format(
                        graph=shown(model.graph, name, language.tr)),
                    name=name, subjects=subjects, choices=choices, table=raci_section(m, tr, seen))

    # named graphs: an unknown one is a 400 naming graphs, one that cannot be read a 409
    # (served_comparison)
    @router.get("/compare", response_class=HTMLResponse, responses=responses(400, 409))
    def compare_page(graphs: str | None = None, language: PageLanguage = Language,
                     who: str = Reader) -> HTMLResponse:
        """Regions side by side: the served graphs (or those named, comma-separated) on the
        same figures, as a small-multiples chart and a table; for the public small cells
        left out (an editor reads the true figures)."""
        from polku.present.regions import _notes, regions_table, small_multiples_svg

        from polku.server.compare import served_comparison

        served = served_comparison(store, graphs, who)
        result = served.result
        tr = language.tr

        def titles(names: list[str]) -> list[str]:
            return [tr.title(store.model(n)[0].graph) for n in names]
        return html("compare.html", language, title=tr("Regions side by side"),
                    rows=regions_table(result, tr) if result else [],
                    chart=small_multiples_svg(result, tr) if result else "",
                    notes=_notes(result, tr) if result else [], problems=served.problems,
                    not_regions=titles(served.not_regions),
                    merged_left_out=titles(served.merged_left_out), graphs=graphs or "")

    @router.get("/graphs/{name}/ptv", response_class=HTMLResponse, responses=PAGE)
    def ptv_page(name: str, language: PageLanguage = Language) -> HTMLResponse:
        """The graph beside the national service catalogue (PTV): the reader chooses the
        region's PTV files, sees what the graph lacks, what is gone and what changed, picks
        proposed edits and applies them as one change (undone as one)."""
        from polku.present.i18n import kind_name as finding_kind_name
        from polku.present.i18n import plural_forms
        from polku.server.http import UPLOADS
        from polku.words import KIND_NAMES

        tr = language.tr
        model, version = store.model(name)
        g = model.graph
        most = max(limit for _, limit in UPLOADS)
        words = {
            "missing": tr("In the catalogue, missing from the graph"),
            "gone": tr("In the graph, gone from the catalogue"),
            "changedTitle": tr("Changed in the catalogue"), "edits": tr("Proposed edits"),
            "kind": tr("kind"), "id": tr("id"), "name": tr("name"), "field": tr("field"),
            "model": tr("graph"), "catalogue": tr("catalogue"), "edit": tr("edit"),
            "apply": tr("apply"), "none": tr("None."),
            "pick": tr("Apply edit {n}"), "pickOne": tr("Choose at least one edit."),
            "reading": tr("Reading the files…"), "compared": tr("Compared."),
            "noFiles": tr("Choose the PTV files first."),
            "tooLarge": tr("The files are larger than {mb} MB in all."),
            # the count's forms, as the catalogue has them: the script picks one by n
            "applied": plural_forms(lambda n: tr.ngettext(
                "Applied {n} edit as change {version}; Undo takes it back.",
                "Applied {n} edits as change {version}; Undo takes them back together.", n)),
            "undone": tr("Undone (now change {version})."),
            # a stale version and a missing edit key in the page's words (its field,
            # comparing again), not the API's (its If-Match and Authorization headers); the
            # key's words are the graph page's (templates/server/write.html)
            "changed": tr("the graph changed since it was compared: compare again, then "
                          "apply the edits"),
            "needKey": tr("a write needs signing in, or an edit key: sign in, or write the "
                          "key in the field Edit key") if signs_in else
            tr("a write needs an edit key: write it in the field Edit key"),
            "created": tr("Findings created"), "resolved": tr("Findings resolved"),
            "severity": {k: tr(v) for k, v in SEVERITY_NAMES.items()},
            # a finding a change creates or resolves, by its kind's name
            "kinds": {k: finding_kind_name(k, tr) for k in KIND_NAMES},
        }
        return html("ptv.html", language, version, g,
                    title=tr("{graph} and the national service catalogue (PTV)").format(
                        graph=shown(g, name, language.tr)), name=name, writable=writable,
                    words=words,
                    source=version.source.shown, upload_bytes=most,
                    upload_mb=most >> 20)

    @router.get("/graphs/{name}/changes", response_class=HTMLResponse, responses=PAGE)
    def changes_page(name: str, since: str | None = Query(None, description=(
                         "The last review: a version of the change log (3) or a day "
                         "(2026-12-01 or 1.12.2026)")),
                     actor: str | None = Query(None, description=(
                         "Only the findings this organisation (an actor id) must act on")),
                     language: PageLanguage = Language, who: str = Reader) -> HTMLResponse:
        """The change log, newest first (for the public, small cells as ``<5`` and not who
        made a change), and with ``since`` what changed since the last review (the
        findings created and resolved, the follow-ups overdue: the ``review`` operation,
        as ``polku findings --since``). A bad ``since`` is answered 400 with the form, the
        message and the field marked."""
        from polku.present.printers import review_shown

        tr = language.tr
        review, error = None, None
        if since:
            # the log, the review and the ETag of one version, read together
            history, version = store.history(name)
            changes = list(reversed(history.entries))[:500]
            assert version.model is not None
            try:
                result = answer(Review(since=since, history=history, actor=actor or None),
                                version.model, who)
            except PolkuError as e:
                error = {"field": e.field, "message": error_message(e, tr)}
            else:
                # a page names nodes by their names (the ids on the keys)
                review = review_shown(result, version.model.published(who).graph,
                                      tr.plainly())
        else:
            # the version before the log is read: an ETag never newer than the changes listed
            version = store.entry(name).version
            changes = store.changes(name, 500)
        g = version.graph
        # the chooser offers what the graph page's filter does: the organisations that
        # answer for a finding the reader is shown (not every unit, employer and insurer),
        # and the actor asked for, which may be a unit
        actors: list[tuple[str, str]] = []
        if g is not None and version.model is not None:
            seen = version.model.published(who).graph
            orgs = answering_organisations(seen, answer(Findings(), version.model, who))
            if actor and seen.nodes.get(actor, {}).get("type") == "actor":
                orgs.add(actor)
            actors = organisation_choices(seen, orgs, tr)
        return html("changes.html", language, version, g, show_who=who == EDITOR,
                    status=400 if error else 200,
                    title=tr("Changes: {graph}").format(graph=shown(g, name, language.tr)),
                    name=name, changes=[change_shown(c, g, tr) for c in changes_for(
                        who, changes, followup_shown=version.followup_shown())],
                    action_names=ACTION_NAMES, since=since or "", review=review, error=error,
                    actors=actors, actor=actor or "")

    @router.get("/graphs/{name}/report", response_class=HTMLResponse, responses=PAGE)
    def report(name: str, language: PageLanguage = Language,
               who: str = Reader) -> HTMLResponse:
        """The leader's report."""
        from polku.present.report import report_html

        model, version = store.model(name)
        tr = language.tr
        data = ask(model, Report(lang=tr.lang), who)
        return HTMLResponse(report_html(model.published(who).graph, data, tr=tr,
                                        switch=language.switch),
                            headers=graph_headers(version, tr))

    return router


def change_shown(change: dict[str, Any], g: nx.MultiDiGraph | None,
                 tr: Translator) -> dict[str, Any]:
    """One change of the log as the page shows it: each row's sheet and key by their
    names (a follow-up's key, a finding's, as the review names it:
    :func:`polku.present.finding_names.key_named`), and its cells by their column names in
    ``tr``'s language, in the sheet's column order, references by the names of what they
    name, choices by their words; a changed row shows only the columns that changed, an
    added or deleted one its filled columns."""
    from polku.present.finding_names import FindingNames, key_named

    names = FindingNames(g, tr) if g is not None else None
    rows = []
    for r in change.get("changes") or [change]:
        sheet = str(r.get("sheet") or "")
        before, after = r.get("before") or {}, r.get("after") or {}
        if before and after:
            columns = [k for k in dict.fromkeys([*before, *after])
                       if before.get(k, "") != after.get(k, "")]
        else:
            columns = [k for k, v in (before or after).items() if str(v or "").strip()]
        # as the sheet has them (a row is kept by column id), a column it lacks last
        order = {c.name: i for i, c in enumerate(workbook.SHEETS[sheet].columns)} \
            if sheet in workbook.SHEETS else {}
        columns.sort(key=lambda k: order.get(k, len(order)))
        key = str(r.get("key") or "")
        if sheet == "followups" and names is not None:
            shown_key = key_named(key, names)
        else:
            shown_key = subject_name(g, key, tr) if g is not None and key in g else key

        def cell(k: str, row: dict[str, Any]) -> tuple[str, str]:
            if sheet == "followups" and k == "finding" and names is not None and row.get(k):
                return column_shown(sheet, k, tr), key_named(str(row[k]), names)
            return cell_shown(sheet, k, row.get(k, ""), g, tr)

        rows.append({"sheet": tr(SHEET_NAMES[sheet]) if sheet in SHEET_NAMES else sheet,
                     "key": key, "key_name": shown_key,
                     "before": [cell(k, before) for k in columns] if before else [],
                     "after": [cell(k, after) for k in columns] if after else []})
    return dict(change, rows=rows)


def queue_services(model: Model, segment: str | None, tr: Translator,
                   capacity: bool = True) -> list[tuple[str, str]]:
    """The services segment ``segment`` can reach that have a capacity (the ones the
    what-if page can change; ``capacity=False``: every one, the ones it can remove), as
    (id, name in ``tr``'s language), by name; without a segment every service of the
    graph (the what-if of the whole graph, as ``polku whatif`` without ``--segment``);
    from the model's own index."""
    from polku.analyses.reach import segment_reach

    from polku.analyses.paths import check_segment

    g = model.graph
    eco = model.index
    if segment is None:
        reach: Iterable[str] = eco.services
    else:
        try:
            # the operations' own check and words (and the segment it was likely meant to be)
            check_segment(g, segment)
        except PolkuError as e:
            raise ApiError(400, error_message(e, tr), field="segment") from None
        reach = segment_reach(eco, segment)
    return tr.by_name(g, (s for s in reach
                          if s in eco.services and (s in eco.capacity or not capacity)))


def segment_lists(model: Model, tr: Translator) -> dict[str, Any]:
    """What the what-if page's script needs to list a segment's services when the segment
    changes, compactly (a national graph has hundreds of segments): ``names``, every service
    of the graph as ``[id, name in tr's language, the name's language when it is another,
    has a capacity]`` in the order the form lists them (by name), and ``reach``, per
    segment the indexes of the services it reaches (:func:`queue_services` with
    ``capacity=False``), in that order, and under ``""`` (no segment chosen: the whole
    graph) every one.

    >>> from polku.graph import new_graph, add_edge
    >>> from polku.ops.model import Model
    >>> from polku.present.i18n import translator
    >>> g = new_graph(); g.add_node("s", type="segment")
    >>> g.add_node("b", type="service", name="Bee", capacity_per_month=3)
    >>> g.add_node("a", type="service", name="Aa"); add_edge(g, "s", "a", "entry")
    >>> add_edge(g, "s", "b", "entry")
    >>> g.add_node("c", type="service", name="Cee")  # no segment reaches it
    >>> segment_lists(Model(g), translator("en"))  # the names are Finnish: said so
    {'names': [['a', 'Aa', 'fi', False], ['b', 'Bee', 'fi', True], ['c', 'Cee', 'fi', False]], 'reach': {'s': [0, 1], '': [0, 1, 2]}}
    """
    from polku.analyses.reach import segment_reach

    g, eco = model.graph, model.index
    reach = {s: {v for v in segment_reach(eco, s) if v in eco.services}
             for s in nodes_of(g, "segment")}
    reach[""] = set(eco.services)
    named = [v for v, _ in tr.by_name(g, reach[""])]
    index = {v: i for i, v in enumerate(named)}
    names = []
    for v in named:
        text, lang = tr.name(g, v)
        names.append([v, text, lang if lang != tr.lang else None, v in eco.capacity])
    return {"names": names, "reach": {s: sorted(index[v] for v in vs)
                                      for s, vs in reach.items()}}


def follow_segment(g: nx.MultiDiGraph, segment: str | None, services: list[tuple[str, str]],
                   removable: list[tuple[str, str]], rows: list["ChangeRow"],
                   remove: str | None, tr: Translator
                   ) -> tuple[list["ChangeRow"], str | None, str | None]:
    """The what-if form sent with another segment than the one it listed the services of
    (changed without the page's script): the rows and the removal the new segment's lists
    hold, and what the page tells the reader, None when they hold every choice (the form is
    then answered as sent)."""
    have, may_remove = dict(services), dict(removable)
    kept = [r for r in rows if not r.service.strip() or r.service.strip() in have]
    dropped = [tr.label(g, r.service.strip()) if r.service.strip() in g else r.service.strip()
               for r in rows if r not in kept]
    if remove and remove not in may_remove:
        dropped.append(tr.label(g, remove) if remove in g else remove)
        remove = None
    if not dropped:
        return rows, remove, None
    return kept, remove, tr(
        "The lists now hold the services of {segment}, and not these you chose: {services}. "
        "Choose again and press {button}.").format(
        segment=tr.label(g, segment) if segment else "", services=", ".join(dropped),
        button=tr("Show"))


@dataclass
class ChangeRow:
    """One row of the what-if form: a service and what changes there, as typed."""
    service: str = ""
    capacity: str = ""
    places: str = ""
    demand: str = ""

    def empty(self) -> bool:
        return not any(v.strip() for v in (self.service, self.capacity, self.places,
                                           self.demand))


class RowError(ApiError):
    """A bad value of the what-if form, with the row (from 0) it is on."""

    def __init__(self, row: int, status: int, message: str, field: str) -> None:
        super().__init__(status, message, field=field)
        self.row = row


#: rows of the what-if form at most (a change of more services is the CLI's or the API's)
MAX_ROWS = 20


def change_rows(service: list[str], capacity: list[str], places: list[str],
                demand: list[str]) -> list[ChangeRow]:
    """The form's repeated fields as rows (the n-th of each field is row n); rows left
    wholly empty are dropped."""
    from itertools import zip_longest

    rows = [ChangeRow(*(v or "" for v in values))
            for values in zip_longest(service, capacity, places, demand, fillvalue="")]
    return [r for r in rows if not r.empty()][:MAX_ROWS]


def whatif_changes(model: Model, segment: str | None, rows: list[ChangeRow], tr: Translator
                   ) -> tuple[list[str], list[str], list[str]] | None:
    """The what-if form's rows as the operation's ``SERVICE=VALUE`` items (capacity, places,
    demand: what ``polku whatif`` and the API take), None when no service is chosen. What
    only a form can get wrong (a row's values without its service, one service on two
    rows) is the page's to say; whether each service is one of the graph's and of the
    segment's is the operation's check, asked here first so that the row's service is the
    field marked (its words, and the id a mistyped one was likely meant to be, are the
    operation's); every value is the operation's to check (:func:`whatif_result`). A
    problem is a :class:`RowError` naming its field and row."""
    from polku.analyses.queues import check_service
    from polku.ops.operations import check_segment_services

    if not any(r.service.strip() for r in rows):
        return None
    g = model.graph
    items: tuple[list[str], list[str], list[str]] = ([], [], [])
    seen: set[str] = set()
    for i, row in enumerate(rows):
        service = row.service.strip()
        if not service:
            raise RowError(i, 400, tr("choose the service this row changes"), "service")
        try:
            check_service(g, service, "service")
            if segment is not None:
                check_segment_services(model, segment, [("service", [service])])
        except PolkuError as e:
            raise RowError(i, 400, error_message(e, tr), "service") from None
        if service in seen:
            raise RowError(i, 400, tr("{service} is on two rows: change it on one").format(
                service=tr.label(g, service)), "service")
        seen.add(service)
        for out, value in zip(items, (row.capacity, row.places, row.demand)):
            if value.strip():
                out.append(f"{service}={value.strip()}")
    return items


def whatif_result(model: Model, capacity: list[str], places: list[str], demand: list[str],
                  tr: Translator, language: PageLanguage, name: str, who: str,
                  calibrate: bool = True, segment: str | None = None,
                  rows: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """The queueing what-if for the page's reader (small cells hidden for the public),
    names in ``tr``'s language, services by name and each finding linked to its view: the
    operation ``polku whatif`` and the API ask, of the form's ``SERVICE=VALUE`` items
    (:func:`whatif_changes`) and its client ``segment``. A value the operation refuses is
    a :class:`RowError` in its own words, as the API and the command line say them, naming
    its field and the row (of ``rows``, the form's services in order) it is on."""
    from polku.ops.operations import whatif_operation

    if not (capacity or places or demand):
        return {"changed": False}  # services chosen, nothing changed yet: the form asks
    g = model.graph
    try:
        operation = whatif_operation(None, capacity, places, demand, calibrate=calibrate,
                                     segment=segment)
        # a page names, the command line and JSON keep the ids (tr.plainly)
        out: Any = queue_worded(answer(operation, model, who),
                                model.published(who).graph, tr.plainly())
    except PolkuError as e:
        field = e.field if e.field in ("capacity", "places", "demand") else "service"
        row = list(rows).index(e.node) if e.node in rows else 0
        raise RowError(row, 400, error_message(e, tr), field) from None
    services = [dict(out["services"][k], id=k, label=label)
                for k, label in tr.by_name(g, out["services"])]

    shown = findings_shown(g, name, tr, language)
    return dict(out, services=services,
                created=[shown(f) for f in out["findings"]["created"]],
                resolved=[shown(f) for f in out["findings"]["resolved"]],
                changed=bool(capacity or places or demand))


def findings_shown(g: nx.MultiDiGraph, name: str, tr: Translator, language: PageLanguage
                   ) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """How a what-if page shows a finding: its subject by name in ``tr``'s language, linked
    to the view that shows it, its kind's meaning, and why it vanished where it did
    (``reason_shown``: resolved, gone with what was removed, no longer reachable)."""
    from polku.kinds import meaning
    from polku.present.printers import reason_name

    def shown(f: dict[str, Any]) -> dict[str, Any]:
        return dict(f, link=finding_link(g, name, f["subject"], language),
                    # a referral, which has no name, by its two ends
                    subject_label=subject_name(g, f["subject"], tr) if f["subject"] in g
                    else f["subject"],
                    meaning=tr(meaning(f["kind"])) if meaning(f["kind"]) else "",
                    reason_shown=reason_name(f, tr) if "reason" in f else "")
    return shown


def removal_result(model: Model, remove: str, rows: list[ChangeRow], tr: Translator,
                   language: PageLanguage, name: str, who: str,
                   segment: str | None = None) -> dict[str, Any]:
    """The removal what-if for the page's reader, as the API answers it (computed on the
    graph the reader's audience reads: the public's from the published figures), with the
    question, what goes with the removed service by name, and the findings created,
    resolved and gone with it (``removed_with``, each with its reason) as the page shows
    them. A change asked beside it, an id no service has or a service not of ``segment``
    (the operation's check, as the API's and the command line's with a segment) is a
    :class:`RowError` naming ``remove``."""
    from polku.ops.operations import Removal, whatif_operation
    from polku.present.results import whatif_worded
    from polku.words import REMOVAL_QUESTIONS

    try:
        operation = whatif_operation(
            remove, [r.capacity for r in rows if r.capacity.strip()],
            [r.places for r in rows if r.places.strip()],
            [r.demand for r in rows if r.demand.strip()], segment=segment) if any(
                not r.empty() for r in rows) else Removal(remove=remove, segment=segment)
        out = whatif_worded(answer(operation, model, who), model.published(who).graph,
                            tr.plainly())
    except PolkuError as e:
        raise RowError(0, 400, error_message(e, tr), "remove") from None
    g = model.graph
    show = findings_shown(g, name, tr, language)
    title = shown(g, name, tr)
    # a referral is named by its two ends, an actor or a service by its kind and name
    question = tr("What if the {what} were removed from {graph}?").format(
        what=out["removed_label"], graph=title) if out["removed_type"] == "referral" \
        else tr(REMOVAL_QUESTIONS[out["removed_type"]]).format(name=tr.label(g, remove),
                                                                graph=title)
    return dict(out, question=question,
                also=also_removed(out, tr),
                created=[show(f) for f in out["created"]],
                resolved=[show(f) for f in out["resolved"]],
                removed_with=[show(f) for f in out["removed_with"]])


#: the RACI page's choices of subjects, as a person reads them
RACI_SUBJECTS = {"all": N_("all"), "segments": N_("client segments"),
                 "services": N_("services"), "referrals": N_("referrals"),
                 "measures": N_("plan measures")}


#: the heading of an error page by HTTP status
HEADINGS = {400: N_("Bad request"), 401: N_("Not signed in"), 403: N_("Not allowed"),
            404: N_("Not found"), 405: N_("This address does not take that method"),
            409: N_("Conflict"), 412: N_("The graph has changed meanwhile"),
            422: N_("The row is not valid"), 428: N_("The graph's version (If-Match) is needed"),
            500: N_("The server failed")}
OTHER_HEADING = N_("Error")
#: the heading of an error page whose code says more than its status (a 409 is a conflict
#: of writes, but also a source that cannot be read)
CODE_HEADINGS = {"graph-failed": N_("The graph cannot be read"),
                 "analysis-failed": N_("The change was not written"),
                 "source-broken": N_("The graph's source cannot be read")}


def error_page(status: int, code: str, message: str, language: PageLanguage,
               choices: tuple[str, list[tuple[str, str]]] | None = None) -> str:
    """An error as a page in the request's language; ``choices`` (a heading, then address
    and name pairs) are listed as links to what the reader may choose instead."""
    heading = language.tr(CODE_HEADINGS.get(code) or HEADINGS.get(status, OTHER_HEADING))
    return langmarks.html(environment().get_template("error.html").render(
        title=heading, heading=heading, message=message, status=status, code=code, stale=None,
        illustrative=False, choices=choices, **language.context()))
