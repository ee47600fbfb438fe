"""The audit pages in a real browser: laid out as parts of one Material site, on a desktop, on a
phone and in the dark scheme.

Reviewers read the coverage matrix, the clause pages, the register and the revision histories
on a laptop in a meeting room or on a tablet. For each generated page, at 1400 px, at 390 px
and in the dark scheme, the tests check what a reader would see go wrong: tables without
borders or padding, a cell narrower than a word in it (words broken in the middle), a page
wider than the screen outside a scroll box, status chips that keep light colours in the dark.
Screenshots of every page in every mode are saved under test-artifacts/screens/ for a person
to look at.

Same browser set-up and skip rules as test_browser.py.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from .conftest import REPO
from .test_browser import ARTIFACTS, _QuietHandler, pytestmark  # noqa: F401

SCREENS = ARTIFACTS / "screens"

PAGES = {
    "coverage": "coverage/",
    "clause-page": "clauses/iso9001-2015/8/",
    "register": "documents/",
    "revision-history": "manual/evaluation/internal-audit/",
    "transition": "transition/",
}
MODES = {
    "desktop": {"viewport": {"width": 1400, "height": 900}, "color_scheme": "light"},
    "phone": {"viewport": {"width": 390, "height": 844}, "color_scheme": "light"},
    "dark": {"viewport": {"width": 1400, "height": 900}, "color_scheme": "dark"},
}

# Per table cell of qmsdocs' tables: its borders and padding, and whether a word in it is wider
# than the room the cell gives it (measured with the cell's own font).
_CELLS_JS = """
() => {
  const canvas = document.createElement("canvas").getContext("2d");
  const out = [];
  for (const cell of document.querySelectorAll(".qms-table th, .qms-table td")) {
    if (!cell.offsetParent) continue;  // a row the filter hides
    const style = getComputedStyle(cell);
    canvas.font = style.font;
    const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    let widest = "", width = 0;
    for (const word of cell.innerText.split(/\\s+/)) {
      const w = canvas.measureText(word).width;
      if (w > width) { width = w; widest = word; }
    }
    out.push({
      text: cell.innerText.slice(0, 40),
      border: parseFloat(style.borderTopWidth) + parseFloat(style.borderBottomWidth),
      padding: parseFloat(style.paddingLeft),
      room: room, widest: widest, width: width,
    });
  }
  return out;
}
"""

# Elements wider than the page that are not inside a box that scrolls sideways.
_OVERFLOW_JS = """
() => {
  const limit = document.documentElement.clientWidth;
  const bad = [];
  for (const el of document.querySelectorAll(".md-content *")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= limit + 1) continue;
    let scrolled = false;
    for (let up = el.parentElement; up; up = up.parentElement) {
      const overflow = getComputedStyle(up).overflowX;
      if (overflow === "auto" || overflow === "scroll") { scrolled = true; break; }
    }
    if (!scrolled) bad.push(el.tagName + "." + el.className + ": " + Math.round(box.right));
  }
  return {page: document.documentElement.scrollWidth, screen: limit, bad: bad.slice(0, 5)};
}
"""

_CHIPS_JS = """
() => Array.from(document.querySelectorAll(".qms-status")).slice(0, 20).map(chip => {
  const [r, g, b] = getComputedStyle(chip).backgroundColor.match(/\\d+/g).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
})
"""


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example manual, built once and served on localhost."""
    site_dir = tmp_path_factory.mktemp("layout") / "site"
    build(load_config(str(REPO / "mkdocs.yml"), site_dir=str(site_dir)))
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module", params=list(MODES))
def tab(request: pytest.FixtureRequest, browser: Any, site_url: str) -> Iterator[tuple[str, Any]]:
    """A browser tab in one mode (desktop, phone, dark) that loads nothing from other hosts."""
    context = browser.new_context(**MODES[request.param])
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(site_url) else route.abort()
        ),
    )
    page = context.new_page()
    yield request.param, page
    context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_audit_page_is_laid_out_for_reading(tab: tuple[str, Any], site_url: str, name: str) -> None:
    mode, page = tab
    page.goto(site_url + PAGES[name])
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}-{mode}.png"))
    cells = page.evaluate(_CELLS_JS)
    assert cells or name == "clause-page", f"{name}: no qmsdocs table"
    for cell in cells:
        assert cell["border"] > 0, cell
        assert cell["padding"] >= 4, cell
        # A word never breaks in the middle: the cell is at least as wide as its widest word.
        assert cell["width"] <= cell["room"] + 1, cell
    overflow = page.evaluate(_OVERFLOW_JS)
    assert overflow["bad"] == [], overflow
    assert overflow["page"] <= overflow["screen"] + 1, overflow
    if mode == "dark":
        assert all(luminance < 0.35 for luminance in page.evaluate(_CHIPS_JS)), name


def test_the_matrix_shows_only_what_the_reader_asks_for(
    tab: tuple[str, Any], site_url: str
) -> None:
    _mode, page = tab
    page.goto(site_url + "coverage/")
    matrix = page.locator(".qms-matrix-view").first
    everything = matrix.locator("tbody tr:visible").count()
    matrix.locator(".qms-show--exclusions").check()
    shown = matrix.locator("tbody tr:visible")
    assert 0 < shown.count() < everything
    for index in range(shown.count()):
        assert "qms-row--not-applicable" in (shown.nth(index).get_attribute("class") or "")
    # The example manual has no gap: the filter says so instead of showing an empty table.
    matrix.locator(".qms-show--gaps").check()
    assert matrix.locator("tbody tr:visible").count() == 0
    assert matrix.locator(".qms-filter-none").is_visible()
    matrix.locator(".qms-show--all").check()
    assert matrix.locator("tbody tr:visible").count() == everything


def test_the_matrix_header_stays_in_view(tab: tuple[str, Any], site_url: str) -> None:
    _mode, page = tab
    page.goto(site_url + "coverage/")
    box = page.locator(".qms-matrix").first
    box.evaluate("element => element.scrollTop = 1500")
    header = box.locator("thead th").first.bounding_box()
    frame = box.bounding_box()
    assert header is not None and frame is not None
    assert abs(header["y"] - frame["y"]) <= 2, (header, frame)
