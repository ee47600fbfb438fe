"""One built page's article, made fit to sit beside the others in one document.

MkDocs writes a whole web page; the PDF wants only its article (Material's
`<article class="md-content__inner">`), with

- every id prefixed with the page's anchor, and every link led where it goes in the PDF
  (`qmsdocs.pdf.links`);
- the parts that only work on screen taken out: permalink signs, "edit this page" buttons,
  the coverage matrix's filter, scripts; a content tab set shows every tab, each under its
  label, as paper cannot switch tabs;
- each heading's level in the PDF's outline (bookmarks) set, from where the page sits in the
  navigation.

The page is streamed through Python's HTML tokenizer and written back token by token, so
whatever is not changed stays byte for byte as MkDocs wrote it. Inline SVG is left alone: its
attribute names are case-sensitive (`viewBox`) and its ids are referenced from inside it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from html.parser import HTMLParser

from qmsdocs.pdf.links import Links, inner_id
from qmsdocs.pdf.site import BuiltPage

__all__ = ["Article", "article_html"]

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_REFERENCE_LISTS = ("aria-labelledby", "aria-describedby", "aria-controls")
# Elements dropped with all they hold, by tag and a class they carry.
_DROPPED = {
    ("a", "headerlink"),  # the permalink sign after each heading
    ("a", "md-content__button"),  # "edit this page", "view source"
    ("div", "qms-filter"),  # the coverage matrix's radio buttons
    ("div", "tabbed-labels"),  # read for the labels, which go above each tab instead
}
_NOT_IN_OUTLINE = {"qms-doc-history-title"}  # the same on every page


@dataclass
class Article:
    """The rewritten article of one page, and the ids it holds."""

    html: str
    ids: set[str] = field(default_factory=set)


@dataclass
class _TabSet:
    depth: int  # of `div`s when the set opened
    labels: list[str] = field(default_factory=list)
    shown: int = 0


class _Rewriter(HTMLParser):
    def __init__(
        self,
        page: BuiltPage,
        anchor: str,
        links: Links,
        outline_base: int,
        outline_depth: int,
        svg_css: str,
    ) -> None:
        super().__init__(convert_charrefs=False)
        self.svg_css = svg_css
        self.page = page
        self.anchor = anchor
        self.links = links
        self.outline_base = outline_base
        self.outline_depth = outline_depth
        self.out: list[str] = []
        self.ids: set[str] = set()
        self._article = 0  # depth of nested <article>s; 0: outside the page's article
        self._done = False
        self._svg = 0
        self._divs = 0
        self._skip: list[str] = []  # the open elements of a dropped element, innermost last
        self._links: list[str] = []  # what each open <a> became ("a" or "span")
        self._tabs: list[_TabSet] = []
        self._label: list[str] | None = None  # text of a tab label being read
        self._pending_label: str | None = None  # to show at the start of a tab's content

    # -- tokens --------------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def handle_endtag(self, tag: str) -> None:
        if not self._article:
            return
        if self._skip:
            self._end_skipped(tag)
            return
        if tag == "article":
            self._article -= 1
            if not self._article:
                self._done = True
                return
        if tag == "svg" and self._svg:
            self._svg -= 1
        elif tag == "div" and not self._svg:
            if self._tabs and self._tabs[-1].depth == self._divs:
                self._tabs.pop()
            self._divs -= 1
        elif tag == "a" and not self._svg and self._links:
            tag = self._links.pop()
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self._label is not None:
            self._label.append(data)
        elif self._article and not self._skip:
            self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        if self._article and not self._skip:
            self.out.append(f"<!--{data}-->")

    # -- start tags ----------------------------------------------------------------------------

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if self._done:
            return
        classes = set((dict(attrs).get("class") or "").split())
        if not self._article:
            if tag == "article" and "md-content__inner" in classes:
                self._article = 1
            return
        if self._skip:
            self._start_skipped(tag, closed)
            return
        if tag == "article":
            self._article += 1
        if self._svg or tag == "svg":
            self.out.append(self.get_starttag_text() or "")
            if tag == "svg" and not self._svg and not closed and self.svg_css:
                self.out.append(f"<style>{self.svg_css}</style>")  # see qmsdocs.pdf.svgstyle
            self._svg += tag == "svg" and not closed
            return
        if tag == "script" or any((tag, c) in _DROPPED for c in classes):
            if not closed:
                self._skip.append(tag)
            return
        if tag == "input" and (dict(attrs).get("name") or "").startswith("__tabbed_"):
            return  # the radio buttons that switch tabs
        if tag == "div":
            self._div(classes, closed)
        self.out.append(self._tag(tag, attrs, classes, closed))

    def _div(self, classes: set[str], closed: bool) -> None:
        if closed:
            return
        self._divs += 1
        if "tabbed-set" in classes:
            self._tabs.append(_TabSet(self._divs))
        elif "tabbed-block" in classes and self._tabs:
            tabs = self._tabs[-1]
            label = tabs.labels[tabs.shown] if tabs.shown < len(tabs.labels) else ""
            tabs.shown += 1
            # The label goes inside the block (after its start tag, see _tag), so that it
            # stays on the page of the tab's content.
            self._pending_label = label

    def _tag(
        self, tag: str, attrs: list[tuple[str, str | None]], classes: set[str], closed: bool
    ) -> str:
        changed = False
        kept: list[tuple[str, str | None]] = []
        for name, value in attrs:
            new = self._attribute(tag, name, value)
            if new != value or name == "srcset":
                changed = True
            if new is not None and name != "srcset":
                kept.append((name, new))
        if tag == "a":
            has_href = any(name == "href" for name, _ in attrs)
            if has_href and not any(name == "href" for name, _ in kept):
                tag, changed = "span", True  # a link that leads nowhere in the PDF
            if not closed:
                self._links.append(tag)
        level = _HEADINGS.get(tag)
        if level is not None:
            kept = self._outline(kept, level, classes)
            changed = True
        text = _serialise(tag, kept, closed) if changed else (self.get_starttag_text() or "")
        if self._pending_label is not None:
            label = html.escape(self._pending_label.strip())
            text += f'<p class="qms-pdf-tab">{label}</p>'
            self._pending_label = None
        return text

    def _attribute(self, tag: str, name: str, value: str | None) -> str | None:
        if value is None:
            return None
        if name in ("id", "for"):
            if name == "id":
                self.ids.add(inner_id(self.anchor, value))
            return inner_id(self.anchor, value)
        if name in _REFERENCE_LISTS:
            return " ".join(inner_id(self.anchor, v) for v in value.split())
        if name == "href" and tag == "a":
            return self.links.href(value, self.page)
        if name == "src" and tag == "img":
            return self.links.image(value, self.page)
        return value

    def _outline(
        self, attrs: list[tuple[str, str | None]], level: int, classes: set[str]
    ) -> list[tuple[str, str | None]]:
        """The heading's place in the PDF's outline, as an inline style."""
        if level > self.outline_depth or classes & _NOT_IN_OUTLINE:
            rule = "bookmark-level: none"
        else:
            rule = f"bookmark-level: {self.outline_base + level - 1}"
        style = next((v for n, v in attrs if n == "style"), None)
        rest = [(n, v) for n, v in attrs if n != "style"]
        return [*rest, ("style", f"{style.rstrip('; ')}; {rule}" if style else rule)]

    # -- dropped elements -----------------------------------------------------------------------

    def _start_skipped(self, tag: str, closed: bool) -> None:
        if tag == "label" and not closed and self._skip[0] == "div" and self._tabs:
            self._label = []
        if not closed and tag not in _VOID:
            self._skip.append(tag)

    def _end_skipped(self, tag: str) -> None:
        if tag == "label" and self._label is not None and self._tabs:
            self._tabs[-1].labels.append(html.unescape("".join(self._label)))
            self._label = None
        # Close the innermost open element of that name (HTML forgives a missing end tag).
        for index in range(len(self._skip) - 1, -1, -1):
            if self._skip[index] == tag:
                del self._skip[index:]
                return


_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


def _serialise(tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> str:
    parts = [tag]
    for name, value in attrs:
        parts.append(name if value is None else f'{name}="{html.escape(value, quote=True)}"')
    return f"<{' '.join(parts)}{' /' if closed else ''}>"


def article_html(
    page: BuiltPage,
    anchor: str,
    links: Links,
    outline_base: int = 1,
    outline_depth: int = 3,
    svg_css: str = "",
) -> Article:
    """The article of `page`, rewritten to live at `anchor` in the PDF.

    Arguments:
        page: The page as MkDocs built it.
        anchor: Its anchor in the PDF (`qmsdocs.pdf.links.page_anchor`).
        links: Where links lead in the PDF.
        outline_base: The outline level of the page's `h1`.
        outline_depth: The deepest heading (2: `h2`) that gets an outline entry.
        svg_css: Rules to put inside each inline SVG (`qmsdocs.pdf.svgstyle`).
    """
    rewriter = _Rewriter(page, anchor, links, outline_base, outline_depth, svg_css)
    rewriter.feed(page.html)
    rewriter.close()
    return Article("".join(rewriter.out).strip(), rewriter.ids)
