"""Clause coverage: which required clause is addressed where, which is not applicable and why,
and which is missing.

The rules:

- The required set is every lowest-level clause that carries requirements (ISO 9001: the 65
  leaves of clauses 4 to 10). A clause is checked where the standard puts requirements, so a
  page that declares 7.5.3 does not silently stand for 7.5.1.
- A declaration covers its clause. With `parent_covers_children` (the default) it also covers
  every subclause below it, and the verdict says so ("through 7.5"); without it, only what is
  declared counts.
- A clause declared not applicable (with a justification) is excluded with everything below
  it. Declaring a clause both addressed and not applicable is a contradiction.
- Prose references are references, never coverage.
- A superseded document's declarations and exclusions do not count. A draft's (or one in
  review) count but are marked as such, unless `count_drafts` is off: then only approved and
  effective documents (and pages without document control) count.

Pure: declarations in, verdicts and findings out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from qmsdocs.findings import Finding, Severity
from qmsdocs.manual import Declaration, Exclusion
from qmsdocs.records import Reference
from qmsdocs.standards import Catalogue, Clause

__all__ = ["STATUS_LABELS", "ClauseVerdict", "Coverage", "Summary", "compute_coverage"]

Status = Literal[
    "covered",
    "through-parent",
    "through-subclauses",
    "not-applicable",
    "partial",
    "missing",
]

STATUS_LABELS: dict[str, str] = {
    "covered": "Covered",
    "through-parent": "Covered through parent",
    "through-subclauses": "Covered through subclauses",
    "not-applicable": "Not applicable",
    "partial": "Partly covered",
    "missing": "Missing",
}


@dataclass
class ClauseVerdict:
    """The verdict on one clause that carries requirements.

    Attributes:
        clause: The catalogue entry.
        status: See `STATUS_LABELS`. Leaves are covered, through-parent, not-applicable or
            missing; clauses with subclauses may also be through-subclauses or partial.
        gated: Whether the gate checks this clause (a lowest-level required clause).
        addressed_by: Declarations of this very clause.
        through: The ancestor whose declaration or exclusion decides the verdict, if any.
        inherited: The declarations of that ancestor (for through-parent).
        exclusion: The not-applicable declaration that applies, if any.
        referenced_by: Prose references to this clause.
    """

    clause: Clause
    status: Status
    gated: bool
    addressed_by: list[Declaration] = field(default_factory=list)
    through: str | None = None
    inherited: list[Declaration] = field(default_factory=list)
    exclusion: Exclusion | None = None
    referenced_by: list[Reference] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.through and self.status in ("through-parent", "not-applicable"):
            return f"{STATUS_LABELS[self.status]} ({self.through})"
        return STATUS_LABELS[self.status]

    @property
    def ok(self) -> bool:
        return self.status != "missing" and self.status != "partial"


@dataclass(frozen=True)
class Summary:
    """Counts of gated clauses by outcome, for one top-level clause or the whole standard."""

    clause: Clause | None  # None: the whole standard
    required: int
    covered: int  # directly or through a parent
    not_applicable: int
    missing: int

    @property
    def applicable(self) -> int:
        return self.required - self.not_applicable

    @property
    def percent(self) -> float:
        """Share of the applicable clauses that are covered (100 when nothing applies)."""
        if self.applicable == 0:
            return 100.0
        return round(100.0 * self.covered / self.applicable, 1)


@dataclass
class Coverage:
    """All verdicts for one catalogue, with the findings that decide the gate."""

    catalogue: Catalogue
    verdicts: dict[str, ClauseVerdict]
    findings: list[Finding]
    declarations: list[Declaration]
    exclusions: list[Exclusion]
    parent_covers_children: bool = True

    def gated(self) -> list[ClauseVerdict]:
        return [v for v in self.verdicts.values() if v.gated]

    def missing(self) -> list[Clause]:
        return [v.clause for v in self.gated() if v.status == "missing"]

    @property
    def complete(self) -> bool:
        return not self.missing()

    def summary(self, top: Clause | None = None) -> Summary:
        verdicts = [v for v in self.gated() if top is None or v.clause.top == top.id]
        return Summary(
            top,
            required=len(verdicts),
            covered=sum(v.status in ("covered", "through-parent") for v in verdicts),
            not_applicable=sum(v.status == "not-applicable" for v in verdicts),
            missing=sum(v.status == "missing" for v in verdicts),
        )

    def summaries(self) -> list[Summary]:
        """One summary per top-level clause with requirements, then the overall one."""
        tops = [c for c in self.catalogue.top_level() if c.requirements]
        return [self.summary(top) for top in tops] + [self.summary()]

    def pages(self) -> dict[str, list[Declaration]]:
        """Each page with what it declares, pages in path order, declarations in clause order."""
        by_page: dict[str, list[Declaration]] = defaultdict(list)
        for declaration in self.declarations:
            by_page[declaration.page].append(declaration)
        order = {c.id: c.order for c in self.catalogue}
        return {
            page: sorted(items, key=lambda d: (order[d.clause], d.line or 0))
            for page, items in sorted(by_page.items())
        }


def compute_coverage(
    catalogue: Catalogue,
    declarations: Sequence[Declaration],
    exclusions: Sequence[Exclusion],
    references: Iterable[Reference] = (),
    *,
    parent_covers_children: bool = True,
    count_drafts: bool = True,
) -> Coverage:
    """Verdicts for every clause of `catalogue` that carries requirements, and the findings.

    Declarations and exclusions of other catalogues, and those that do not count because of
    their document's status (see the module docstring), are ignored.
    """

    def counts(item: Declaration | Exclusion) -> bool:
        if item.catalogue != catalogue.id or item.document_status == "superseded":
            return False
        return count_drafts or item.document_status not in ("draft", "in-review")

    declarations = [d for d in declarations if counts(d)]
    findings: list[Finding] = []
    declared: dict[str, list[Declaration]] = defaultdict(list)
    for declaration in declarations:
        declared[declaration.clause].append(declaration)
    excluded = _exclusions([e for e in exclusions if counts(e)], findings)
    referenced: dict[str, list[Reference]] = defaultdict(list)
    for reference in references:
        if reference.catalogue == catalogue.id:
            referenced[reference.clause].append(reference)
    findings += _contradictions(catalogue, declared, excluded)
    verdicts: dict[str, ClauseVerdict] = {}
    for clause in catalogue.required():
        verdict = _verdict(catalogue, clause, declared, excluded, parent_covers_children)
        verdict.referenced_by = referenced.get(clause.id, [])
        verdicts[clause.id] = verdict
    _summarise_parents(catalogue, verdicts)
    coverage = Coverage(
        catalogue,
        verdicts,
        findings,
        list(declarations),
        list(excluded.values()),
        parent_covers_children,
    )
    findings += _missing_findings(coverage)
    return coverage


def _exclusions(exclusions: list[Exclusion], findings: list[Finding]) -> dict[str, Exclusion]:
    """The exclusion of each clause (the first declared; another is a finding)."""
    excluded: dict[str, Exclusion] = {}
    for exclusion in sorted(exclusions, key=lambda e: (e.page, e.line or 0)):
        first = excluded.get(exclusion.clause)
        if first is None:
            excluded[exclusion.clause] = exclusion
            continue
        findings.append(
            Finding(
                "duplicate-exclusion",
                f"clause {exclusion.clause} is declared not applicable twice",
                exclusion.page,
                exclusion.line,
                hint=f"keep one justification (the other is in {first.page})",
                severity=Severity.WARNING,
            )
        )
    return excluded


def _contradictions(
    catalogue: Catalogue,
    declared: dict[str, list[Declaration]],
    excluded: dict[str, Exclusion],
) -> list[Finding]:
    """A declaration of an excluded clause, or of anything below it, contradicts the
    exclusion; one finding per declaration, even under nested exclusions (8.3 and 8.3.3)."""
    findings = []
    seen: set[int] = set()
    for clause_id, exclusion in excluded.items():
        for declared_id in [clause_id, *(c.id for c in catalogue.descendants(clause_id))]:
            for declaration in declared.get(declared_id, []):
                if id(declaration) in seen:
                    continue
                seen.add(id(declaration))
                where = (
                    f"heading '{declaration.section_title}'"
                    if declaration.section_title
                    else "front matter"
                )
                findings.append(
                    Finding(
                        "contradiction",
                        f"clause {declared_id} is addressed here ({where}) but declared not "
                        f"applicable in {exclusion.page}",
                        declaration.page,
                        declaration.line,
                        hint="remove one of the two declarations",
                    )
                )
    return findings


def _summarise_parents(catalogue: Catalogue, verdicts: dict[str, ClauseVerdict]) -> None:
    """Clauses with subclauses, not decided by themselves: what their subclauses add up to."""
    for clause in reversed(catalogue.required()):
        verdict = verdicts[clause.id]
        if verdict.gated or verdict.status != "missing":
            continue
        below = [verdicts[c.id] for c in catalogue.descendants(clause.id) if c.id in verdicts]
        leaves = [v for v in below if v.gated]
        if leaves and all(v.ok for v in leaves):
            verdict.status = "through-subclauses"
        elif any(v.status != "missing" for v in below):
            verdict.status = "partial"


def _missing_findings(coverage: Coverage) -> list[Finding]:
    """One finding per missing clause; each names its top-level clause, so that reports can
    group them."""
    catalogue = coverage.catalogue
    return [
        Finding(
            "missing-clause",
            f"clause {catalogue.heading(clause.id)}"
            + ("" if clause.title else f" ({catalogue.context_title(clause.id)})")
            + " is not addressed by any page and not declared not applicable",
            hint="add it to a page's clauses:, cite it in a heading, or declare it under "
            "not_applicable: with a justification",
            order=clause.order,
            group=f"{catalogue.label} {catalogue.heading(_top(catalogue, clause.id))}",
            subject=clause.id,
        )
        for clause in coverage.missing()
    ]


def _top(catalogue: Catalogue, clause_id: str) -> str:
    """The top-level clause a clause belongs to ("8" for 8.5.1), as the catalogue has it."""
    top = clause_id.split(".", 1)[0]
    return top if top in catalogue else clause_id


def _verdict(
    catalogue: Catalogue,
    clause: Clause,
    declared: dict[str, list[Declaration]],
    excluded: dict[str, Exclusion],
    parent_covers_children: bool,
) -> ClauseVerdict:
    gated = catalogue.is_leaf(clause.id) or not any(
        c.requirements for c in catalogue.children(clause.id)
    )
    verdict = ClauseVerdict(clause, "missing", gated, list(declared.get(clause.id, [])))
    chain = [clause, *catalogue.ancestors(clause.id)]
    # Exclusions win: an excluded clause is not applicable even if something declares it
    # (that is reported as a contradiction).
    for ancestor in chain:
        if ancestor.id in excluded:
            verdict.status = "not-applicable"
            verdict.exclusion = excluded[ancestor.id]
            verdict.through = ancestor.id if ancestor is not clause else None
            return verdict
    if verdict.addressed_by:
        verdict.status = "covered"
        return verdict
    if parent_covers_children:
        for ancestor in chain[1:]:
            if declared.get(ancestor.id):
                verdict.status = "through-parent"
                verdict.through = ancestor.id
                verdict.inherited = list(declared[ancestor.id])
                return verdict
    return verdict
