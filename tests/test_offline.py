"""The published manual works on an intranet with no internet: no page asks another host for
anything (web fonts, scripts, images), in the example manual and in the `qmsdocs init`
skeleton, and the example's process map is drawn without a script from a public CDN.

Every page of each built site is opened in a real browser that refuses, and records, every
request to a host other than the local server; one attempt fails the test. Same browser
set-up and skip rules as test_browser.py.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from mkdocs.commands.build import build
from mkdocs.config import load_config

from qmsdocs.cli import main

from .conftest import ALL_CLAUSES_PAGE, REPO
from .test_browser import _QuietHandler, pytestmark  # noqa: F401


def _serve(site_dir: Path) -> tuple[ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _pages(site_dir: Path) -> list[str]:
    return sorted(
        p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html") if p.name != "404.html"
    )


def _requests_elsewhere(browser: Any, site_dir: Path) -> list[str]:
    """Open every page of a built site; the URLs of requests that left the local server."""
    server, base = _serve(site_dir)
    elsewhere: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(base) or url.startswith("data:") or url.startswith("blob:"):
            request_route.continue_()
        else:
            elsewhere.append(url)
            request_route.abort()

    context = browser.new_context()
    context.route("**/*", route)
    try:
        page = context.new_page()
        for path in _pages(site_dir):
            page.goto(base + path, wait_until="load")
    finally:
        context.close()
        server.shutdown()
        server.server_close()
    return sorted(set(elsewhere))


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site_dir = tmp_path_factory.mktemp("offline") / "site"
    build(load_config(str(REPO / "mkdocs.yml"), site_dir=str(site_dir)))
    return site_dir


def test_the_example_manual_asks_no_other_host(browser: Any, example_site: Path) -> None:
    assert len(_pages(example_site)) > 50
    assert _requests_elsewhere(browser, example_site) == []


def test_the_process_map_is_drawn_without_a_script(browser: Any, example_site: Path) -> None:
    server, base = _serve(example_site)
    context = browser.new_context()
    context.route(
        "**/*",
        lambda r: r.continue_() if r.request.url.startswith(base) else r.abort(),
    )
    try:
        page = context.new_page()
        page.goto(base + "manual/processes/")
        drawing = page.locator(".process-map svg")
        assert drawing.is_visible()
        box = drawing.bounding_box()
        assert box is not None and box["width"] > 300
        assert page.locator(".process-map svg rect").count() == 8
        assert "Machining" in (drawing.text_content() or "")
        assert page.locator("pre.mermaid, .mermaid").count() == 0  # nothing left to render
    finally:
        context.close()
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def skeleton_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("skeleton") / "manual"
    result = CliRunner().invoke(main, ["init", str(root), "--organisation", "Acme Ltd"])
    assert result.exit_code == 0, result.output
    config = load_config(str(root / "mkdocs.yml"))
    # The skeleton is a draft, which `mkdocs build` refuses to publish; `serve` shows it.
    config.plugins.on_startup(command="serve", dirty=False)
    build(config, serve_url="http://127.0.0.1:8000/")
    yield Path(config.site_dir)


def test_the_init_skeleton_asks_no_other_host(browser: Any, skeleton_site: Path) -> None:
    assert len(_pages(skeleton_site)) > 10
    assert _requests_elsewhere(browser, skeleton_site) == []


# A stand-in for mermaid.min.js with the two calls Material makes of it: enough to show that
# Material draws with the copy the site serves instead of fetching its own from a CDN.
_LOCAL_MERMAID = """
window.mermaid = {
  initialize() {},
  drawn: [],
  render(id, text) {
    this.drawn.push(text);
    return Promise.resolve({svg: '<svg id="' + id + '" class="local-diagram"></svg>'});
  },
};
"""


def test_mermaid_served_by_the_site_is_used_instead_of_a_cdn(browser: Any, tmp_path: Path) -> None:
    (tmp_path / "docs" / "js").mkdir(parents=True)
    (tmp_path / "docs" / "js" / "mermaid.min.js").write_text(_LOCAL_MERMAID, encoding="utf-8")
    (tmp_path / "docs" / "index.md").write_text(
        "# Map\n\n```mermaid\nflowchart LR\n  A --> B\n```\n", encoding="utf-8"
    )
    for name, text in ALL_CLAUSES_PAGE.items():
        (tmp_path / "docs" / name).write_text(text, encoding="utf-8")
    # As the README shows it; a fence format is a Python name, which only YAML text can give.
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Map\n"
        "theme: {name: material, font: false}\n"
        "plugins: [search, qmsdocs]\n"
        "extra_javascript: [js/mermaid.min.js]\n"
        "markdown_extensions:\n"
        "  - pymdownx.superfences:\n"
        "      custom_fences:\n"
        "        - name: mermaid\n"
        "          class: mermaid\n"
        "          format: !!python/name:pymdownx.superfences.fence_code_format\n",
        encoding="utf-8",
    )
    config = load_config(str(tmp_path / "mkdocs.yml"))
    build(config)
    site_dir = Path(config.site_dir)
    assert _requests_elsewhere(browser, site_dir) == []
    server, base = _serve(site_dir)
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.goto(base)
        # Material draws into a closed shadow root: ask the copy what it was given to draw.
        tab.wait_for_function("window.mermaid.drawn.length > 0", timeout=5000)
        assert "A --> B" in tab.evaluate("window.mermaid.drawn[0]")
    finally:
        context.close()
        server.shutdown()
        server.server_close()
