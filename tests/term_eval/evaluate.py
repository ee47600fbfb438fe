"""How often qmsdocs' term links are right: precision and recall on a labelled evaluation set.

The pages in `pages/` are realistic quality-management prose written for this purpose (manual
sections, procedures, work instructions, audit checklists, policies, management-review minutes,
release notes, bilingual pages). The `m` pages were written while the sense rules were being
made, and the rules were adjusted to them; the `h` pages were written afterwards and held out.
The `s`, `t`, `u` and `v` pages were written and labelled independently, by writers who did
not see the rules, one set after the other; each set's figures when it arrived are the honest
ones for text the rules had never seen (the README lists them), and the rules were then
improved on the patterns it showed. A `?` label (the writer could not tell) counts neither
way. Every place where a term of the ISO 9000 vocabulary could be read is labelled inline:

    ⟦+quality⟧ objectives     the ISO 9000 sense: a link is right here
    the ⟦-Quality⟧ Manager     not the ISO sense: a link is wrong here

The evaluation renders each page with Python-Markdown, reads its prose as the renderer does
(`qmsdocs.textruns`; headings and code are never linked, tables are recorded but not linked),
strips the labels, and asks the term matcher what it would link:

- *every occurrence* (`link_terms: all`): precision is the share of the matcher's links that
  fall on a `+` label; recall the share of `+` labels it links;
- *first per page* (`link_terms: first`, the default): the first link of each term on a page is
  what a reader sees; precision is the share of those on a `+` label, recall the share of
  (page, term) pairs with a `+` label whose first link is right.

A link on text with no label is counted wrong and listed: label it.

    python tests/term_eval/evaluate.py              # the figures
    python tests/term_eval/evaluate.py --errors     # and every wrong or missed link
    python tests/term_eval/evaluate.py --only s     # the independent pages only
    python tests/term_eval/evaluate.py --baseline   # the bare matcher, for comparison
    python tests/term_eval/evaluate.py --label FILE # FILE with the matcher's hits marked ⟦?..⟧
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import markdown

from qmsdocs.senses import TermSenses
from qmsdocs.terms import TermMatcher
from qmsdocs.textruns import iter_runs
from qmsdocs.vocabulary import load_vocabulary

PAGES = Path(__file__).parent / "pages"
_LABEL_RE = re.compile("⟦(?P<sign>[+?-])(?P<text>[^⟦⟧]*)⟧")
_EXTENSIONS = ["tables", "admonition", "attr_list", "def_list", "footnotes", "md_in_html"]


@dataclass
class Span:
    start: int
    end: int
    sign: str  # "+", "-" or "?"


@dataclass
class Score:
    """Counts of one evaluation."""

    right: int = 0
    wrong: int = 0
    unlabelled: int = 0
    iso: int = 0  # "+" labels (all mode) or (page, term) pairs (first mode)
    found: int = 0  # of those, linked right
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        links = self.right + self.wrong + self.unlabelled
        return self.right / links if links else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.iso if self.iso else 1.0


def strip_labels(text: str) -> tuple[str, list[Span]]:
    """The text without its labels, and where each labelled span is in it."""
    out: list[str] = []
    spans: list[Span] = []
    pos = length = 0
    for match in _LABEL_RE.finditer(text):
        out.append(text[pos : match.start()])
        length += match.start() - pos
        inner = match.group("text")
        spans.append(Span(length, length + len(inner), match.group("sign")))
        out.append(inner)
        length += len(inner)
        pos = match.end()
    out.append(text[pos:])
    return "".join(out), spans


def _runs(page: str) -> Iterator[tuple[str, bool]]:
    """(prose with labels, in a table) of each block of a labelled page, as rendered."""
    md = markdown.Markdown(extensions=_EXTENSIONS)
    root_holder: list[object] = []

    class Keep(markdown.treeprocessors.Treeprocessor):
        def run(self, root):  # type: ignore[no-untyped-def]
            root_holder.append(root)

    md.treeprocessors.register(Keep(md), "keep", 0)
    md.convert(page)
    root = root_holder[0]
    in_tables = {id(e) for table in root.iter("table") for e in table.iter()}  # type: ignore[attr-defined]
    for run in iter_runs(root, md.htmlStash.rawHtmlBlocks):  # type: ignore[arg-type]
        yield run.text, id(run.segments[0].element) in in_tables


@dataclass
class PageResult:
    """Per page: (run index, start, end, key, sign or None) of each link the matcher makes,
    and each gold span with its key."""

    links: list[tuple[int, int, int, str, str | None]]
    gold: list[tuple[int, Span, str | None]]
    texts: list[str] = field(default_factory=list)  # each block's prose, labels stripped

    def around(self, index: int, start: int, end: int) -> str:
        """The words around a span of a block, the span in brackets, for error lists."""
        text = self.texts[index]
        before = " ".join(text[max(0, start - 40) : start].split())
        after = " ".join(text[end : end + 30].split())
        return f"…{before} [{text[start:end]}] {after}…"


def evaluate_page(page: str, matcher: TermMatcher, senses: TermSenses | None) -> PageResult:
    links: list[tuple[int, int, int, str, str | None]] = []
    gold: list[tuple[int, Span, str | None]] = []
    texts: list[str] = []
    for index, (labelled, in_table) in enumerate(_runs(page)):
        text, spans = strip_labels(labelled)
        texts.append(text)
        for span in spans:
            found = matcher.find_all(text[span.start : span.end])
            gold.append((index, span, found[0].key if found else None))
        if in_table:
            continue
        found = matcher.find_all(text) if senses is None else senses.find(text, matcher)
        for match in found:
            sign = next(
                (s.sign for s in spans if s.start <= match.start and match.end <= s.end), None
            )
            links.append((index, match.start, match.end, match.key, sign))
    return PageResult(links, gold, texts)


def score(results: dict[str, PageResult], first: bool) -> Score:
    result = Score()
    for name, page in results.items():
        links = page.links
        if first:
            seen: set[str] = set()
            firsts = []
            for link in links:
                if link[3] not in seen:
                    seen.add(link[3])
                    firsts.append(link)
            links = firsts
        for index, start, end, key, sign in links:
            if sign == "+":
                result.right += 1
            elif sign == "?":
                continue  # the writer could not tell: counted as neither right nor wrong
            else:
                if sign == "-":
                    result.wrong += 1
                else:
                    result.unlabelled += 1
                result.errors.append(
                    f"{name}: wrong link to {key} ({sign or 'no label'}): "
                    + page.around(index, start, end)
                )
        if first:
            keys = {key for _i, span, key in page.gold if span.sign == "+" and key}
            right = {link[3] for link in links if link[4] == "+"}
            result.iso += len(keys)
            result.found += len(keys & right)
            result.errors += [f"{name}: {key}: not linked right" for key in sorted(keys - right)]
        else:
            plus = [(i, span) for i, span, _key in page.gold if span.sign == "+"]
            linked = {(i, s, e) for i, s, e, _k, sign in page.links if sign == "+"}
            result.iso += len(plus)
            for i, span in plus:
                if any(li == i and s >= span.start and e <= span.end for li, s, e in linked):
                    result.found += 1
                else:
                    result.errors.append(f"{name}: missed: " + page.around(i, span.start, span.end))
    return result


def evaluate(
    matcher: TermMatcher, senses: TermSenses | None, pages: Path = PAGES, only: str = ""
) -> tuple[Score, Score, int]:
    """(every occurrence, first per page, number of labels) over the evaluation set.

    `senses`: what qmsdocs keeps of the matcher's hits; None evaluates the bare matcher (the
    linking before sense-aware matching, for comparison)."""
    results = {
        path.name: evaluate_page(path.read_text(encoding="utf-8"), matcher, senses)
        for path in sorted(pages.glob(f"{only}*.md"))
    }
    labels = sum(len(r.gold) for r in results.values())
    return score(results, first=False), score(results, first=True), labels


def default_reader() -> tuple[TermMatcher, TermSenses]:
    """The matcher and sense filter of a site with the default options."""
    vocabulary, _findings = load_vocabulary([])
    return TermMatcher(vocabulary), TermSenses(vocabulary)


def label(path: Path, matcher: TermMatcher) -> str:
    """The file with every hit of the matcher on unlabelled text marked ⟦?..⟧."""
    text = path.read_text(encoding="utf-8")
    plain, spans = strip_labels(text)
    hits = [
        m for m in matcher.find_all(plain) if not any(s.start <= m.start < s.end for s in spans)
    ]
    marks = [(m.start, m.end, "?") for m in hits] + [(s.start, s.end, s.sign) for s in spans]
    out, pos = [], 0
    for start, end, sign in sorted(marks):
        out.append(plain[pos:start])
        out.append(f"⟦{sign}{plain[start:end]}⟧")
        pos = end
    out.append(plain[pos:])
    return "".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--errors", action="store_true", help="list wrong and missed links")
    parser.add_argument("--label", type=Path, help="print FILE with the matcher's hits marked")
    parser.add_argument(
        "--baseline", action="store_true", help="the bare matcher, without sense-aware rules"
    )
    parser.add_argument(
        "--only", default="", help="pages whose names start with this (h: the held-out pages)"
    )
    args = parser.parse_args()
    matcher, senses = default_reader()
    if args.label:
        sys.stdout.write(label(args.label, matcher))
        return
    every, first, labels = evaluate(matcher, None if args.baseline else senses, only=args.only)
    pages = len(list(PAGES.glob(f"{args.only}*.md")))
    print(f"{labels} labelled occurrences on {pages} pages")
    for name, result in (("every occurrence", every), ("first per page", first)):
        print(
            f"{name:>17}: precision {result.precision:.1%} "
            f"({result.right} right, {result.wrong} wrong, {result.unlabelled} unlabelled), "
            f"recall {result.recall:.1%} ({result.found} of {result.iso})"
        )
    if args.errors:
        for line in [*every.errors, *first.errors]:
            print("  " + line)


if __name__ == "__main__":
    main()
