"""The languages polku speaks to people: Finnish first, Swedish and English too.

Everything polku writes for a person (the report, the pages, the web UI, finding
messages, the command line's summaries) goes through a :class:`Translator`. Texts live in
gettext catalogues (``polku/locale/<lang>/LC_MESSAGES/polku.po``) made and kept with Babel:
``scripts/i18n`` extracts the English source texts from the code and templates, updates the
Finnish and Swedish catalogues, and compiles them (the wheel build compiles them too).
English is the source language, so a text a catalogue lacks falls back to English; a test
fails while any catalogue is incomplete.

Ids, JSON keys and kind names never change with the language; labels of nodes do, where
the workbook gives ``name_sv``/``name_en``.

>>> tr = translator("sv")
>>> tr.lang, tr.html_lang
('sv', 'sv')
>>> tr.number(0.35), translator("en").number(0.35), tr.number(1200)
('0,35', '0.35', '1\\xa0200')
>>> check_lang("de")
Traceback (most recent call last):
polku.errors.PolkuError: unknown language 'de' (use fi, sv or en)
"""

from __future__ import annotations

import gettext
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, NamedTuple

import networkx as nx

# the catalogues are read by the ground (the workbook reader reads a choice in the words
# shown for it); named here as well, where the edge has always had them
from polku.catalogues import (DOMAIN, LANGUAGES, catalogue as _catalogue,  # noqa: F401
                              locale_dir)
from polku.errors import HUGE, PolkuError
from polku.io.areas import AFTER_Z, alphabet_key
from polku.finding import decimals_above, number
from polku.words import (EDGE_KIND_NAMES, FACTOR_NAMES, KIND_NAMES, NODE_TYPE_NAMES, ROLE_NAMES,
                         SEVERITY_NAMES, STATUS_NAMES, N_)  # noqa: F401  (N_: marked texts are imported from here too)

DEFAULT_LANG = "fi"
#: "in Swedish": a name given in another language, as a node's facts list it
IN_LANGUAGE = {"fi": N_("in Finnish"), "sv": N_("in Swedish"), "en": N_("in English")}
#: Each language's name in itself, for the language switch on every page.
LANGUAGE_NAMES = {"fi": "suomi", "sv": "svenska", "en": "English"}
#: a text quoted in a sentence, with the quotation marks of the sentence's language (Finnish
#: and Swedish write ” on both sides, English “ ”): one catalogued template, so that a name
#: quoted by code inside a translated sentence is quoted as the sentence quotes its own
QUOTED = N_("“{text}”")


def check_lang(lang: str | None) -> str:
    """``lang`` if polku speaks it (default Finnish), else a clear error naming the choices."""
    if lang is None or lang == "":
        return DEFAULT_LANG
    value = str(lang).strip().lower()
    if value not in LANGUAGES:
        raise PolkuError(N_("unknown language '{lang}' (use fi, sv or en)"),
                         params={"lang": lang}, field="lang")
    return value


#: group and decimal separators as Babel (CLDR) writes plain numbers in polku's languages
_SEPARATORS = {"fi": ("\xa0", ","), "sv": ("\xa0", ","), "en": (",", ".")}
_LARGEST_PLAIN = 10 ** 15


def plain_decimal(value: Any, digits: int | None, lang: str) -> str | None:
    """A non-negative number below 10^15 as Babel's ``format_decimal`` writes it in ``lang``
    (at most three decimals, or exactly ``digits``; half to even), without Babel: its
    import and locale data cost a short command a tenth of a second. None for anything
    else (Babel writes those). tests/test_i18n.py holds this to Babel.

    >>> plain_decimal(1234567.25, None, "fi"), plain_decimal(2.25, 1, "en")
    ('1\xa0234\xa0567,25', '2.2')
    """
    seps = _SEPARATORS.get(lang)
    kind = type(value)
    if seps is None or kind not in (int, float) or not 0 <= value < _LARGEST_PLAIN:
        return None
    exact = Decimal(repr(value)) if kind is float else Decimal(value)
    places = 3 if digits is None else digits
    text = f"{exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN):f}"
    whole, _, fraction = text.partition(".")
    if digits is None:
        fraction = fraction.rstrip("0")
    grouped = f"{int(whole):,}"
    if seps[0] != ",":
        grouped = grouped.replace(",", seps[0])
    return grouped + seps[1] + fraction if fraction else grouped


def _finite(value: float) -> bool:
    """Not infinite nor NaN; a whole number of any size is finite (``math.isfinite``
    cannot take one past every float)."""
    return isinstance(value, int) or math.isfinite(value)


def powers_of_ten(value: int | float, lang: str) -> str:
    """A finite number past :data:`polku.errors.HUGE` as an error's figure writes one, in
    powers of ten to three digits (``1e+300``, ``1,5e+300`` with the language's decimal
    mark), not in its hundreds of digits: Babel's ``format_decimal`` cannot write it
    (its decimal arithmetic keeps 28 digits), and no reader counts them.

    >>> powers_of_ten(1.5e300, "fi"), powers_of_ten(10 ** 400, "en"), powers_of_ten(-1e16, "sv")
    ('1,5e+300', '1e+400', '-1e+16')
    """
    try:
        text = f"{float(value):.3g}"
    except OverflowError:  # a whole number past every float (10 ** 400)
        mantissa, _, exponent = f"{Decimal(value):.2e}".partition("e")
        text = mantissa.rstrip("0").rstrip(".") + "e" + exponent
    return text.replace(".", _SEPARATORS.get(lang, (",", "."))[1])


@lru_cache(maxsize=1 << 16)
def _decimal(kind: type, value: Any, fmt: str | None, lang: str) -> str:
    """Babel's ``format_decimal``, remembered: a national report writes some 20,000
    numbers, most of them the same few hundred, and Babel takes about 0.2 ms each.
    (``kind`` keeps ``1``, ``1.0`` and ``True`` apart, which hash alike.)"""
    from babel.numbers import format_decimal

    return format_decimal(value, format=fmt, locale=lang)


#: how Finnish and Swedish write a date and time (Kielitoimisto; Institutet för de inhemska
#: språken); other languages take Babel's medium format
DATETIME_PATTERNS = {"fi": "d.M.yyyy 'klo' H.mm", "sv": "d.M.yyyy 'kl.' H.mm"}


class Name(NamedTuple):
    """A node's name as a reader of one language is shown it, and the language it is
    written in: the reader's where the graph gives a name in it, else the primary name's
    (Finnish, unless the node's extra column ``name_lang`` says otherwise); ``None`` for a
    node named by its id, which is a code in no language."""
    text: str
    lang: str | None


@dataclass(frozen=True)
class Translator:
    """The texts, labels and numbers of one language."""

    lang: str
    catalogue: gettext.NullTranslations = field(repr=False, compare=False)
    #: name nodes without their ids in sentences (the report and the pages people read;
    #: the CLI and the JSON keep the ids: :meth:`plainly`)
    plain: bool = field(default=False, compare=False)
    #: give a name in another language than ``lang`` back marked with its language, for
    #: HTML (:meth:`marking`, :mod:`polku.present.langmarks`)
    marks: bool = field(default=False, compare=False)

    def plainly(self) -> "Translator":
        """The same language, naming nodes by their labels only in finding messages
        (:func:`polku.present.messages.name`); the ids stay in titles, details and JSON.

        >>> translator("fi").plainly().plain, translator("fi").plain
        (True, False)
        """
        return replace(self, plain=True)

    def marking(self) -> "Translator":
        """The same language, its :meth:`label` of a name in another language marked with
        that language (:func:`polku.present.langmarks.marked`): for a page, whose renderer
        turns the marks into ``lang`` (:func:`polku.present.langmarks.html`). Never for text
        that leaves as plain text (the command line, JSON, markdown, CSV).

        >>> from polku.graph import new_graph
        >>> g = new_graph(); g.add_node("p", type="path", name="Nuorten polku")
        >>> translator("sv").marking().label(g, "p") == "\ue000fi\ue001Nuorten polku\ue002"
        True
        >>> translator("fi").marking().label(g, "p"), translator("sv").label(g, "p")
        ('Nuorten polku', 'Nuorten polku')
        """
        return replace(self, marks=True)

    @property
    def html_lang(self) -> str:
        """The value of ``<html lang>``."""
        return self.lang

    def gettext(self, message: str) -> str:
        return self.catalogue.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.catalogue.ngettext(singular, plural, n)

    __call__ = gettext

    def name(self, g: nx.MultiDiGraph, node: str) -> Name:
        """The node's name in this language (:func:`polku.graph.name_of`: ``name_sv``/
        ``name_en`` where the workbook gives one, ``name_fi`` for a row named in another
        language first, else the primary ``name``, else its id) and the language that name is
        in, as data: the picker knows which column it took.

        >>> from polku.graph import new_graph
        >>> g = new_graph(); g.add_node("s", type="segment", name="Nuoret", name_sv="Unga")
        >>> g.add_node("p", type="path", name="Nuorten polku")
        >>> g.add_node("x", type="service", name="Tax-on-web", extra={"name_lang": "en"})
        >>> tr = translator("sv")
        >>> tr.name(g, "s"), tr.name(g, "p"), tr.name(g, "x"), tr.name(g, "nobody")
        (Name(text='Unga', lang='sv'), Name(text='Nuorten polku', lang='fi'), Name(text='Tax-on-web', lang='en'), Name(text='nobody', lang=None))
        >>> g.add_node("v", type="actor", name="Vasa stad",
        ...            extra={"name_lang": "sv", "name_fi": "Vaasan kaupunki"})
        >>> translator("fi").name(g, "v"), tr.name(g, "v")
        (Name(text='Vaasan kaupunki', lang='fi'), Name(text='Vasa stad', lang='sv'))
        """
        from polku.graph import name_of

        data = g._node.get(node)  # the node dicts directly: a report labels thousands
        found = name_of(data, self.lang) if data is not None else None
        return Name(*found) if found else Name(node, None)

    def label(self, g: nx.MultiDiGraph, node: str) -> str:
        """The node's label in this language (:meth:`name`'s text); a translator that
        marks (:meth:`marking`) marks a label in another language with that language."""
        return self.mark(*self.name(g, node))

    def mark(self, text: str, lang: str | None) -> str:
        """``text``, written in ``lang``, as this translator shows it: marked with its
        language when this translator marks (:meth:`marking`) and ``lang`` is another than
        the reader's, else as it is. Every text picked by language with a fallback goes
        through here (names, titles, descriptions, regions), so a page marks them alike.

        >>> sv = translator("sv").marking()
        >>> sv.mark("Nuoret", "fi") == "\ue000fi\ue001Nuoret\ue002", sv.mark("Unga", "sv")
        (True, 'Unga')
        >>> translator("sv").mark("Nuoret", "fi"), sv.mark("keusote", None)
        ('Nuoret', 'keusote')
        """
        if self.marks and lang is not None and lang != self.lang:
            from polku.present.langmarks import marked

            return marked(text, lang)
        return text

    def quote(self, text: str) -> str:
        """``text`` in this language's quotation marks (:data:`QUOTED`).

        >>> translator("fi").quote("Ohjaamo"), translator("en").quote("Ohjaamo")
        ('”Ohjaamo”', '“Ohjaamo”')
        """
        return self.gettext(QUOTED).format(text=text)

    def title(self, g: nx.MultiDiGraph, untitled: str | None = None) -> str:
        """What the graph is called in this language (:func:`polku.graph.title`), marked
        with its language where it falls back to another (a Swedish page of a graph titled
        in Finnish only).

        >>> from polku.graph import new_graph
        >>> g = new_graph("x"); g.graph["title"] = "Ekosysteemi"
        >>> translator("sv").title(g), translator("sv").marking().title(g)[:4]
        ('Ekosysteemi', '\ue000fi\ue001')
        """
        from polku.graph import titled

        return self.mark(*titled(g, self.lang, untitled))

    def text(self, g: nx.MultiDiGraph, node: str, column: str) -> Name | None:
        """A node's free text (``description``, ``legal_basis``, a plan measure's
        ``actions`` …) for a reader of this language, and the language it is written in:
        the text in the reader's language where the graph gives one (the extra column
        ``description@sv``, as CPSV-AP and PTV data bring it), else the column as written,
        in the workbook's language (Finnish, unless the row's ``<column>_lang`` says
        otherwise); ``None`` where the node has none. A list (a measure's ``parts``) is
        joined by commas.

        >>> from polku.graph import new_graph
        >>> g = new_graph(); g.add_node("s", type="service", description="Työnhaun tuki")
        >>> g.add_node("t", type="service", description="Stöd", extra={"description_lang": "sv"})
        >>> g.add_node("u", type="service", description="Tuki", extra={"description@en": "Help"})
        >>> en = translator("en")
        >>> en.text(g, "s", "description"), en.text(g, "t", "description")
        (Name(text='Työnhaun tuki', lang='fi'), Name(text='Stöd', lang='sv'))
        >>> en.text(g, "u", "description"), en.text(g, "s", "note")
        (Name(text='Help', lang='en'), None)
        """
        from polku.graph import DEFAULT_TEXT_LANG, NO_LANGUAGE

        data = g._node.get(node)
        if data is None:
            return None
        extra = data.get("extra")
        extra = extra if isinstance(extra, dict) else {}
        own = str(extra.get(f"{column}_lang") or DEFAULT_TEXT_LANG)
        if own != self.lang and extra.get(f"{column}@{self.lang}"):
            return Name(str(extra[f"{column}@{self.lang}"]), self.lang)
        value = data.get(column)
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value if v not in (None, ""))
        if value in (None, ""):
            return None
        return Name(str(value), None if own == NO_LANGUAGE else own)

    def said(self, g: nx.MultiDiGraph, node: str, column: str) -> str:
        """:meth:`text` as this translator shows it (marked with its language on a page
        of another; empty where the node has none)."""
        found = self.text(g, node, column)
        return self.mark(*found) if found is not None else ""

    def region(self, g: nx.MultiDiGraph) -> str | None:
        """The graph's region as :func:`region_name` names it, marked with its language
        where that is another than the reader's; ``None`` for a graph that names none."""
        found = region_named(g, self.lang)
        return None if found is None else self.mark(*found)

    def area(self, text: str | None) -> str:
        """An area named in free text as :func:`area_name` names it, marked with its
        language where that is another than the reader's."""
        return self.mark(*area_named(text, self.lang))

    def areas(self, texts: Iterable[str]) -> list[str]:
        """Areas as :meth:`area` names them, each once, in the order of the reader's
        alphabet (a Swedish reader's *Esbo, Helsingfors, Vanda*, not the Finnish order of
        *Espoo, Helsinki, Vantaa* written in Swedish).

        >>> translator("sv").areas(["Vantaa", "Helsinki", "Espoo", "Helsingfors"])
        ['Esbo', 'Helsingfors', 'Vanda']
        """
        named = {area_named(t, self.lang): None for t in texts}
        return [self.mark(*n) for n in sorted(named,
                                              key=lambda n: alphabetical(n.text, self.lang))]

    def order(self, text: str) -> tuple[str, str]:
        """The sort key that puts ``text`` (a name, or a label with its language marks) in
        the order of this reader's alphabet (:func:`alphabetical`): every list of names
        people read or choose from is sorted by it.

        >>> sv = translator("sv")
        >>> sorted(["Ängsö", "Åbo", "zon", "Vasa"], key=sv.order)
        ['Vasa', 'zon', 'Åbo', 'Ängsö']
        >>> sv.order(sv.marking().mark("Ähtäri", "fi")) == sv.order("Ähtäri")
        True
        """
        from polku.present.langmarks import unmarked

        return alphabetical(unmarked(text), self.lang)

    def by_name(self, g: nx.MultiDiGraph, nodes: Iterable[str]) -> list[tuple[str, str]]:
        """``nodes`` as (id, :meth:`label`), by name in the order of the reader's alphabet
        (two of one name by id): what a picker or a filter of nodes offers.

        >>> from polku.graph import new_graph
        >>> g = new_graph()
        >>> for n, name in (("a", "Ängsö"), ("b", "Åbo"), ("c", "Zon"), ("d", "aura")):
        ...     g.add_node(n, type="segment", name=name)
        >>> translator("sv").by_name(g, "abcd")
        [('d', 'aura'), ('c', 'Zon'), ('b', 'Åbo'), ('a', 'Ängsö')]
        """
        named = [(n, self.name(g, n)) for n in nodes]
        named.sort(key=lambda item: (alphabetical(item[1].text, self.lang), item[0]))
        return [(n, self.mark(*name)) for n, name in named]

    def day(self, value: Any) -> str:
        """A date (a ``date`` or its ISO text) as people of this language write it:
        ``4.12.2026`` in Finnish and Swedish, ``4 Dec 2026`` in English; other text as it is.

        >>> translator("fi").day("2026-12-04"), translator("en").day("2026-12-04")
        ('4.12.2026', '4 Dec 2026')
        """
        from datetime import date

        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return value
        if not isinstance(value, date):
            return "–" if value is None else str(value)
        if self.lang in ("fi", "sv"):
            return f"{value.day}.{value.month}.{value.year}"
        return f"{value.day} {self.month(f'{value.year:04d}-{value.month:02d}')}"

    def datetime(self, moment: Any) -> str:
        """A moment as people of this language write it, in Helsinki time (Babel):
        ``3.12.2026 klo 12.47`` in Finnish, ``3.12.2026 kl. 12.47`` in Swedish.

        >>> from datetime import datetime, timezone
        >>> t = datetime(2026, 12, 3, 10, 47, tzinfo=timezone.utc)
        >>> translator("fi").datetime(t), translator("sv").datetime(t)
        ('3.12.2026 klo 12.47', '3.12.2026 kl. 12.47')
        """
        from babel.dates import format_datetime

        from polku.clock import HELSINKI as zone  # the one clock's time zone

        pattern = DATETIME_PATTERNS.get(self.lang)
        if pattern is None:
            return format_datetime(moment, "medium", tzinfo=zone, locale=self.lang)
        return format_datetime(moment, pattern, tzinfo=zone, locale=self.lang)

    def number(self, value: Any, digits: int | None = None) -> str:
        """A number as people of this language write it (decimal comma in Finnish and
        Swedish, a narrow space between thousands); ``–`` for nothing; text (a small cell
        shown as ``<5``) as it is."""
        if value is None:
            return "–"
        if isinstance(value, str):
            return value
        if isinstance(value, float) and value.is_integer() and digits is None:
            value = int(value)
        if digits is None and type(value) is int and 0 <= value < 1000:
            # written alike in every language (no sign, no grouping): no need for Babel,
            # whose import and locale data cost a short command a third of a second
            return str(value)
        plain = plain_decimal(value, digits, self.lang)
        if plain is not None:
            return plain
        if isinstance(value, (int, float)) and not isinstance(value, bool) \
                and _finite(value) and abs(value) >= HUGE:
            return powers_of_ten(value, self.lang)
        fmt = None if digits is None else "#,##0." + "0" * digits if digits else "#,##0"
        return _decimal(type(value), value, fmt, self.lang)

    def betweenness(self, value: Any) -> str:
        """A service's betweenness as every door writes it (the command line, the pages, the
        report): :data:`BETWEENNESS_DIGITS` decimals, so one figure reads alike everywhere.

        >>> translator("sv").betweenness(0.11985), translator("en").betweenness(0)
        ('0,120', '0.000')
        """
        return self.number(value, BETWEENNESS_DIGITS)

    def clients(self, value: Any, over: Any = None) -> str:
        """Clients a month as whole clients (``34``, not ``34,36``; a half up, as
        :func:`whole_clients` rounds): the figures are estimates, and a fraction of a person
        means nothing to a reader. Every text and page that writes a client figure writes
        it through here (the blueprint, the views' tooltips, the what-if, the report), so
        that 2.5 reads 3 everywhere; a small cell is hidden before (``<5`` stays as it
        is). With ``over`` (the
        capacity it is read against), an inflow above it whose whole number would read as
        it or below it gets the decimals it takes to read above it: 15,03 against 15 is
        an overload, "15 against 15" is not.

        >>> fi = translator("fi")
        >>> fi.clients(34.36), fi.clients(None), fi.clients(15.03, 15), fi.clients(15.6, 15)
        ('34', '–', '15,03', '16')
        >>> fi.clients(2.5), fi.clients(62.5), fi.clients("<5")
        ('3', '63', '<5')
        """
        if value is None or isinstance(value, str) or not _finite(value) \
                or abs(value) >= HUGE:  # no half to round (Translator.number writes it)
            return self.number(value)
        whole = whole_clients(value)
        if isinstance(over, (int, float)) and not isinstance(over, bool) and value > over \
                and whole <= over:
            return self.number(number(round(value, decimals_above(value, over, 1))))
        return self.number(whole)

    def hidden_figure(self, row: dict[str, Any], key: str) -> str:
        """A hidden service's ``inflow`` or ``utilization`` in a bottleneck ranking
        (:func:`polku.privacy.lower_bounds`): *at least* the published part
        where one is published, else *hidden*; the figure as the column writes it (whole
        clients, rounded down; a utilisation to two decimals).

        >>> fi = translator("fi")
        >>> fi.hidden_figure({"inflow_at_least": 24}, "inflow"), fi.hidden_figure({}, "inflow")
        ('vähintään 24', 'piilotettu')
        >>> translator("en").hidden_figure({"utilization_at_least": 0.09}, "utilization")
        'at least 0.09'
        """
        bound = row.get(f"{key}_at_least")
        if bound is None:
            return self.gettext("hidden")
        shown = self.number(bound, 2) if key == "utilization" else \
            self.number(int(math.floor(bound)))
        return self.gettext("at least {n}").format(n=shown)

    def utilisation(self, row: dict[str, Any]) -> str:
        """A bottleneck row's ``utilization`` as every door writes it: to two decimals;
        ``∞`` for a capacity of 0 that clients are referred to
        (:func:`polku.analyses.bottlenecks.zero_capacity_with_clients`: no number says how
        full it is); a hidden row's as :meth:`hidden_figure` says it; ``–`` for no figure.

        >>> en = translator("en")
        >>> en.utilisation({"utilization": 0.8}), en.utilisation({"utilization": None})
        ('0.80', '–')
        >>> en.utilisation({"utilization": None, "capacity": 0, "inflow": 16})
        '∞'
        >>> en.utilisation({"utilization": 1.001})   # an overload never reads 1.00
        '1.001'
        """
        from polku.analyses.bottlenecks import zero_capacity_with_clients

        if zero_capacity_with_clients(row):
            return "∞"
        if row.get("hidden"):
            return self.hidden_figure(row, "utilization")
        share = row.get("utilization")
        if share is None or isinstance(share, str):
            return self.number(share)
        return self.number(share, decimals_above(share, 1, 2))

    def month(self, value: Any) -> str:
        """A month (``2027-01``, as the plan keeps it) as people of this language write it:
        ``1/2027`` in Finnish and Swedish, ``Jan 2027`` in English; anything else as it is.

        >>> translator("fi").month("2027-01"), translator("en").month("2027-12")
        ('1/2027', 'Dec 2027')
        """
        text = "" if value is None else str(value)
        if len(text) != 7 or text[4] != "-" or not text.isascii() \
                or not (text[:4] + text[5:]).isdigit() \
                or not 1 <= int(text[5:]) <= 12:
            return self.number(value) if value is None else text
        year, month = int(text[:4]), int(text[5:])
        if self.lang in ("fi", "sv"):
            return f"{month}/{year}"
        from datetime import date

        from babel.dates import format_date

        return format_date(date(year, month, 1), "MMM y", locale=self.lang)

    def month_range(self, start: Any, end: Any) -> str:
        """Months from ``start`` to ``end`` (``YYYY-MM``, either may be missing: ``?``) as
        :meth:`month` writes them, joined as the language joins a range: ``1/2026–9/2026``
        in Finnish and Swedish, ``Jan 2026 – Sep 2026`` in English (spaced, as its months
        are words); one month once.

        >>> fi, en = translator("fi"), translator("en")
        >>> fi.month_range("2026-01", "2026-09"), en.month_range("2026-01", "2026-09")
        ('1/2026–9/2026', 'Jan 2026 – Sep 2026')
        >>> fi.month_range("2027-03", "2027-03"), fi.month_range(None, "2027-03")
        ('3/2027', '?–3/2027')
        """
        first, last = (self.month(m) if m else "?" for m in (start, end))
        if first == last:
            return first
        return f"{first} – {last}" if " " in first + last else f"{first}–{last}"

    def days(self, value: Any) -> str:
        """Days as they can mean something: one decimal below ten, whole days from ten up,
        and ``< 0,1`` for a wait above nothing that rounds to nothing.

        >>> fi = translator("fi")
        >>> fi.days(34.36), fi.days(2.034), fi.days(0.02), fi.days(0), fi.days(9.96)
        ('34', '2,0', '< 0,1', '0', '10')
        """
        if value is None or isinstance(value, str) or not _finite(value) \
                or abs(value) >= HUGE:  # no half to round (Translator.number writes it)
            return self.number(value)
        if value == 0:
            return self.number(0)
        if 0 < value < 0.05:
            return "< " + self.number(0.1, 1)
        if round(value, 1) < 10:
            return self.number(round(value, 1), 1)
        return self.number(int(math.floor(value + 0.5)))

    def percent(self, share: float | None) -> str:
        """A share 0–1 as a whole percentage of this language (``35 %``), a half rounded up:
        the analyses give a share to three decimals (60/71 is ``0.845``), and Babel's
        rounding of halves to even made that 84 % beside a reader's 85 %. A share above 1
        that would read 100 % gets the decimals it takes to read above it (``100,2 %``):
        100 % of the capacity reads as no overload.

        >>> fi = translator("fi")
        >>> fi.percent(0.845), fi.percent(0.835), fi.percent(1.333), fi.percent(None)
        ('85\xa0%', '84\xa0%', '133\xa0%', '–')
        >>> fi.percent(1.002)
        '100,2\xa0%'
        """
        if share is None:
            return "–"
        from decimal import ROUND_HALF_UP, Decimal

        from babel.numbers import format_percent

        if not _finite(share) or abs(share) * 100 >= HUGE:
            # past what Babel's decimal arithmetic writes: the figure in powers of ten
            # (Translator.number), with the language's percent sign after it
            sign = format_percent(1, locale=self.lang).replace("100", "", 1)
            return self.number(share * 100) + sign

        places = Decimal(1).scaleb(-decimals_above(share, 1, 2))
        rounded = Decimal(str(share)).quantize(places, rounding=ROUND_HALF_UP)
        if places < Decimal("0.01"):  # Babel's pattern would round the decimals away
            return format_percent(rounded.normalize(), locale=self.lang,
                                  decimal_quantization=False)
        return format_percent(rounded, locale=self.lang)

    def jinja_globals(self) -> dict[str, Any]:
        """What templates need: ``_``/``gettext``/``ngettext``, ``lang`` and the switch."""
        return {"_": self.gettext, "gettext": self.gettext, "ngettext": self.ngettext,
                "lang": self.lang, "languages": LANGUAGES, "language_names": LANGUAGE_NAMES,
                "num": self.number, "when": self.when, "betweenness": self.betweenness,
                "clients": self.clients, "days": self.days, "month": self.month,
                "percent": self.percent,
                "hidden_figure": self.hidden_figure, "utilisation": self.utilisation,
                "kind_name": lambda kind: kind_name(kind, self)}

    def when(self, moment: Any) -> str:
        """:meth:`datetime` of a moment or of its ISO text (``2026-12-03T10:47:00Z``, as the
        change log keeps it); other text as it is.

        >>> translator("fi").when("2026-12-03T10:47:00Z"), translator("fi").when("–")
        ('3.12.2026 klo 12.47', '–')
        """
        from datetime import datetime as moment_type, timezone

        if isinstance(moment, str):
            try:
                moment = moment_type.fromisoformat(moment.replace("Z", "+00:00"))
            except ValueError:
                return moment
        if isinstance(moment, moment_type):
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
            return self.datetime(moment)
        return "–" if moment is None else str(moment)


def translator(lang: str | None = None) -> Translator:
    """The :class:`Translator` of ``lang`` (checked; default Finnish)."""
    lang = check_lang(lang)
    return Translator(lang, _catalogue(lang))


def whole_clients(value: float) -> int:
    """A figure of clients (a month, a segment's people) as the whole number texts and pages
    write it: a half up, as people round (2.5 → 3). Python's ``round`` rounds a half to
    even (2.5 → 2, 3.5 → 4) and ``floor(x + 0.5)`` rounds 0.49999999999999994 up to 1: the
    figure is rounded as its shortest decimal text reads. Privacy decides on the figure
    itself, before it is rounded: a hidden 4.5 reaches no text to read 5.

    >>> whole_clients(2.5), whole_clients(3.5), whole_clients(2.4999), whole_clients(62.5)
    (3, 4, 2, 63)
    >>> whole_clients(0.49999999999999994), whole_clients(0)
    (0, 0)
    """
    return int(Decimal(repr(float(value))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def as_counted(shown: Any) -> int:
    """The count a plural form is chosen by (``tr.ngettext``), for a figure as it is
    written (a median of 1,5 days, 57 clients a month): 1 where it reads exactly ``1``, else
    2 for the plural: a fraction (*1,5 päivää*, *1,0 dagar*), a range (*5–7*) and a small
    cell (*<5*) take the plural in Finnish, Swedish and English. Decided on the written
    text, so that the form and the figure beside it never disagree. Every catalogue's plural
    rule is ``n != 1`` (tests/test_i18n.py), so no other count needs a form of its own.

    >>> as_counted("1"), as_counted("1,5"), as_counted("0"), as_counted("57"), as_counted("<5")
    (1, 2, 2, 2, 2)
    >>> as_counted(1), as_counted(1.0), as_counted(0)
    (1, 1, 2)
    """
    if isinstance(shown, bool):
        return 2
    if isinstance(shown, (int, float)):
        return 1 if shown == 1 else 2
    return 1 if str(shown).strip() == "1" else 2


def plural_forms(say: Callable[[int], str]) -> dict[str, str]:
    """A count's sentence in its singular and plural forms, for a page's script that
    writes the count itself: ``say`` is the ``tr.ngettext`` call (so the catalogue tools
    find its texts), the script takes ``one`` for 1 and ``other`` else. That is the plural
    rule of every catalogue polku has (``plural=(n != 1)``: Finnish, Swedish, English;
    tests/test_i18n.py holds them to it).

    >>> tr = translator("fi")
    >>> plural_forms(lambda n: tr.ngettext("{n} edit", "{n} edits", n))
    {'one': '{n} edit', 'other': '{n} edits'}
    """
    return {"one": say(1), "other": say(2)}


# -- the display names of polku's own terms (the one catalogue: polku.words) ----------------

def severity_name(severity: str, tr: Translator) -> str:
    """A finding's severity in ``tr``'s language (an unknown one as it is).

    >>> severity_name("info", translator("fi")), severity_name("info", translator("en"))
    ('tiedoksi', 'for information')
    """
    return tr(SEVERITY_NAMES[severity]) if severity in SEVERITY_NAMES else severity


def role_name(role: str, tr: Translator) -> str:
    """A responsibility's role in ``tr``'s language (an unknown one as it is).

    >>> [role_name(r, translator("fi")) for r in ROLE_NAMES]
    ['päävastuu', 'osallistuja', 'kuultava', 'tiedotettava']
    """
    return tr(ROLE_NAMES[role]) if role in ROLE_NAMES else role


def type_name(node_type: str, tr: Translator, plural: bool = False) -> str:
    """What one node (or, ``plural``, several) of a type is called in ``tr``'s language.

    >>> type_name("segment", translator("sv")), type_name("path", translator("fi"), plural=True)
    ('kundgrupp', 'suunnitellut palvelupolut')
    """
    names = NODE_TYPE_NAMES.get(node_type)
    return tr(names[1 if plural else 0]) if names else node_type


#: the decimals a betweenness is written with (normalised, 0 to 1: three tell the services
#: of a region apart; a fourth is noise nobody reads)
BETWEENNESS_DIGITS = 3

#: the letters Finnish and Swedish put after z (in their order), and ü, filed as y
_AFTER_Z = {"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}", "ü": "y"}


def names_joined(names: Iterable[str]) -> str:
    """Names one after another: a comma between them, or a semicolon where any of them
    holds a comma itself, so that one name is not read as two (a partner "Oikeusaputoimisto,
    talous- ja velkaneuvonta"), in every language.

    >>> names_joined(["Kela", "THL"]), names_joined(["Oikeusapu, velkaneuvonta", "Kela"])
    ('Kela, THL', 'Oikeusapu, velkaneuvonta; Kela')
    """
    names = list(names)
    return ("; " if any("," in n for n in names) else ", ").join(names)


def alphabetical(text: str, lang: str = "fi") -> tuple[str, str]:
    """A sort key that puts names in the order of the reader's alphabet: in Finnish and
    Swedish, case aside, å, ä and ö after z, ü as y; in English every accented letter with
    its plain one; in all three another accented letter with its plain one (é with e), and
    the text itself to part two names that differ only in case or accent
    (:func:`polku.io.areas.alphabet_key`, which the analyses order the primary names by).

    >>> sorted(["Övermark", "Åbo", "Ähtäri", "espoo", "Zürich", "Éura"], key=alphabetical)
    ['espoo', 'Éura', 'Zürich', 'Åbo', 'Ähtäri', 'Övermark']
    >>> sorted(["Müller", "Mylly", "Mustasaari"], key=alphabetical)
    ['Mustasaari', 'Müller', 'Mylly']
    >>> sorted(["whole country", "Åland", "Oulu"], key=lambda t: alphabetical(t, "en"))
    ['Åland', 'Oulu', 'whole country']
    """
    return alphabet_key(text, AFTER_Z if lang in ("fi", "sv") else {})


def area_name(text: str | None, lang: str) -> str:
    """An area named in free text (a region column) as a reader of ``lang`` knows it: its
    Swedish or English name when polku knows the area (:func:`polku.io.areas.area_names`),
    else the text as written; a name already in the reader's language as the data writes it.

    >>> area_name("Keski-Uusimaa", "sv"), area_name("koko maa", "en"), area_name("Uusimaa", "sv")
    ('Mellersta Nyland', 'whole country', 'Nyland')
    >>> area_name("Hyvinge", "fi"), area_name("Kirkonkylä", "sv"), area_name("UUSIMAA", "fi")
    ('Hyvinkää', 'Kirkonkylä', 'UUSIMAA')
    """
    return area_named(text, lang).text


def area_named(text: str | None, lang: str) -> Name:
    """:func:`area_name` and the language that name is in: ``lang`` where polku knows the
    area (or the text is already its name in ``lang``), else the text as written, in the
    workbook's language (Finnish).

    >>> area_named("Keski-Uusimaa", "sv"), area_named("Kirkonkylä", "sv")
    (Name(text='Mellersta Nyland', lang='sv'), Name(text='Kirkonkylä', lang='fi'))
    >>> area_named("", "sv")
    Name(text='', lang=None)
    """
    from polku.graph import DEFAULT_TEXT_LANG
    from polku.io.areas import area_names

    text = text or ""
    names = area_names(text)
    if lang not in names:
        return Name(text, DEFAULT_TEXT_LANG if text.strip() else None)
    if names[lang].lower() == text.strip().lower():
        return Name(text, lang)
    return Name(names[lang], lang)


def region_name(g: "nx.MultiDiGraph", lang: str) -> str | None:
    """The graph's region (its ``graph`` sheet's ``region``) as a reader of ``lang`` names
    it: the sheet's ``region_sv``/``region_en`` where it gives one, else :func:`area_name`;
    ``None`` when the graph names no region.

    >>> from polku.graph import new_graph
    >>> g = new_graph(); g.graph["region"] = "Keski-Uusimaa"
    >>> region_name(g, "sv"), region_name(g, "fi"), region_name(new_graph(), "en")
    ('Mellersta Nyland', 'Keski-Uusimaa', None)
    >>> g.graph["region_en"] = "Central Uusimaa region"; region_name(g, "en")
    'Central Uusimaa region'
    """
    found = region_named(g, lang)
    return None if found is None else found.text


def sheet_region_name(sheet: Mapping[str, Any], lang: str) -> str | None:
    """:func:`region_name` of a graph sheet: a graph's own attributes, or one region's of a
    merged graph (:func:`polku.graph.regions`).

    >>> sheet_region_name({"region": "Keski-Suomi"}, "sv"), sheet_region_name({}, "fi")
    ('Mellersta Finland', None)
    """
    found = sheet_region_named(sheet, lang)
    return None if found is None else found.text


def region_named(g: "nx.MultiDiGraph", lang: str) -> Name | None:
    """:func:`region_name` and the language it is written in (the reader's for the
    sheet's ``region_sv``/``region_en`` and for an area polku knows, else Finnish).

    >>> from polku.graph import new_graph
    >>> g = new_graph(); g.graph["region"] = "Kirkonkylä"
    >>> region_named(g, "sv"), region_named(g, "fi")
    (Name(text='Kirkonkylä', lang='fi'), Name(text='Kirkonkylä', lang='fi'))
    """
    return sheet_region_named(g.graph, lang)


def sheet_region_named(sheet: Mapping[str, Any], lang: str) -> Name | None:
    """:func:`region_named` of a graph sheet (a graph's own attributes, or one region's of
    a merged graph)."""
    from polku.graph import TITLE_LANGUAGES

    given = sheet.get(f"region_{lang}") if lang in TITLE_LANGUAGES else None
    if given:
        return Name(str(given), lang)
    primary = sheet.get("region")
    return None if primary in (None, "") else area_named(str(primary), lang)


def merged_region_names(g: "nx.MultiDiGraph", lang: str) -> dict[str, str]:
    """A merged graph's regions (:func:`polku.graph.regions`) by id, as a reader of
    ``lang`` tells them apart: the region each describes (:func:`sheet_region_name`), else
    its title in that language, else its id, whichever tells them apart first (two copies of
    one region name the same region). Empty unless the graph has several regions: a graph
    of one region needs no region beside each name.

    >>> from polku.graph import new_graph
    >>> g = new_graph("national")
    >>> g.graph["regions"] = [{"id": "ra", "region": "Keski-Uusimaa", "title": "A"},
    ...                       {"id": "rb", "region": "Keski-Suomi", "title": "B"}]
    >>> merged_region_names(g, "sv")
    {'ra': 'Mellersta Nyland', 'rb': 'Mellersta Finland'}
    >>> g.graph["regions"][1]["region"] = "Keski-Uusimaa"; merged_region_names(g, "fi")
    {'ra': 'A', 'rb': 'B'}
    """
    from polku.graph import regions

    sheets = regions(g)
    if len(sheets) < 2:
        return {}
    ids = [str(s["id"]) for s in sheets]
    for say in (lambda s: sheet_region_name(s, lang),
                lambda s: s.get(f"title_{lang}") or s.get("title")):
        names = [str(say(s) or i) for s, i in zip(sheets, ids)]
        if len(set(names)) == len(names):
            return dict(zip(ids, names))
    return dict(zip(ids, ids))


def kind_name(kind: str, tr: Translator) -> str:
    """A finding kind as people call it, in ``tr``'s language (an unknown kind as it is).

    >>> kind_name("path-broken", translator("fi")), kind_name("long-wait", translator("sv"))
    ('katkennut palvelupolku', 'lång väntetid')
    """
    return tr(KIND_NAMES[kind]) if kind in KIND_NAMES else kind


def edge_kind_name(kind: str, tr: Translator) -> str:
    """An edge kind in ``tr``'s language (an unknown one as it is)."""
    return tr(EDGE_KIND_NAMES[kind]) if kind in EDGE_KIND_NAMES else kind


def factor_name(factor: str, tr: Translator) -> str:
    """A need's work-ability factor in ``tr``'s language (:data:`polku.words.FACTOR_NAMES`;
    one the catalogue does not name as the workbook writes it).

    >>> factor_name("health", translator("fi")), factor_name("oma", translator("sv"))
    ('terveys ja toimintakyky', 'oma')
    """
    return tr(FACTOR_NAMES[factor]) if factor in FACTOR_NAMES else factor


def status_name(status: str, tr: Translator) -> str:
    """A finding's follow-up status in ``tr``'s language (an unknown one as it is)."""
    return tr(STATUS_NAMES[status]) if status in STATUS_NAMES else status


# -- errors worded at the edge (the readers and the server raise them with a template and
# its parameters: polku.errors) ------------------------------------------------------------

def error_param(value: Any, tr: Translator) -> Any:
    """One parameter of an error message in ``tr``'s language: node types by their names,
    choices by their display names beside their codes, a catalogued text translated, a
    problem inside a problem worded, anything else as it is.

    >>> from polku.errors import Choices
    >>> error_param(Choices([("ecosystem", "Ecosystem")]), translator("sv"))
    'Ekosystemet (ecosystem)'
    """
    from polku.errors import (HUGE, Alternatives, Choices, Figure, NodeName, NodeNames,
                              NodeTypes, Phrase, PolkuErrors, Problems, Said, choice_named,
                              or_list)

    if isinstance(value, Problems):
        return "; ".join(error_text(p, tr) for p in value)
    if isinstance(value, PolkuErrors):  # several problems inside one: each where it is
        return "; ".join(error_text(p, tr) for p in value.errors)
    if isinstance(value, PolkuError):
        return error_message(value, tr)
    if isinstance(value, Phrase):
        try:
            return template(value.template, tr).format(**{k: error_param(v, tr)
                                                          for k, v in value.params.items()})
        except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder
            return str(value)
    if isinstance(value, Choices):
        return ", ".join(choice_named(code, tr(name)) for code, name in value)
    if isinstance(value, NodeTypes):
        if tr.lang == "en":
            return str(value)
        return or_list([type_name(t, tr) for t in value], tr.lang)
    if isinstance(value, Said):
        return tr(str(value))
    if isinstance(value, Figure):
        if abs(value) >= HUGE:
            return str(value)
        if value.percent:
            from babel.numbers import format_percent

            # the language's own percent (a space before % in Finnish and Swedish), signed
            return ("+" if value >= 0 else "−") + format_percent(abs(float(value)),
                                                                 locale=tr.lang)
        return tr.number(float(value))
    if isinstance(value, Alternatives):  # a choice may be catalogued words (a folder's)
        return or_list([error_param(v, tr) for v in value], tr.lang)
    if isinstance(value, NodeName):
        return value.named(tr.lang)
    if isinstance(value, NodeNames):
        return value.written(lambda n: n.named(tr.lang))
    from polku.errors import quoted_text

    return quoted_text(value)


def template(message: str, tr: Translator) -> str:
    """A catalogued template in ``tr``'s language: one that counts
    (:class:`polku.errors.Counted`) in the form the language gives its count.

    >>> from polku.errors import Counted
    >>> from polku.words import ngettext
    >>> template(Counted(ngettext("{n} finding", "{n} findings"), 1), translator("fi"))
    '{n} havainto'
    """
    from polku.errors import Counted

    if isinstance(message, Counted):
        return tr.ngettext(message.singular, message.plural, message.count)
    return tr(message)


def error_message(error: "PolkuError", tr: Translator) -> str:
    """What went wrong, without where, in ``tr``'s language (a message raised without a
    template stays as it was written).

    >>> from polku.errors import NodeTypes
    >>> e = PolkuError("unknown {targets} id '{ref}'", params={
    ...     "targets": NodeTypes(("service", "outcome")), "ref": "kuntoutus"}, column="to")
    >>> error_message(e, translator("fi"))
    "tuntematon tunnus 'kuntoutus' (odotettiin: palvelu tai tulos)"
    """
    if error.msgid is None or tr.lang == "en":
        return error.message
    from polku.errors import DID_YOU_MEAN

    try:
        text = template(error.msgid, tr).format(**{k: error_param(v, tr)
                                                   for k, v in error.params.items()})
        # the id it was likely meant to be (polku.graph.close_id), said the same way for
        # every parameter
        hint = getattr(error, "hint", None)
        return text + ("; " + tr(DID_YOU_MEAN).format(close=hint) if hint else "")
    except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder
        return error.message


def error_location(error: "PolkuError", tr: Translator) -> str:
    """Where a problem is (file, sheet, row, column, node) in ``tr``'s language."""
    if tr.lang == "en":
        return error.location
    parts = [str(error.file)] if error.file else []
    if error.sheet:
        parts.append(tr("sheet '{sheet}'").format(sheet=error.sheet))
    if error.row is not None:
        parts.append(tr("row {row}").format(row=error.row))
    if error.column:
        parts.append(tr("column '{column}'").format(column=error.column))
    if error.node and not error.names_its_node:  # else the message names it
        parts.append(tr("node <{node}>").format(node=error.node))
    return ", ".join(parts)


def error_text(error: "PolkuError", tr: Translator) -> str:
    """An error as one line per problem, located, in ``tr``'s language (English: exactly
    ``str(error)``).

    >>> e = PolkuError("'{value}' is not a number", params={"value": "20x"}, sheet="services",
    ...                row=4, column="capacity_per_month")
    >>> error_text(e, translator("fi"))
    "taulukko 'services', rivi 4, sarake 'capacity_per_month': '20x' ei ole luku"
    """
    from polku.errors import PolkuErrors

    if isinstance(error, PolkuErrors):
        return "\n".join(error_text(e, tr) for e in error.errors)
    where = error_location(error, tr)
    message = error_message(error, tr)
    return f"{where}: {message}" if where else message


def negotiate(query: str | None, accept_language: str | None) -> str:
    """The language of a web request: ``?lang=`` if given, exactly one of ``fi``, ``sv``,
    ``en`` as every choice of the API and the pages is written (``severity=ERROR`` is
    refused too; an empty one or ``SV`` is an error naming the choices), else the best of
    the browser's ``Accept-Language`` that polku speaks (a header HTTP says is matched
    without case), else Finnish.

    >>> negotiate(None, "en-GB,en;q=0.9,fi;q=0.8"), negotiate(None, "de, sv-FI;q=0.5")
    ('en', 'sv')
    >>> negotiate("sv", "en"), negotiate(None, None), negotiate(None, "SV")
    ('sv', 'fi', 'sv')
    >>> negotiate("SV", None)
    Traceback (most recent call last):
    polku.errors.PolkuError: unknown language 'SV' (use fi, sv or en)
    >>> negotiate("", "en")
    Traceback (most recent call last):
    polku.errors.PolkuError: unknown language '' (use fi, sv or en)
    """
    if query is not None:
        if query not in LANGUAGES:
            raise PolkuError(N_("unknown language '{lang}' (use fi, sv or en)"),
                             params={"lang": query}, field="lang")
        return query
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate((accept_language or "").split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()
        q = 1.0
        for p in pieces[1:]:
            if p.strip().startswith("q="):
                try:
                    q = float(p.strip()[2:])
                except ValueError:
                    q = 0.0
        primary = tag.split("-")[0]
        if primary in LANGUAGES and q > 0:
            ranked.append((-q, i, primary))
    return min(ranked)[2] if ranked else DEFAULT_LANG


