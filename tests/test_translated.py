"""Translated manuals built with mkdocs-static-i18n: real builds of small bilingual sites.

That plugin builds each language after the other with the same plugins; qmsdocs gives every
language version its own generated pages, links each version's pages to them, and assesses
each version on its own.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import Abort

from .conftest import ALL_CLAUSES_PAGE, Site, build_site
from .test_gate import gate_message

ENGLISH = """\
# Purchasing

Suppliers are controlled as clause 8.4 asks; the audit checks it every year.
"""
GERMAN = """\
# Einkauf

Lieferanten werden nach Abschnitt 8.4 gesteuert; das Audit prüft es jedes Jahr.
"""
LINK_RE = re.compile(r'<a class="(?P<kind>qms-clause|qms-term)" href="(?P<href>[^"]*)"')


def languages(structure: str, **extra: Any) -> dict[str, Any]:
    return {
        "plugins": [
            "search",
            {
                "i18n": {
                    "docs_structure": structure,
                    "languages": [
                        {"locale": "en", "default": True, "name": "English", "build": True},
                        {"locale": "de", "name": "Deutsch", "build": True},
                    ],
                    **extra,
                }
            },
            "qmsdocs",
        ]
    }


def links(site: Site, page: str) -> list[tuple[str, str]]:
    """(kind, target file) of every qmsdocs link on a built page; the target is checked to
    exist in the built site."""
    html = site.html(page)
    found = []
    for match in LINK_RE.finditer(html):
        href = match["href"].split("#")[0]
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), href))
        path = site.site_dir / target
        if path.is_dir():
            path = path / "index.html"
        assert path.is_file(), f"{page}: {match['href']} leads nowhere"
        found.append((match["kind"], path.relative_to(site.site_dir).as_posix()))
    return found


def coverage_pages(site: Site, folder: str = "") -> set[str]:
    """The pages a language version's coverage.json says address or cite a clause."""
    data = json.loads(site.html(f"{folder}coverage.json"))
    addressed = {a["page"] for c in data["clauses"] for a in c["addressed_by"]}
    return addressed | {page for c in data["clauses"] for page in c["referenced_by"]}


@pytest.mark.parametrize(
    ("structure", "docs"),
    [
        ("suffix", {"purchasing.md": ENGLISH, "purchasing.de.md": GERMAN}),
        (
            "folder",
            {
                "en/purchasing.md": ENGLISH,
                "de/purchasing.md": GERMAN,
                "en/whole-standard.md": ALL_CLAUSES_PAGE["whole-standard.md"],
            },
        ),
    ],
)
def test_each_language_gets_its_pages_and_links_to_them(
    tmp_path: Path, structure: str, docs: dict[str, str]
) -> None:
    site = build_site(tmp_path, docs, complete=structure == "suffix", **languages(structure))
    german = links(site, "de/purchasing/index.html")
    # "Abschnitt 8.4" links to the German version's own clause page; no English term is
    # linked in German prose.
    assert german == [("qms-clause", "de/clauses/iso9001-2015/8/index.html")]
    # Its tooltip gives the clause's title as the German edition prints it.
    german_html = (site.site_dir / "de/purchasing/index.html").read_text(encoding="utf-8")
    assert 'title="ISO 9001:2015 8.4 Steuerung von extern bereitgestellten' in german_html
    # The German version's clause pages have the German titles, under the same anchors.
    clause_page = (site.site_dir / "de/clauses/iso9001-2015/8/index.html").read_text("utf-8")
    assert '<h2 id="clause-8-1">8.1 Betriebliche Planung und Steuerung' in clause_page
    assert "<title>8 Betrieb - " in clause_page
    english_page = (site.site_dir / "clauses/iso9001-2015/8/index.html").read_text("utf-8")
    assert '<h2 id="clause-8-1">8.1 Operational planning and control' in english_page
    english = links(site, "purchasing/index.html")
    english_html = (site.site_dir / "purchasing/index.html").read_text(encoding="utf-8")
    assert 'title="ISO 9001:2015 8.4 Control of externally provided' in english_html
    assert ("qms-clause", "clauses/iso9001-2015/8/index.html") in english
    assert ("qms-term", "glossary/index.html") in english
    for folder in ("", "de/"):
        for page in ("coverage", "documents", "glossary", "clauses/iso9001-2015"):
            assert (site.site_dir / folder / page / "index.html").is_file()
    # Each version is assessed on its own pages: the German one on its translation, and on
    # the English original where no translation exists (the plugin's fallback).
    prefix = "en/" if structure == "folder" else ""
    assert f"{prefix}purchasing.md" in coverage_pages(site)
    german_pages = coverage_pages(site, "de/")
    assert {p for p in german_pages if "purchasing" in p} == {
        "de/purchasing.md" if structure == "folder" else "purchasing.de.md"
    }
    assert any("whole-standard" in p for p in german_pages)


def test_the_language_switcher_reaches_each_generated_page(tmp_path: Path) -> None:
    site = build_site(
        tmp_path, {"purchasing.md": ENGLISH, "purchasing.de.md": GERMAN}, **languages("suffix")
    )
    html = site.html("de/coverage/index.html")
    assert 'href="../../coverage/" hreflang="en"' in html
    assert 'href="./" hreflang="de"' in html


def test_the_gate_names_the_language_version_that_fails(
    tmp_path: Path, plugin_log: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """The German translation of the page that addresses everything leaves clauses out."""
    thin = '---\nclauses: ["4", "5", "6", "7", "8", "9"]\n---\n\n# Alles\n\nText.\n'
    with pytest.raises(Abort):
        build_site(
            tmp_path,
            {"purchasing.md": ENGLISH, "whole-standard.de.md": thin},
            **languages("suffix"),
        )
    message = gate_message(caplog)
    assert "the manual was not published (in the 'de' version of the site)" in message
    assert "10 Improvement" in message
    # Its warnings name the version too.
    warnings = [message for level, message in plugin_log.actual() if level == "WARNING"]
    assert warnings and all("(in the 'de' version of the site)" in w for w in warnings)
    plugin_log.mark_all_checked()


def test_a_german_glossary_links_on_german_pages_only(tmp_path: Path) -> None:
    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "de.yml").write_text(
        "language: de\nterms:\n  - term: Wareneingang\n    explanation: Wo Lieferungen ankommen.\n",
        encoding="utf-8",
    )
    docs = {
        "purchasing.md": ENGLISH + "\nThe audit visits the Wareneingang.\n",
        "purchasing.de.md": GERMAN + "\nDas Audit besucht den Wareneingang.\n",
    }
    site = build_site(tmp_path, docs, **languages("suffix"))
    term = re.compile(r'<a class="qms-term"[^>]*>([^<]*)</a>')
    assert term.findall(site.html("de/purchasing/index.html")) == ["Wareneingang"]
    assert term.findall(site.html("purchasing/index.html")) == ["Suppliers", "audit"]


def test_without_fallback_each_language_must_cover_the_clauses_itself(
    tmp_path: Path, plugin_log: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """With `fallback_to_default: false` a German version holds its own pages only: the
    English page that covers everything is not part of it."""
    with pytest.raises(Abort):
        build_site(
            tmp_path,
            {"purchasing.md": ENGLISH, "purchasing.de.md": GERMAN},
            **languages("suffix", fallback_to_default=False),
        )
    message = gate_message(caplog)
    assert "the manual was not published (in the 'de' version of the site)" in message
    plugin_log.mark_all_checked()


def test_the_navigation_section_is_translated_like_any_other(tmp_path: Path) -> None:
    config = languages("suffix")
    config["plugins"][1]["i18n"]["languages"][1]["nav_translations"] = {
        "ISO 9001:2015": "Normabschnitte"
    }
    site = build_site(tmp_path, {"purchasing.md": ENGLISH, "purchasing.de.md": GERMAN}, **config)
    assert "Normabschnitte" in site.html("de/purchasing/index.html")
    assert "Normabschnitte" not in site.html("purchasing/index.html")
