"""The recognisers' answers on tricky inputs, pinned case by case.

Python's `re` changed behaviour between 3.11 releases (possessive quantifiers were wrong before
3.11.5, CPython gh-106052 and gh-100061). A difference between interpreters must show up here
as a named case, not later as a changed coverage verdict. CI runs this file under every Python
it has.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys
import textwrap
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

import qmsdocs
from qmsdocs.references import Recognizer
from qmsdocs.scan import scan_sources
from qmsdocs.standards import load_builtin_catalogue

CATALOGUE = load_builtin_catalogue("iso9001-2015")
RECOGNIZER = Recognizer([CATALOGUE])

# (text, [(standard, clauses linked or covered, numbers reported unknown), ...])
# The standard is the catalogue id, or the other standard's designation in brackets.
CITATIONS: dict[str, tuple[str, list[tuple[str, tuple[str, ...], tuple[str, ...]]]]] = {
    "keyword": ("see clause 7.5.3 for records", [("iso9001-2015", ("7.5.3",), ())]),
    "designation then number": (
        "as required by ISO 9001:2015 8.4.",
        [("iso9001-2015", ("8.4",), ())],
    ),
    "designation, keyword": (
        "ISO 9001:2015, Clause 9.1 applies",
        [("iso9001-2015", ("9.1",), ())],
    ),
    "number at a paragraph's end": (
        "# Processes\n\nOur processes follow ISO 9001:2015 Clause 4.4.\n\n## Map\n",
        [("iso9001-2015", ("4.4",), ())],
    ),
    "number before a full stop and a heading": (
        "See clause 8.5.1.\n## 8 Operation",
        [("iso9001-2015", ("8.5.1",), ())],
    ),
    "a list across parenthesised titles": (
        "ISO 9001:2015 Clauses 7.1.5 (Monitoring and measuring resources) and 8.4 (Control of "
        "externally provided processes, products and services)",
        [("iso9001-2015", ("7.1.5", "8.4"), ())],
    ),
    "a range in parentheses after the standard": (
        "if any clause of ISO 9001 (4 through 10) is not applicable",
        [("iso9001-2015", ("4", "5", "6", "7", "8", "9", "10"), ())],
    ),
    "two standards named together": (
        "ISO 9001 and ISO 14001 clause 6.1",
        [("[ISO 9001 and ISO 14001]", (), ())],
    ),
    "a document's own section": ("Privacy Policy §3 — subject access requests", []),
    "a known framework binds its paragraph": (
        "SOC 2 Type II applies. See clause 8.4.",
        [("[SOC 2 Type II]", (), ())],
    ),
    "section-sign range, en dash": (
        "Under ISO 9001: §§ 7.5.2–7.5.3 cover it",
        [("iso9001-2015", ("7.5.2", "7.5.3"), ())],
    ),
    "section-sign list": (
        "ISO 9001 applies. §6.1, §6.2, §6.3 in turn",
        [("iso9001-2015", ("6.1", "6.2", "6.3"), ())],
    ),
    "range then list, one unknown": (
        "clauses 5.1 - 5.3, 5.5 are leadership",
        [("iso9001-2015", ("5.1", "5.2", "5.3"), ("5.5",))],
    ),
    "whole clauses": (
        "Clauses 4-10 of the standard",
        [("iso9001-2015", ("4", "5", "6", "7", "8", "9", "10"), ())],
    ),
    "range in words": (
        "clauses 8.3 to 8.3.2",
        [("iso9001-2015", ("8.3", "8.3.1", "8.3.2"), ())],
    ),
    "amendment with slash": ("ISO 9001:2015/Amd 1:2024 4.1", [("iso9001-2015", ("4.1",), ())]),
    "amendment with plus": (
        "ISO 9001:2015 + Amd 1:2024 clause 4.1",
        [("iso9001-2015", ("4.1",), ())],
    ),
    "lettered item of a clause without subclauses": (
        "clause 4.2.1 b) lists them",
        [("iso9001-2015", (), ("4.2.1",))],
    ),
    "lettered item": ("clause 8.5.1 c) applies", [("iso9001-2015", ("8.5.1",), ())]),
    "another standard": ("ISO 13485:2016 7.2 is not ours", [("[ISO 13485:2016]", (), ())]),
    "another standard's section sign": ("IEC 62304 §6 software", [("[IEC 62304]", (), ())]),
    "standard with part numbers": ("ISO 9001-1-2 8.4", [("[ISO 9001-1-2]", (), ())]),
    "German: gemäß, Kapitel": (
        "gemäß ISO 9001:2015 Kapitel 4.4.",
        [("iso9001-2015", ("4.4",), ())],
    ),
    "German: Abschnitt, und": (
        "entsprechend Abschnitt 8.5.2 und 8.5.3",
        [("iso9001-2015", ("8.5.2", "8.5.3"), ())],
    ),
    "mixed keywords in one sentence": (
        "clause 8.5.1, see also Kapitel 8.5.2 and Abschnitt 4.2.",
        [
            ("iso9001-2015", ("8.5.1",), ()),
            ("iso9001-2015", ("8.5.2",), ()),
            ("iso9001-2015", ("4.2",), ()),
        ],
    ),
    "German: Abs. after the standard": (
        "Die Lenkung erfolgt gemäß ISO 9001 Abs. 7.5.3.",
        [("iso9001-2015", ("7.5.3",), ())],
    ),
    "German: Pkt. after the standard": (
        "siehe ÖNORM EN ISO 9001 Pkt. 8.4",
        [("iso9001-2015", ("8.4",), ())],
    ),
    # Not linked: another standard's (a tentative keyword's citation is not listed here).
    "German: another standard after 'der Norm'": (
        "wie Abschnitt 6.1.2 der Norm ISO 14001 verlangt",
        [],
    ),
    "German: a contract's Ziffer": ("Es gilt Ziffer 5 des Vertrags.", []),
    "French: article of the named standard": (
        "conformément à l'article 8.4 de la norme ISO 9001",
        [("iso9001-2015", ("8.4",), ())],
    ),
    "French: chapitre et paragraphe": (
        "voir le chapitre 7.5 et le paragraphe 9.2.2",
        [("iso9001-2015", ("7.5",), ()), ("iso9001-2015", ("9.2.2",), ())],
    ),
    "French: a list with et": (
        "les chapitres 8.5.1 et 8.5.2",
        [("iso9001-2015", ("8.5.1", "8.5.2"), ())],
    ),
    "French: another standard's article": ("l'article 6.1.2 de la norme ISO 45001", []),
    "French: a contract's article": ("selon l'article 12 du contrat", []),
    "Spanish: apartado y cláusula": (
        "según el apartado 8.4 y la cláusula 9.3",
        [("iso9001-2015", ("8.4",), ()), ("iso9001-2015", ("9.3",), ())],
    ),
    "Spanish: numeral of the standard": (
        "el numeral 8.5.1 de la ISO 9001:2015",
        [("iso9001-2015", ("8.5.1",), ())],
    ),
    "Spanish: a range with al": (
        "los capítulos 4 al 10",
        [("iso9001-2015", ("4", "5", "6", "7", "8", "9", "10"), ())],
    ),
    "Spanish: requisito after the standard": (
        "cumple ISO 9001 requisito 7.1.5",
        [("iso9001-2015", ("7.1.5",), ())],
    ),
    "a regulation's article": ("Article 9 GDPR covers special data.", []),
    "unknown clause": ("see clause 7.9 please", [("iso9001-2015", (), ("7.9",))]),
    "unknown subclause": ("clause 7.5.12 is odd", [("iso9001-2015", (), ("7.5.12",))]),
    "too many levels": ("version 1.2.3.4.5 of clause 7.5.3.1.2.3", []),
    "sub-clause list": (
        "sub-clause 8.5.1 and 8.5.2",
        [("iso9001-2015", ("8.5.1", "8.5.2"), ())],
    ),
    "blank run before the number": ("clause \t 9.2 audits", [("iso9001-2015", ("9.2",), ())]),
}


def _summary(text: str) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    return [
        (
            c.catalogue or f"[{c.foreign}]",
            c.clauses,
            tuple(u.number for u in c.unknown),
        )
        for c in RECOGNIZER.scan(text)
        if c.catalogue is not None or c.explicit
    ]


@pytest.mark.parametrize("case", list(CITATIONS))
def test_citations(case: str) -> None:
    text, expected = CITATIONS[case]
    assert _summary(text) == expected


# Lead statements: the sentence near the top that says which clause a page addresses.
LEADS = {
    "designation and keyword": "This document describes our processes according to "
    "ISO 9001:2015 Clause 4.4.",
    "keyword alone": "This procedure sets out how we work, in accordance with clause 4.4.",
    "over two lines": "This template documents the QMS\nand its processes as required by "
    "ISO 9001 4.4.",
    "in a comment": "<!--\nNOTE:\nThis template describes the QMS according to "
    "ISO 9001:2015 Clause 4.4.\n-->",
    "reference label": "Reference: ISO 9001:2015, Clause 4.4",
    "German label": "**Normbezug:** ISO 9001:2015, Kapitel 4.4",
    "German sentence": "Dieses Dokument beschreibt unsere Prozesse gemäß "
    "ISO 9001:2015 Kapitel 4.4.",
    "German Abschnitt": "Dieses Verfahren regelt die Abläufe entsprechend Abschnitt 4.4.",
}


@pytest.mark.parametrize("case", list(LEADS))
def test_lead_statements(case: str) -> None:
    page = f"# Processes\n\n{LEADS[case]}\n\n## Process map\n\nText.\n"
    result = scan_sources([("p.md", page)], CATALOGUE)
    addressed = {(e.clause, e.kind) for e in result.page("p.md").addresses}
    assert addressed == {("4.4", "statement")}


def test_mentions_in_a_list_keep_every_number() -> None:
    page = textwrap.dedent(
        """\
        # Release

        This procedure addresses clause 8.6.

        ## Steps

        Release follows clause 8.5.1, see also Kapitel 8.5.2 and Abschnitt 4.2.
        """
    )
    result = scan_sources([("p.md", page)], CATALOGUE)
    assert {e.clause for e in result.page("p.md").mentions} == {"8.5.1", "8.5.2", "4.2"}


# The constructs that behaved differently before Python 3.11.5. Written without them, the
# patterns give the same answers on every Python that `requires-python` admits.
_RISKY = {"POSSESSIVE_REPEAT", "ATOMIC_GROUP"}


def _opcodes(node: Any) -> Iterator[str]:
    """Every opcode in a parsed pattern, however deeply nested (groups, branches, repeats)."""
    items = node.data if hasattr(node, "data") else node
    for item in items if isinstance(items, (list, tuple)) else ():
        if isinstance(item, tuple) and len(item) == 2 and hasattr(item[0], "name"):
            yield item[0].name
            yield from _opcodes(item[1])
        else:
            yield from _opcodes(item)


def _patterns(module: ModuleType) -> Iterator[tuple[str, re.Pattern[str]]]:
    for name, value in vars(module).items():
        if isinstance(value, re.Pattern):
            yield name, value


def _modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages(qmsdocs.__path__, "qmsdocs."))


@pytest.mark.parametrize("name", _modules())
def test_no_pattern_relies_on_constructs_that_older_3_11_releases_get_wrong(name: str) -> None:
    parser = sys.modules["re._parser"]
    risky = {
        pattern_name
        for pattern_name, pattern in _patterns(importlib.import_module(name))
        if _RISKY & set(_opcodes(parser.parse(pattern.pattern, pattern.flags)))
    }
    assert not risky, f"possessive quantifiers or atomic groups in {sorted(risky)}"


def test_the_guard_sees_a_possessive_quantifier() -> None:
    parser = sys.modules["re._parser"]
    assert "POSSESSIVE_REPEAT" in set(_opcodes(parser.parse(r"a(?:\.\d{1,2}){0,4}+", 0)))
    assert "ATOMIC_GROUP" in set(_opcodes(parser.parse(r"x(?>ab|a)c", 0)))
