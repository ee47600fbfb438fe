"""Integration: term links, tooltips and the glossary page in real `mkdocs build` runs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import markdown
import pytest
from mkdocs.exceptions import Abort

from qmsdocs.markdown_ext import QMSExtension

from .conftest import Site, build_site

TERM_LINK = re.compile(
    r'<a class="qms-term" href="(?P<href>[^"]+)" title="(?P<title>[^"]*)">(?P<text>[^<]+)</a>'
)


def term_links(html: str) -> list[tuple[str, str, str]]:
    return [(m.group("text"), m.group("href"), m.group("title")) for m in TERM_LINK.finditer(html)]


PAGES = {
    "index.md": """
        # Home

        Top management owns the quality management system. Every nonconformity gets a
        corrective action; nonconformities are reviewed weekly. Top management again.

        `documented information` in code, and [documented information](other.md) in a link.

        ## Documented information

        | Column |
        |---|
        | interested party |

        Interested parties are listed on the context page.
        """,
    "other.md": """
        # Other

        Our documented information is controlled.
        """,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return build_site(tmp_path_factory.mktemp("glossary"), PAGES)


def test_terms_link_to_glossary_with_tooltips(built: Site) -> None:
    links = term_links(built.page("index.md"))
    texts = [text for text, _, _ in links]
    assert "Top management" in texts
    assert "quality management system" in texts
    href, title = next((h, t) for text, h, t in links if text == "Top management")
    assert href == "glossary/#term-top-management"
    assert title.startswith("The person or small group at the head of the business")


def test_longest_match_wins(built: Site) -> None:
    texts = [text for text, _, _ in term_links(built.page("index.md"))]
    assert "quality management system" in texts
    assert "quality" not in texts and "management" not in texts


def test_only_first_occurrence_is_linked(built: Site) -> None:
    html = built.page("index.md")
    texts = [text.casefold() for text, _, _ in term_links(html)]
    assert texts.count("top management") == 1
    assert "nonconformities" not in texts  # same entry as "nonconformity", already linked
    assert "Top management again" in html


def test_plural_and_admitted_forms_link(built: Site) -> None:
    texts = [text for text, _, _ in term_links(built.page("index.md"))]
    assert "Interested parties" in texts


def test_nothing_linked_in_code_links_headings_or_tables(built: Site) -> None:
    html = built.page("index.md")
    assert "<code>documented information</code>" in html
    assert '<a href="other/">documented information</a>' in html
    assert re.search(r"<h2[^>]*>Documented information", html)
    assert "<td>interested party</td>" in html


def test_tooltips_are_plain_and_truncated(built: Site) -> None:
    for _, _, title in term_links(built.page("index.md")):
        assert "<" not in title
        assert len(title) <= 222


def test_glossary_page_lists_every_iso_term_grouped_and_a_to_z(built: Site) -> None:
    html = built.html("glossary/index.html")
    assert len(re.findall(r'<h3 id="term-[^"]+" class="qms-term-heading">', html)) == 138
    for group in range(1, 14):
        assert f'id="group-3-{group}"' in html
    assert 'id="a-to-z"' in html and 'href="#letter-a"' in html and 'id="letter-a"' in html
    assert "Our explanation" in html
    assert "not the definitions of ISO 9000:2015" in html
    entry = html[html.index('data-term="documented-information"') :][:2000]
    assert "ISO 9000:2015 3.8.6" in entry


def test_used_on_backlinks(built: Site) -> None:
    html = built.html("glossary/index.html")
    entry = html[html.index('data-term="documented-information"') :]
    used = entry[entry.index("Used on") : entry.index("</p>", entry.index("Used on"))]
    assert ">Other</a>" in used
    entry = html[html.index('data-term="top-management"') :]
    used = entry[entry.index("Used on") : entry.index("</p>", entry.index("Used on"))]
    assert ">Home</a>" in used and "Other" not in used
    entry = html[html.index('data-term="audit-programme"') :]
    assert "no page of this manual" in entry[: entry.index("</div>")]


def test_term_anchors_satisfy_link_validation(site) -> None:
    built = site(PAGES, validation={"anchors": "warn"}, strict=True)
    assert 'id="term-top-management"' in built.html("glossary/index.html")


def test_organisation_glossary_extends_and_overrides(tmp_path: Path) -> None:
    glossary = """
        - term: CAPA
          admitted: [corrective and preventive action]
          explanation: Our register of corrective and preventive actions.
        - term: documented information
          explanation: What we keep in our document management system.
        - term: top management
          wording: official
          explanation: Licensed official wording goes here.
    """
    root = tmp_path / "org"
    root.mkdir()
    (root / "glossary").mkdir()
    (root / "glossary" / "ours.yml").write_text(
        __import__("textwrap").dedent(glossary), encoding="utf-8"
    )
    built = build_site(root, {"index.md": "# H\n\nThe CAPA log holds documented information.\n"})
    links = {text: title for text, _, title in term_links(built.page("index.md"))}
    assert links["CAPA"] == "Our register of corrective and preventive actions."
    assert links["documented information"] == "What we keep in our document management system."
    html = built.html("glossary/index.html")
    capa = html[html.index('data-term="capa"') :][:1500]
    assert "our term" in capa
    official = html[html.index('data-term="top-management"') :]
    official = official[: official.index("</div>")]
    assert "official wording" in official and "Our explanation" not in official
    assert "Licensed official wording goes here." in official


def test_explicit_reference_syntax(site, plugin_log) -> None:
    built = site(
        {
            "index.md": "# H\n\nThe [nonconforming parts](term:nonconformity) and "
            "[our supplier rules](clause:8.4) and [x](term:nonsense).\n"
        }
    )
    html = built.page("index.md")
    assert re.search(
        r'<a class="qms-term" href="glossary/#term-nonconformity"[^>]*>nonconforming parts</a>',
        html,
    )
    assert re.search(
        r'<a class="qms-clause" href="clauses/iso9001-2015/8/#clause-8-4"[^>]*>'
        r"our supplier rules</a>",
        html,
    )
    assert "and x." in html
    plugin_log.check(
        (
            "WARNING",
            "qmsdocs: index.md:3: 'term:nonsense' names no term of the glossary [unknown-term]",
        )
    )


@pytest.mark.parametrize(("mode", "count"), [("all", 3), ("first", 1), ("off", 0)])
def test_link_terms_option(site, mode: str, count: int) -> None:
    built = site(
        {"index.md": "# H\n\nAn audit. Another audit. A third audit.\n"},
        plugins=["search", {"qmsdocs": {"link_terms": mode}}],
    )
    assert len(term_links(built.page("index.md"))) == count


def test_page_can_switch_term_links_off(site) -> None:
    built = site({"index.md": "---\nqmsdocs:\n  link_terms: off\n---\n# H\n\nAn audit.\n"})
    assert term_links(built.page("index.md")) == []


def test_glossary_lists_only_used_terms_on_request(site) -> None:
    built = site(
        {"index.md": "# H\n\nAn audit.\n"},
        plugins=["search", {"qmsdocs": {"glossary_list": "used"}}],
    )
    html = built.html("glossary/index.html")
    assert 'id="term-audit"' in html
    assert 'id="term-top-management"' not in html


def test_missing_glossary_folder_is_an_error(tmp_path: Path, caplog) -> None:
    with pytest.raises(Abort):
        build_site(
            tmp_path, {"index.md": "# x\n"}, plugins=[{"qmsdocs": {"glossary_dir": "terms"}}]
        )
    assert "terms: the glossary folder 'terms' (option glossary_dir) does not exist" in caplog.text


def test_bad_glossary_file_stops_the_build_naming_file_and_line(tmp_path: Path, caplog) -> None:
    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "bad.yml").write_text(
        "- term: CAPA\n  explanation: x\n- term: capa\n  explanation: y\n", encoding="utf-8"
    )
    with pytest.raises(Abort):
        build_site(tmp_path, {"index.md": "# x\n"})
    assert re.search(r"glossary/bad\.yml:3: .*capa", caplog.text, re.IGNORECASE)


def test_glossary_page_never_links_to_itself(built: Site) -> None:
    assert 'class="qms-term"' not in built.html("glossary/index.html")


def test_standalone_extension_links_terms() -> None:
    html = markdown.markdown(
        "Top management decides.",
        extensions=[QMSExtension(page_path="a/b.md")],
    )
    assert 'href="../glossary.md#term-top-management"' in html


def _used_on(html: str, key: str) -> str:
    entry = html[html.index(f'data-term="{key}"') :]
    return entry[entry.index("Used on") : entry.index("</p>", entry.index("Used on"))]


@pytest.mark.parametrize(("limit", "shown", "more"), [(2, 2, "and 3 more pages"), (0, 5, None)])
def test_used_on_lists_are_capped_and_count_the_rest(
    site, limit: int, shown: int, more: str | None
) -> None:
    pages = {f"p{i}.md": f"# Page {i}\n\nEach audit is planned.\n" for i in range(5)}
    built = site(pages, plugins=["search", {"qmsdocs": {"backlinks_limit": limit}}])
    used = _used_on(built.html("glossary/index.html"), "audit")
    # Sorted by title, so the first ones are the pages a reader finds first.
    assert re.findall(r">(Page \d)</a>", used) == [f"Page {i}" for i in range(shown)]
    if more:
        assert more in used
    else:
        assert "more page" not in used


def test_one_page_more_is_singular(site) -> None:
    pages = {f"p{i}.md": f"# Page {i}\n\nEach audit is planned.\n" for i in range(3)}
    built = site(pages, plugins=["search", {"qmsdocs": {"backlinks_limit": 2}}])
    assert "and 1 more page<" in _used_on(built.html("glossary/index.html"), "audit")


def test_negative_backlinks_limit_is_a_config_error(site) -> None:
    with pytest.raises(Abort):
        site({"index.md": "# Home\n"}, plugins=["search", {"qmsdocs": {"backlinks_limit": -1}}])


def test_backlink_lists_stay_out_of_the_search_index(built: Site) -> None:
    """A search for a page's title finds the page, not every entry that lists it."""
    html = built.html("glossary/index.html")
    assert "Used on" in html
    docs = json.loads(built.html("search/search_index.json"))["docs"]
    glossary = " ".join(d["text"] for d in docs if d["location"].startswith("glossary/"))
    assert "senior people who direct" in glossary.lower() or "explanation" in glossary.lower()
    assert "Used on" not in glossary and "no page of this manual" not in glossary


def test_tooltips_keep_pages_latin_1() -> None:
    """A character above U+00FF (such as "…") would make Python hold each page's whole HTML at
    two bytes per character; the shipped explanations and the tooltip cut have none."""
    from qmsdocs.glossary import tooltip
    from qmsdocs.vocabulary import load_vocabulary

    vocabulary, _findings = load_vocabulary([])
    tooltips = [tooltip(term.explanation, limit) for term in vocabulary for limit in (60, 220)]
    assert any(t.endswith(" ...") for t in tooltips)
    assert all(max(map(ord, t)) <= 0xFF for t in tooltips)
