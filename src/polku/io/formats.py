"""The one registry of formats polku reads and writes: each with its name, file name endings
(or a folder), reader, writer, whether it goes to other people, and a line saying what it is.

Everything that lists formats asks this registry: :func:`polku.io.load.load_graph` and
:func:`~polku.io.load.save_graph`, ``polku import`` and ``polku export`` (their choices and
``--help``), the small-cell default of :mod:`polku.privacy` (``shared`` formats go to other
people, so their small cells are left out unless asked), the HTTP API's ``/export`` (the
formats with a ``text`` form) and the kinds of source the server serves. A new format is one
new :class:`Format` in :data:`FORMATS`.

Readers and writers are named ``"module:function"`` and imported when first called: naming
a format costs nothing (``polku --help`` imports no RDF library). Some writers are not in
``io/``: the Mermaid picture of the paths is drawn from the analyses, so it lives with the
other pictures (:mod:`polku.present.mermaid`), and GraphML, GEXF and the neo4j-admin CSV
are labelled in the reader's language at the edge (:mod:`polku.present.exports`, around
:mod:`polku.io.exchange`); this registry names them, and only the door that writes them
imports them.

>>> [f.name for f in FORMATS.values() if f.shared]
['jsonld', 'cpsv-ap', 'graphml', 'gexf', 'csv', 'mermaid']
>>> graph_formats()
('turtle', 'jsonld', 'xlsx', 'workbook')
>>> get("mermaid").suffixes, get("csv").is_folder
(('.mmd', '.md'), True)
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import networkx as nx

from polku.errors import Alternatives, PolkuError, Said
from polku.words import N_


def resolve(ref: str) -> Callable[..., Any]:
    """The function a ``"module:function"`` reference names, imported now.

    >>> resolve("polku.io.rdf:write_turtle").__name__
    'write_turtle'
    """
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


@dataclass(frozen=True)
class Format:
    """One format: how it is named, where it may be written, and who reads and writes it."""
    #: the name on the command line (``--to NAME``) and in the API (``?format=NAME``)
    name: str
    #: how people call it (``JSON-LD``), in help texts and the README (a word, not a name,
    #: is catalogued: ``workbook``)
    title: str
    #: one line: what it is for (catalogued where it is not names alone: ``polku export
    #: --help`` words it)
    description: str
    #: the file name endings it is written to, the first the usual one; ``("",)`` = a folder
    suffixes: tuple[str, ...]
    #: ``"module:function"`` that writes ``(g, path, **options)``, atomically
    writer: str
    #: ``"module:function"`` that reads ``path`` back into the typed graph (``load_graph``)
    reader: str | None = None
    #: endings the reader also reads (an ``.xlsm`` is read as an ``.xlsx``)
    also_reads: tuple[str, ...] = ()
    #: polku's graph as one RDF file (what ``import``, ``merge`` and ``plan import`` write)
    rdf: bool = False
    #: goes to other people: small cells are left out unless ``--no-suppress``
    shared: bool = False
    #: ``"module:function"`` giving the whole graph as text (``g -> str``): what the HTTP API
    #: serves at ``/export?format=NAME``, with ``media_type``
    text: str | None = None
    media_type: str | None = None
    #: the export options the writer takes (``polku export --segment``, ``-k``)
    options: tuple[str, ...] = ()
    #: ``"module:function"`` lines to tell after an export (``g -> list[str]``)
    notes: str | None = None
    #: ``"module:function"`` reading another publisher's data, ``(path, name)`` -> a result
    #: with ``graph``, ``notes``, ``unplaced`` and ``unit`` (``polku import``), and the
    #: endings it reads
    importer: str | None = None
    import_suffixes: tuple[str, ...] = ()
    #: a folder format: what it holds (said when a name looks like a file's)
    holds: str = ""
    #: a folder format: what to use for one file instead
    one_file: str | None = None
    #: a folder format polku reads: how a message listing what polku reads names it
    #: (catalogued: ``a folder of CSV sheets``)
    read_as: str = ""
    #: a folder format whose name may have no suffix at all (else only no file's suffix)
    bare_folder: bool = False
    #: precedence among a served folder's sources of one name (0 wins), None = not served;
    #: a served folder serves the files that end in the first suffix
    served: int | None = None
    #: ``"module:function"`` giving the figures a file of ``g`` writes as ``(node,
    #: attribute)`` (``(g, **options)``); None: every figure of the graph. What the note of
    #: the small cells a file leaves out counts (a chart of one segment holds few of them)
    cells: str | None = None

    @property
    def is_folder(self) -> bool:
        return self.suffixes == ("",)

    def write(self, g: nx.MultiDiGraph, path: str | Path, **options: object) -> None:
        """Write ``g`` to ``path``, passing on the options this format takes."""
        resolve(self.writer)(g, Path(path), **{k: v for k, v in options.items()
                                               if k in self.options})

    def cells_written(self, g: nx.MultiDiGraph,
                      **options: object) -> set[tuple[str, str]] | None:
        """The figures a file of ``g`` written with ``options`` holds, as ``(node,
        attribute)``; None: all of the graph's (see :attr:`cells`)."""
        if self.cells is None:
            return None
        return resolve(self.cells)(g, **{k: v for k, v in options.items()
                                         if k in self.options})

    def read(self, path: str | Path) -> nx.MultiDiGraph:
        if self.reader is None:
            raise PolkuError(N_("polku does not read {format} back"),
                             params={"format": self.name}, file=str(path))
        return resolve(self.reader)(Path(path))

    def reads(self, path: Path) -> bool:
        """Whether this format's reader takes ``path`` (a folder, or a file by its ending)."""
        if self.reader is None:
            return False
        if self.is_folder:
            return path.is_dir()
        return not path.is_dir() and path.suffix.lower() in self.suffixes + self.also_reads

    def as_text(self, g: nx.MultiDiGraph) -> str:
        if self.text is None:
            raise PolkuError(N_("{format} is not served as text"), params={"format": self.name})
        return resolve(self.text)(g)


#: every format, in the order help texts and messages list them
FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("turtle", "Turtle", N_("polku's own RDF file"), (".ttl", ".turtle"),
           "polku.io.rdf:write_turtle", reader="polku.io.rdf:read_turtle", rdf=True,
           text="polku.io.rdf:graph_turtle", media_type="text/turtle", served=2),
    Format("jsonld", "JSON-LD", N_("the same RDF in JSON-LD"), (".jsonld", ".json"),
           "polku.io.rdf:write_jsonld", reader="polku.io.rdf:read_jsonld", rdf=True,
           shared=True,
           text="polku.io.rdf:graph_jsonld", media_type="application/ld+json", served=3),
    Format("xlsx", "xlsx", N_("the workbook in one file"), (".xlsx",),
           "polku.io.workbook:write_workbook", reader="polku.io.workbook:read_workbook",
           also_reads=(".xlsm",), served=1),
    Format("workbook", N_("workbook"), N_("the CSV sheets designers edit"),
           ("",), "polku.io.workbook:write_workbook", reader="polku.io.workbook:read_workbook",
           holds=N_("of CSV sheets"), one_file="xlsx", served=0,
           read_as=N_("a folder of CSV sheets")),
    Format("cpsv-ap", "CPSV-AP", N_("public services in CPSV-AP 3.2.0 (`polku import` reads "
                                    "other publishers' CPSV-AP)"),
           (".ttl", ".jsonld", ".json"),
           "polku.io.exchange:write_cpsv_ap", shared=True,
           notes="polku.io.exchange:cpsv_ap_notes", importer="polku.io.cpsvap:read_cpsv_ap",
           import_suffixes=(".ttl", ".turtle", ".jsonld", ".json", ".rdf", ".xml", ".owl",
                            ".nt")),
    Format("graphml", "GraphML", "Gephi, yEd, Cytoscape", (".graphml",),
           "polku.present.exports:write_graphml", shared=True, options=("lang",)),
    Format("gexf", "GEXF", "Gephi", (".gexf",), "polku.present.exports:write_gexf",
           shared=True, options=("lang",)),
    Format("csv", "CSV", N_("nodes.csv and relationships.csv for neo4j-admin import"),
           ("",), "polku.present.exports:write_neo4j_csv", shared=True,
           holds=N_("(nodes.csv and relationships.csv)"), bare_folder=True,
           options=("lang",)),
    Format("mermaid", "Mermaid", N_("a flowchart of a segment's best paths (--segment, -k) "
                                    "or of every referral"), (".mmd", ".md"),
           "polku.present.mermaid:write_mermaid", shared=True,
           options=("segment", "k", "lang"), cells="polku.present.mermaid:cells_written"),
)}


def get(name: str) -> Format:
    """The format called ``name``, or an error naming the formats there are."""
    try:
        return FORMATS[name]
    except KeyError:
        raise PolkuError(N_("unknown format '{format}' (use {choices})"),
                         params={"format": name, "choices": ", ".join(FORMATS)},
                         field="format") from None


def graph_formats() -> tuple[str, ...]:
    """The formats polku reads back as a graph: what ``save_graph`` writes and every command
    takes as input."""
    return tuple(f.name for f in FORMATS.values() if f.reader)


def rdf_formats() -> tuple[str, ...]:
    """The graph formats that are single RDF files (what ``import`` and ``merge`` write).

    >>> rdf_formats()
    ('turtle', 'jsonld')
    """
    return tuple(f.name for f in FORMATS.values() if f.reader and f.rdf)


def text_formats() -> tuple[str, ...]:
    """The formats the HTTP API serves as text (``/export?format=…``)."""
    return tuple(f.name for f in FORMATS.values() if f.text)


def shared(name: str) -> bool:
    """Whether output in this format goes to other people: the small-cell default.

    >>> shared("jsonld"), shared("turtle")
    (True, False)
    """
    return get(name).shared


def served_kinds() -> dict[str, str]:
    """Ending (``""`` = a folder) -> kind of source in a served folder, in precedence order
    (a workbook folder wins over an ``.xlsx``, a Turtle or a JSON-LD file of the same name).

    >>> served_kinds()
    {'': 'workbook', '.xlsx': 'xlsx', '.ttl': 'turtle', '.jsonld': 'jsonld'}
    """
    served = sorted((f for f in FORMATS.values() if f.served is not None),
                    key=lambda f: f.served)  # type: ignore[arg-type, return-value]
    return {f.suffixes[0]: f.name for f in served}


def reading(path: str | Path) -> Format | None:
    """The format whose reader reads ``path`` (which exists), else None."""
    path = Path(path)
    return next((f for f in FORMATS.values() if f.reads(path)), None)


def readable() -> Alternatives:
    """What polku reads, for messages, each file ending and folder as the reader's
    language lists alternatives (the folder's words catalogued).

    >>> str(readable())
    '.ttl, .jsonld, .xlsx, or a folder of CSV sheets'
    """
    files = [f.suffixes[0] for f in FORMATS.values() if f.reader and not f.is_folder]
    folders = [Said(f.read_as) for f in FORMATS.values() if f.reader and f.is_folder]
    return Alternatives((*files, *folders))


#: the endings of the spreadsheet files polku does not read: saved as .xlsx, each is read
SPREADSHEET_SUFFIXES = (".xls", ".xlsb", ".ods", ".fods", ".numbers")


def unreadable(path: Path) -> PolkuError:
    """The problem of ``path`` (which exists) that no format reads: what to give instead
    where that is plain (:func:`what_to_give`), else what polku reads."""
    return what_to_give(path) or PolkuError(N_("unknown kind of file: expected {kinds}"),
                                            params={"kinds": readable()}, file=str(path))


def what_to_give(path: Path) -> PolkuError | None:
    """The problem of a file that is plainly meant as a workbook but is none, saying what
    to give instead: a spreadsheet of another kind saved as .xlsx, the folder of a CSV
    sheet given alone; else None. What a command that reads any graph and what ``polku
    import`` (which reads a workbook) say of such a file alike.

    >>> str(what_to_give(Path("old.xls")))
    'old.xls: polku does not read .xls files: open it in the spreadsheet program and save it as an Excel workbook (.xlsx)'
    >>> what_to_give(Path("notes.txt")) is None
    True
    """
    suffix = path.suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        return PolkuError(N_("polku does not read {suffix} files: open it in the spreadsheet "
                             "program and save it as an Excel workbook (.xlsx)"),
                          params={"suffix": suffix}, file=str(path))
    if suffix == ".csv" and not path.is_dir():
        return PolkuError(N_("one CSV sheet is not a workbook: give the folder that holds the "
                             "sheets ({folder})"),
                          params={"folder": str(path.parent)}, file=str(path))
    return None


def importer_for(path: str | Path) -> Format | None:
    """The format whose importer reads another publisher's file ``path``, else None (a
    workbook).

    >>> importer_for("other.rdf").name, importer_for("region.xlsx")
    ('cpsv-ap', None)
    """
    path = Path(path)
    if path.is_dir():
        return None
    return next((f for f in FORMATS.values()
                 if f.importer and path.suffix.lower() in f.import_suffixes), None)


def format_for(out: str | Path, formats: tuple[str, ...] | None = None,
               default: str | None = None) -> str:
    """The format among ``formats`` (default: the graph formats) that the name ``out`` asks
    for by its suffix, else ``default`` (whose name check then says what is wrong), else an
    error.

    >>> format_for("region.jsonld"), format_for("region"), format_for("a.ttl", ("turtle",))
    ('jsonld', 'workbook', 'turtle')
    >>> format_for("region.csv")
    Traceback (most recent call last):
    polku.errors.PolkuError: region.csv: write a .ttl, .jsonld, or .xlsx file, or a folder (no suffix)
    """
    formats = graph_formats() if formats is None else formats
    suffix = Path(str(out)).suffix.lower()
    for fmt in formats:
        if suffix in FORMATS[fmt].suffixes:
            return fmt
    if default is not None:
        return default
    names = list(dict.fromkeys(FORMATS[f].suffixes[0] for f in formats
                               if not FORMATS[f].is_folder))
    template = N_("write a {files} file, or a folder (no suffix)") \
        if any(FORMATS[f].is_folder for f in formats) else N_("write a {files} file")
    raise PolkuError(template, params={"files": Alternatives(tuple(names))}, file=str(out),
                     field="output")


def rdf_format_for(out: str | Path) -> str:
    """The RDF format the name ``out`` asks for (what ``import`` and ``merge`` write), else
    an error naming every ending they write (not only Turtle's: JSON-LD is written too).

    >>> rdf_format_for("national.jsonld"), rdf_format_for("national.TTL")
    ('jsonld', 'turtle')
    >>> rdf_format_for("national.xlsx")
    Traceback (most recent call last):
    polku.errors.PolkuError: national.xlsx: the graph is written as Turtle or JSON-LD: give the output a name ending in .ttl, .turtle, .jsonld, or .json
    """
    suffix = Path(str(out)).suffix.lower()
    for fmt in rdf_formats():
        if suffix in FORMATS[fmt].suffixes:
            return fmt
    raise PolkuError(N_("the graph is written as Turtle or JSON-LD: give the output a name "
                        "ending in {suffixes}"),
                     params={"suffixes": Alternatives(tuple(
                         s for f in rdf_formats() for s in FORMATS[f].suffixes))},
                     file=str(out), field="output")


def _file_suffixes() -> set[str]:
    """Endings that make a folder's name look like a graph file's (a sheet's ``.csv`` too)."""
    return {s for f in FORMATS.values() if f.reader for s in f.suffixes if s} | {".csv"}


def check_name(out: Path, fmt: str) -> None:
    """Refuse a name that does not fit the format: a GEXF file called ``x.ttl``, a Turtle
    file named ``region.xlsx`` (it would overwrite the user's workbook), a folder named like
    a file. The error's ``field`` is ``output``."""
    f = get(fmt)
    suffix = out.suffix.lower()
    if f.is_folder:
        if suffix and (f.bare_folder or suffix in _file_suffixes()):
            if f.one_file:
                raise PolkuError(N_("a {format} export is a folder {holds}; '{name}' looks "
                                    "like a file name (use --to {one} for one file)"),
                                 params={"format": fmt, "holds": Said(f.holds),
                                         "name": out.name, "one": f.one_file},
                                 file=str(out), field="output")
            raise PolkuError(N_("a {format} export is a folder {holds}; '{name}' looks like "
                                "a file name"), params={"format": fmt, "holds": Said(f.holds),
                                                        "name": out.name},
                             file=str(out), field="output")
    elif suffix not in f.suffixes:
        raise PolkuError(N_("{format} output needs a name ending in {suffixes}"),
                         params={"format": fmt, "suffixes": Alternatives(f.suffixes)},
                         file=str(out), field="output")


def check_output(out: Path, fmt: str, source: str | Path | None = None) -> None:
    """:func:`check_name`, and refuse an output that is the input itself."""
    check_name(out, fmt)
    if source is not None and Path(str(source)).exists() and \
            Path(str(source)).resolve() == out.resolve():
        raise PolkuError(N_("the output would overwrite the input"), params={}, file=str(out),
                         field="output")


def taking(option: str) -> str:
    """The formats whose writer takes an export option, for its ``--help``.

    >>> taking("segment")
    'mermaid'
    """
    return ", ".join(f.name for f in FORMATS.values() if option in f.options)
