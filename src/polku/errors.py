"""The one error type polku raises for bad input, and how it names where the problem is."""

from __future__ import annotations

import math
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from polku.words import CHOICE_NAMES_BY_COLUMN, N_, PARAMETER_NAMES


class NodeTypes(tuple):
    """A parameter of a message naming node types (``service or outcome``): the edge words
    each in the reader's language; ``article`` gives English its ``a``/``an``.

    >>> str(NodeTypes(("service", "outcome"))), str(NodeTypes(("actor",), article=True))
    ('service or outcome', 'an actor')
    """

    article: bool

    def __new__(cls, types: tuple[str, ...] | list[str], article: bool = False) -> "NodeTypes":
        made = super().__new__(cls, tuple(types))
        made.article = article
        return made

    def __str__(self) -> str:
        text = or_list(self)
        return f"{'an' if text[:1] in 'aeiou' else 'a'} {text}" if self.article else text


def or_list(items: Sequence[str], lang: str = "en") -> str:
    """``items`` as ``lang`` lists alternatives: commas, then its "or" before the last
    (CLDR's lists, through babel), never a joiner repeated between every two.

    >>> or_list(["a", "b"]), or_list(["a", "b", "c"]), or_list(["a", "b", "c"], "sv")
    ('a or b', 'a, b, or c', 'a, b eller c')
    >>> or_list(["palvelu", "ohjaus", "tulos"], "fi"), or_list(["x"]), or_list([])
    ('palvelu, ohjaus tai tulos', 'x', '')
    """
    from babel.lists import format_list  # imported here: most messages list nothing

    return format_list(list(items), style="or", locale=lang) if items else ""


class Choices(tuple):
    """A parameter of a message listing what may be given instead: each choice as its code
    (what one types or links to) and its display name (a catalogued text), worded at the
    edge as ``name (code)`` in the reader's language (the name alone where it is the code).

    >>> str(Choices([("ecosystem", "Ecosystem"), ("segment:ID", "Client segment")]))
    'Ecosystem (ecosystem), Client segment (segment:ID)'
    >>> str(Choices([("municipality", "municipality"), ("state", "central government")]))
    'municipality, central government (state)'
    """

    def __str__(self) -> str:
        return ", ".join(choice_named(code, name) for code, name in self)


def choice_named(code: str, name: str) -> str:
    """One choice of :class:`Choices` as a message lists it: ``name (code)``, or the name
    alone where it is the code."""
    return name if name == code else f"{name} ({code})"


class Phrase(str):
    """A parameter of a message that is itself a catalogued template with parameters of its
    own (``Neo4j at {uri}``): English as text, worded by the edge in the reader's language.

    >>> str(Phrase("Neo4j at {uri}", uri="bolt://db:7687"))
    'Neo4j at bolt://db:7687'
    """

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> "Phrase":
        made = super().__new__(cls, said(template, params))
        made.template = template
        made.params = params
        return made


class Counted(str):
    """A message template that counts: its singular and plural (marked together by
    :func:`polku.words.ngettext`) and the count that chooses between them. As text it is
    the English form for its count, so the message made from it reads right in English;
    the edge takes the reader's form from the catalogue by the count
    (:func:`polku.present.i18n.template`). Given as a :class:`PolkuError`'s message (or a
    :class:`Phrase`'s template) it travels with every copy of the error.

    >>> from polku.words import ngettext
    >>> one = Counted(ngettext("its region {names} is given", "its regions {names} are given"), 1)
    >>> one.format(names="a"), Counted((one.singular, one.plural), 2).format(names="a, b")
    ('its region a is given', 'its regions a, b are given')
    """

    singular: str
    plural: str
    count: int

    def __new__(cls, forms: tuple[str, str], count: int) -> "Counted":
        singular, plural = forms
        made = super().__new__(cls, singular if count == 1 else plural)
        made.singular, made.plural, made.count = singular, plural, count
        return made

    def __getnewargs__(self) -> tuple[tuple[str, str], int]:  # type: ignore[override]
        # a copied or pickled message keeps both forms and its count
        return (self.singular, self.plural), self.count


class Said(str):
    """A parameter of a message that is itself a catalogued text (a SHACL shape's
    message): the edge translates it too."""


class NodeName(str):
    """A node named inside a message: its id with the names the graph gives it in each
    language (``name``, the primary one, and ``name_sv``/``name_en``), so the edge writes
    the reader's name with the id beside it (:func:`polku.present.i18n.error_param`).
    English text reads the English name, else the primary one.

    >>> g = {"debt": {"name": "Velkaneuvonta", "name_en": "Debt advice"}}
    >>> str(NodeName.of(g, "debt")), NodeName.of(g, "debt").named("sv")
    ('Debt advice (debt)', 'Velkaneuvonta (debt)')
    >>> str(NodeName.of(g, "gone")), NodeName.of(g, "gone").named("fi")
    ('gone', 'gone')
    >>> vasa = {"vasa": {"name": "Vasa stad", "extra": {"name_lang": "sv", "name_fi": "Vaasa"}}}
    >>> NodeName.of(vasa, "vasa").named("fi"), NodeName.of(vasa, "vasa").named("sv")
    ('Vaasa (vasa)', 'Vasa stad (vasa)')
    """

    node: str
    names: dict[str, str]

    def __new__(cls, node: str, names: Mapping[str, Any]) -> "NodeName":
        kept = {k: str(v) for k, v in names.items()
                if (k == "name" or k.startswith("name_")) and v}
        extra = names.get("extra")
        if isinstance(extra, Mapping) and extra.get("name_fi") \
                and extra.get("name_lang", "fi") != "fi":
            # the Finnish name of a row named in another language first (graph.name_of)
            kept["name_fi"] = str(extra["name_fi"])
        made = super().__new__(cls, cls._named(node, kept.get("name_en") or kept.get("name")))
        made.node = node
        made.names = kept
        return made

    def __getnewargs__(self) -> tuple[str, dict[str, str]]:  # type: ignore[override]
        # a copied or pickled message keeps its node and names, not its English text
        return self.node, self.names

    @staticmethod
    def _named(node: str, label: str | None) -> str:
        # as polku.present.messages.named shows a node: the id beside a name that differs
        return node if not label or label == node else f"{label} ({node})"

    @classmethod
    def of(cls, nodes: Mapping[str, Mapping[str, Any]], node: str) -> "NodeName":
        """``node`` with its names from ``nodes`` (a graph's ``g.nodes``; none for a node
        it does not hold)."""
        return cls(node, nodes[node] if node in nodes else {})

    def named(self, lang: str) -> str:
        """The node's name in ``lang`` (else its primary name) with its id beside, or its
        id alone when it has no name."""
        return self._named(self.node, self.names.get(f"name_{lang}") or self.names.get("name"))


class NodeNames(tuple):
    """The choices an id could have been, named inside a message: the first ``most`` nodes
    (each a :class:`NodeName`, written by the reader's name with the id beside it), then
    how many there are in all.

    >>> g = {"a": {"name": "Nuoret", "name_sv": "Unga"}, "b": {}, "c": {}}
    >>> str(NodeNames.of(g, ["a", "b", "c"], most=2))
    'Nuoret (a); b … (3)'
    """

    total: int

    def __new__(cls, names: Iterable["NodeName"], total: int) -> "NodeNames":
        made = super().__new__(cls, names)
        made.total = total
        return made

    def __getnewargs__(self) -> tuple[tuple["NodeName", ...], int]:  # type: ignore[override]
        return tuple(self), self.total

    @classmethod
    def of(cls, nodes: Mapping[str, Mapping[str, Any]], ids: Sequence[str],
           most: int = 8) -> "NodeNames":
        """The first ``most`` of ``ids`` with their names from ``nodes`` (``g.nodes``)."""
        return cls([NodeName.of(nodes, n) for n in ids[:most]], len(ids))

    def written(self, each: Callable[["NodeName"], str]) -> str:
        """The names as ``each`` writes one, and how many in all when some are left out."""
        # a name may hold commas itself (Alle 30-vuotiaat, opiskelupaikka …)
        shown = "; ".join(each(n) for n in self)
        return shown + (f" … ({self.total})" if self.total > len(self) else "")

    def __str__(self) -> str:
        return self.written(str)


#: a figure past this is written in powers of ten (1e+308), not in its hundreds of digits
HUGE = 1e15


class Figure(float):
    """A number inside a message that the edge writes as the reader's language writes
    numbers (``100 000`` in Finnish); ``percent`` writes a signed change as a percentage.
    English text reads it plainly.

    >>> str(Figure(100_000)), str(Figure(10.0, percent=True)), str(Figure(1e9))
    ('100,000', '+1,000%', '1,000,000,000')
    """

    percent: bool

    def __new__(cls, value: float, percent: bool = False) -> "Figure":
        made = super().__new__(cls, value)
        made.percent = percent
        return made

    def __str__(self) -> str:
        value = float(self)
        if abs(value) >= HUGE:
            return f"{value:+.3g}" if self.percent else f"{value:.3g}"
        if self.percent:
            return f"{value:+,.0%}"
        return f"{value:,.0f}" if value.is_integer() else f"{value:,g}"

    def __format__(self, spec: str) -> str:
        # a message's "{most}" writes the figure as English reads it (the edge words it)
        return format(str(self), spec)


class Alternatives(tuple):
    """A parameter of a message naming choices as they are typed (``.ttl or .turtle``): the
    edge words the ``or`` in the reader's language.

    >>> str(Alternatives((".ttl", ".turtle")))
    '.ttl or .turtle'
    """

    def __str__(self) -> str:
        return or_list(self)


class Problems(tuple):
    """A parameter of a message that lists other problems or notes, each with where it is
    (``a.json: a service channel …; b.json: …``): the edge words each in the reader's
    language.

    >>> str(Problems([PolkuError("no services", file="a.json"), PolkuError("empty")]))
    'a.json: no services; empty'
    """

    def __str__(self) -> str:
        return "; ".join(str(p) for p in self)


#: a text a message quotes is shortened past this many characters (:func:`quoted_text`)
QUOTED_MOST = 200
#: ... to its first this many, and "…"
QUOTED_KEPT = 80


def quoted_text(value: Any) -> Any:
    """A parameter as a message quotes it: a plain text (a value the reader gave, a cell)
    longer than :data:`QUOTED_MOST` characters as its first :data:`QUOTED_KEPT` and "…",
    so a 60,000-character query parameter is not said back whole; anything else (a
    catalogued text, a node's names, a number) as it is.

    >>> quoted_text("a" * 201) == "a" * 80 + "…", quoted_text("seg-a")
    (True, 'seg-a')
    """
    if type(value) is str and len(value) > QUOTED_MOST:
        return value[:QUOTED_KEPT] + "…"
    return value


def said(template: str, params: Mapping[str, Any]) -> str:
    """A message template with its parameters, as English reads it.

    >>> said("unknown {targets} id '{ref}'", {"targets": NodeTypes(["service"]), "ref": "x"})
    "unknown service id 'x'"
    """
    # a problem inside a problem reads as its message (where it is belongs to the outer one)
    return template.format(**{k: v.message if isinstance(v, PolkuError)
                              else str(v) if isinstance(v, (NodeTypes, Alternatives, Problems))
                              else quoted_text(v) for k, v in params.items()})


#: what a refused unknown id is offered: the id it was likely meant to be
DID_YOU_MEAN = N_("did you mean '{close}'?")


class PolkuError(Exception):
    """Bad input or a failed operation, located as precisely as the input allows.

    The message reads as one line: ``file, sheet 'services', row 4, column 'capacity_per_month':
    '12x' is not a number``. Row numbers are spreadsheet rows (the header is row 1).

    ``field`` names the parameter a problem is about (``segment``, ``capacity``, ``lang``
    ...): the doors map it to the API's error ``field``, the page's form field or the
    command's option, so no door ever reads the message to learn what was wrong.

    >>> PolkuError("unknown segment 'x'", field="segment").field
    'segment'

    >>> str(PolkuError("duplicate id 'kela'", file="w/actors.csv", sheet="actors", row=3, column="id"))
    "w/actors.csv, sheet 'actors', row 3, column 'id': duplicate id 'kela'"

    With ``params``, ``message`` is a catalogued template (marked ``N_``) and the error
    keeps it as ``msgid`` beside its ``params``: the edge words it in the reader's language
    (:func:`polku.present.i18n.error_text`); ``message`` is the English.

    >>> e = PolkuError("'{value}' is not a number", params={"value": "12x"}, column="size")
    >>> e.message, e.msgid, e.params
    ("'12x' is not a number", "'{value}' is not a number", {'value': '12x'})

    ``close`` is the id an unknown id given as a parameter was likely meant to be
    (:func:`polku.graph.close_id`), kept as data (the API's error carries it) and added to
    the message as :data:`DID_YOU_MEAN` in the reader's language.

    >>> PolkuError("unknown actor '{actor}'", params={"actor": "kelaa"}, field="actor",
    ...            close="kela").message
    "unknown actor 'kelaa'; did you mean 'kela'?"

    A template that says its "did you mean" itself names it ``{close}`` among its
    ``params``: that is ``close`` as data too, and no hint is added beside it.

    >>> e = PolkuError("unknown id '{ref}' (did you mean '{close}'?)",
    ...                params={"ref": "ipss", "close": "ips"}, sheet="referrals", row=2)
    >>> e.close, str(e)
    ('ips', "sheet 'referrals', row 2: unknown id 'ipss' (did you mean 'ips'?)")
    """

    def __init__(self, message: str, *, file: str | None = None, sheet: str | None = None,
                 row: int | None = None, column: str | None = None,
                 node: str | None = None, field: str | None = None,
                 params: Mapping[str, Any] | None = None, close: str | None = None) -> None:
        self.msgid: str | None = message if params is not None else None
        self.params: dict[str, Any] = dict(params or {})
        #: the message without its hint (what a copy of the error is made from)
        self.text = message
        if close is None and self.says_close:
            # the template's own "did you mean": a program reads it here, not in the text
            close = str(self.params["close"]) if self.params.get("close") else None
        self.close = close
        self.message = said(message, self.params) if params is not None else message
        if self.hint:
            self.message += "; " + DID_YOU_MEAN.format(close=close)
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column
        self.node = node
        self.field = field
        super().__init__(str(self))

    @property
    def says_close(self) -> bool:
        """Whether the message template says the id likely meant itself (``{close}``)."""
        return self.msgid is not None and "{close}" in self.msgid

    @property
    def hint(self) -> str | None:
        """``close`` where the message is to say it after itself (:data:`DID_YOU_MEAN`):
        None without one, or where the template says it already."""
        return None if not self.close or self.says_close else self.close

    def about(self, field: str, node: str | None = None) -> "PolkuError":
        """The same problem about another parameter (a view's id was what was wrong,
        whatever asked for it): the template and its parameters travel along.

        >>> e = PolkuError("no such {x}", params={"x": "y"}, field="segment").about("view")
        >>> e.field, e.msgid, e.message
        ('view', 'no such {x}', 'no such y')
        """
        return PolkuError(self.msgid or self.text, file=self.file, sheet=self.sheet,
                          row=self.row, column=self.column, node=node or self.node,
                          field=field, params=self.params if self.msgid is not None else None,
                          close=self.close)

    @property
    def names_its_node(self) -> bool:
        """Whether the message itself names ``node`` (``unknown segment 'x'``): where the
        problem is then leaves the node out, so that a message never says it twice.

        >>> str(PolkuError("unknown segment '{segment}'", params={"segment": "x"}, node="x"))
        "unknown segment 'x'"
        >>> str(PolkuError("size is negative", node="x"))
        'node <x>: size is negative'
        """
        return self.node is not None and any(
            v == self.node or getattr(v, "node", None) == self.node
            for v in self.params.values() if isinstance(v, str))

    @property
    def location(self) -> str:
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        if self.node and not self.names_its_node:
            parts.append(f"node <{self.node}>")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.location
        return f"{where}: {self.message}" if where else self.message


class PolkuWarning(UserWarning):
    """A workbook's warning as a library user is told it (:func:`polku.load` issues one
    through Python's :mod:`warnings` for each of the model's ``warnings``): ``note`` is the
    located :class:`Note` (``file``, ``sheet``, ``row``, ``column``, ``close``), worded at
    the edge as an error is (:func:`polku.present.i18n.error_text`); its text is the
    English.

    >>> w = PolkuWarning(Note("{x} is odd", params={"x": "y"}, sheet="services", row=1))
    >>> str(w), w.note.sheet
    ("sheet 'services', row 1: y is odd", 'services')
    """

    def __init__(self, note: "PolkuError") -> None:
        self.note = note
        super().__init__(str(note))


class CellError(ValueError):
    """What is wrong with one cell's text, as a catalogued template and its parameters
    (the reader adds where the cell is).

    >>> str(CellError("'{value}' is negative", value="-3"))
    "'-3' is negative"
    """

    def __init__(self, template: str, **params: Any) -> None:
        self.msgid = template
        self.params = params
        super().__init__(said(template, params))


#: a word a choice column does not take: its choices in the reader's language, each by its
#: word and code (:class:`Choices`), and the languages it may be written in
NOT_A_CHOICE = N_("'{value}' is not one of: {choices} (Finnish, Swedish or English, in any "
                  "case)")


def not_a_choice(column: str, value: str) -> CellError:
    """The refusal of ``value`` in the choice column ``column`` (a key of
    :data:`polku.words.CHOICE_NAMES_BY_COLUMN`: ``bool``, ``role``, ``information_flow``,
    ``status``, ``kind``, ``organised``), one form for every one of them: the reader's
    word for each choice with its code beside, in the codes' order.

    >>> print(not_a_choice("status", "klar?"))
    'klar?' is not one of: new, in progress (in-progress), resolved, accepted risk (accepted-risk) (Finnish, Swedish or English, in any case)
    >>> str(not_a_choice("bool", "ehkä").params["choices"])
    'yes, no'
    """
    return CellError(NOT_A_CHOICE, value=value,
                     choices=Choices(CHOICE_NAMES_BY_COLUMN[column].items()))


class Note(PolkuError):
    """Something a reader or writer tells its user that refuses nothing (a name read as
    Finnish, a service kept as polku:Service): located and worded at the edge as a problem
    is, never raised."""


class PolkuErrors(PolkuError):
    """Several problems found at once (reading a workbook or validating a graph lists every
    one): ``errors``, each a located :class:`PolkuError` (``file``, ``sheet``, ``row``,
    ``column``, ``node``, ``field``, ``close`` as data). One problem alone is located on
    the exception itself too, so that a reader of one refusal need not look inside it.

    >>> one = PolkuErrors([PolkuError("unknown id '{ref}' (did you mean '{close}'?)",
    ...                               params={"ref": "ipss", "close": "ips"},
    ...                               file="w/referrals.csv", sheet="referrals", row=2,
    ...                               column="to")])
    >>> one.file, one.sheet, one.row, one.column, one.close
    ('w/referrals.csv', 'referrals', 2, 'to', 'ips')
    >>> PolkuErrors([PolkuError("a", row=2), PolkuError("b", row=3)]).row is None
    True
    """

    def __init__(self, errors: list[PolkuError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))
        self.field = errors[0].field if errors else None
        if len(errors) == 1:
            # where the one problem is, and the id it was likely meant to be, as data; the
            # text stays the problem's own (__str__), so nothing is said twice
            one = errors[0]
            self.file, self.sheet, self.row, self.column = one.file, one.sheet, one.row, \
                one.column
            self.node, self.close = one.node, one.close

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


@contextmanager
def fields_named(names: Mapping[str, str]) -> Iterator[None]:
    """A door's own names for the library's parameters: a :class:`PolkuError` raised inside
    whose ``field`` is one of ``names`` (the library's: ``others``) is raised again as the
    same problem naming the door's (``graphs``, the API's query parameter). The library
    names its own parameter; only the door knows what its reader typed.

    >>> with fields_named({"others": "graphs"}):
    ...     raise PolkuError("compare needs two regions or more", field="others")
    Traceback (most recent call last):
    polku.errors.PolkuError: compare needs two regions or more
    >>> try:
    ...     with fields_named({"others": "graphs"}):
    ...         raise PolkuError("x", field="others")
    ... except PolkuError as e:
    ...     e.field
    'graphs'
    """
    try:
        yield
    except PolkuError as e:
        if e.field not in names or isinstance(e, PolkuErrors):
            raise
        raise e.about(names[e.field]) from None


# -- the checks every operation makes of its parameters (the field travels with the error) --

def shown(value: Any) -> str:
    """A value as a message quotes it: a whole float without its ``.0``.

    >>> shown(-1.0), shown("x"), shown(2.5)
    ('-1', "'x'", '2.5')
    """
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value)


def parameter(name: str) -> "Said":
    """A parameter's name as a message shows it (:data:`polku.words.PARAMETER_NAMES`)."""
    return Said(PARAMETER_NAMES.get(name, name.replace("_", "-")))


#: a value that is no number: nan or an infinity given from Python (a figure nothing computes
#: with), as the workbook and the command line say of ``nan`` typed
IS_NOT_A_NUMBER = N_("'{value}' is not a number")


def check_threshold(value: float, name: str) -> None:
    """A threshold: a finite number, 0 or more; nan and the infinities are no numbers.

    >>> check_threshold(-1, "long_wait_days")
    Traceback (most recent call last):
    polku.errors.PolkuError: the long-wait threshold (days) must be a number, 0 or more, not -1
    >>> check_threshold(float("nan"), "long_wait_days")
    Traceback (most recent call last):
    polku.errors.PolkuError: the long-wait threshold (days): 'nan' is not a number
    """
    if isinstance(value, float) and not math.isfinite(value):
        raise PolkuError(N_("{name}: {problem}"), params={
            "name": parameter(name), "problem": Phrase(IS_NOT_A_NUMBER, value=shown(value))},
                         field=name)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise PolkuError(N_("{name} must be a number, 0 or more, not {value}"),
                         params={"name": parameter(name), "value": shown(value)}, field=name)


def check_count(value: int, name: str, least: int = 1, most: int | None = None) -> None:
    """A count: an int, ``least`` or more (and ``most`` or fewer, when given). A float is
    told that a count is an int, as it is (``2.0``: "a whole number …, not 2" was untrue of
    it, and a count goes on to ``range``); text (what a door was typed) is no whole number.

    >>> check_count(51, "k", most=50)
    Traceback (most recent call last):
    polku.errors.PolkuError: the number of paths must be a whole number from 1 to 50, not 51
    >>> check_count(2.0, "k", most=50)
    Traceback (most recent call last):
    polku.errors.PolkuError: the number of paths must be an int (a whole number), not 2.0
    """
    if isinstance(value, float):
        raise PolkuError(N_("{name} must be an int (a whole number), not {value}"),
                         params={"name": parameter(name), "value": repr(value)}, field=name)
    if isinstance(value, bool) or not isinstance(value, int) or value < least \
            or (most is not None and value > most):
        if most is None:
            raise PolkuError(N_("{name} must be a whole number, {least} or more, not {value}"),
                             params={"name": parameter(name), "least": Figure(least),
                                     "value": shown(value)}, field=name)
        # the bounds as the reader writes numbers (1–100 000 in Finnish)
        raise PolkuError(N_("{name} must be a whole number from {least} to {most}, not {value}"),
                         params={"name": parameter(name), "least": Figure(least),
                                 "most": Figure(most), "value": shown(value)}, field=name)


#: what the operating system says, by errno, as a catalogued text (its own strerror is
#: English whatever the reader's language)
_OS_REASONS = {
    "ENOENT": N_("no such file or folder"),
    "EACCES": N_("permission denied"),
    "EPERM": N_("permission denied"),
    "EISDIR": N_("is a folder, not a file"),
    "ENOTDIR": N_("a part of the path is not a folder"),
    "EEXIST": N_("exists already"),
    "ENOSPC": N_("no space left on the device"),
    "EROFS": N_("the file system is read-only"),
    "ENAMETOOLONG": N_("the name is too long"),
    "EADDRINUSE": N_("the address is in use"),
    "EADDRNOTAVAIL": N_("the address is not one of this machine's"),
}


def os_reason(error: OSError) -> "Said":
    """Why a file operation failed, as a catalogued text (the edge translates it).

    >>> import errno
    >>> os_reason(FileNotFoundError(errno.ENOENT, "No such file or directory"))
    'no such file or folder'
    """
    import errno

    code = errno.errorcode.get(error.errno or -1, "")
    return Said(_OS_REASONS.get(code) or error.strerror or str(error))


def os_problem(error: OSError, file: str | None = None) -> PolkuError:
    """A failed file operation as a located, catalogued problem.

    >>> import errno
    >>> str(os_problem(PermissionError(errno.EACCES, "Permission denied", "x.ttl")))
    'x.ttl: permission denied'
    """
    where = file if file is not None else error.filename
    return PolkuError("{reason}", params={"reason": os_reason(error)},
                      file=str(where) if where else None)
