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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from markdown.util import AtomicString

__all__ = ["SKIP_TAGS", "Link", "Run", "Segment", "insert_links", "iter_runs"]

# Elements whose content is never prose to link: code, existing links, headings, and the
# elements other extensions have already given a meaning.
SKIP_TAGS = frozenset(
    {"a", "abbr", "code", "pre", "kbd", "samp", "script", "style", "textarea", "svg", "math"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "button", "select", "option", "title"}
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
# Stands in for text that must not be linked; no recogniser matches it, and it separates words.
OPAQUE = "\ufffc"
# Python-Markdown's placeholders for stashed raw HTML: "\x02wzxhzdk:12\x03".
_STASH_RE = re.compile("\x02(?:wzxhzdk:(?P<index>[0-9]+))?[^\x03]*\x03")
_TAG_RE = re.compile(r"<(?P<close>/?)(?P<tag>[A-Za-z][A-Za-z0-9]*)\b[^>]*?(?P<empty>/?)>\s*$")


@dataclass
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


@dataclass(frozen=True)
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
) -> Iterator[Run]:
    """Yield the runs of prose under `root`, in document order.

    Runs are computed lazily and one block at a time, so a caller may modify the tree of a run
    it has been given (insert links) before asking for the next one.

    Arguments:
        root: The tree, as tree processors receive it.
        raw_html: `md.htmlStash.rawHtmlBlocks`, to recognise raw `<code>`, `<kbd>`, `<a>`.
        skip: Further block elements to leave out whole (e.g. "table").
    """
    section: list[str | None] = [None]

    def walk(block: etree.Element) -> Iterator[Run]:
        parts: list[str] = []
        segments: list[Segment] = []
        nested: list[etree.Element] = []
        length = 0

        def add(element: etree.Element, child: etree.Element | None, text: str | None) -> None:
            nonlocal length
            if not text:
                return
            if isinstance(text, AtomicString):
                visible = _opaque(text)
            else:
                visible = text
                segments.append(Segment(element, child, length))
            parts.append(visible)
            length += len(visible)

        def hide(text: str | None, readable: bool) -> None:
            nonlocal length
            if text:
                parts.append(_visible(text) if readable else _opaque(text))
                length += len(text)

        def collect(element: etree.Element, skipped: bool, readable: bool = False) -> None:
            nonlocal length
            if skipped:
                hide(element.text, readable)
            else:
                add(element, None, element.text)
            for child in element:
                tag = child.tag if isinstance(child.tag, str) else ""
                if tag in INLINE_TAGS or skipped:
                    if skipped:
                        collect(child, True, readable and tag in READABLE_SKIP_TAGS)
                    else:
                        collect(child, tag in SKIP_TAGS, tag in READABLE_SKIP_TAGS)
                else:
                    nested.append(child)
                    # A nested block ends a sentence as far as this run is concerned.
                    parts.append("\n")
                    length += 1
                if skipped:
                    hide(child.tail, readable)
                else:
                    add(element, child, child.tail)

        tag = block.tag if isinstance(block.tag, str) else ""
        if tag in SKIP_TAGS or tag in skip:
            if tag in {"h1", "h2", "h3", "h4", "h5", "h6"} and block.get("id"):
                section[0] = block.get("id")
            return
        collect(block, False)
        if segments:
            text = "".join(parts)
            if "\x02" in text:
                text = _mask_raw_html(text, raw_html)
            yield Run(text, segments, section[0])
        for child in nested:
            yield from walk(child)

    for child in root:
        yield from walk(child)


def insert_links(run: Run, links: list[Link]) -> int:
    """Insert `links` into the tree of `run`; return how many were inserted.

    A link must lie within one segment (it cannot span an inline element); others are skipped.
    Links must not overlap. Link text is atomic, so later processors leave it alone.
    """
    inserted = 0
    by_segment: dict[int, list[Link]] = {}
    for link in links:
        index = _segment_index(run.segments, link.start, link.end)
        if index is not None:
            by_segment.setdefault(index, []).append(link)
    for index, seg_links in by_segment.items():
        segment = run.segments[index]
        text = segment.value
        parent = segment.element
        # Insert after the tail's owner, or as the first child for element.text.
        position = 0 if segment.child is None else list(parent).index(segment.child) + 1
        # Work backwards so that the offsets of earlier links stay valid.
        for link in sorted(seg_links, key=lambda link: link.start, reverse=True):
            start, end = link.start - segment.start, link.end - segment.start
            anchor = etree.Element("a", {"href": link.href})
            if link.title:
                anchor.set("title", link.title)
            if link.css_class:
                anchor.set("class", link.css_class)
            anchor.text = AtomicString(text[start:end])
            anchor.tail = text[end:]
            text = text[:start]
            parent.insert(position, anchor)
            inserted += 1
        segment.value = text
    return inserted


def _segment_index(segments: list[Segment], start: int, end: int) -> int | None:
    for index, segment in enumerate(segments):
        seg_end = segment.start + len(segment.value)
        if segment.start <= start and end <= seg_end:
            return index
        if segment.start > start:
            return None
    return None
