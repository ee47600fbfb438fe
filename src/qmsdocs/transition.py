"""Moving a manual between editions of a standard (ISO 9001:2015 to ISO 9001:2026).

A *correspondence* is data (`standards/correspondence/<from>_<to>.yml`): for each clause that
changed, its number in each edition and the kind of change. Clauses present in both editions
and not listed are the same in both. Everything the transition needs follows from it:

- hints for a clause id that exists only in the other edition ("10.3 was merged into 10.1");
- coverage carried across editions (a page that addresses 2015 10.3 addresses 2026 10.1), so
  that a manual can be gated against both during the transition;
- the transition report: what changed, which pages and sections address a changed clause
  and must be reviewed, new clauses nothing addresses yet, declarations that must move.

A later correction of the facts is a change of the data file, not of this code.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from qmsdocs.findings import Problems
from qmsdocs.manual import Declaration, Exclusion
from qmsdocs.standards import Catalogue
from qmsdocs.yamlio import line_of, load_yaml

__all__ = [
    "CHANGES",
    "Correspondence",
    "Entry",
    "TransitionItem",
    "TransitionReport",
    "builtin_correspondences",
    "carry_declarations",
    "carry_exclusions",
    "load_correspondence",
    "transition_report",
]

Change = Literal[
    "same", "renamed", "changed", "moved", "merged", "split", "new", "removed", "unverified"
]
CHANGES: tuple[Change, ...] = (
    "same",
    "renamed",
    "changed",
    "moved",
    "merged",
    "split",
    "new",
    "removed",
    "unverified",
)
CHANGE_LABELS = {
    "same": "Same",
    "renamed": "Heading changed",
    "changed": "Content changed",
    "moved": "Renumbered",
    "merged": "Merged",
    "split": "Split",
    "new": "New",
    "removed": "Removed",
    "unverified": "Not confirmed",
}
# Changes under which what addressed the old clause addresses the new one.
_CARRIED = frozenset({"same", "renamed", "changed", "moved", "merged", "split"})


@dataclass(frozen=True)
class Entry:
    """One clause's change between two editions (`source`/`target` None for new/removed)."""

    source: str | None
    target: str | None
    change: Change
    note: str = ""
    line: int | None = None

    @property
    def label(self) -> str:
        return CHANGE_LABELS[self.change]


@dataclass
class Correspondence:
    """How the clauses of `source` correspond to those of `target` (see the module docstring)."""

    source: Catalogue
    target: Catalogue
    entries: tuple[Entry, ...]
    provisional: bool = False
    origin: str = ""
    _forward: dict[str, list[Entry]] = field(init=False, repr=False)
    _backward: dict[str, list[Entry]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._forward = defaultdict(list)
        self._backward = defaultdict(list)
        for entry in self.entries:
            if entry.source is not None:
                self._forward[entry.source].append(entry)
            if entry.target is not None:
                self._backward[entry.target].append(entry)

    def changes(self) -> list[Entry]:
        """The entries that are not "same", in the order of the target, then removed ones."""
        target_order = {c.id: c.order for c in self.target}
        source_order = {c.id: c.order for c in self.source}

        def key(entry: Entry) -> tuple[int, int]:
            if entry.target is not None:
                return (0, target_order[entry.target])
            return (1, source_order.get(entry.source or "", 0))

        return sorted((e for e in self.entries if e.change != "same"), key=key)

    def forward(self, clause_id: str) -> list[Entry]:
        return list(self._forward.get(clause_id, []))

    def backward(self, clause_id: str) -> list[Entry]:
        return list(self._backward.get(clause_id, []))

    def carry(self, clause_id: str, from_catalogue: str) -> list[str]:
        """The clauses of the other edition that a declaration of `clause_id` addresses."""
        if from_catalogue == self.source.id:
            return [e.target for e in self.forward(clause_id) if e.change in _CARRIED and e.target]
        return [e.source for e in self.backward(clause_id) if e.change in _CARRIED and e.source]

    def hint(self, catalogue: Catalogue, clause_id: str) -> str | None:
        """Why `clause_id` is missing from `catalogue`, if the other edition has it."""
        if catalogue.id == self.target.id:
            for entry in self.forward(clause_id):
                if entry.target == clause_id:
                    continue
                if entry.note:
                    return entry.note
                if entry.target:
                    return (
                        f"{clause_id} of {self.source.label} is {entry.target} in {catalogue.label}"
                    )
                return f"{clause_id} of {self.source.label} is not in {catalogue.label}"
        if catalogue.id == self.source.id:
            for entry in self.backward(clause_id):
                if entry.change == "new":
                    return f"{clause_id} is new in {self.target.label}" + (
                        f": {entry.note}" if entry.note else ""
                    )
                if entry.source and entry.source != clause_id:
                    return (
                        f"{clause_id} of {self.target.label} was {entry.source} in "
                        f"{catalogue.label}"
                    )
        return None


_BAD = "bad-correspondence"


def load_correspondence(
    path: Path, catalogues: Sequence[Catalogue], display: str = ""
) -> Correspondence:
    """Read and validate a correspondence file between two of `catalogues`.

    Every clause of both editions must be accounted for: listed, or present in both (then
    "same"). A clause present in one edition only and not listed is an error, so that a
    gap in the data is found rather than read as "unchanged".
    """
    name = display or str(path)
    data = load_yaml(path, name)
    problem = Problems(name)
    if not isinstance(data, dict):
        raise problem.fatal(_BAD, "must be a mapping", 1)
    by_id = {c.id: c for c in catalogues}
    source = by_id.get(str(data.get("from")))
    target = by_id.get(str(data.get("to")))
    if source is None or target is None:
        loaded = ", ".join(by_id)
        raise problem.fatal(_BAD, f"'from' and 'to' must name loaded catalogues ({loaded})", 1)
    entries: list[Entry] = []
    listed_source: set[str] = set()
    listed_target: set[str] = set()
    raw_entries = data.get("entries") or []
    for index, raw in enumerate(raw_entries):
        line = line_of(raw_entries, index)
        entry = _entry(raw, line, source, target, problem)
        if entry is None:
            continue
        entries.append(entry)
        if entry.source:
            listed_source.add(entry.source)
        if entry.target:
            listed_target.add(entry.target)
    for clause in source:
        if clause.id in listed_source:
            continue
        if clause.id in target and clause.id not in listed_target:
            entries.append(Entry(clause.id, clause.id, "same"))
        else:
            problem(
                _BAD,
                f"clause {clause.id} of {source.label} is not accounted for",
                None,
                f"add an entry for it (it is not in {target.label})",
            )
    for clause in target:
        if clause.id not in listed_target and clause.id not in source:
            problem(
                _BAD,
                f"clause {clause.id} of {target.label} is not accounted for",
                None,
                f"add an entry for it (it is not in {source.label})",
            )
    problem.raise_if_any()
    return Correspondence(
        source, target, tuple(entries), bool(data.get("provisional", False)), name
    )


def _entry(
    raw: Any, line: int | None, source: Catalogue, target: Catalogue, problem: Problems
) -> Entry | None:
    if not isinstance(raw, dict):
        problem(_BAD, "each entry must be a mapping with from, to and change", line)
        return None
    change = raw.get("change")
    if change not in CHANGES:
        problem(_BAD, f"'change' must be one of {', '.join(CHANGES)}", line)
        return None
    old, new = raw.get("from"), raw.get("to")
    old = str(old) if old is not None else None
    new = str(new) if new is not None else None
    if old is not None and old not in source:
        problem(_BAD, f"'from': {source.label} has no clause {old}", line)
        return None
    if new is not None and new not in target:
        problem(_BAD, f"'to': {target.label} has no clause {new}", line)
        return None
    if (old is None) != (change == "new") or (
        new is None and change not in ("removed", "unverified")
    ):
        problem(
            _BAD,
            f"a '{change}' entry needs {'no' if change == 'new' else 'a'} 'from' and a 'to'",
            line,
        )
        return None
    note = raw.get("note") or ""
    return Entry(old, new, change, " ".join(str(note).split()), line)


def builtin_correspondences(catalogues: Sequence[Catalogue]) -> list[Correspondence]:
    """The shipped correspondences between any two of `catalogues`."""
    folder = resources.files("qmsdocs.standards").joinpath("correspondence")
    ids = {c.id for c in catalogues}
    result = []
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".yml"):
            continue
        pair = item.name[:-4].split("_")
        if len(pair) == 2 and set(pair) <= ids:
            with resources.as_file(item) as path:
                result.append(
                    load_correspondence(
                        path, catalogues, f"qmsdocs/standards/correspondence/{item.name}"
                    )
                )
    return result


def carry_declarations(
    declarations: Iterable[Declaration],
    catalogue: Catalogue,
    correspondences: Sequence[Correspondence],
) -> list[Declaration]:
    """The declarations for `catalogue`: its own, and those of other editions carried over."""
    result = []
    for declaration in declarations:
        if declaration.catalogue == catalogue.id:
            result.append(declaration)
            continue
        for correspondence in correspondences:
            if {declaration.catalogue, catalogue.id} != {
                correspondence.source.id,
                correspondence.target.id,
            }:
                continue
            for clause_id in correspondence.carry(declaration.clause, declaration.catalogue):
                result.append(replace(declaration, catalogue=catalogue.id, clause=clause_id))
    return result


def carry_exclusions(
    exclusions: Iterable[Exclusion],
    catalogue: Catalogue,
    correspondences: Sequence[Correspondence],
) -> list[Exclusion]:
    """As `carry_declarations`, for not-applicable declarations."""
    result = []
    for exclusion in exclusions:
        if exclusion.catalogue == catalogue.id:
            result.append(exclusion)
            continue
        for correspondence in correspondences:
            if {exclusion.catalogue, catalogue.id} != {
                correspondence.source.id,
                correspondence.target.id,
            }:
                continue
            for clause_id in correspondence.carry(exclusion.clause, exclusion.catalogue):
                result.append(replace(exclusion, catalogue=catalogue.id, clause=clause_id))
    return result


@dataclass(frozen=True)
class TransitionItem:
    """One changed clause and what it asks of the manual."""

    entry: Entry
    addressed_by: tuple[Declaration, ...]  # declarations of the old clause (to review)
    must_move: tuple[Declaration, ...]  # declarations (front matter, headings) of a new number
    open: bool  # a new clause that nothing addresses in the new edition yet


@dataclass
class TransitionReport:
    """What moving the manual from one edition to the other asks, clause by clause."""

    correspondence: Correspondence
    items: list[TransitionItem]

    def count(self, change: str) -> int:
        return sum(item.entry.change == change for item in self.items)

    @property
    def open_items(self) -> list[TransitionItem]:
        return [item for item in self.items if item.open]

    @property
    def moves(self) -> list[tuple[Declaration, str]]:
        """(declaration, new id) for every front matter id that a rewrite can change: those
        whose clause maps one to one (headings are the author's to reword)."""
        result = []
        for item in self.items:
            if item.entry.target is None or item.entry.change == "split":
                continue
            for declaration in item.must_move:
                if declaration.source == "front-matter":
                    result.append((declaration, item.entry.target))
        return result

    @property
    def to_review(self) -> list[TransitionItem]:
        return [item for item in self.items if item.addressed_by]


def transition_report(
    correspondence: Correspondence,
    declarations: Sequence[Declaration],
) -> TransitionReport:
    """The report for a manual whose declarations are given (of either edition)."""
    source, target = correspondence.source, correspondence.target
    by_clause: dict[tuple[str, str], list[Declaration]] = defaultdict(list)
    for declaration in declarations:
        by_clause[declaration.catalogue, declaration.clause].append(declaration)

    def addressing(clause_id: str) -> list[Declaration]:
        # The clause itself, or an enclosing clause that covers it.
        found = list(by_clause.get((source.id, clause_id), []))
        for ancestor in source.ancestors(clause_id):
            found += by_clause.get((source.id, ancestor.id), [])
        return found

    carried_target = {d.clause for d in carry_declarations(declarations, target, [correspondence])}
    items = []
    for entry in correspondence.changes():
        addressed = addressing(entry.source) if entry.source else []
        moves = [
            d
            for d in by_clause.get((source.id, entry.source or ""), [])
            if entry.target and entry.target != entry.source
        ]
        # A new clause is open until something addresses it by name: coverage through its
        # parent was written before the clause existed.
        is_open = (
            entry.change == "new"
            and entry.target is not None
            and target[entry.target].requirements
            and entry.target not in carried_target
        )
        items.append(TransitionItem(entry, tuple(addressed), tuple(moves), is_open))
    return TransitionReport(correspondence, items)
