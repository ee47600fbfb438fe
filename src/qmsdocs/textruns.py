"""Walk an ElementTree the way a reader reads it, and insert links into its prose.

Python-Markdown hands tree processors a tree whose text is scattered over `.text` and `.tail`
attributes: "see **ISO 9001** clause 8.4" is three pieces. A reference may start in one piece
and continue in the next, so recognisers need the text of a whole block at once, with offsets
they can map back. A *run* is that: the prose of one block element (a paragraph, a list item,
a table cell), joined, with everything a link must never enter (code, existing links, headings,
raw HTML) replaced by a character that matches nothing.

This module knows nothing of clauses or terms: it finds runs and inserts links.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from markdown.util import AtomicString

__all__ = ["SKIP_TAGS", "Link", "Run", "Segment", "insert_links", "iter_runs", "prose_of"]

# Elements whose content is never prose to link: code, existing links, headings, and the
# elements other extensions have already given a meaning. A link inside a tab's label or a
# collapsible block's summary would be followed where the reader meant to open it.
SKIP_TAGS = frozenset(
    {"a", "abbr", "code", "pre", "kbd", "samp", "script", "style", "textarea", "svg", "math"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "button", "select", "option", "title"}
    | {"label", "summary", "legend"}
)
# Skipped elements whose text still reads as part of the sentence: an abbreviation for "ISO"
# must not hide that "ISO 13485 clause 7.3" cites ISO 13485. Their text is never linked.
READABLE_SKIP_TAGS = frozenset({"abbr"})
# Elements that continue the prose of their parent; any other element starts a run of its own.
INLINE_TAGS = frozenset(
    {"em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "span", "sub", "sup", "small"}
    | {"q", "cite", "dfn", "var", "time", "big", "br", "wbr", "img", "abbr", "a", "code"}
    | {"kbd", "samp", "data", "bdi", "bdo"}
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Stands in for text that must not be linked; no recogniser matches it, and it separates words.
OPAQUE = "\ufffc"
# Python-Markdown's placeholders for stashed raw HTML: "\x02wzxhzdk:12\x03".
_STASH_RE = re.compile("\x02(?:wzxhzdk:(?P<index>[0-9]+))?[^\x03]*\x03")
_TAG_RE = re.compile(r"<(?P<close>/?)(?P<tag>[A-Za-z][A-Za-z0-9]*)\b[^>]*?(?P<empty>/?)>\s*$")


@dataclass(slots=True)
class Segment:
    """One piece of text in the tree: `element.text`, or `child.tail` inside `element`."""

    element: etree.Element
    child: etree.Element | None  # the element whose tail this is; None for element.text
    start: int  # offset of this piece in the run's text

    @property
    def value(self) -> str:
        if self.child is None:
            return self.element.text or ""
        return self.child.tail or ""

    @value.setter
    def value(self, text: str) -> None:
        if self.child is None:
            self.element.text = text
        else:
            self.child.tail = text


@dataclass
class Run:
    """The prose of one block, with the segments it came from."""

    text: str
    segments: list[Segment]
    section: str | None  # id of the heading this block comes after, if any
    block: etree.Element | None = None  # the block element whose prose this is
    heading: etree.Element | None = None  # the heading this block comes after, if any

    _starts: list[int] | None = field(default=None, init=False, repr=False, compare=False)

    def segment_for(self, start: int, end: int) -> int | None:
        """The index of the segment holding `text[start:end]`, or None: a link goes within one
        segment (it cannot span an inline element, and the readable text of skipped elements,
        such as an abbreviation's, is in `text` but in no segment).

        Segments follow each other without overlapping (iter_runs makes them so), so the one
        that can hold the text is found by bisection.
        """
        if self._starts is None:
            self._starts = [segment.start for segment in self.segments]
        index = bisect_right(self._starts, start) - 1
        if index < 0:
            return None
        segment = self.segments[index]
        return index if end <= segment.start + len(segment.value) else None


@dataclass(frozen=True, slots=True)
class Link:
    """A link to insert: `text[start:end]` becomes `<a href title class>`."""

    start: int
    end: int
    href: str
    title: str = ""
    css_class: str = ""


def _opaque(text: str) -> str:
    return OPAQUE * len(text)


def _visible(text: str) -> str:
    """Text as a recogniser should see it: raw HTML placeholders masked."""
    if "\x02" in text:
        return _STASH_RE.sub(lambda m: _opaque(m.group(0)), text)
    return text


def _mask_raw_html(text: str, raw_html: Sequence[object]) -> str:
    """Mask the placeholders of inline raw HTML, and what lies inside raw skipped elements.

    `<kbd>clause 8.4</kbd>` written as raw HTML reaches tree processors as two placeholders
    with plain text between them; that text is as much off limits as a Markdown code span.
    """
    out: list[str] = []
    pos = 0
    depth = 0
    for match in _STASH_RE.finditer(text):
        between = text[pos : match.start()]
        out.append(_opaque(between) if depth else between)
        out.append(_opaque(match.group(0)))
        pos = match.end()
        index = match.group("index")
        html = raw_html[int(index)] if index and int(index) < len(raw_html) else None
        tag = _TAG_RE.match(html) if isinstance(html, str) else None
        if tag and tag.group("tag").lower() in SKIP_TAGS and not tag.group("empty"):
            depth = max(0, depth - 1) if tag.group("close") else depth + 1
    rest = text[pos:]
    out.append(_opaque(rest) if depth else rest)
    return "".join(out)


def iter_runs(
    root: etree.Element,
    raw_html: Sequence[object] = (),
    skip: frozenset[str] = frozenset(),
    readable_links: frozenset[str] = frozenset(),
) -> Iterator[Run]:
    """Yield the runs of prose under `root`, in document order.

    Runs are computed lazily and one block at a time, so a caller may modify the tree of a run
    it has been given (insert links) before asking for the next one.

    Arguments:
        root: The tree, as tree processors receive it.
        raw_html: `md.htmlStash.rawHtmlBlocks`, to recognise raw `<code>`, `<kbd>`, `<a>`.
        skip: Further block elements to leave out whole (e.g. "table").
        readable_links: Classes of links whose text reads as part of the sentence, like an
            abbreviation's: the links a recogniser made itself, so that running it again over
            its own output reads the same sentence.
    """
    section: str | None = None
    heading: etree.Element | None = None
    # Blocks still to visit, as iterators: the root's children, then, above them, the blocks
    # nested in the block whose run was yielded last (visited before its next sibling).
    pending: list[Iterator[etree.Element]] = [iter(root)]
    while pending:
        block = next(pending[-1], None)
        if block is None:
            pending.pop()
            continue
        tag = block.tag if isinstance(block.tag, str) else ""
        if tag in SKIP_TAGS or tag in skip:
            if tag in _HEADINGS:
                heading = block
                section = block.get("id") or section
            continue
        parts: list[str] = []
        segments: list[Segment] = []
        nested: list[etree.Element] = []
        _collect(block, parts, segments, nested, 0, readable_links)
        if segments:
            text = "".join(parts)
            if "\x02" in text:
                text = _mask_raw_html(text, raw_html)
            yield Run(text, segments, section, block, heading)
        if nested:
            pending.append(iter(nested))


def prose_of(element: etree.Element) -> str:
    """The prose of one block element as its run reads (links and code hidden), without the
    blocks nested in it."""
    parts: list[str] = []
    _collect(element, parts, [], [], 0)
    return "".join(parts)


def _collect(
    element: etree.Element,
    parts: list[str],
    segments: list[Segment],
    nested: list[etree.Element],
    length: int,
    readable_links: frozenset[str] = frozenset(),
) -> int:
    """Add the prose of `element` and its inline children to `parts`; return the new length.

    Text becomes a segment (AtomicString text is shown opaque), skipped inline elements are
    hidden, and block children go to `nested`, leaving a line break in the prose.
    """
    text = element.text
    if text:
        if isinstance(text, AtomicString):
            parts.append(OPAQUE * len(text))
        else:
            segments.append(Segment(element, None, length))
            parts.append(text)
        length += len(text)
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in INLINE_TAGS:
            if tag in SKIP_TAGS:
                readable = tag in READABLE_SKIP_TAGS or (
                    tag == "a" and bool(readable_links) and child.get("class") in readable_links
                )
                length = _hide(child, parts, length, readable)
            else:
                length = _collect(child, parts, segments, nested, length, readable_links)
        else:
            nested.append(child)
            # A nested block ends a sentence as far as this run is concerned.
            parts.append("\n")
            length += 1
        tail = child.tail
        if tail:
            if isinstance(tail, AtomicString):
                parts.append(OPAQUE * len(tail))
            else:
                segments.append(Segment(element, child, length))
                parts.append(tail)
            length += len(tail)
    return length


def _hide(element: etree.Element, parts: list[str], length: int, readable: bool) -> int:
    """Add the text of a skipped element, opaque (or, if `readable`, with raw HTML masked)."""
    text = element.text
    if text:
        parts.append(_visible(text) if readable else OPAQUE * len(text))
        length += len(text)
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        length = _hide(child, parts, length, readable and tag in READABLE_SKIP_TAGS)
        tail = child.tail
        if tail:
            parts.append(_visible(tail) if readable else OPAQUE * len(tail))
            length += len(tail)
    return length


def insert_links(run: Run, links: list[Link]) -> int:
    """Insert `links` into the tree of `run`; return how many were inserted.

    A link must lie within one segment (it cannot span an inline element); others are skipped.
    Links must not overlap. Link text is atomic, so later processors leave it alone.

    The work is linear in the size of the run and the number of links, however many links a
    segment holds (a megabyte-long paragraph full of references stays linear).
    """
    segments = run.segments
    by_segment: dict[int, list[Link]] = {}
    for link in links:
        index = run.segment_for(link.start, link.end)
        if index is not None:
            by_segment.setdefault(index, []).append(link)
    # Where each segment's links go: after the tail's owner, or first for element.text. The
    # positions of a parent's children are looked up once, and its segments are done from the
    # last child to the first, so that inserting never moves a position still to be used.
    work: list[tuple[etree.Element, int, Segment, list[Link]]] = []
    positions: dict[int, dict[int, int]] = {}
    for index, seg_links in by_segment.items():
        segment = segments[index]
        parent = segment.element
        if segment.child is None:
            position = 0
        else:
            children = positions.get(id(parent))
            if children is None:
                children = positions[id(parent)] = _child_positions(parent)
            position = children[id(segment.child)] + 1
        work.append((parent, position, segment, seg_links))
    work.sort(key=lambda item: item[1], reverse=True)
    inserted = 0
    for parent, position, segment, seg_links in work:
        anchors = _anchors(segment, seg_links)
        parent[position:position] = anchors
        inserted += len(anchors)
    return inserted


def _child_positions(parent: etree.Element) -> dict[int, int]:
    """id(child) -> its index in `parent` (the first, as `list.index` finds it)."""
    children = list(parent)
    return {id(children[i]): i for i in range(len(children) - 1, -1, -1)}


def _anchors(segment: Segment, links: list[Link]) -> list[etree.Element]:
    """Cut the segment's text around `links`; return the anchors, in document order."""
    text = segment.value
    ordered = sorted(links, key=lambda link: link.start)
    anchors: list[etree.Element] = []
    if all(
        link.start < link.end and (i == 0 or ordered[i - 1].end <= link.start)
        for i, link in enumerate(ordered)
    ):
        # Disjoint links: every piece of the text is sliced once.
        for i, link in enumerate(ordered):
            start, end = link.start - segment.start, link.end - segment.start
            following = ordered[i + 1].start - segment.start if i + 1 < len(ordered) else None
            anchor = _anchor(link, text[start:end])
            anchor.tail = text[end:following]
            anchors.append(anchor)
        segment.value = text[: ordered[0].start - segment.start]
        return anchors
    # Overlapping or empty links (which callers should not pass): cut from the end, as ever.
    for link in sorted(links, key=lambda link: link.start, reverse=True):
        start, end = link.start - segment.start, link.end - segment.start
        anchor = _anchor(link, text[start:end])
        anchor.tail = text[end:]
        text = text[:start]
        anchors.insert(0, anchor)
    segment.value = text
    return anchors


def _anchor(link: Link, text: str) -> etree.Element:
    anchor = etree.Element("a", {"href": link.href})
    if link.title:
        anchor.set("title", link.title)
    if link.css_class:
        anchor.set("class", link.css_class)
    anchor.text = AtomicString(text)
    return anchor
