"""The quality management principles, for training pages: data, loading and validation.

qmsdocs ships the seven principles of ISO 9000:2015 (clause 2.3) in
`iso9000-2015-principles.yml` beside this module. The numbers and names are the standard's
(facts); each summary is qmsdocs' own plain-language account, and the lists of ISO 9001 clauses
and ISO 9000 terms where a principle shows most are our editorial mapping, not the standard's.

File format::

    id: iso9000-2015-principles
    title: Quality management principles
    standard: ISO 9000:2015            # where the principles come from, for display
    catalogue: iso9001-2015            # the catalogue the clause lists refer to
    principles:
      - number: "2.3.1"                # quoted text, like clause ids
        name: Customer focus
        summary: >-                    # one paragraph, plain text, in your own words
          ...
        clauses: ["5.1.2", "9.1.2"]    # clause ids of `catalogue`
        terms: [customer, feedback]    # names of vocabulary terms

`load_principles` checks the file's shape and reports every problem together, with file and
line (`QMSDataError`); `check_principles` checks the clause and term lists against a catalogue
and a vocabulary and returns findings, also with file and line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from qmsdocs.findings import Finding, Problems, Severity
from qmsdocs.standards import Catalogue
from qmsdocs.vocabulary import Vocabulary, normalise_name, slugify
from qmsdocs.yamlio import (
    LineDict,
    LineList,
    check_fields,
    line_of,
    load_mapping,
    required_texts,
)

__all__ = [
    "BUILTIN_PRINCIPLES",
    "Principle",
    "PrincipleSet",
    "builtin_principles",
    "check_principles",
    "load_principles",
]

BUILTIN_PRINCIPLES = "iso9000-2015-principles"

_SET_FIELDS = {"id", "title", "standard", "catalogue", "principles", "note"}
_PRINCIPLE_FIELDS = {"number", "name", "summary", "clauses", "terms"}
_NUMBER_RE = re.compile(r"[0-9]+(?:\.[0-9]+)*")


@dataclass(frozen=True)
class Principle:
    """One principle.

    Attributes:
        number: Its number in the source standard ("2.3.1").
        name: Its name ("Customer focus").
        summary: Our one-paragraph account of it (plain text).
        clauses: Clause ids where it shows most (editorial), in the set's catalogue.
        terms: Names of the vocabulary terms it relies on (editorial).
        line: Line of the entry in its file.
        clause_lines: Line of each entry of `clauses`.
        term_lines: Line of each entry of `terms`.
    """

    number: str
    name: str
    summary: str
    clauses: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    line: int | None = None
    clause_lines: tuple[int | None, ...] = field(default=(), repr=False, compare=False)
    term_lines: tuple[int | None, ...] = field(default=(), repr=False, compare=False)

    @property
    def slug(self) -> str:
        """A stable name for pages and anchors: "customer-focus"."""
        return slugify(self.name)

    @property
    def ordinal(self) -> str:
        """The last part of the number: "1" for 2.3.1."""
        return self.number.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class PrincipleSet:
    """A set of principles, in order, read from one file.

    Attributes:
        id: Identifier of the set ("iso9000-2015-principles").
        title: Title for display.
        standard: The standard the principles come from ("ISO 9000:2015").
        catalogue: Id of the catalogue that the clause lists refer to ("iso9001-2015").
        principles: The principles, in the file's order.
        source: The file it was read from, as the user knows it.
    """

    id: str
    title: str
    standard: str
    catalogue: str
    principles: tuple[Principle, ...]
    source: str = ""

    def __iter__(self) -> Iterator[Principle]:
        return iter(self.principles)

    def __len__(self) -> int:
        return len(self.principles)

    def citation(self, principle: Principle) -> str:
        """How text cites a principle: "ISO 9000:2015 2.3.1"."""
        return f"{self.standard} {principle.number}"

    def get(self, key: str | int) -> Principle | None:
        """A principle by number ("2.3.1"), position ("1" or 1 for 2.3.1), name or slug.

        Names compare case-insensitively ("customer focus"); slugs are the page names
        ("customer-focus").
        """
        text = str(key).strip()
        wanted = normalise_name(text)
        for principle in self.principles:
            if text in (principle.number, principle.ordinal, principle.slug):
                return principle
            if wanted == normalise_name(principle.name):
                return principle
        return None

    def suggest(self, key: str | int) -> str:
        """A did-you-mean hint for a key that names no principle."""
        names = {normalise_name(p.name): p for p in self.principles}
        close = difflib.get_close_matches(normalise_name(str(key)), list(names), n=1, cutoff=0.6)
        if close:
            principle = names[close[0]]
            return f"did you mean {principle.number} '{principle.name}'?"
        listed = ", ".join(f"{p.number} {p.name}" for p in self.principles)
        return f"the principles are {listed}" if listed else "the set holds no principles"


@cache
def builtin_principles() -> PrincipleSet:
    """The seven principles of ISO 9000:2015, as shipped (loaded once per process)."""
    with resources.as_file(resources.files(__name__) / f"{BUILTIN_PRINCIPLES}.yml") as path:
        return load_principles(path, display=f"qmsdocs/principles/{BUILTIN_PRINCIPLES}.yml")


def load_principles(path: Path, display: str | None = None) -> PrincipleSet:
    """Read and validate a principles file; all problems are reported together.

    Raises:
        QMSDataError: The file cannot be read, is not YAML, or does not have the format of the
            module docstring; its findings name the file and line of each problem.
    """
    name = display or str(path)
    problem = Problems(name)
    data = load_mapping(
        path,
        problem,
        "bad-principles",
        "a principles file must be a mapping with 'id', 'title', 'catalogue' and 'principles'",
    )
    check_fields(data, _SET_FIELDS, problem)
    meta = required_texts(data, ("id", "title", "standard", "catalogue"), problem)
    raw = data.get("principles")
    if not isinstance(raw, LineList) or not raw:
        problem(
            "missing-field",
            "'principles' must be a non-empty list",
            line_of(data, "principles") or line_of(data),
        )
        raw = LineList()

    principles: list[Principle] = []
    seen: dict[tuple[str, str], int | None] = {}  # ("number" | "name", value) -> line
    for index, entry in enumerate(raw):
        principle = _parse_principle(entry, line_of(raw, index), problem)
        if principle is None:
            continue
        keys = [
            ("number", principle.number),
            ("name", normalise_name(principle.name)),
            ("name", principle.slug),
        ]
        clash = next((key for key in keys if key in seen), None)
        if clash is not None:
            problem(
                "duplicate-principle",
                f"principle {clash[0]} '{clash[1]}' is listed twice",
                principle.line,
                f"first listed on line {seen[clash]}",
            )
            continue
        seen.update(dict.fromkeys(keys, principle.line))
        principles.append(principle)
    problem.raise_if_any()
    return PrincipleSet(
        id=meta["id"],
        title=meta["title"],
        standard=meta["standard"],
        catalogue=meta["catalogue"],
        principles=tuple(principles),
        source=name,
    )


def _parse_principle(entry: Any, line: int | None, problem: Problems) -> Principle | None:
    if not isinstance(entry, LineDict):
        problem("bad-principle", "each principle must be a mapping with a 'number'", line)
        return None
    reported = len(problem.findings)
    check_fields(entry, _PRINCIPLE_FIELDS, problem, "principle field")
    number = _principle_number(entry, line, problem)
    texts = required_texts(entry, ("name", "summary"), problem, "principle field", line)
    clauses, clause_lines = _principle_list(entry, "clauses", problem)
    terms, term_lines = _principle_list(entry, "terms", problem)
    if number is None or len(problem.findings) > reported:
        return None
    return Principle(
        number=number,
        name=" ".join(texts["name"].split()),
        summary=" ".join(texts["summary"].split()),
        clauses=clauses,
        terms=terms,
        line=line,
        clause_lines=clause_lines,
        term_lines=term_lines,
    )


def _principle_number(entry: LineDict, line: int | None, problem: Problems) -> str | None:
    number = entry.get("number")
    if isinstance(number, int | float) and not isinstance(number, bool):
        problem(
            "bad-field",
            f"principle number {number!r} must be quoted text",
            line_of(entry, "number"),
            f'write number: "{number}" so YAML does not read it as a number',
        )
        return None
    if not isinstance(number, str) or not _NUMBER_RE.fullmatch(number.strip()):
        problem(
            "bad-field",
            f'principle number {number!r} is not a number like "2.3.1"',
            line_of(entry, "number") or line,
        )
        return None
    return number.strip()


def _principle_list(
    entry: LineDict, key: str, problem: Problems
) -> tuple[tuple[str, ...], tuple[int | None, ...]]:
    """The texts of a principle's `clauses` or `terms` list, with their lines."""
    value = entry.get(key)
    if value is None:
        value = LineList()
    if not isinstance(value, list):
        problem("bad-field", f"'{key}' must be a list", line_of(entry, key))
        return (), ()
    items: list[str] = []
    lines: list[int | None] = []
    for index, item in enumerate(value):
        item_line = line_of(value, index)
        if key == "clauses" and isinstance(item, int | float) and not isinstance(item, bool):
            problem(
                "bad-clause-id",
                f"clause id {item!r} must be quoted text",
                item_line,
                f'write "{item}" so YAML does not read it as a number',
            )
        elif not isinstance(item, str) or not item.strip():
            problem("bad-field", f"'{key}' entries must be non-empty texts", item_line)
        else:
            items.append(item.strip())
            lines.append(item_line)
    return tuple(items), tuple(lines)


def check_principles(
    principles: PrincipleSet, catalogue: Catalogue, vocabulary: Vocabulary
) -> list[Finding]:
    """Check the clause and term lists: every clause in `catalogue`, every term in `vocabulary`.

    Returns:
        One finding per unknown clause (`unknown-clause`) or term (`unknown-term`), with the
        file and line of the entry and a hint; `wrong-catalogue` when the set refers to
        another catalogue than `catalogue` (its clause lists are then not checked).
    """
    findings: list[Finding] = []
    if principles.catalogue != catalogue.id:
        return [
            Finding(
                "wrong-catalogue",
                f"the principles refer to clauses of '{principles.catalogue}', not of "
                f"'{catalogue.id}'",
                principles.source,
                None,
                f"check them against the catalogue '{principles.catalogue}'",
                Severity.WARNING,
            )
        ]
    names = [name for term in vocabulary for name in term.names]
    for principle in principles:
        lines = dict(zip(principle.clauses, principle.clause_lines, strict=False))
        for clause_id in principle.clauses:
            if clause_id not in catalogue:
                findings.append(
                    Finding(
                        "unknown-clause",
                        f"principle {principle.number} {principle.name}: {catalogue.label} has "
                        f"no clause {clause_id}",
                        principles.source,
                        lines.get(clause_id, principle.line),
                        catalogue.suggest(clause_id),
                    )
                )
        term_lines = dict(zip(principle.terms, principle.term_lines, strict=False))
        for name in principle.terms:
            if vocabulary.lookup(name) is None:
                close = difflib.get_close_matches(name, names, n=1)
                findings.append(
                    Finding(
                        "unknown-term",
                        f"principle {principle.number} {principle.name}: '{name}' names no "
                        "term of the vocabulary",
                        principles.source,
                        term_lines.get(name, principle.line),
                        f"did you mean '{close[0]}'?" if close else None,
                    )
                )
    return sorted(findings, key=Finding.sort_key)
