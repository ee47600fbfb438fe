"""Which clause-citing headings address their clause, and which only mention it.

A heading that cites a clause by the plugin's rule (`cite_heading`) addresses it, unless:

- it is on a mapping page, which points elsewhere;
- it sits inside a section about another clause: nested under a heading citing Y, where X is
  neither Y, nor above or below it, nor beside it under the same parent;
- it is a third-level or deeper heading outside every clause the page's statements, front
  matter and "devoted" evidence name (its subject), with no clause-citing heading above it;
- the page names other standards and never the manual's own, and the heading does not give the
  clause's own title (then the number is that standard's).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from qmsdocs.manual import title_matches
from qmsdocs.scan.facts import Heading, PageFacts
from qmsdocs.scan.model import Evidence, PageScan
from qmsdocs.scan.text import family, norm, parent
from qmsdocs.standards import Catalogue

__all__ = ["finish_page"]


def _with_enclosing(headings: Sequence[Heading]) -> Iterator[tuple[Heading, Heading | None]]:
    """Each heading with the nearest heading above it, in its outline, that cites a clause."""
    stack: list[Heading] = []  # the headings that enclose the current one
    for heading in headings:
        while stack and stack[-1].level >= heading.level:
            stack.pop()
        enclosing = next((h for h in reversed(stack) if h.clause), None)
        stack.append(heading)
        yield heading, enclosing


def _mention_note(
    clause: str,
    heading: Heading,
    enclosing: Heading | None,
    subject: set[str],
    mapping_page: bool,
) -> str:
    """Why a clause-citing heading only mentions its clause ("" when it addresses it)."""
    if mapping_page:
        return "a heading of a mapping page"
    if enclosing is not None:
        # `_with_enclosing` only gives headings that cite a clause.
        outer = enclosing.clause or ""
        if not family(clause, outer) and parent(clause) != parent(outer):
            return f"under the heading '{enclosing.text}'"
        return ""
    if heading.level >= 3 and subject and not any(family(clause, s) for s in subject):
        return "a subsection outside the page's subject (" + ", ".join(sorted(subject)) + ")"
    return ""


def _misnumbered(heading: Heading, catalogue: Catalogue) -> str | None:
    """A hint when "People (7.2)" reads like another clause's title (7.1.2 People)."""
    if heading.rule != "parentheses" or heading.clause is None:
        return None
    text = norm(heading.text[: heading.text.rfind("(")])
    cited = catalogue[heading.clause]
    if not text or cited.title is None or norm(cited.title) == text:
        return None
    others = [c for c in catalogue if c.requirements and c.title and norm(c.title) == text]
    if not others or title_matches(text, cited.title or ""):
        return None
    return (
        f"line {heading.line}: the heading '{heading.text}' cites {cited.id} "
        f"{cited.title}, but its text is the title of {others[0].id} {others[0].title}: "
        "check the number"
    )


def finish_page(fact: PageFacts, catalogue: Catalogue, mapping_page: bool) -> PageScan:
    """Classify the page's headings and put its evidence together."""
    scan = PageScan(
        fact.page,
        fact.title,
        declared=fact.declared_ids,
        foreign=fact.foreign,
        mapping_page=mapping_page,
        findings=list(fact.findings),
    )
    scan.addresses += fact.declared + fact.statements + fact.devoted
    # The banner or title line that makes the page devoted to a clause is no mention of it.
    devoted_at = {(e.clause, e.line) for e in fact.devoted}
    scan.mentions += [m for m in fact.prose_mentions if (m.clause, m.line) not in devoted_at]
    subject = {e.clause for e in fact.statements + fact.devoted} | set(fact.declared_ids)
    for heading, enclosing in _with_enclosing(fact.headings):
        clause = heading.clause
        if clause is None or not catalogue[clause].requirements:
            continue  # "## 1. Scope" is no requirement of the standard
        if fact.foreign and heading.rule != "title":
            # On a page about another standard only the clause's own title confirms that
            # "## 7.2 Competence" is ours; "(7.3)" or "Clause 7.3" are that standard's.
            continue
        note = _mention_note(clause, heading, enclosing, subject, mapping_page)
        if note:
            scan.mentions.append(
                Evidence(clause, "mention", fact.page, heading.line, heading.text, note=note)
            )
        else:
            scan.addresses.append(
                Evidence(clause, "heading", fact.page, heading.line, heading.text)
            )
        misnumbered = _misnumbered(heading, catalogue)
        if misnumbered:
            scan.notes.append(misnumbered)
    if fact.foreign:
        scan.notes.append(
            "names " + ", ".join(fact.foreign) + " but not the manual's standard: its clause "
            "numbers are taken to be those standards'"
        )
    return scan
