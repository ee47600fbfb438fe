"""The authoring macros (plugins/macros.py) in real `mkdocs build` runs with mkdocs-macros."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from qmsdocs.authoring import CallLocator, markdown_text, resolve_term, suggest_term
from qmsdocs.checker import check_sources
from qmsdocs.principles import builtin_principles
from qmsdocs.references import Recognizer
from qmsdocs.standards import load_builtin_catalogue
from qmsdocs.terms import TermMatcher
from qmsdocs.vocabulary import load_vocabulary

from .conftest import REPO, Site, build_site

# mkdocs-macros joins module_name to the folder of mkdocs.yml; an absolute path stays as it is.
MACROS = {"macros": {"module_name": str(REPO / "plugins" / "macros")}}
PLUGINS = ["search", "qmsdocs", MACROS]
REVERSED = ["search", MACROS, "qmsdocs"]
EXTENSIONS = ["attr_list", "md_in_html", {"toc": {"permalink": True}}]
STRICT = {"strict": True, "validation": {"anchors": "warn", "unrecognized_links": "warn"}}

LINK = re.compile(
    r'<a class="(?P<cls>qms-clause|qms-term)" href="(?P<href>[^"]+)" title="(?P<title>[^"]*)">'
    r"(?P<text>.*?)</a>"
)
A8_4 = "8.4 Control of externally provided processes, products and services"

PAGE = """\
---
clauses: ["8.4"]
---
# Suppliers

We follow {{ clause("8.4") }} and {{ clause("8.4.2", "our *rules* [for control]") }}.
Headless: {{ clause("7.5.3.1") }}; title: {{ clause_title("8.4") }}; {{ clause_title("8.7.1") }}.
A {{ term("nonconformities") }}, {{ term("interested party", "stakeholders") }},
{{ term("CAPA") }} and {{ term("top management") }}.
Information for external providers goes out with every purchase order.

## Covered here

{{ page_clauses() }}

{{ pages_covering("8.4") }}

{{ coverage_summary() }}
"""

GLOSSARY = "- term: CAPA\n  explanation: Our register of corrective and preventive actions.\n"


def make(root: Path, docs: dict[str, str], **config: Any) -> Site:
    """A site with the macros; a `glossary/` folder with one organisation term."""
    (root / "glossary").mkdir(parents=True, exist_ok=True)
    (root / "glossary" / "ours.yml").write_text(GLOSSARY, encoding="utf-8")
    config.setdefault("plugins", PLUGINS)
    config.setdefault("markdown_extensions", EXTENSIONS)
    return build_site(root, docs, **config)


def page(site: Site, src: str) -> str:
    """The HTML built from docs/`src` (folder index pages included)."""
    stem = src.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        name = f"{stem}.html"
    elif site.config.use_directory_urls:
        name = f"{stem}/index.html"
    else:
        name = f"{stem}.html"
    return site.html(name)


def text(html: str) -> str:
    """What a reader sees: the article without tags (terms in prose are links)."""
    return re.sub(r"<[^>]+>", "", article(html))


def links(html: str) -> list[dict[str, str]]:
    return [m.groupdict() for m in LINK.finditer(article(html))]


def article(html: str) -> str:
    return html[html.index("<article") : html.index("</article>")]


def page_dir(site: Site, src: str) -> str:
    """The folder of a page's URL, relative to the site root."""
    stem = src.removesuffix(".md")
    if site.config.use_directory_urls and not (stem == "index" or stem.endswith("/index")):
        return stem + "/"
    return stem.rsplit("/", 1)[0] + "/" if "/" in stem else ""


def follow(site: Site, src: str, href: str) -> str:
    """Follow a relative link from a built page: the target's HTML, after checking the anchor."""
    assert "://" not in href and not href.startswith("/"), href
    path, _, anchor = href.partition("#")
    target = (site.site_dir / page_dir(site, src) / path).resolve()
    if target.is_dir():
        target = target / "index.html"
    assert target.is_file(), f"{href} from {src}: {target} does not exist"
    assert target.is_relative_to(site.site_dir.resolve())
    html = target.read_text(encoding="utf-8")
    if anchor:
        assert f'id="{anchor}"' in html, f"{href} from {src}: no anchor {anchor}"
    return html


@pytest.fixture(scope="module", params=[True, False], ids=["directory-urls", "file-urls"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("macros")
    return make(
        root,
        {"manual/suppliers.md": PAGE, "index.md": "# Home\n"},
        use_directory_urls=request.param,
        **STRICT,
    )


def test_clause_links(built: Site) -> None:
    found = [
        link for link in links(page(built, "manual/suppliers.md")) if link["cls"] == "qms-clause"
    ]
    by_text = {link["text"]: link for link in found}
    assert by_text[A8_4]["title"] == f"ISO 9001:2015 {A8_4}"
    assert by_text["our <em>rules</em> [for control]"]["title"] == (
        "ISO 9001:2015 8.4.2 Type and extent of control"
    )
    headless = by_text["7.5.3.1"]
    assert (
        headless["title"]
        == "ISO 9001:2015 7.5.3.1 (part of 7.5.3 Control of documented information)"
    )
    anchors = {link["text"]: link["href"].partition("#")[2] for link in found}
    assert anchors[A8_4] == "clause-8-4" and anchors["7.5.3.1"] == "clause-7-5-3-1"
    for link in found:
        target = follow(built, "manual/suppliers.md", link["href"])
        assert "<title>" in target


def test_clause_links_are_rewritten_for_the_url_style(built: Site) -> None:
    hrefs = {link["text"]: link["href"] for link in links(page(built, "manual/suppliers.md"))}
    if built.config.use_directory_urls:
        assert hrefs[A8_4] == "../../clauses/iso9001-2015/8/#clause-8-4"
    else:
        assert hrefs[A8_4] == "../clauses/iso9001-2015/8.html#clause-8-4"


def test_clause_titles(built: Site) -> None:
    # The titles are prose: terms in them are linked like anywhere else.
    html = text(page(built, "manual/suppliers.md"))
    assert "title: Control of externally provided processes, products and services;" in html
    # 8.7.1 has no heading in the standard: the title is where it belongs, never invented.
    assert "part of 8.7 Control of nonconforming outputs." in html


def test_term_links(built: Site) -> None:
    terms = [
        link for link in links(page(built, "manual/suppliers.md")) if link["cls"] == "qms-term"
    ]
    by_text = {link["text"]: link for link in terms}
    assert by_text["nonconformities"]["href"].endswith("#term-nonconformity")
    assert by_text["stakeholders"]["href"].endswith("#term-interested-party")
    assert by_text["CAPA"]["title"] == "Our register of corrective and preventive actions."
    assert by_text["top management"]["title"].startswith("The person or small group at the head")
    for link in terms:
        glossary = follow(built, "manual/suppliers.md", link["href"])
        assert 'data-term="' in glossary


def test_placeholders_are_filled_with_working_links(built: Site) -> None:
    html = article(page(built, "manual/suppliers.md"))
    assert "qmsdocs:" not in html
    listed = html[html.index('<ul class="qms-page-clauses">') :]
    listed = listed[: listed.index("</ul>")]
    assert re.search(r'class="qms-clause">8\.4</a> Control of externally provided', listed)
    covering = html[html.index('<ul class="qms-pages-covering">') :]
    covering = covering[: covering.index("</ul>")]
    assert ">Suppliers</a>" in covering
    assert '<div class="qms-table qms-summary">' in html and "All clauses" in html
    hrefs = re.findall(r'href="([^"#]*(?:#[^"]*)?)"', listed + covering)
    summary = html[html.index('<div class="qms-table qms-summary">') : html.index("</table>")]
    hrefs += re.findall(r'href="([^"]+)"', summary)
    assert len(hrefs) == 9  # 1 clause, 1 page, 7 rows of the summary
    for href in hrefs:
        follow(built, "manual/suppliers.md", href)


def test_macro_links_count_as_references_and_term_uses(built: Site) -> None:
    clause_page = page(built, "clauses/iso9001-2015/7.md")
    section = clause_page[clause_page.index('id="clause-7-5-3-1"') :]
    section = section[: section.index('id="clause-7-5-3-2"')]
    assert "Referenced by" in section and "Suppliers" in section
    glossary = page(built, "glossary.md")
    entry = glossary[glossary.index('data-term="capa"') :]
    entry = entry[: entry.index("</div>")]
    assert "Suppliers" in entry


def test_macro_output_is_the_same_in_either_plugin_order(site) -> None:
    docs = {"manual/suppliers.md": PAGE}
    first = make(site.root() / "a", docs)
    last = make(site.root() / "b", docs, plugins=REVERSED)
    assert article(page(first, "manual/suppliers.md")) == article(page(last, "manual/suppliers.md"))
    assert (
        json.loads(first.html("coverage.json"))["clauses"]
        == json.loads(last.html("coverage.json"))["clauses"]
    )


BAD = """\
---
title: Bad
---
# Bad

First {{ clause("8.9") }} and {{ term("nonconformaty") }}.
Then {{ clause_title("4.7") }}, {{ clause("8.9", "our own text") }}
and {{ term("wibble", "some wibble") }}.

{{ pages_covering("11") }}

{{ principle_card("Quality first") }}

Unquoted {{ clause(8.4) }}.
"""


@pytest.mark.parametrize("plugins", [PLUGINS, REVERSED], ids=["macros-last", "macros-first"])
def test_unknown_names_are_findings_with_line_and_hint(site, plugin_log, plugins) -> None:
    built = make(site.root() / f"bad{len(plugins[1])}", {"bad.md": BAD}, plugins=plugins)
    html = page(built, "bad.md")
    shown = text(html)
    assert "Macro Rendering Error" not in shown and "Traceback" not in shown
    assert "First 8.9 and nonconformaty." in shown
    assert "Then 4.7, our own text\nand some wibble." in shown
    assert "11 (no such clause in ISO 9001:2015)" in shown
    assert "Quality first" in shown
    assert "Unquoted 8.4." in shown
    assert 'class="qms-clause"' not in html
    plugin_log.check(
        (
            "WARNING",
            "qmsdocs: bad.md:6: clause('8.9'): ISO 9001:2015 has no clause 8.9 (ISO 9001:2015 8 "
            "Operation has 8.1, 8.2, 8.3, 8.4, 8.5, 8.6, 8.7) [unknown-clause]",
        ),
        (
            "WARNING",
            "qmsdocs: bad.md:6: term('nonconformaty') names no term of the glossary "
            "(did you mean 'nonconformity'?) [unknown-term]",
        ),
        (
            "WARNING",
            "qmsdocs: bad.md:7: clause('8.9'): ISO 9001:2015 has no clause 8.9 (ISO 9001:2015 8 "
            "Operation has 8.1, 8.2, 8.3, 8.4, 8.5, 8.6, 8.7) [unknown-clause]",
        ),
        (
            "WARNING",
            "qmsdocs: bad.md:7: clause_title('4.7'): ISO 9001:2015 has no clause 4.7 "
            "(ISO 9001:2015 4 Context of the organization has 4.1, 4.2, 4.3, 4.4) "
            "[unknown-clause]",
        ),
        (
            "WARNING",
            "qmsdocs: bad.md:8: term('wibble') names no term of the glossary [unknown-term]",
        ),
        (
            "WARNING",
            "qmsdocs: bad.md:10: pages_covering('11'): ISO 9001:2015 has no clause 11 "
            "(ISO 9001:2015 has clauses 0 to 10 and annexes A, B) [unknown-clause]",
        ),
        (
            "WARNING",
            "qmsdocs: bad.md:12: principle_card('Quality first') names no principle of "
            "ISO 9000:2015 (the principles are 2.3.1 Customer focus, 2.3.2 Leadership, "
            "2.3.3 Engagement of people, 2.3.4 Process approach, 2.3.5 Improvement, "
            "2.3.6 Evidence-based decision making, 2.3.7 Relationship management) "
            "[unknown-principle]",
        ),
        (
            "WARNING",
            "qmsdocs: bad.md:14: clause(8.4): a clause number must be quoted text "
            '(write clause("8.4"): without quotes "7.10" would become 7.1) [bad-clause-id]',
        ),
    )


def test_prose_finding_lines_do_not_depend_on_plugin_order(site, plugin_log) -> None:
    # With `macros` first, qmsdocs receives rendered Markdown; lines must still be the source's.
    docs = {"index.md": "---\ntitle: X\n---\n# X\n\n{{ clause('8.4') }}\n\nSee clause 8.9.\n"}
    make(site.root() / "order", docs, plugins=REVERSED)
    messages = [r.getMessage() for r in plugin_log.records]
    plugin_log.mark_all_checked()
    assert len(messages) == 1 and messages[0].startswith("qmsdocs: index.md:8: ")


@pytest.mark.parametrize(
    ("call", "hint"),
    [
        ("clause('9.9')", "ISO 9001:2015 9 Performance evaluation has 9.1, 9.2, 9.3"),
        ("term('top managment')", "did you mean 'top management'?"),
    ],
)
def test_unknown_names_fail_strict(site, plugin_log, call: str, hint: str) -> None:
    with pytest.raises(Abort):
        make(site.root() / "strict", {"bad.md": f"# Bad\n\n{{{{ {call} }}}}\n"}, **STRICT)
    [record] = plugin_log.records
    assert record.levelname == "WARNING"
    assert record.getMessage().startswith(f"qmsdocs: bad.md:3: {call}")
    assert f"({hint})" in record.getMessage()
    plugin_log.mark_all_checked()


def test_severity_can_be_changed_with_checks(site, caplog) -> None:
    with pytest.raises(Abort):
        make(
            site.root() / "checks",
            {"bad.md": "# Bad\n\n{{ term('wibble') }}\n"},
            plugins=["search", {"qmsdocs": {"checks": {"unknown-term": "error"}}}, MACROS],
        )
    assert "not published: 1 error(s)" in caplog.text
    assert "bad.md:3: term('wibble') names no term of the glossary" in caplog.text


def test_without_qmsdocs_the_macros_say_so(site, caplog) -> None:
    with caplog.at_level(logging.WARNING):
        built = make(
            site.root() / "alone",
            {"index.md": "# Home\n\n{{ clause('8.4') }}\n"},
            plugins=["search", MACROS],
        )
    message = "the qmsdocs plugin is not enabled. Add `- qmsdocs` to `plugins:`"
    assert message in caplog.text
    assert message.replace("`", "") in re.sub(r"</?code>", "", page(built, "index.md"))


def test_term_without_a_glossary_page_is_plain_text(site) -> None:
    built = make(
        site.root() / "noglossary",
        {"index.md": "# Home\n\nOur {{ term('audit', 'audits') }} run yearly.\n"},
        plugins=["search", {"qmsdocs": {"glossary_page": ""}}, MACROS],
    )
    assert "Our audits run yearly." in page(built, "index.md")


def test_term_takes_plurals_with_term_linking_off(site) -> None:
    built = make(
        site.root() / "linkoff",
        {"index.md": "# Home\n\nAll {{ term('nonconformities') }} and audits.\n"},
        plugins=["search", {"qmsdocs": {"link_terms": "off"}}, MACROS],
    )
    found = links(page(built, "index.md"))
    assert [(link["text"], link["href"]) for link in found] == [
        ("nonconformities", "glossary/#term-nonconformity")
    ]


def test_principle_cards(site) -> None:
    docs = {
        "training/index.md": "# Principles\n\n{{ principles_grid() }}\n",
        "training/leadership.md": "# Leadership\n\n{{ principle_card(2) }}\n",
        "card.md": "# Card\n\n{{ principle_card('Customer focus', link='training/index.md') }}\n",
    }
    built = make(site.root() / "cards", docs, **STRICT)
    html = article(page(built, "training/index.md"))
    grid = html[html.index('<div class="grid cards qms-principles">') : html.index("</div>")]
    assert grid.count("<li>") == 7
    for number, name in [(p.number, p.name) for p in builtin_principles()]:
        assert f"ISO 9000:2015 {number}" in grid and name.split()[-1] in grid
    # The card links to the explainer only where one exists.
    assert re.search(
        r'<strong><a href="(\.\./)?leadership(/|\.html)">Leadership</a></strong>', grid
    )
    assert "<strong><a" not in grid[grid.index("Customer") - 60 : grid.index("Customer")]
    for link in links(page(built, "training/index.md")):
        follow(built, "training/index.md", link["href"])
    own = article(page(built, "training/leadership.md"))
    assert "<strong>Leadership</strong>" in own  # no link to the page itself
    card = article(page(built, "card.md"))
    assert re.search(
        r'<strong><a href="(\.\./)?training/(index\.html)?">Customer focus</a></strong>', card
    )


def test_principle_links(site) -> None:
    built = make(site.root() / "plinks", {"index.md": "# P\n\n{{ principle_links('2.3.7') }}\n"})
    html = article(page(built, "index.md"))
    found = {link["text"]: link for link in links(page(built, "index.md"))}
    principle = builtin_principles().get("2.3.7")
    assert principle is not None
    catalogue = load_builtin_catalogue("iso9001-2015")
    for clause in principle.clauses:
        assert catalogue.heading(clause) in found
    for term in principle.terms:
        assert found[term]["cls"] == "qms-term"
    assert "our editorial reading" in html
    for link in found.values():
        follow(built, "index.md", link["href"])


def test_macros_in_a_custom_module_folder_resolve_relative_to_mkdocs_yml(site) -> None:
    root = site.root() / "relative"
    (root / "plugins").mkdir(parents=True)
    (root / "plugins" / "macros.py").write_text(
        (REPO / "plugins" / "macros.py").read_text(encoding="utf-8"), encoding="utf-8"
    )
    built = make(
        root,
        {"index.md": "# Home\n\n{{ clause('9.3') }}\n"},
        plugins=["search", "qmsdocs", {"macros": {"module_name": "plugins/macros"}}],
    )
    assert ">9.3 Management review</a>" in page(built, "index.md")


# The core of the macros, without MkDocs --------------------------------------------------------


def test_call_locator_finds_successive_calls() -> None:
    source = '---\nx: 1\n---\n{{ clause("8.9") }}\n{{clause(id="8.9")}} {{ clause(8.9) }}\n'
    locator = CallLocator(source)
    assert [locator.line("clause", "8.9") for _ in range(3)] == [4, 5, 5]
    assert locator.line("clause", "8.4") is None
    assert (
        CallLocator("{{ principle_card(12) }} {{ principle_card(1) }}").line("principle_card", 1)
        == 1
    )


def test_markdown_text_renders_as_itself() -> None:
    assert markdown_text("a *b* [c] _d_ <e> & `f`") == (r"a \*b\* \[c\] \_d\_ &lt;e> &amp; \`f\`")


def test_resolve_term_takes_inflections_and_admitted_terms() -> None:
    vocabulary, _ = load_vocabulary([])
    matcher = TermMatcher(vocabulary)
    resolved = resolve_term(vocabulary, matcher, "Interested  Parties")
    assert resolved is not None and resolved.key == "interested-party"
    assert resolve_term(vocabulary, None, "interested parties") is None
    assert resolve_term(vocabulary, matcher, "quality audits") is None
    assert suggest_term(vocabulary, "Nonconformaty") == "did you mean 'nonconformity'?"
    assert suggest_term(vocabulary, "zzzz") is None


# The example site ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site_dir = tmp_path_factory.mktemp("example-macros") / "site"
    config = load_config(
        str(REPO / "mkdocs.yml"),
        site_dir=str(site_dir),
        **STRICT,
    )
    build(config)
    return Site(REPO, config)


PRINCIPLE_PAGES = sorted(p.name for p in (REPO / "docs" / "principles").glob("*.md"))


@pytest.mark.parametrize("name", PRINCIPLE_PAGES)
def test_example_principle_pages_link_to_existing_clauses_and_terms(example: Site, name) -> None:
    src = f"principles/{name}"
    html = page(example, src)
    found = links(html)
    assert {link["cls"] for link in found} == {"qms-clause", "qms-term"}
    for link in found:
        follow(example, src, link["href"])
    assert "Macro Rendering Error" not in html and "{{" not in article(html)


def test_example_principle_pages_add_no_coverage(example: Site) -> None:
    data = json.loads(example.html("coverage.json"))
    assert not [p for p in data["pages"] if p["page"].startswith("principles/")]
    for clause in data["clauses"]:
        for location in clause["addressed_by"] + clause["inherited"]:
            assert not location["page"].startswith(("principles/", "reference/"))
    # They refer to clauses, which is allowed: references are not coverage.
    referencing = {page for clause in data["clauses"] for page in clause["referenced_by"]}
    assert "principles/customer-focus.md" in referencing


def test_example_principle_pages_declare_nothing_in_their_sources() -> None:
    catalogue = load_builtin_catalogue("iso9001-2015")
    sources = [
        (f"principles/{path.name}", path.read_text(encoding="utf-8"))
        for path in sorted((REPO / "docs" / "principles").glob("*.md"))
    ]
    reading = check_sources(sources, catalogue)
    assert reading.coverage.pages() == {}
    assert [f for f in reading.findings if f.path.startswith("principles/")] == []
    recognizer = Recognizer([catalogue])
    for path, text in sources:
        assert "\nclauses:" not in text.split("\n---", 1)[0], path
        for line in text.splitlines():
            if line.startswith("#"):
                assert not [c for c in recognizer.scan(line) if c.catalogue], (path, line)
                assert not re.search(r"\d+\.\d+", line), (path, line)


def test_example_explainers_are_training_length() -> None:
    for path in (REPO / "docs" / "principles").glob("*.md"):
        if path.name == "index.md":
            continue
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        prose = [line for line in body.splitlines() if "{{" not in line]
        words = len(" ".join(prose).split())
        assert 400 <= words <= 800, (path.name, words)


def test_example_macro_reference_shows_calls_and_results(example: Site) -> None:
    html = page(example, "reference/macros.md")
    shown = text(html)
    for macro in [
        "clause",
        "clause_title",
        "term",
        "page_clauses",
        "coverage_summary",
        "pages_covering",
        "principle_card",
        "principles_grid",
        "principle_links",
    ]:
        assert f"{{{{ {macro}(" in shown, macro  # the literal call, in a code block
    assert f">{A8_4}</a>" in html  # and its result
    assert '<div class="qms-table qms-summary">' in html
    assert "This page declares no clause." in html
    for link in links(html):
        follow(example, "reference/macros.md", link["href"])


def test_example_pages_print_without_navigation(example: Site) -> None:
    html = page(example, "principles/leadership.md")
    assert 'href="../../assets/print.css"' in html
    css = (example.site_dir / "assets" / "print.css").read_text(encoding="utf-8")
    assert "@media print" in css and "break-inside: avoid" in css
    material = next((example.site_dir / "assets" / "stylesheets").glob("main.*.min.css"))
    theme = material.read_text(encoding="utf-8")
    for hidden in (".md-header", ".md-sidebar", ".md-footer"):
        assert re.search(
            r"@media print\{[^{}]*" + re.escape(hidden) + r"[^{}]*\{display:none", theme
        )


def test_example_has_no_stray_jinja() -> None:
    for path in (REPO / "docs").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        if "{{" in text or "{%" in text:
            assert path.parent.name in ("principles", "reference"), path
