"""Rebuilds under `mkdocs serve`: a page is read again only when something it depends on
changed, and a rebuild's verdict is the verdict of a clean build (`qmsdocs.readcache`)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from qmsdocs import sitebuild
from qmsdocs.plugin import QMSPlugin
from qmsdocs.readahead import ReadAhead, can_fork
from qmsdocs.references import Recognizer

from .conftest import SECTION_TEXT, naming, write_site

PAGES = {
    "index.md": '---\nclauses: ["4", "5", "6", "7"]\n---\n\n# Manual\n\n'
    + naming("4", "5", "6", "7"),
    "operation.md": '---\nclauses: ["8"]\n---\n\n# Operation\n\n' + naming("8"),
    "evaluation.md": '---\nclauses: ["9", "10"]\n---\n\n# Evaluation\n\n'
    + naming("9", "10")
    + "\nInternal audits are planned as clause 9.2 asks; see the documented information.\n",
    "suppliers.md": "# Suppliers\n\nWe choose suppliers as clause 8.4 asks.\n",
}
CATALOGUE = {
    "id": "ours",
    "standard": "Our standard",
    "edition": "1",
    "title": "Our standard",
    "clauses": [
        {"id": "1", "title": "Scope", "requirements": True},
        {"id": "2", "title": "Suppliers", "requirements": True},
    ],
}


def _serve(root: Path, command: str = "serve") -> tuple[dict[str, Any], QMSPlugin, list[str]]:
    """Build as `mkdocs serve` does; (coverage.json, the plugin, the findings logged)."""
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
    config.plugins.on_startup(command=command, dirty=False)  # type: ignore[arg-type]
    logger = logging.getLogger("mkdocs.plugins.qmsdocs")
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger.addHandler(handler)
    try:
        build(config, serve_url="http://127.0.0.1:8000/" if command == "serve" else None)
    finally:
        logger.removeHandler(handler)
    plugin = config.plugins["qmsdocs"]
    assert isinstance(plugin, QMSPlugin)
    data = json.loads((root / "site" / "coverage.json").read_text(encoding="utf-8"))
    data.pop("generator")
    return data, plugin, sorted(r.getMessage() for r in records)


def _clean(root: Path) -> tuple[dict[str, Any], list[str]]:
    """The same site built from nothing: `mkdocs build` keeps no reading."""
    data, plugin, findings = _serve(root, "build")
    assert plugin.build is not None and plugin.build.read_cache is None
    return data, findings


def _html(root: Path, page: str) -> str:
    stem = page.removesuffix(".md")
    built = root / "site" / ("index.html" if stem == "index" else f"{stem}/index.html")
    return built.read_text(encoding="utf-8")


@pytest.fixture
def manual(tmp_path: Path) -> Path:
    root = tmp_path / "manual"
    root.mkdir()
    (root / "glossary").mkdir()
    (root / "glossary" / "terms.yml").write_text(
        "terms:\n  - term: supplier scorecard\n"
        "    explanation: Our quarterly rating of a supplier.\n"
    )
    write_site(root, PAGES, complete=False)
    return root


def _reads(plugin: QMSPlugin) -> int:
    return plugin._reads.reads


def test_a_rebuild_reads_only_the_page_that_changed(
    manual: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, plugin, findings = _serve(manual)
    assert _reads(plugin) == len(PAGES)
    scanned: list[str] = []
    scan = Recognizer.scan
    monkeypatch.setattr(
        Recognizer, "scan", lambda self, text, *a: scanned.append(text) or scan(self, text, *a)
    )
    again, plugin, again_findings = _serve(manual)
    assert _reads(plugin) == 0
    assert scanned == []  # no block of prose is read again, in the source or rendered
    assert (again, again_findings) == (first, findings)
    # The blocks' citations and terms were kept too: the pages are those of a clean build,
    # which reads every block again.
    pages = {name: _html(manual, name) for name in PAGES}
    _clean(manual)
    assert pages == {name: _html(manual, name) for name in PAGES}
    assert scanned
    monkeypatch.undo()
    # An author saves one page: the clause it cited changes, a heading is added.
    page = manual / "docs" / "suppliers.md"
    page.write_text(
        page.read_text().replace("8.4", "8.5.1") + "\n## 8.4 Control of externally "
        "provided processes, products and services\n\n" + SECTION_TEXT + "\n"
    )
    edited, plugin, edited_findings = _serve(manual)
    assert _reads(plugin) == 1
    assert (edited, edited_findings) == _clean(manual)
    assert edited != first


@pytest.mark.skipif(not can_fork(), reason="reading ahead needs fork (Linux)")
def test_a_live_server_reads_ahead_for_its_first_build_only(
    manual: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[ReadAhead[Any] | None] = []

    class Recording(ReadAhead[Any]):
        @classmethod
        def start(cls, *args: Any, **kwargs: Any) -> ReadAhead[Any] | None:
            ahead = ReadAhead.start(*args, **kwargs)
            started.append(ahead)
            return ahead

    monkeypatch.setattr(sitebuild, "ReadAhead", Recording)
    first, plugin, findings = _serve(manual)
    assert len(started) == 1 and started[0] is not None
    assert started[0].taken == len(PAGES)  # every page was read by the second process
    assert _reads(plugin) == len(PAGES)  # and kept for the rebuilds
    again, plugin, again_findings = _serve(manual)
    assert len(started) == 1  # a rebuild makes no second process
    assert _reads(plugin) == 0
    assert (again, again_findings) == (first, findings)


@pytest.mark.parametrize(
    "change",
    [
        "front matter",
        "options",
        "glossary",
        "catalogue",
        "version",
    ],
)
def test_what_every_page_depends_on_empties_the_cache(
    manual: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    (manual / "ours.yml").write_text(yaml.safe_dump(CATALOGUE))
    config = yaml.safe_load((manual / "mkdocs.yml").read_text())
    config["plugins"] = ["search", {"qmsdocs": {"editions": ["ours.yml"]}}]
    (manual / "mkdocs.yml").write_text(yaml.safe_dump(config))
    _serve(manual)
    expected = len(PAGES)
    if change == "front matter":
        page = manual / "docs" / "evaluation.md"
        page.write_text(page.read_text().replace('["9", "10"]', '["10", "9"]'))
        expected = 1
    elif change == "options":
        config["plugins"][1]["qmsdocs"]["heading_coverage"] = "numbers"
        (manual / "mkdocs.yml").write_text(yaml.safe_dump(config))
    elif change == "glossary":
        terms = manual / "glossary" / "terms.yml"
        terms.write_text(terms.read_text().replace("quarterly", "monthly"))
    elif change == "catalogue":
        CATALOGUE["clauses"][1]["title"] = "External providers"  # type: ignore[index]
        (manual / "ours.yml").write_text(yaml.safe_dump(CATALOGUE))
        CATALOGUE["clauses"][1]["title"] = "Suppliers"  # type: ignore[index]
    else:
        monkeypatch.setattr("qmsdocs.sitebuild.generator", lambda: "qmsdocs 99.0")
    loads: list[Any] = []
    load = sitebuild._load
    monkeypatch.setattr(sitebuild, "_load", lambda *args: loads.append(args) or load(*args))
    data, plugin, findings = _serve(manual)
    assert _reads(plugin) == expected
    # The catalogues and glossary are loaded again only when something they come from changed.
    assert len(loads) == (0 if change == "front matter" else 1)
    assert (data, findings) == _clean(manual)


def test_a_plain_build_keeps_nothing(manual: Path) -> None:
    _clean(manual)


def test_each_language_version_keeps_its_readings() -> None:
    # A translated site is built once per language at every rebuild, each with its own key.
    from qmsdocs.assessment import PageAssessment
    from qmsdocs.manual import FrontMatter
    from qmsdocs.readcache import ReadCache

    cache = ReadCache()
    for language in ("en", "de"):
        cache.use(language)
        cache.put("index.md", f"text {language}", PageAssessment("index.md", FrontMatter("x")))
    for language in ("en", "de"):
        cache.use(language)
        assert cache.get("index.md", f"text {language}") is not None
        assert cache.get("index.md", "changed") is None
        assert cache.reads == 0


def test_the_fingerprint_is_the_same_for_a_relative_and_an_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `mkdocs serve` loads mkdocs.yml by the path given for its first build, and by its
    # absolute path for every rebuild: the first rebuild must find what the first build kept.
    from qmsdocs.readcache import fingerprint

    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "terms.yml").write_text("terms: []\n")
    monkeypatch.chdir(tmp_path.parent)
    relative = Path(tmp_path.name) / "glossary"
    options = {"standard": "iso9001-2015"}
    assert fingerprint(options, [relative], version="1", language="en") == fingerprint(
        options, [tmp_path / "glossary"], version="1", language="en"
    )
