"""Generate synthetic quality manuals for the benchmarks (deterministic, seeded).

A manual of N pages, each of about 1,000 to 1,500 words of synthetic prose, with headings,
lists, tables, admonitions, code blocks, links between pages, clause references in the
notations qmsdocs recognises, ISO 9000 terms at a realistic density (30 to 50 occurrences per
page), front matter declaring clauses and document control, and one scope page that declares
ISO 9001 8.3 not applicable. The whole manual passes qmsdocs' publishing gate: every required
clause of ISO 9001:2015 except 8.3.x is declared by some page.

Variants (each a complete site folder with its own mkdocs.yml and docs/):

- `plain`: Material for MkDocs, no qmsdocs; the manual's own handwritten glossary page
  (`glossary.md`, the same ISO 9000 terms and explanations as a definition list), as a team
  that publishes without qmsdocs would write: the baseline the targets are measured against.
- `qmsdocs`: the same pages and configuration, plus the qmsdocs plugin with its defaults
  (term links, clause links, coverage, clause/glossary/register pages, exports).
- `ezglossary`: the same pages with every term occurrence written in mkdocs-ezglossary's
  `<iso:term|text>` syntax, and a glossary page defining the same ISO 9000 terms.

Usage:
    python benchmarks/generate.py --pages 500 [--out benchmarks/out] [--variants plain qmsdocs]

The text is word salad from a fixed vocabulary; nothing is taken from any standard.
Page i has the same prose whatever N is (its random generator is seeded by the seed and i);
only the links between pages and the spreading of clauses over pages depend on N.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from qmsdocs.standards import Catalogue, load_builtin_catalogue
from qmsdocs.terms import TermMatcher, default_inflections
from qmsdocs.vocabulary import Term, load_vocabulary

__all__ = ["VARIANTS", "Manual", "generate"]

VARIANTS = ("plain", "qmsdocs", "ezglossary")
DEFAULT_SEED = 9001
PAGES_PER_FOLDER = 50
EXCLUDED = "8.3"  # declared not applicable on the scope page

# Markers around a term occurrence in the abstract text: \x01 canonical name \x02 surface \x03.
_T0, _T1, _T2 = "\x01", "\x02", "\x03"
_SPACE = "\x04"

_NOUNS = [
    "team",
    "line",
    "shift",
    "supervisor",
    "operator",
    "engineer",
    "planner",
    "buyer",
    "inspector",
    "manager",
    "owner",
    "board",
    "site",
    "workshop",
    "cell",
    "machine",
    "fixture",
    "tool",
    "gauge",
    "drawing",
    "order",
    "batch",
    "lot",
    "part",
    "component",
    "assembly",
    "material",
    "supplier",
    "contractor",
    "schedule",
    "report",
    "checklist",
    "form",
    "register",
    "log",
    "sheet",
    "file",
    "folder",
    "meeting",
    "minute",
    "agenda",
    "target",
    "figure",
    "chart",
    "trend",
    "budget",
    "plan",
    "method",
    "step",
    "stage",
    "phase",
    "task",
    "job",
    "routine",
    "practice",
    "rule",
    "limit",
    "threshold",
    "criterion",
    "sample",
    "reading",
    "value",
    "result",
    "finding",
    "instruction",
    "template",
    "signature",
    "approval",
    "decision",
    "deadline",
    "week",
    "month",
    "quarter",
    "year",
    "department",
    "function",
    "role",
    "colleague",
    "trainer",
    "trainee",
    "warehouse",
    "store",
    "dispatch",
    "delivery",
    "shipment",
    "label",
    "tag",
    "barcode",
    "database",
    "spreadsheet",
    "dashboard",
    "summary",
    "notice",
    "bulletin",
    "handbook",
    "workflow",
    "sequence",
    "station",
    "bench",
    "area",
    "zone",
]
_VERBS = [
    "checks",
    "confirms",
    "records",
    "reviews",
    "updates",
    "approves",
    "plans",
    "schedules",
    "assigns",
    "monitors",
    "tracks",
    "verifies",
    "compares",
    "prepares",
    "issues",
    "collects",
    "keeps",
    "stores",
    "archives",
    "reports",
    "escalates",
    "resolves",
    "closes",
    "opens",
    "agrees",
    "sets",
    "defines",
    "explains",
    "measures",
    "adjusts",
    "maintains",
    "replaces",
    "calibrates",
    "labels",
    "signs",
    "files",
    "shares",
    "publishes",
    "circulates",
    "discusses",
    "evaluates",
    "ranks",
    "selects",
    "accepts",
    "rejects",
    "returns",
    "repeats",
    "follows",
    "supports",
    "coordinates",
]
_ADJECTIVES = [
    "current",
    "relevant",
    "approved",
    "agreed",
    "annual",
    "monthly",
    "weekly",
    "daily",
    "critical",
    "minor",
    "major",
    "formal",
    "informal",
    "written",
    "digital",
    "printed",
    "local",
    "central",
    "internal",
    "external",
    "new",
    "existing",
    "previous",
    "next",
    "final",
    "initial",
    "detailed",
    "short",
    "clear",
    "complete",
    "accurate",
    "timely",
    "suitable",
    "responsible",
    "accountable",
    "available",
    "visible",
    "shared",
    "open",
    "closed",
    "urgent",
    "routine",
    "planned",
    "practical",
    "reliable",
    "consistent",
    "measurable",
    "traceable",
    "secure",
    "legible",
    "simple",
]
_ADVERBS = [
    "promptly",
    "carefully",
    "regularly",
    "quickly",
    "formally",
    "jointly",
    "usually",
    "normally",
    "always",
    "often",
    "clearly",
    "briefly",
    "independently",
    "directly",
    "accordingly",
    "periodically",
]
_PREPOSITIONS = [
    "for",
    "with",
    "before",
    "after",
    "during",
    "within",
    "against",
    "under",
    "across",
    "through",
]
_HEADING_WORDS = [
    "Purpose",
    "Responsibilities",
    "Method",
    "Records",
    "Exceptions",
    "Escalation",
    "Planning",
    "Scheduling",
    "Inputs",
    "Outputs",
    "Training",
    "Handover",
    "Reporting",
    "Approval",
    "Archiving",
    "Verification",
    "Checks",
    "Follow-up",
    "Communication",
    "Tools",
    "Resources",
    "Timing",
    "Roles",
    "Sequence",
    "Overview",
    "Background",
]
_PEOPLE = ["A. Patel", "B. Novak", "C. Moreau", "D. Okafor", "E. Lindqvist", "F. Hughes"]
_OWNERS = ["Quality Manager", "Operations Manager", "Production Lead", "Purchasing Lead"]


@dataclass
class Manual:
    """Where a generated manual lives and what it contains."""

    root: Path
    pages: int
    variants: dict[str, Path]  # variant -> mkdocs.yml
    words_per_page: float
    term_occurrences_per_page: float
    clause_references_per_page: float


class _Vocabulary:
    """The words and terms the generator draws from, built once per process."""

    def __init__(self) -> None:
        vocabulary, _findings = load_vocabulary([])
        self.terms: list[Term] = list(vocabulary)
        self.matcher = TermMatcher(vocabulary)

        # Filler words must not be terms themselves, or the term density would drift.
        def clean(words: Iterable[str]) -> list[str]:
            return [w for w in words if not self.matcher.find_all(w)]

        self.nouns = clean(_NOUNS)
        self.verbs = clean(_VERBS)
        self.adjectives = clean(_ADJECTIVES)
        self.adverbs = clean(_ADVERBS)
        # Zipf-like weights: a few terms are everywhere, most appear now and then.
        self.term_weights = [1.0 / (rank + 3) for rank in range(len(self.terms))]
        self.surfaces: list[list[str]] = []
        for term in self.terms:
            forms = list(term.names) + list(term.forms)
            for name in term.names:
                forms.extend(default_inflections(name))
            self.surfaces.append(forms)


_VOCABULARY: _Vocabulary | None = None


def _vocabulary() -> _Vocabulary:
    global _VOCABULARY
    if _VOCABULARY is None:
        _VOCABULARY = _Vocabulary()
    return _VOCABULARY


class _ClauseRefs:
    """Clause references in the notations qmsdocs recognises (never to the excluded 8.3)."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        allowed = [
            c
            for c in catalogue
            if c.requirements and not (c.id == EXCLUDED or c.id.startswith(EXCLUDED + "."))
        ]
        self.clauses = [c.id for c in allowed if c.depth >= 2]
        self.top = [c.id for c in allowed if c.depth == 1]
        self.sibling_groups: list[list[str]] = []
        for clause in [None, *[c.id for c in allowed]]:
            children = [
                c.id
                for c in catalogue.children(clause)
                if c.requirements and not c.id.startswith(EXCLUDED)
            ]
            if len(children) >= 3 and (clause is None or "." in clause or clause.isdigit()):
                self.sibling_groups.append(children)

    def make(self, rng: random.Random) -> str:
        c = rng.choice(self.clauses)
        kind = rng.randrange(13)
        if kind == 0:
            return f"clause {c}"
        if kind == 1:
            return f"ISO 9001:2015 {c}"
        if kind == 2:
            return f"§ {c}"
        if kind == 3:
            group = rng.choice(self.sibling_groups)
            i = rng.randrange(len(group) - 1)
            j = rng.randrange(i + 1, len(group))
            return f"§§ {group[i]}–{group[j]}"
        if kind == 4:
            group = rng.choice(self.sibling_groups)
            i = rng.randrange(len(group) - 2)
            return f"clauses {group[i]} - {group[i + 2]}"
        if kind == 5:
            return f"ISO 9001 Clause {c}"
        if kind == 6:
            return f"ISO 13485:2016 {rng.choice(['7.2', '7.3', '8.2.1', '4.2.4'])}"
        if kind == 7:
            return f"sub-clause {c}"
        if kind == 8:
            group = rng.choice(self.sibling_groups)
            return ", ".join(f"§{x}" for x in group[:3])
        if kind == 9:
            return f"ISO 9001:2015, Clause {c}"
        if kind == 10:
            return f"IEC 62304 §{rng.randrange(4, 9)}"
        if kind == 11:
            a, b = sorted(rng.sample(self.top, 2), key=int)
            return f"Clauses {a}-{b}"
        return f"§{c}"


class _PageWriter:
    """Writes the abstract Markdown of one page (terms marked, rendered per variant later)."""

    def __init__(
        self,
        index: int,
        total: int,
        seed: int,
        paths: Sequence[str],
        titles: Sequence[str],
        refs: _ClauseRefs,
    ) -> None:
        self.index = index
        self.total = total
        self.rng = random.Random(f"{seed}:{index}")
        self.link_rng = random.Random(f"{seed}:{index}:{total}")
        self.paths = paths
        self.titles = titles
        self.refs = refs
        self.voc = _vocabulary()
        self.words = 0
        self.term_count = 0
        self.ref_count = 0

    # Words -------------------------------------------------------------------------------
    def term(self) -> str:
        self.term_count += 1
        i = self.rng.choices(range(len(self.voc.terms)), self.voc.term_weights)[0]
        surface = self.rng.choice(self.voc.surfaces[i])
        # Spaces inside a marker are kept from line wrapping (ezglossary's syntax needs them).
        marked = f"{_T0}{self.voc.terms[i].term}{_T1}{surface}{_T2}"
        return marked.replace(" ", _SPACE)

    def noun(self) -> str:
        return self.rng.choice(self.voc.nouns)

    def adj(self) -> str:
        return self.rng.choice(self.voc.adjectives)

    def verb(self) -> str:
        return self.rng.choice(self.voc.verbs)

    def sentence(self, term_chance: float = 0.28, ref_chance: float = 0.12) -> str:
        r = self.rng
        subject = r.choice(
            [
                f"the {self.adj()} {self.noun()}",
                f"each {self.noun()}",
                f"the {self.noun()} {self.noun()}",
                f"our {self.noun()}",
            ]
        )
        parts = [subject, self.verb()]
        obj = f"the {self.adj()} {self.noun()}"
        if r.random() < term_chance:
            obj = r.choice(
                [f"the {self.term()}", f"every {self.term()}", f"the {self.adj()} {self.term()}"]
            )
        parts.append(obj)
        for _ in range(r.randrange(1, 3)):
            tail = r.choice(
                [
                    f"{r.choice(_PREPOSITIONS)} the {self.noun()}",
                    f"{r.choice(_PREPOSITIONS)} the {self.adj()} {self.noun()}",
                    f"and {self.verb()} the {self.noun()} {r.choice(self.voc.adverbs)}",
                    f"so that the {self.noun()} stays {self.adj()}",
                ]
            )
            parts.append(tail)
        if r.random() < term_chance * 0.5:
            parts.append(f"{r.choice(_PREPOSITIONS)} the {self.term()}")
        if r.random() < ref_chance:
            self.ref_count += 1
            parts.append(r.choice(["as set out in", "as required by", "(see", "under"]))
            ref = self.refs.make(r)
            parts[-1] = f"{parts[-1]} {ref}" + (")" if parts[-1] == "(see" else "")
        text = " ".join(parts)
        self.words += len(text.split())
        return text[0].upper() + text[1:] + "."

    def paragraph(self, sentences: int | None = None) -> str:
        n = sentences or self.rng.randrange(3, 7)
        text = " ".join(self.sentence() for _ in range(n))
        if self.rng.random() < 0.3:
            text += " " + self.link() + "."
        return _wrap(text)

    def link(self) -> str:
        target = self.link_rng.randrange(self.total)
        if target == self.index:
            target = (target + 1) % self.total
        href = _relative(self.paths[self.index], self.paths[target])
        self.words += 4
        return f"See [{self.titles[target]}]({href}) for the {self.noun()}"

    # Blocks ------------------------------------------------------------------------------
    def bullet_list(self) -> str:
        items = []
        for _ in range(self.rng.randrange(3, 7)):
            s = self.sentence(term_chance=0.2, ref_chance=0.08)
            items.append(f"- {s}")
        return "\n".join(items)

    def numbered_list(self) -> str:
        return "\n".join(
            f"{n}. {self.sentence(term_chance=0.2)}" for n in range(1, self.rng.randrange(4, 7))
        )

    def table(self) -> str:
        rows = ["| Step | Who | Record |", "|---|---|---|"]
        for n in range(1, self.rng.randrange(4, 7)):
            who = self.rng.choice(_OWNERS)
            what = self.term() if self.rng.random() < 0.5 else f"{self.adj()} {self.noun()}"
            rows.append(f"| {n}. {self.verb().capitalize()} the {self.noun()} | {who} | {what} |")
            self.words += 8
        return "\n".join(rows)

    def admonition(self) -> str:
        kind = self.rng.choice(["note", "tip", "warning", "info"])
        body = _wrap(" ".join(self.sentence() for _ in range(self.rng.randrange(2, 4))))
        return f'!!! {kind} "{self.adj().capitalize()} {self.noun()}"\n' + "\n".join(
            "    " + line for line in body.splitlines()
        )

    def code_block(self) -> str:
        lines = [
            "```yaml",
            f"{self.noun()}: {self.adj()}",
            f"owner: {self.rng.choice(_OWNERS)}",
            f"clause: {self.rng.choice(self.refs.clauses)}   # code is never linked",
            f"limit: {self.rng.randrange(1, 99)}.{self.rng.randrange(10)}",
            "```",
        ]
        self.words += 8
        return "\n".join(lines)

    def heading(self, level: int, declared: list[str]) -> str:
        r = self.rng
        hashes = "#" * level
        if declared and r.random() < 0.5:
            clause_id = declared.pop(0)
            clause = self.refs.catalogue[clause_id]
            if clause.title:
                return f"{hashes} {clause_id} {clause.title}"
            return f"{hashes} {r.choice(_HEADING_WORDS)} and {self.noun()}s ({clause_id})"
        if r.random() < 0.1:
            return f"{hashes} {r.randrange(1, 9)}.{r.randrange(1, 9)} {r.choice(_HEADING_WORDS)}"
        return f"{hashes} {r.choice(_HEADING_WORDS)} of the {self.adj()} {self.noun()}"

    def body(self, title: str, heading_clauses: list[str]) -> str:
        r = self.rng
        target = r.randrange(950, 1350)
        blocks = [f"# {title}", self.paragraph(4)]
        while self.words < target:
            blocks.append(self.heading(2, heading_clauses))
            blocks.append(self.paragraph())
            choice = r.random()
            if choice < 0.25:
                blocks.append(self.bullet_list())
            elif choice < 0.4:
                blocks.append(self.numbered_list())
            elif choice < 0.55:
                blocks.append(self.table())
            elif choice < 0.7:
                blocks.append(self.admonition())
            elif choice < 0.8:
                blocks.append(self.code_block())
            blocks.append(self.paragraph())
            if r.random() < 0.4:
                blocks.append(self.heading(3, heading_clauses))
                blocks.append(self.paragraph())
        return "\n\n".join(blocks) + "\n"


def _wrap(text: str, width: int = 96) -> str:
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


def _relative(source: str, target: str) -> str:
    up = source.count("/")
    return "../" * up + target


def _front_matter(index: int, rng: random.Random, clauses: list[str], not_applicable: bool) -> str:
    lines = ["---"]
    if clauses:
        lines.append("clauses: [" + ", ".join(f'"{c}"' for c in clauses) + "]")
    if not_applicable:
        lines.append("not_applicable:")
        lines.append(
            f'  "{EXCLUDED}": "We make parts only to our customers\' designs and do no design '
            'or development of products of our own."'
        )
    if index == 0 or rng.random() < 0.85:
        # A draft addresses no clause (the gate refuses drafts as coverage): only pages that
        # declare none are drafts, so that the manual passes the gate at every size.
        status = rng.choices(["effective", "approved", "draft"], [8, 1, 0 if clauses else 1])[0]
        revision = rng.randrange(1, 9)
        lines += [
            "document:",
            f"  id: QM-{index:04d}",
            f'  revision: "{revision}"',
            f"  status: {status}",
            f"  owner: {rng.choice(_OWNERS)}",
        ]
        if status != "draft":
            month = rng.randrange(1, 13)
            lines += [
                "  approved_by: Managing Director",
                f"  approved_on: 2025-{month:02d}-{rng.randrange(1, 28):02d}",
                f"  review_due: 2095-{month:02d}-01",
            ]
        lines.append("  history:")
        for rev in range(revision, max(0, revision - 3), -1):
            year = 2025 - (revision - rev)
            who = rng.choice(_PEOPLE)
            lines.append(
                f'    - {{revision: "{rev}", date: {year}-01-15, author: {who}, '
                f'change: "Revision {rev}"}}'
            )
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def _render(text: str, variant: str) -> str:
    """Resolve the term markers for one variant."""
    out: list[str] = []
    pos = 0
    while True:
        start = text.find(_T0, pos)
        if start < 0:
            out.append(text[pos:])
            return "".join(out).replace(_SPACE, " ")
        middle = text.index(_T1, start)
        end = text.index(_T2, middle)
        out.append(text[pos:start])
        name = text[start + 1 : middle].replace(_SPACE, " ")
        surface = text[middle + 1 : end].replace(_SPACE, " ")
        out.append(f"<iso:{name}|{surface}>" if variant == "ezglossary" else surface)
        pos = end + 1


def _mkdocs_yml(variant: str, pages: int) -> str:
    plugins = ["  - search"]
    if variant == "qmsdocs":
        plugins.append("  - qmsdocs")
    elif variant == "ezglossary":
        plugins += [
            "  - ezglossary:",
            "      tooltip: short",
            "      sections: [iso]",
            "      inline_refs: none",
        ]
    return "\n".join(
        [
            f"site_name: Synthetic quality manual ({pages} pages, {variant})",
            "theme:",
            "  name: material",
            "  features:",
            "    - content.tooltips",
            "plugins:",
            *plugins,
            "markdown_extensions:",
            "  - abbr",
            "  - admonition",
            "  - attr_list",
            "  - md_in_html",
            "  - tables",
            "  - def_list",
            "  - toc:",
            "      permalink: true",
            "  - pymdownx.details",
            "  - pymdownx.superfences",
            "",
        ]
    )


def _glossary_page(terms: Sequence[Term], variant: str) -> str:
    """The glossary page a manual without qmsdocs has: a definition list of the same ISO 9000
    terms (for ezglossary, in its own syntax, with its index)."""
    lines = ["# Glossary", ""]
    for term in terms:
        explanation = " ".join(term.explanation.split())
        name = f"iso:{term.term}" if variant == "ezglossary" else term.term
        lines += [name, f":   {explanation}", ""]
    if variant == "ezglossary":
        lines += ["## Index", "", "<glossary::iso>", ""]
    return "\n".join(lines)


def _layout(pages: int) -> tuple[list[str], list[str]]:
    paths = ["index.md", "manual/scope.md"]
    titles = ["Quality manual", "Scope of the quality management system"]
    voc = _vocabulary()
    for i in range(2, pages):
        folder = f"part-{(i - 2) // PAGES_PER_FOLDER + 1:02d}"
        paths.append(f"{folder}/page-{i:04d}.md")
        rng = random.Random(f"title:{i}")
        titles.append(
            f"QP-{i:04d} {rng.choice(_HEADING_WORDS)} of the {rng.choice(voc.nouns)} "
            f"{rng.choice(voc.nouns)}"
        )
    return paths[:pages], titles[:pages]


def _assign_clauses(catalogue: Catalogue, pages: int, seed: int) -> list[list[str]]:
    """Spread every required leaf (except 8.3.x) over the pages, plus some random extras."""
    leaves = [
        c.id
        for c in catalogue.required_leaves()
        if not (c.id == EXCLUDED or c.id.startswith(EXCLUDED + "."))
    ]
    assigned: list[list[str]] = [[] for _ in range(pages)]
    assigned[1].append("4.3")  # the scope page
    others = list(range(2, pages)) or [0]
    for n, leaf in enumerate(leaves):
        page = others[n % len(others)]
        if leaf not in assigned[page]:
            assigned[page].append(leaf)
    rng = random.Random(f"{seed}:clauses")
    for page in others:
        if rng.random() < 0.3:
            extra = rng.choice(leaves)
            if extra not in assigned[page]:
                assigned[page].append(extra)
    return assigned


def _abstract_pages(pages: int, seed: int) -> tuple[list[str], list[str]]:
    """(paths, texts with term markers) of an N-page manual; the same for every variant."""
    catalogue = load_builtin_catalogue("iso9001-2015")
    refs = _ClauseRefs(catalogue)
    paths, titles = _layout(pages)
    clauses = _assign_clauses(catalogue, pages, seed)
    texts = []
    for index in range(pages):
        writer = _PageWriter(index, pages, seed, paths, titles, refs)
        declared = clauses[index]
        # About half the declared clauses are cited by a heading instead of the front matter.
        in_headings = [c for k, c in enumerate(declared) if k % 2 == 1]
        front = [c for c in declared if c not in in_headings]
        body = writer.body(titles[index], list(in_headings))
        # Headings the body did not get round to citing go back to the front matter.
        front += [c for c in in_headings if f" {c} " not in body and f"({c})" not in body]
        texts.append(_front_matter(index, writer.rng, front, not_applicable=index == 1) + body)
    return paths, texts


def _write_variant(root: Path, variant: str, paths: Sequence[str], texts: Sequence[str]) -> Path:
    site = root / variant
    if site.exists():
        shutil.rmtree(site)
    docs = site / "docs"
    docs.mkdir(parents=True)
    (site / "mkdocs.yml").write_text(_mkdocs_yml(variant, len(paths)), encoding="utf-8")
    for path, text in zip(paths, texts, strict=True):
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_render(text, variant), encoding="utf-8")
    if variant != "qmsdocs":  # qmsdocs generates its glossary
        glossary = _glossary_page(_vocabulary().terms, variant)
        (docs / "glossary.md").write_text(glossary, encoding="utf-8")
    return site / "mkdocs.yml"


def _stats(texts: Sequence[str]) -> tuple[float, float, float]:
    """Words, term occurrences and clause references per page, as qmsdocs counts them."""
    from qmsdocs.references import Recognizer

    recognizer = Recognizer([load_builtin_catalogue("iso9001-2015")])
    matcher = _vocabulary().matcher
    words = terms = references = 0
    for text in texts:
        body = _render(text.split("\n---\n", 1)[-1], "plain")
        words += len(body.split())
        terms += len(matcher.find_all(body))
        references += len(recognizer.scan(body))
    n = len(texts)
    return words / n, terms / n, references / n


def generate(
    root: Path,
    pages: int,
    variants: Sequence[str] = VARIANTS,
    seed: int = DEFAULT_SEED,
) -> Manual:
    """Write the given variants of an N-page manual under `root` (e.g. out/n500)."""
    if pages < 3:
        raise ValueError("a manual needs at least 3 pages")
    for variant in variants:
        if variant not in VARIANTS:
            raise ValueError(f"unknown variant {variant!r}; choose from {', '.join(VARIANTS)}")
    root.mkdir(parents=True, exist_ok=True)
    paths, texts = _abstract_pages(pages, seed)
    configs = {variant: _write_variant(root, variant, paths, texts) for variant in variants}
    return Manual(root, pages, configs, *_stats(texts))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[100])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    for pages in args.pages:
        manual = generate(args.out / f"n{pages}", pages, args.variants, args.seed)
        print(
            f"{pages} pages -> {manual.root}: {manual.words_per_page:.0f} words, "
            f"{manual.term_occurrences_per_page:.1f} term occurrences and "
            f"{manual.clause_references_per_page:.1f} clause references per page"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
