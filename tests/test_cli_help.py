"""``polku --help`` and every subcommand's help read as flowing paragraphs: a docstring's
hard line breaks (kept short for the source) never show as lines broken mid-sentence."""

from __future__ import annotations

import re
from typing import Iterator

import click
import pytest
import typer.main

from helpers import run
from polku.cli import app

#: wide enough that no help sentence wraps: every line left is one the text itself made
WIDE = {"COLUMNS": "1000", "TERMINAL_WIDTH": "1000"}


def _tree(command: click.Command, path: tuple[str, ...] = ()
          ) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _tree(sub, path + (name,))


TREE = list(_tree(typer.main.get_command(app)))


def test_every_help_text_in_the_command_tree_is_paragraphs_without_hard_line_breaks() -> None:
    broken = []
    for path, command in TREE:
        texts = [("help", command.help), ("short help", command.short_help)]
        texts += [(p.name, getattr(p, "help", None)) for p in command.params]
        for what, text in texts:
            for paragraph in (text or "").split("\n\n"):
                if "\n" in paragraph.strip() and not paragraph.startswith("\b"):
                    broken.append((" ".join(path) or "polku", what, paragraph))
    assert not broken, broken


def _description(text: str) -> list[str]:
    """The lines of a rendered help between its usage line and its first panel."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("Usage:"))
    end = next(i for i, line in enumerate(lines) if line.startswith("╭"))
    return [line.strip() for line in lines[start + 1:end] if line.strip()]


def _command_rows(text: str) -> list[str]:
    """The lines inside a rendered help's Commands panel."""
    found = re.search(r"╭─ Commands ─+╮\n(.*?)\n╰", text, re.S)
    return found.group(1).splitlines() if found else []


@pytest.mark.parametrize("path", [p for p, _ in TREE], ids=lambda p: " ".join(p) or "polku")
def test_rendered_help_shows_each_paragraph_and_each_command_on_one_line(path) -> None:
    r = run(*path, "--help", env=WIDE)
    assert r.exit_code == 0, r.output
    description = _description(r.stdout)
    assert description, r.stdout
    # at this width a paragraph is one line, and a paragraph ends a sentence
    ragged = [line for line in description if not line.endswith((".", ")", ":"))]
    assert not ragged, r.stdout
    rows = _command_rows(r.stdout)
    # a group lists each command on one row: its name, then its whole first paragraph
    names = [row.strip("│ ").split(" ", 1)[0] for row in rows]
    command = dict(TREE)[path]
    assert sorted(names) == sorted(getattr(command, "commands", {})), r.stdout


def test_flowing_joins_lines_but_keeps_paragraphs_verbatim_blocks_and_what_follows_f() -> None:
    from polku.cli import flowing

    text = "One sentence\n    broken here.\n\n\b\nkept\n  as is\n\nLast\none.\f\nfor developers\nonly"
    assert flowing(text) == ("One sentence broken here.\n\n\b\nkept\n  as is\n\nLast one."
                             "\f\nfor developers\nonly")
    assert flowing(None) is None and flowing("") == ""
