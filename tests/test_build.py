"""Integration: real `mkdocs build` runs of small sites, checked in the built HTML."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort, ConfigurationError

from .conftest import Site, build_site, write_site

PAGES = {
    "index.md": """
        # Home

        Suppliers are controlled as clause 8.4 asks; see also **ISO 9001:2015** clause 7.5.3.

        `clause 9.9 in code` is not a reference.

        ## Audits

        Our audits follow clause 9.2 and [clause 9.3](manual/review.md); this page's own § 2 is not.
        """,
    "manual/review.md": """
        # Management review

        The inputs of ISO 9001 Clause 9.3.2 and §§ 7.5.2–7.5.3; ISO 13485:2016 7.2 is not ours.

        ```text
        clause 8.4
        ```

        ### Clause 8.4 in a heading

        Purchased parts come only from suppliers on the approved list, which the buyer
        reviews each year against their delivery and quality record.
        """,
    "manual/deep/er/page.md": """
        # Deep

        See Annex A.4 and clauses 5.1 - 5.3.
        """,
}

CLAUSE_LINK = re.compile(r'<a class="qms-clause" href="(?P<href>[^"]+)" title="(?P<title>[^"]+)">')


def clause_links(html: str) -> list[tuple[str, str]]:
    return [(m.group("href"), m.group("title")) for m in CLAUSE_LINK.finditer(html)]


def resolve(site: Site, page_html_path: str, href: str) -> tuple[Path, str]:
    """Follow a relative href from a built page to (file, fragment)."""
    path, _, fragment = href.partition("#")
    base = (site.site_dir / page_html_path).parent
    target = (base / path).resolve() if path else site.site_dir / page_html_path
    if target.is_dir():
        target = target / "index.html"
    return target, fragment


@pytest.mark.parametrize("directory_urls", [True, False])
def test_clause_references_link_to_clause_pages(site, directory_urls: bool) -> None:
    built: Site = site(PAGES, use_directory_urls=directory_urls, strict=True)
    pages = {
        "index.md": "index.html",
        "manual/review.md": "manual/review/index.html" if directory_urls else "manual/review.html",
        "manual/deep/er/page.md": (
            "manual/deep/er/page/index.html" if directory_urls else "manual/deep/er/page.html"
        ),
    }
    followed = 0
    for src, html_path in pages.items():
        for href, title in clause_links(built.html(html_path)):
            target, fragment = resolve(built, html_path, href)
            assert target.is_file(), href
            assert f'id="{fragment}"' in target.read_text(encoding="utf-8"), (src, href)
            assert title.startswith("ISO 9001:2015 ")
            followed += 1
    # "§ 2" and "Annex A.4" stay text: neither page names ISO 9001 where they stand (a bare
    # section sign or annex is more often the document's own); the other eight link.
    assert followed == 8


def test_tooltip_is_the_clause_title(site) -> None:
    built = site(PAGES)
    links = clause_links(built.page("index.md"))
    assert (
        "clauses/iso9001-2015/8/#clause-8-4",
        "ISO 9001:2015 8.4 Control of externally provided processes, products and services",
    ) in links


def test_nothing_linked_in_code_links_or_headings(site) -> None:
    built = site(PAGES)
    review = built.page("manual/review.md")
    assert "<code>clause 8.4" in review or "clause 8.4\n</code>" in review
    assert re.search(r"<h3[^>]*>Clause 8.4 in a heading", review)
    index = built.page("index.md")
    assert "<code>clause 9.9 in code</code>" in index
    assert re.search(r'<a href="manual/review/">clause 9.3</a>', index)
    assert "ISO 13485:2016 7.2 is not ours" in review


def test_one_page_per_top_level_clause_and_an_index(site) -> None:
    built = site({"index.md": "# Home\n"})
    folder = built.site_dir / "clauses" / "iso9001-2015"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["index.html", *[str(n) for n in range(4, 11)]]
    )


def test_clause_page_lists_subclauses_in_tree_order(site) -> None:
    built = site({"index.md": "# Home\n"})
    html = built.html("clauses/iso9001-2015/7/index.html")
    ids = re.findall(r'<h[1-6] id="(clause-[0-9-]+)"', html)
    assert ids[:3] == ["clause-7", "clause-7-1", "clause-7-1-1"]
    assert ids[-3:] == ["clause-7-5-3", "clause-7-5-3-1", "clause-7-5-3-2"]
    assert len(ids) == 19
    assert re.search(r'<h4 id="clause-7-5-3-1">7\.5\.3\.1</h4>', html)
    assert "Numbered paragraph of 7.5.3 Control of documented information" in html


def test_index_page_holds_the_other_clauses(site) -> None:
    built = site({"index.md": "# Home\n"})
    html = built.html("clauses/iso9001-2015/index.html")
    for anchor in ["clause-0-3-2", "clause-1", "clause-3", "clause-A", "clause-A-8", "clause-B"]:
        assert f'id="{anchor}"' in html
    assert 'href="8/"' in html


def test_referenced_by_backlinks(site) -> None:
    built = site(PAGES)
    html = built.html("clauses/iso9001-2015/9/index.html")
    block = html[html.index('data-clause="9.2"') :]
    block = block[: block.index("</div>")]
    assert 'href="../../../#audits"' in block
    assert "Home › Audits" in block
    html8 = built.html("clauses/iso9001-2015/8/index.html")
    block = html8[html8.index('data-clause="8.3"') :]
    assert "no page of this manual" in block[: block.index("</div>")]


def test_referenced_by_is_capped_but_coverage_json_lists_every_page(site) -> None:
    pages = {f"p{i}.md": f"# Page {i}\n\nSee clause 9.2 for audits.\n" for i in range(4)}
    built = site(pages, plugins=["search", {"qmsdocs": {"backlinks_limit": 3}}])
    html = built.html("clauses/iso9001-2015/9/index.html")
    block = html[html.index('data-clause="9.2"') :]
    referenced = block[
        block.index("Referenced by") : block.index("</p>", block.index("Referenced by"))
    ]
    assert re.findall(r">(Page \d)</a>", referenced) == ["Page 0", "Page 1", "Page 2"]
    assert "and 1 more page<" in referenced
    data = json.loads(built.html("coverage.json"))
    clause = next(c for c in data["clauses"] if c["clause"] == "9.2")
    assert clause["referenced_by"] == [f"p{i}.md" for i in range(4)]


def test_range_is_recorded_for_every_clause_it_spans(site) -> None:
    built = site(PAGES)
    html = built.html("clauses/iso9001-2015/5/index.html")
    block = html[html.index('data-clause="5.2"') :]
    assert "Deep" in block[: block.index("</div>")]


def nav_titles(html: str) -> list[str]:
    return [
        t.strip()
        for t in re.findall(
            r'class="md-nav__link[^"]*"[^>]*>\s*<span class="md-ellipsis">\s*([^<]+)', html
        )
    ]


def test_navigation_section_without_nav(site) -> None:
    built = site({"index.md": "# Home\n", "about.md": "# About\n"})
    titles = nav_titles(built.page("about.md"))
    assert "ISO 9001:2015" in titles
    assert titles.index("Clause index") < titles.index("4 Context of the organization")
    assert "Iso9001 2015" not in titles and "Clauses" not in titles


def test_navigation_section_with_explicit_nav(site) -> None:
    built = site(
        {"index.md": "# Home\n", "about.md": "# About\n"},
        nav=[{"Home": "index.md"}, {"About": "about.md"}],
    )
    titles = nav_titles(built.page("about.md"))
    assert titles[-1] == "10 Improvement"
    assert "Clause index" in titles


def test_nav_that_places_clause_pages_is_respected(site) -> None:
    built = site(
        {"index.md": "# Home\n"},
        nav=[{"Home": "index.md"}, {"Standard": "clauses/iso9001-2015/index.md"}],
    )
    titles = nav_titles(built.page("index.md"))
    assert "Standard" in titles
    assert "4 Context of the organization" not in titles


def test_configurable_location_and_nav_title(site) -> None:
    built = site(
        {"index.md": "clause 8.4\n"},
        plugins=["search", {"qmsdocs": {"clause_pages_dir": "iso", "clause_pages_nav": "Norm"}}],
    )
    assert (built.site_dir / "iso" / "iso9001-2015" / "8" / "index.html").is_file()
    assert 'href="iso/iso9001-2015/8/#clause-8-4"' in built.page("index.md")
    assert "Norm" in nav_titles(built.page("index.md"))


def test_link_clauses_off_still_records(site) -> None:
    built = site(
        {"index.md": "# Home\n\nclause 8.4\n"},
        plugins=["search", {"qmsdocs": {"link_clauses": False}}],
    )
    assert "qms-clause" not in built.page("index.md")
    html = built.html("clauses/iso9001-2015/8/index.html")
    block = html[html.index('data-clause="8.4"') :]
    assert "Home" in block[: block.index("</div>")]


def test_unknown_clause_warns_with_file_line_and_hint(site, plugin_log) -> None:
    site({"index.md": "# Home\n\nAs clause 7.9 says.\n"})
    plugin_log.check(
        (
            "WARNING",
            "qmsdocs: index.md:3: 'clause 7.9' cites clause 7.9, which ISO 9001:2015 does not "
            "have (ISO 9001:2015 7 Support has 7.1, 7.2, 7.3, 7.4, 7.5) [unknown-clause]",
        )
    )


def test_line_numbers_count_front_matter(site, plugin_log) -> None:
    site({"p.md": "---\ntitle: P\n---\n\n# P\n\nSee ISO 9001 4.2.3.\n"})
    (record,) = [r for r in plugin_log.records if r.levelname == "WARNING"]
    assert record.getMessage().startswith("qmsdocs: p.md:7: ")
    plugin_log.mark_all_checked()


def test_strict_build_fails_on_unknown_clause(site, plugin_log) -> None:
    with pytest.raises(Abort):
        site({"index.md": "clause 7.9\n"}, strict=True)
    plugin_log.mark_all_checked()


def test_severity_is_configurable(site, caplog) -> None:
    with pytest.raises(Abort):
        site(
            {"index.md": "clause 7.9\n"},
            plugins=["search", {"qmsdocs": {"checks": {"unknown-clause": "error"}}}],
        )
    assert "the manual was not published: 1 error(s)" in caplog.text
    assert "index.md:1: 'clause 7.9' cites clause 7.9" in caplog.text


def test_config_typo_is_an_error(tmp_path: Path, caplog) -> None:
    with pytest.raises((Abort, ConfigurationError)):
        build_site(
            tmp_path,
            {"index.md": "# x\n"},
            plugins=["search", {"qmsdocs": {"link_clause": False}}],
        )
    assert "unknown qmsdocs option 'link_clause'; did you mean 'link_clauses'?" in caplog.text


def test_user_file_in_generated_folder_is_refused(site, caplog) -> None:
    with pytest.raises(Abort):
        site({"index.md": "# x\n", "clauses/iso9001-2015/8.md": "# mine\n"})
    assert "'clauses/iso9001-2015/8.md' in the docs folder" in caplog.text
    assert "clause_pages_dir" in caplog.text


def test_custom_catalogue_file(site, plugin_log) -> None:
    root_docs = {
        "index.md": '---\nclauses: ["2"]\n---\nXYZ 100 clause 2.1 and clause 2.9\n',
    }
    catalogue = (
        'id: xyz-100\nstandard: "XYZ 100"\nedition: "2020"\ntitle: "XYZ 100:2020 Widgets"\n'
        'aliases: ["XYZ 100"]\n'
        'clauses:\n  - {id: "1", title: "Scope"}\n'
        '  - {id: "2", title: "Widgets", requirements: true}\n'
        '  - {id: "2.1", title: "Round widgets", requirements: true}\n'
    )
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "xyz.yml"
        path.write_text(catalogue, encoding="utf-8")
        built = site(
            root_docs, plugins=["search", {"qmsdocs": {"standard": str(path)}}], complete=False
        )
    html = built.page("index.md")
    assert 'href="clauses/xyz-100/2/#clause-2-1"' in html
    plugin_log.check(
        (
            "WARNING",
            "qmsdocs: index.md:4: 'clause 2.1 and clause 2.9' cites clause 2.9, which "
            "XYZ 100:2020 does not have (XYZ 100:2020 2 Widgets has 2.1) [unknown-clause]",
        )
    )


def test_bad_catalogue_is_a_clear_error(tmp_path: Path, caplog) -> None:
    (tmp_path / "bad.yml").write_text("id: x\nclauses: [\n", encoding="utf-8")
    with pytest.raises(Abort):
        build_site(
            tmp_path,
            {"index.md": "# x\n"},
            plugins=["search", {"qmsdocs": {"standard": "bad.yml"}}],
        )
    assert re.search(r"bad\.yml:\d+: invalid YAML", caplog.text)


def test_mkdocs_command_reports_without_traceback(tmp_path: Path) -> None:
    write_site(
        tmp_path, {"index.md": "# x\n"}, plugins=["search", {"qmsdocs": {"standard": "nope"}}]
    )
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "no built-in catalogue 'nope'" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_rebuilds_start_clean(tmp_path: Path) -> None:
    """`mkdocs serve` keeps the plugin object: a rebuild must not double or keep old state."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config_file = write_site(tmp_path, {"index.md": "# Home\n\nclause 8.4\n", "b.md": "# B\n"})
    first = load_config(str(config_file))
    first.plugins.on_startup(command="serve", dirty=False)
    build(first, serve_url="http://127.0.0.1:8000/")
    plugin = first.plugins["qmsdocs"]

    (tmp_path / "docs" / "b.md").write_text("# B\n\nclause 8.4 and clause 9.2\n")
    second = load_config(str(config_file))
    build(second, serve_url="http://127.0.0.1:8000/")
    assert second.plugins["qmsdocs"] is plugin

    html = (Path(second.site_dir) / "clauses/iso9001-2015/8/index.html").read_text()
    block = html[html.index('data-clause="8.4"') :]
    block = block[block.index("Referenced by") : block.index("</div>")]
    assert block.count("<a ") == 2  # Home and B, once each
    html9 = (Path(second.site_dir) / "clauses/iso9001-2015/9/index.html").read_text()
    block9 = html9[html9.index('data-clause="9.2"') :]
    assert ">B</a>" in block9[: block9.index("</div>")]


def test_serve_watches_the_manuals_own_catalogue(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    (tmp_path / "cat.yml").write_text(
        (Path(__file__).parents[1] / "src/qmsdocs/standards/iso9001-2015.yml").read_text()
    )
    config_file = write_site(
        tmp_path, {"index.md": "# x\n"}, plugins=[{"qmsdocs": {"standard": "cat.yml"}}]
    )
    config = load_config(str(config_file))
    config.plugins.on_config(config)

    class Server:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    server = Server()
    config.plugins["qmsdocs"].on_serve(server, config=config, builder=None)
    assert server.watched == [str(tmp_path / "cat.yml")]


@pytest.mark.parametrize("search", ["search", "material/search"])
def test_search_index_is_the_same_without_parsing_the_links(
    site, monkeypatch: pytest.MonkeyPatch, search: str
) -> None:
    """The search plugin indexes the pages with qmsdocs' links unwrapped: the same index.

    MkDocs' own search joins the pieces of text around a link with a space ("clause 9.3 )");
    unwrapped, the text reads as written ("clause 9.3)"). It also ignores `data-search-exclude`,
    which Material honours: the backlink lists of the generated pages are left out for both.
    """
    pages = {
        **PAGES,
        "terms.md": "# Terms\n\nTop management reviews every nonconformity (see clause 9.3).\n",
    }
    theme = {"name": "material"} if search == "material/search" else {"name": "mkdocs"}
    lean = site(pages, theme=theme, plugins=[search, "qmsdocs"])
    monkeypatch.setattr("qmsdocs.plugin.index_with", lambda _plugins, _text: 0)
    full = site(pages, theme=theme, plugins=[search, "qmsdocs"])
    assert 'class="qms-term"' in lean.page("terms.md")
    index, before = lean.html("search/search_index.json"), full.html("search/search_index.json")
    if search == "material/search":
        assert index == before
    else:
        assert "see clause 9.3 )." in before and "see clause 9.3)." in index
        assert "Referenced by" in before and "Referenced by" not in index
    assert "Top management reviews every nonconformity" in lean.html("search/search_index.json")


def test_unlinked_keeps_the_text_of_qmsdocs_links_only() -> None:
    from qmsdocs.plugin.search import unlinked

    html = (
        '<p>See <a class="qms-clause" href="c/8/#clause-8-4" title="ISO 9001:2015 8.4">8.4</a>'
        ' and <a href="other/">other</a>; <a class="qms-term" href="g/#t" title="x">audit</a>.</p>'
    )
    assert unlinked(html) == '<p>See 8.4 and <a href="other/">other</a>; audit.</p>'


def test_a_site_overrides_qmsdocs_fragments_from_its_custom_dir(tmp_path: Path) -> None:
    # Everything qmsdocs writes into a page comes from a template a site can replace.
    overrides = tmp_path / "overrides" / "qmsdocs"
    overrides.mkdir(parents=True)
    (overrides / "clause-notice.html").write_text(
        '<p class="ours">Read {{ label }} in the binder at reception.</p>', encoding="utf-8"
    )
    (overrides / "glossary-notice.html").write_text("<p>Our glossary.</p>", encoding="utf-8")
    built = build_site(
        tmp_path,
        {"index.md": "# Home\n\nSee clause 8.4.\n"},
        theme={"name": "material", "custom_dir": "overrides"},
    )
    clause_page = built.page("clauses/iso9001-2015/8.md")
    assert '<p class="ours">Read ISO 9001:2015 in the binder at reception.</p>' in clause_page
    assert "is copyrighted and is not reproduced here" not in clause_page
    assert "<p>Our glossary.</p>" in built.page("glossary.md")
    # The fragments not overridden keep qmsdocs' own.
    assert 'class="qms-clause-status' in clause_page
