"""The site's stylesheet rules for inline SVG, in a form the renderer applies to them.

WeasyPrint draws an inline `<svg>` as a document of its own: the page's stylesheets do not
reach it, only a `<style>` inside it, and it does not resolve custom properties there. A
drawing styled by the site's `extra_css` (the example's process map: `.process-map rect.core
{fill: var(--md-default-bg-color, #fff)}`) would print as black boxes. So the rules of the
site's own stylesheets that style SVG elements are copied into each inline SVG, with what
their selectors say about the HTML around the drawing dropped (`.process-map rect.core`
becomes `rect.core`) and each `var(--x, fallback)` replaced by its fallback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["svg_rules"]

_SVG_ELEMENTS = {
    "svg", "g", "rect", "circle", "ellipse", "line", "polyline", "polygon", "path", "text",
    "tspan", "marker", "use", "symbol", "defs", "image", "title", "desc",
}  # fmt: skip
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_ELEMENT = re.compile(r"^[A-Za-z][A-Za-z0-9-]*")
# var(--name, fallback) with a fallback free of parentheses; innermost first, repeatedly.
_VAR = re.compile(r"var\(\s*--[\w-]+\s*,\s*([^()]*?)\s*\)")
_VAR_WITHOUT_FALLBACK = re.compile(r"var\(\s*--[\w-]+\s*\)")
# The `font` shorthand, which the SVG renderer does not read: [style] [weight] size[/line] family.
_FONT = re.compile(
    r"^\s*font\s*:\s*(?:(italic|oblique|normal)\s+)?(?:(bold|bolder|lighter|normal|\d{3})\s+)?"
    r"([\d.]+[a-z%]*)(?:/\S+)?\s+(.+?)\s*$",
    re.IGNORECASE,
)


def _rules(css: str) -> Iterable[tuple[str, str]]:
    """(selectors, declarations) of each plain rule; at-rules (`@media`, `@font-face`) are
    left out: a print rule is for the page, not for a drawing inside it."""
    text = _COMMENT.sub("", css)
    position = 0
    while True:
        opening = text.find("{", position)
        if opening < 0:
            return
        prelude = text[position:opening].strip()
        depth, index = 1, opening + 1
        while index < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[index], 0)
            index += 1
        if not prelude.startswith("@"):
            yield prelude, text[opening + 1 : index - 1]
        position = index


def _inside_svg(selector: str) -> str | None:
    """The part of `selector` from its first SVG element on; None when it names none."""
    parts = selector.split()
    for number, part in enumerate(parts):
        match = _ELEMENT.match(part)
        if match and match.group(0).lower() in _SVG_ELEMENTS:
            # The drawing's own box (`.process-map svg {width: 100%}`) is sized by the page.
            last = _ELEMENT.match(parts[-1])
            if last and last.group(0).lower() == "svg":
                return None
            return " ".join(parts[number:])
    return None


def _resolved(declarations: str) -> str:
    previous = None
    while previous != declarations:
        previous, declarations = declarations, _VAR.sub(r"\1", declarations)
    kept = []
    for declaration in declarations.split(";"):
        if not declaration.strip() or _VAR_WITHOUT_FALLBACK.search(declaration):
            continue
        font = _FONT.match(declaration)
        if font is None:
            kept.append(declaration.strip())
            continue
        style, weight, size, family = font.groups()
        kept += [f"font-style: {style}"] if style else []
        kept += [f"font-weight: {weight}"] if weight else []
        kept += [f"font-size: {size}", f"font-family: {family}"]
    return "; ".join(kept)


def svg_rules(stylesheets: Iterable[str]) -> str:
    """The rules of `stylesheets` that style SVG elements, ready for a `<style>` in an SVG."""
    out = []
    for css in stylesheets:
        for prelude, declarations in _rules(css):
            selectors = [s for s in map(_inside_svg, prelude.split(",")) if s]
            body = _resolved(declarations)
            if selectors and body:
                out.append(f"{', '.join(selectors)} {{ {body} }}")
    # The rules go inside a <style> element: nothing in them may end it.
    return "\n".join(out).replace("</", "<\\/")
