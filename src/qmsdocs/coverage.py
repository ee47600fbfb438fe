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
- A clause addressed only by drafts, or only by sections that still hold a template prompt
  ("To do"), is drafted, not approved: its own status, counted apart, and an error
  (`drafted-clause`) unless the site publishes drafts (`publish_drafts`).
- How strong each coverage is: declared in front matter, cited by a heading (with the words
  of its section), or reached through a declared parent. Coverage that is only a heading over
  a nearly empty section, or only a parent declared on pages that never name the clause (by
  number or title), is thin (`thin-coverage`, a warning).

Pure: declarations in, verdicts and findings out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
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
    "drafted",
    "missing",
]

Kind = Literal["front-matter", "heading", "parent"]

# A heading's section with fewer words than this addresses its clause in name only.
THIN_WORDS = 15

# In English, for the exports and the command line; pages say them in the site's language
# (`status.*` in `qmsdocs/labels/*.yml`).
STATUS_LABELS: dict[str, str] = {
    "covered": "Covered",
    "through-parent": "Covered through parent",
    "through-subclauses": "Covered through subclauses",
    "not-applicable": "Not applicable",
    "partial": "Partly covered",
    "drafted": "Drafted, not approved",
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
        thin: Covered in name only (see the module docstring); None when not looked at.
    """

    clause: Clause
    status: Status
    gated: bool
    addressed_by: list[Declaration] = field(default_factory=list)
    through: str | None = None
    inherited: list[Declaration] = field(default_factory=list)
    exclusion: Exclusion | None = None
    referenced_by: list[Reference] = field(default_factory=list)
    thin: bool = False

    @property
    def label(self) -> str:
        """The verdict in English words (the exports and the command line)."""
        return self.labelled(STATUS_LABELS[self.status])

    def labelled(self, status: str) -> str:
        """The verdict with `status` as its status's name (the site's language, on a page)."""
        if self.through and self.status in ("through-parent", "not-applicable", "drafted"):
            return f"{status} ({self.through})"
        return status

    @property
    def ok(self) -> bool:
        """Addressed (approved or drafted) or not applicable."""
        return self.status != "missing" and self.status != "partial"

    @property
    def kind(self) -> Kind | None:
        """How the clause is covered: the strongest of its declarations, or its parent's."""
        if self.addressed_by:
            sources = {d.source for d in self.addressed_by}
            return "front-matter" if "front-matter" in sources else "heading"
        return "parent" if self.inherited else None

    @property
    def words(self) -> int | None:
        """The largest section of the headings that cite the clause itself, in words."""
        sizes = [
            d.words for d in self.addressed_by if d.source == "heading" and d.words is not None
        ]
        return max(sizes) if sizes else None


@dataclass(frozen=True)
class Summary:
    """Counts of gated clauses by outcome, for one top-level clause or the whole standard."""

    clause: Clause | None  # None: the whole standard
    required: int
    covered: int  # approved, directly or through a parent
    not_applicable: int
    missing: int
    drafted: int = 0  # addressed, but only by drafts

    @property
    def addressed(self) -> int:
        return self.covered + self.drafted

    @property
    def applicable(self) -> int:
        return self.required - self.not_applicable

    @property
    def percent(self) -> float:
        """Share of the applicable clauses that are covered (100 when nothing applies)."""
        return self._share(self.covered)

    @property
    def drafted_percent(self) -> float:
        """Share of the applicable clauses addressed only by drafts."""
        return self._share(self.drafted) if self.applicable else 0.0

    def _share(self, count: int) -> float:
        if self.applicable == 0:
            return 100.0
        return round(100.0 * count / self.applicable, 1)


@dataclass
class Coverage:
    """All verdicts for one catalogue, with the findings that decide the gate."""

    catalogue: Catalogue
    verdicts: dict[str, ClauseVerdict]
    findings: list[Finding]
    declarations: list[Declaration]
    exclusions: list[Exclusion]
    parent_covers_children: bool = True
    publish_drafts: bool = False
    # What the findings call a clause: "clause 6.1.2", or in a manual of several standards
    # "ISO 14001:2015 6.1.2".
    naming: str = "clause"

    def gated(self) -> list[ClauseVerdict]:
        return [v for v in self.verdicts.values() if v.gated]

    def missing(self) -> list[Clause]:
        return [v.clause for v in self.gated() if v.status == "missing"]

    def drafted(self) -> list[Clause]:
        return [v.clause for v in self.gated() if v.status == "drafted"]

    def thin(self) -> list[ClauseVerdict]:
        return [v for v in self.gated() if v.thin]

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
            drafted=sum(v.status == "drafted" for v in verdicts),
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
    publish_drafts: bool = False,
    mentions: Mapping[str, Collection[str]] | None = None,
    qualified: bool = False,
) -> Coverage:
    """Verdicts for every clause of `catalogue` that carries requirements, and the findings.

    Declarations and exclusions of other catalogues, and those that do not count because of
    their document's status (see the module docstring), are ignored.

    Arguments:
        publish_drafts: Drafted clauses are not errors (they keep their status).
        mentions: Per page, the clauses it names by number or title. Given, coverage through
            a parent is checked against them (`thin-coverage`); not given, it is not.
        qualified: Findings name the standard with each clause ("ISO 14001:2015 6.1.2"), as a
            manual of several standards needs.
    """
    naming = catalogue.label if qualified else "clause"

    def counts(item: Declaration | Exclusion) -> bool:
        if item.catalogue != catalogue.id or item.document_status == "superseded":
            return False
        return count_drafts or item.document_status not in ("draft", "in-review")

    declarations = [d for d in declarations if counts(d)]
    findings: list[Finding] = []
    declared: dict[str, list[Declaration]] = defaultdict(list)
    for declaration in declarations:
        declared[declaration.clause].append(declaration)
    excluded = _exclusions([e for e in exclusions if counts(e)], findings, naming)
    referenced: dict[str, list[Reference]] = defaultdict(list)
    for reference in references:
        if reference.catalogue == catalogue.id:
            referenced[reference.clause].append(reference)
    findings += _contradictions(catalogue, declared, excluded, naming)
    verdicts: dict[str, ClauseVerdict] = {}
    for clause in catalogue.required():
        verdict = _verdict(catalogue, clause, declared, excluded, parent_covers_children)
        verdict.referenced_by = referenced.get(clause.id, [])
        if verdict.gated:
            verdict.thin = _thin(catalogue, verdict, mentions)
        verdicts[clause.id] = verdict
    _summarise_parents(catalogue, verdicts)
    coverage = Coverage(
        catalogue,
        verdicts,
        findings,
        list(declarations),
        list(excluded.values()),
        parent_covers_children,
        publish_drafts,
        naming,
    )
    findings += _missing_findings(coverage)
    findings += _drafted_findings(coverage, publish_drafts)
    findings += _thin_findings(coverage)
    return coverage


def _exclusions(
    exclusions: list[Exclusion], findings: list[Finding], naming: str
) -> dict[str, Exclusion]:
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
                f"{naming} {exclusion.clause} is declared not applicable twice",
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
    naming: str,
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
                        f"{naming} {declared_id} is addressed here ({where}) but declared not "
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
            drafted = any(v.status == "drafted" for v in leaves)
            verdict.status = "drafted" if drafted else "through-subclauses"
        elif any(v.status != "missing" for v in below):
            verdict.status = "partial"


def _missing_findings(coverage: Coverage) -> list[Finding]:
    """One finding per missing clause; each names its top-level clause, so that reports can
    group them."""
    catalogue = coverage.catalogue
    return [
        Finding(
            "missing-clause",
            f"{coverage.naming} {catalogue.heading(clause.id)}"
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


def _drafted_findings(coverage: Coverage, publish_drafts: bool) -> list[Finding]:
    """One finding per clause addressed only by drafts: an error, unless drafts are published."""
    catalogue = coverage.catalogue
    return [
        Finding(
            "drafted-clause",
            f"{coverage.naming} {catalogue.heading(verdict.clause.id)} is drafted, not approved: "
            + _drafted_by(verdict),
            hint="approve the document (status: approved or effective) and replace its To do "
            "prompts, or set publish_drafts: true to publish the manual as a draft",
            severity=Severity.INFO if publish_drafts else Severity.ERROR,
            order=verdict.clause.order,
            group=f"{catalogue.label} {catalogue.heading(_top(catalogue, verdict.clause.id))}",
            subject=verdict.clause.id,
        )
        for verdict in coverage.gated()
        if verdict.status == "drafted"
    ]


def _drafted_by(verdict: ClauseVerdict) -> str:
    declarations = verdict.addressed_by or verdict.inherited
    pages = sorted({d.page for d in declarations})
    prompted = any(d.prompted for d in declarations)
    what = "still holds To do prompts" if prompted else "is a draft"
    if len(pages) > 1:
        what = "are drafts or still hold To do prompts"
    return f"{', '.join(pages)} {what}"


def _thin_findings(coverage: Coverage) -> list[Finding]:
    """One warning per declaration that covers clauses in name only, naming them all."""
    by_declaration: dict[Declaration, list[ClauseVerdict]] = defaultdict(list)
    for verdict in coverage.thin():
        declarations = verdict.addressed_by or verdict.inherited
        by_declaration[declarations[0]].append(verdict)
    findings = []
    for declaration, verdicts in by_declaration.items():
        ids = [v.clause.id for v in verdicts]
        plural = "clauses" if coverage.naming == "clause" else coverage.naming
        named = (
            f"{coverage.naming} {ids[0]} is" if len(ids) == 1 else f"{plural} {_listed(ids)} are"
        )
        if declaration.source == "front-matter":
            why = (
                f"declared through clause {verdicts[0].through} in front matter, and no page "
                f"that declares it names {'it' if len(ids) == 1 else 'them'} "
                "(by number or title)"
            )
            hint = "say where the manual meets each (its number or title in the text), or "
            hint += "remove the declaration if the page does not deal with it"
        else:
            why = (
                f"the section under the heading '{declaration.section_title}' has fewer than "
                f"{THIN_WORDS} words"
            )
            hint = "write how the manual meets it under the heading"
        findings.append(
            Finding(
                "thin-coverage",
                f"{named} covered in name only: {why}",
                declaration.page,
                declaration.line,
                hint=hint,
                severity=Severity.WARNING,
                order=verdicts[0].clause.order,
            )
        )
    return findings


def _listed(items: Sequence[str]) -> str:
    return ", ".join(items[:-1]) + f" and {items[-1]}" if len(items) > 1 else items[0]


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
        verdict.status = _approved_or_drafted(verdict.addressed_by, "covered")
        return verdict
    if parent_covers_children:
        for ancestor in chain[1:]:
            if declared.get(ancestor.id):
                verdict.inherited = list(declared[ancestor.id])
                verdict.status = _approved_or_drafted(verdict.inherited, "through-parent")
                verdict.through = ancestor.id
                return verdict
    return verdict


def _approved_or_drafted(declarations: Sequence[Declaration], status: Status) -> Status:
    return "drafted" if all(d.drafted for d in declarations) else status


def _thin(
    catalogue: Catalogue, verdict: ClauseVerdict, mentions: Mapping[str, Collection[str]] | None
) -> bool:
    """Covered in name only (see the module docstring).

    Through a parent declared in front matter, the clause must be named (by number or title,
    or through a subclause; an untitled or "General" subclause is named with its parent) on a
    page that declares it; a heading's section counts by its words, as for the clause itself.
    """
    if mentions is None or verdict.status not in ("covered", "through-parent", "drafted"):
        return False
    if verdict.addressed_by:
        return not any(_substantial(d) for d in verdict.addressed_by)
    clause = verdict.clause
    names = {clause.id, *(c.id for c in catalogue.descendants(clause.id))}
    # Naming a clause between it and the declared parent names it too ("see clause 8.3" on a
    # page declaring 8 speaks of 8.3.2); a subclause without a title of its own (9.2.1) or
    # titled "General" is a paragraph of its parent, and naming the parent names it.
    for ancestor in catalogue.ancestors(clause.id):
        if ancestor.id == verdict.through:
            break
        names.add(ancestor.id)
    if (clause.title or "general").strip().casefold() == "general" and clause.parent:
        names.add(clause.parent)
    return not any(
        names.intersection(mentions.get(d.page, ()))
        if d.source == "front-matter"
        else _substantial(d)
        for d in verdict.inherited
    )


def _substantial(declaration: Declaration) -> bool:
    """A front-matter declaration, or a heading over a section with something in it."""
    words = declaration.words
    return declaration.source == "front-matter" or words is None or words >= THIN_WORDS
