"""The range of every figure a graph holds, declared once: the workbook reader (CSV, .xlsx
and the API's row edits, which go through it) and the RDF reader (Turtle, JSON-LD, a Neo4j
region) refuse a figure outside it with the same rule, each in its own words (a cell's
text, a node's predicate).

Why bounds at all: a figure no region has (a wait of ``1e27`` days, a capacity of ``1e308``
or ``1e-300`` clients a month) is a typo, and the analyses and the pages built on it
computed and wrote numbers no reader can use (a utilisation of 10^301), or failed. The
bounds are well above any real region's figures, so no real graph is refused.

>>> out_of_bounds("median_wait_days", 3650), out_of_bounds("median_wait_days", 4000)[2]
(None, {'most': 3650.0})
>>> out_of_bounds("capacity_per_month", 0), out_of_bounds("capacity_per_month", 0.001)[2]
(None, {'least': 0.01})
"""

from __future__ import annotations

from dataclasses import dataclass

from polku.errors import Figure
from polku.privacy import PEOPLE_MAXIMUM
from polku.words import N_

#: The longest median wait, in days: ten years. A referral waited on for longer is no
#: referral a region plans with (the ``long-wait`` finding fires at 30 days), so more is a
#: typo (``1e27`` for ``127``).
MAX_WAIT_DAYS = 3650
#: The most a service may take in a month, and the most a what-if may ask of one. A
#: Finnish region's busiest employment, social or health service serves some thousands of
#: clients a month (a wellbeing services county's whole primary care, tens of thousands);
#: 100,000 clients a month, or places, is well above any of them, so no real figure is
#: refused, and it bounds the queue model's cost: Erlang's recurrence
#: (:func:`polku.analyses.queues.erlang_c`) is a loop over the places.
MAX_CAPACITY = 100_000
MAX_PLACES = 100_000
#: The smallest capacity above 0: one client in a hundred months. A smaller one is no
#: capacity anyone plans with but a typo (``1e-3`` for ``1e3``), and its utilisation
#: (inflow / capacity) runs to hundreds of digits; 0 (a service that takes in no one) is
#: a capacity of its own.
LEAST_CAPACITY = 0.01


@dataclass(frozen=True)
class Bound:
    """The range of one figure: at most ``most``; above 0, at least ``least`` (None: any
    figure above 0). The messages say a figure out of range, a cell's with its text as
    ``{value}`` and a node's with its predicate as ``{predicate}``; ``{most}`` and
    ``{least}`` are the bounds."""

    most: float
    cell: str
    node: str
    least: float | None = None
    cell_small: str = ""
    node_small: str = ""

    def problem(self, value: float) -> tuple[str, str, dict[str, Figure]] | None:
        """Why ``value`` is out of this range (:func:`out_of_bounds`), or None."""
        if value > self.most:
            return self.cell, self.node, {"most": Figure(self.most)}
        if self.least is not None and 0 < value < self.least:
            return self.cell_small, self.node_small, {"least": Figure(self.least)}
        return None


_PEOPLE = Bound(PEOPLE_MAXIMUM,
                N_("'{value}' is more than {most} (more people than live in Finland: a "
                   "typo?)"),
                N_("{predicate} is more than {most} (more people than live in Finland: a "
                   "typo?)"))

#: node attribute (= workbook column) -> its bound; a figure not named here is bounded by
#: its kind alone (a share 0–1, a step's order 1 or more)
BOUNDS: dict[str, Bound] = {
    "size": _PEOPLE,
    "volume_per_month": _PEOPLE,
    "median_wait_days": Bound(
        MAX_WAIT_DAYS,
        N_("'{value}' is more than {most} days (a wait of over ten years: a typo?)"),
        N_("{predicate} is more than {most} days (a wait of over ten years: a typo?)")),
    "capacity_per_month": Bound(
        MAX_CAPACITY,
        N_("'{value}' is more than {most} clients a month (more than any service takes "
           "in: a typo?)"),
        N_("{predicate} is more than {most} clients a month (more than any service takes "
           "in: a typo?)"),
        least=LEAST_CAPACITY,
        cell_small=N_("'{value}' is more than 0 but less than {least} clients a month (a "
                      "typo? 0 is a service that takes in no one)"),
        node_small=N_("{predicate} is more than 0 but less than {least} clients a month (a "
                      "typo? 0 is a service that takes in no one)")),
    "places": Bound(
        MAX_PLACES,
        N_("'{value}' is more than {most} places (more than any service has: a typo?)"),
        N_("{predicate} is more than {most} places (more than any service has: a typo?)")),
}


def out_of_bounds(attr: str, value: float) -> tuple[str, str, dict[str, Figure]] | None:
    """Why the figure ``value`` of ``attr`` is out of its :data:`BOUNDS`, as
    ``(cell message, node message, params)`` (the bound as a :class:`polku.errors.Figure`,
    which the edge writes in the reader's language); None when it is within them (or
    ``attr`` has none). ``value`` is a finite number 0 or more: the readers refuse the rest first.
    """
    bound = BOUNDS.get(attr)
    return None if bound is None else bound.problem(value)
