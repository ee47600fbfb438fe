"""Shared fixtures: real MkDocs builds of small sites in temporary folders."""

from __future__ import annotations

import logging
import os
import re
import shutil
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from testfixtures import LogCapture

# Material prints a banner about MkDocs 2 on every build; it is noise in test output.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Iterator[None]:  # noqa: ARG001
    """Keep each phase's report on the test item, so fixtures can see whether it failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(autouse=True)
def plugin_log() -> Iterator[LogCapture]:
    """Fails any test that leaves a qmsdocs warning or error unchecked.

    A test that expects warnings reads them from this fixture and marks them checked
    (`plugin_log.check_present(...)` or `plugin_log.mark_all_checked()`).
    """
    with LogCapture(
        "mkdocs.plugins.qmsdocs",
        attributes=("levelname", "getMessage"),
        ensure_checks_above=logging.WARNING,
    ) as capture:
        yield capture


@pytest.fixture(autouse=True)
def fresh_plugin_mode() -> Iterator[None]:
    """MkDocs caches plugin objects that define on_startup for the whole process (for serve).

    A test that simulates `mkdocs serve` leaves the cached qmsdocs plugin in serve mode; reset
    it so that the next test's build behaves like `mkdocs build`.
    """
    yield
    from mkdocs.config.defaults import MkDocsConfig

    from qmsdocs.plugin import QMSPlugin

    for plugin in MkDocsConfig.plugins.plugin_cache.values():
        if isinstance(plugin, QMSPlugin):
            plugin.is_serve = False


@dataclass
class Site:
    """A built test site."""

    root: Path
    config: Any

    @property
    def site_dir(self) -> Path:
        return Path(self.config.site_dir)

    def html(self, path: str) -> str:
        return (self.site_dir / path).read_text(encoding="utf-8")

    def page(self, src: str) -> str:
        """The HTML of the page built from docs/`src`, whatever `use_directory_urls` says."""
        stem = src.removesuffix(".md")
        if self.config.use_directory_urls:
            index = stem == "index" or stem.endswith("/index")
            name = f"{stem}.html" if index else f"{stem}/index.html"
        else:
            name = f"{stem}.html"
        return self.html(name)


def naming(*tops: str) -> str:
    """Prose that names every lowest-level clause of ISO 9001:2015 under `tops` (all of them
    when none is given), for pages that declare parents: a page that declares "8" and never
    names 8.5.4 covers it in name only (`thin-coverage`)."""
    from qmsdocs.standards import load_builtin_catalogue

    catalogue = load_builtin_catalogue("iso9001-2015")
    leaves = [
        c.id
        for c in catalogue.required_leaves()
        if not tops or any(c.id == t or c.id.startswith(f"{t}.") for t in tops)
    ]
    return "".join(f"- clause {leaf}\n" for leaf in leaves)


NAMES_EVERY_CLAUSE = naming()
_HEADING_LINE = re.compile(r"^[ ]{0,3}#{1,6}[ \t]")
# Enough words for a section to address its clause in more than name.
SECTION_TEXT = (
    "How we do this is described here in enough words for a reader, and for an auditor "
    "who checks it against the standard."
)


def written(markdown: str) -> str:
    """`markdown` with a paragraph under every heading that has nothing under it before the
    next heading, so that a fixture's headings address their clauses in more than name."""
    lines = markdown.split("\n")
    out: list[str] = []
    for index, line in enumerate(lines):
        out.append(line)
        if not _HEADING_LINE.match(line):
            continue
        rest = next((later for later in lines[index + 1 :] if later.strip()), None)
        if rest is None or _HEADING_LINE.match(rest):
            out += ["", SECTION_TEXT, ""]
    return "\n".join(out)


# A page that addresses every clause, so that a test site passes the publishing gate unless
# the test is about coverage.
ALL_CLAUSES_PAGE = {
    "whole-standard.md": '---\nclauses: ["4", "5", "6", "7", "8", "9", "10"]\n---\n\n# All\n\n'
    + NAMES_EVERY_CLAUSE
}


def write_site(root: Path, docs: dict[str, str], *, complete: bool = True, **config: Any) -> Path:
    """Write `mkdocs.yml` and the pages of a site; returns the config file.

    With `complete` (the default) the site gets a page that addresses every clause.
    """
    if complete:
        docs = {**ALL_CLAUSES_PAGE, **docs}
    settings: dict[str, Any] = {
        "site_name": "Test manual",
        "theme": {"name": "material", "features": ["content.tooltips"]},
        "plugins": ["search", "qmsdocs"],
    }
    settings.update(config)
    config_file = root / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    for name, text in docs.items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return config_file


def build_site(
    root: Path,
    docs: dict[str, str],
    *,
    strict: bool = False,
    complete: bool = True,
    **config: Any,
) -> Site:
    """Write and build a site with MkDocs' own build function (as `mkdocs build` does)."""
    config_file = write_site(root, docs, complete=complete, **config)
    cfg = load_config(str(config_file), strict=strict)
    build(cfg)
    return Site(root, cfg)


@pytest.fixture
def site(tmp_path: Path) -> Any:
    """`site(docs, **config)` builds a site in a fresh folder and returns a `Site`."""
    counter = iter(range(1000))

    def make(docs: dict[str, str], **config: Any) -> Site:
        root = tmp_path / f"site{next(counter)}"
        root.mkdir()
        return build_site(root, docs, **config)

    make.root = lambda: tmp_path  # type: ignore[attr-defined]

    return make


# "ISO 9001:2015 8 Operation: 8.1, 8.2.1: not addressed by any page ... [missing-clause]": the
# missing clauses of one top-level clause, reported on one line.
_GROUPED_MISSING_RE = re.compile(
    r"^(?P<prefix>qmsdocs: )?(?P<group>.+?): (?P<ids>[0-9A-Z.]+(?:, [0-9A-Z.]+)+): "
    r"not addressed by any page and not declared not applicable \(.*\) \[missing-clause\]"
    r"(?P<suffix>.*)$"
)


def one_per_finding(lines: list[str]) -> list[str]:
    """Report lines with each grouped line of missing clauses split into one line per clause
    ("clause 8.1 [missing-clause]"), so that tests can count findings."""
    result = []
    for line in lines:
        match = _GROUPED_MISSING_RE.match(line)
        if match is None:
            result.append(line)
            continue
        result += [
            f"{match['prefix'] or ''}clause {clause} (grouped) [missing-clause]{match['suffix']}"
            for clause in match["ids"].split(", ")
        ]
    return result


# A real browser, for the browser tests (test_browser*.py): Debian's Chromium driven by
# Playwright; Playwright's own browser download is not used.
CHROMIUM = os.environ.get("QMSDOCS_CHROMIUM", "/usr/bin/chromium")
_LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # This machine's closed network refuses Chromium's background connections.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
        instance = playwright.chromium.launch(executable_path=executable, args=_LAUNCH_ARGS)
        yield instance
        instance.close()
