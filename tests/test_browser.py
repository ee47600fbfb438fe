"""End to end: the built example manual in a real browser (headless Chromium via Playwright).

The example site is built (with `use_directory_urls` on and off), served on a free localhost
port, and driven the way a reader uses it: hover over a term, follow a clause reference, open
the coverage matrix, download the exports, search.

Needs Playwright (`pip install -e ".[test]"`) and Debian's Chromium at /usr/bin/chromium
(`apt-get install chromium`); Playwright's own browser download is not used. Without them the
tests are skipped with the reason, unless QMSDOCS_BROWSER_TESTS=require (as in CI), where a
missing browser is a failure. Screenshots of failing tests go to test-artifacts/.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from .conftest import CHROMIUM, REPO

REQUIRED = os.environ.get("QMSDOCS_BROWSER_TESTS") == "require"
ARTIFACTS = REPO / "test-artifacts"


def _unavailable() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[test]')"
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    return None


_REASON = _unavailable()
if _REASON and REQUIRED:
    raise RuntimeError(f"browser tests are required here but cannot run: {_REASON}")
pytestmark = pytest.mark.skipif(_REASON is not None, reason=_REASON or "")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module", params=[True, False], ids=["directory-urls", "file-urls"])
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The example site, built and served on localhost; yields its base URL."""
    site_dir = tmp_path_factory.mktemp("browser") / "site"
    config = load_config(
        str(REPO / "mkdocs.yml"), site_dir=str(site_dir), use_directory_urls=request.param
    )
    build(config)
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _url(base: str, page: str, directory_urls: bool) -> str:
    """URL of a page given as its docs path without .md ("manual/scope")."""
    if page.endswith("index"):
        return base + (page[: -len("index")] if directory_urls else f"{page}.html")
    return base + (f"{page}/" if directory_urls else f"{page}.html")


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh page; its screenshot is saved under test-artifacts/ if the test fails."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


def directory_urls(request: pytest.FixtureRequest) -> bool:
    return "directory-urls" in request.node.callspec.id


def test_hovering_a_term_shows_its_explanation(served: str, page: Any, request: Any) -> None:
    page.goto(_url(served, "manual/support/documented-information", directory_urls(request)))
    term = page.locator("a.qms-term", has_text="documented information").first
    expected = term.get_attribute("title")
    assert expected and expected.startswith("Any information the quality management system")
    term.hover()
    tooltip = page.locator(".md-tooltip2--active .md-tooltip2__inner")
    tooltip.wait_for(state="visible", timeout=5000)
    assert tooltip.inner_text().startswith("Any information the quality management system")


def test_term_link_leads_to_its_glossary_entry(served: str, page: Any, request: Any) -> None:
    page.goto(_url(served, "manual/support/documented-information", directory_urls(request)))
    page.locator("a.qms-term", has_text="documented information").first.click()
    page.wait_for_url(re.compile(r"glossary.*#term-documented-information$"))
    entry = page.locator("#term-documented-information")
    assert entry.is_visible()
    assert entry.evaluate("e => e.getBoundingClientRect().top") < 900
    used = page.locator('[data-term="documented-information"] .qms-term-used a')
    assert used.count() >= 1


def test_clicking_a_clause_reference_opens_the_clause(served: str, page: Any, request: Any) -> None:
    page.goto(_url(served, "manual/operation/external-providers", directory_urls(request)))
    page.locator("a.qms-clause", has_text="8.4").first.click()
    page.wait_for_url(re.compile(r"clauses/iso9001-2015/8(/|\.html)#clause-8-4$"))
    heading = page.locator("h2#clause-8-4")
    assert heading.inner_text().startswith(
        "8.4 Control of externally provided processes, products and services"
    )
    top = heading.evaluate("e => e.getBoundingClientRect().top")
    assert 0 <= top < 300, "the clause should be scrolled into view"


def test_coverage_matrix_lists_every_required_clause(served: str, page: Any, request: Any) -> None:
    page.goto(_url(served, "coverage", directory_urls(request)))
    rows = page.locator(".qms-matrix table").first.locator("tbody tr")
    assert rows.count() == 91
    assert page.locator("#coverage-8-3 .qms-status").inner_text() == "Not applicable"
    status = page.locator(".qms-coverage-status").first.inner_text()
    assert "Every required clause is addressed" in status


def test_coverage_links_land_on_the_covering_section(served: str, page: Any, request: Any) -> None:
    page.goto(_url(served, "coverage", directory_urls(request)))
    matrix = page.locator(".qms-matrix table").first
    link = matrix.locator("#coverage-7-5-3 td:nth-child(4) a").first
    assert "7.5.3 Control of documented information" in link.inner_text()
    link.click()
    page.wait_for_url(
        re.compile(r"documented-information.*#753-control-of-documented-information$")
    )
    heading = page.locator('h2[id="753-control-of-documented-information"]')
    assert heading.is_visible()
    assert 0 <= heading.evaluate("e => e.getBoundingClientRect().top") < 300


def test_exports_download_with_their_content_types(served: str, page: Any) -> None:
    response = page.request.get(served + "coverage.json")
    assert response.ok
    assert response.headers["content-type"].startswith("application/json")
    data = json.loads(response.text())
    assert data["catalogue"]["id"] == "iso9001-2015" and data["complete"] is True
    response = page.request.get(served + "coverage.csv")
    assert response.ok
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text())))
    assert len(rows) == 91


def _search(page: Any, base: str, query: str) -> list[str]:
    page.goto(base)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    # Material loads the index in a worker; a query typed before it is ready is lost.
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && !/Initializing/i.test(m.textContent); }",
        timeout=15000,
    )
    # Material reacts to keystrokes, not to a programmatic fill.
    page.locator("input.md-search__input").press_sequentially(query, delay=10)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible", timeout=10000)
    return [results.nth(i).inner_text() for i in range(min(results.count(), 10))]


def test_search_finds_a_glossary_term(served: str, page: Any) -> None:
    results = _search(page, served, "nonconformity")
    assert any("Glossary" in r or "nonconformity" in r.casefold() for r in results)


def test_search_finds_a_clause_title(served: str, page: Any) -> None:
    results = _search(page, served, "Measurement traceability")
    assert any("7.1.5.2" in r or "Measurement traceability" in r for r in results)
