"""One catalogue of display names (:mod:`polku.words`): every severity, role, node type and
edge kind is named there once, in English, and shown translated in the glossary's words;
no other module keeps a catalogue of its own for them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import polku
from polku import words
from polku.finding import SEVERITIES
from polku.graph import EDGE_KINDS, NODE_TYPES, ROLES
from polku.present.i18n import (edge_kind_name, role_name, severity_name, status_name,
                                translator, type_name)

SRC = Path(polku.__file__).parent


def test_the_catalogue_names_every_term() -> None:
    assert list(words.SEVERITY_NAMES) == list(SEVERITIES)
    assert list(words.ROLE_NAMES) == list(ROLES)
    assert set(words.NODE_TYPE_NAMES) == set(NODE_TYPES) | {"responsibility"}
    assert set(words.EDGE_KIND_NAMES) == set(EDGE_KINDS)
    assert list(words.STATUS_NAMES) == ["new", "in-progress", "resolved", "accepted-risk"]


@pytest.mark.parametrize("lang, severities, roles", [
    ("fi", ["virhe", "varoitus", "tiedoksi"],
     ["päävastuu", "osallistuja", "kuultava", "tiedotettava"]),
    ("sv", ["fel", "varning", "för kännedom"], ["huvudansvar", "deltagare", "hörs", "informeras"]),
    ("en", ["error", "warning", "for information"], ["lead", "participant", "consulted", "informed"]),
])
def test_the_glossary_words(lang, severities, roles) -> None:
    tr = translator(lang)
    assert [severity_name(s, tr) for s in SEVERITIES] == severities
    assert [role_name(r, tr) for r in ROLES] == roles


def test_types_edges_and_statuses_in_each_language() -> None:
    fi, sv = translator("fi"), translator("sv")
    assert (type_name("segment", fi), type_name("segment", fi, plural=True)) == \
        ("asiakasryhmä", "asiakasryhmät")
    assert type_name("referral", sv) == "hänvisning" and type_name("path", sv) == \
        "planerad servicestig"
    assert [status_name(s, fi) for s in words.STATUS_NAMES] == \
        ["uusi", "työn alla", "ratkaistu", "hyväksytty riski"]
    assert [status_name(s, sv) for s in words.STATUS_NAMES] == \
        ["ny", "pågår", "löst", "accepterad risk"]
    for kind in EDGE_KINDS:
        assert edge_kind_name(kind, fi) != words.EDGE_KIND_NAMES[kind], kind
    assert severity_name("fatal", fi) == "fatal" and type_name("thing", sv) == "thing"


def _catalogue_dicts(tree: ast.AST) -> list[tuple[int, set[str]]]:
    """Dict literals mapping several of the terms to marked texts (``N_("…")``)."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = {k.value for k, v in zip(node.keys, node.values)
                    if isinstance(k, ast.Constant) and isinstance(v, ast.Call)
                    and getattr(v.func, "id", "") == "N_"}
            out.append((node.lineno, keys))
    return out


def test_no_other_catalogue_of_the_same_names() -> None:
    """Severities, roles and node types are named in polku/words.py only."""
    groups = (set(SEVERITIES), set(ROLES), set(NODE_TYPES))
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path == SRC / "words.py":
            continue
        for line, keys in _catalogue_dicts(ast.parse(path.read_text(encoding="utf-8"))):
            for group in groups:
                if len(keys & group) >= 2:
                    found.append(f"{path.relative_to(SRC)}:{line} {sorted(keys & group)}")
    assert found == []
