"""Robustness: every bad input gets a clear message naming the file, never a traceback;
linking never changes a page's text; output is safe.

The bad-input table runs real builds in-process: MkDocs' command line prints a clean message
for its own exceptions (`Abort`, `ConfigurationError`, `PluginError`) and a traceback for any
other, so "no traceback" means "only MkDocs exceptions escape". `qmsdocs check` runs through
click's test runner: it must exit with a status, not raise.
"""

from __future__ import annotations

import html
import re
import textwrap
import time
import xml.etree.ElementTree as etree
from pathlib import Path
from typing import Any

import markdown
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from mkdocs.exceptions import MkDocsException

from qmsdocs.cli import main
from qmsdocs.markdown_ext import QMSExtension
from qmsdocs.references import Recognizer
from qmsdocs.standards import load_builtin_catalogue
from qmsdocs.terms import TermMatcher
from qmsdocs.vocabulary import load_vocabulary

from .conftest import CORPORA, build_site, write_site

COMPLETE = '---\nclauses: ["4", "5", "6", "7", "8", "9", "10"]\n---\n# All\n'

# name, files to write (path relative to the site root -> text or bytes), plugin options,
# text that must appear in the message (the file's name, usually with its line).
BAD_INPUTS: list[tuple[str, dict[str, str | bytes], dict[str, Any], str]] = [
    (
        "front-matter-bad-yaml",
        {"docs/p.md": "---\nclauses: [4.1\ntitle: x\n---\n# P\n"},
        {},
        "p.md:",
    ),
    ("clauses-float", {"docs/p.md": "---\nclauses: 7.5\n---\n# P\n"}, {}, "p.md:2"),
    (
        "clauses-mapping",
        {"docs/p.md": "---\nclauses: {7.5: yes}\n---\n# P\n"},
        {},
        "p.md:2",
    ),
    ("clause-comma", {"docs/p.md": '---\nclauses: ["7,5"]\n---\n# P\n'}, {}, "p.md:2"),
    ("clause-leading-zero", {"docs/p.md": '---\nclauses: ["07.5"]\n---\n# P\n'}, {}, "p.md:2"),
    ("clause-lettered", {"docs/p.md": '---\nclauses: ["7.5.3.a"]\n---\n# P\n'}, {}, "p.md:2"),
    ("clause-unknown", {"docs/p.md": '---\nclauses: ["7.9"]\n---\n# P\n'}, {}, "p.md:2"),
    (
        "not-applicable-no-justification",
        {"docs/p.md": '---\nnot_applicable:\n  "8.3": ""\n---\n# P\n'},
        {},
        "p.md:3",
    ),
    (
        "document-bad-date",
        {
            "docs/p.md": "---\ndocument:\n  id: A\n  revision: '1'\n  status: draft\n"
            "  owner: Q\n  effective: 2026-02-30\n---\n# P\n"
        },
        {},
        "p.md:7",
    ),
    ("page-not-utf8", {"docs/p.md": b"# P\n\nQualit\xe4t\n"}, {}, "p.md:3"),
    ("glossary-bad-yaml", {"glossary/g.yml": "- term: [x\n"}, {}, "glossary/g.yml:"),
    ("glossary-empty", {"glossary/g.yml": ""}, {}, "glossary/g.yml"),
    ("glossary-not-utf8", {"glossary/g.yml": b"- term: Qualit\xe4t\n"}, {}, "glossary/g.yml:1"),
    (
        "glossary-duplicate-case",
        {"glossary/g.yml": "- {term: CAPA, explanation: one}\n- {term: capa, explanation: two}\n"},
        {},
        "glossary/g.yml:2",
    ),
    (
        "glossary-missing-explanation",
        {"glossary/g.yml": "- term: CAPA\n"},
        {},
        "glossary/g.yml:1",
    ),
    # An entry is never dropped without a word.
    (
        "glossary-explanation-null",
        {"glossary/g.yml": "- term: CAPA\n  explanation: null\n"},
        {},
        "glossary/g.yml:2",
    ),
    (
        "glossary-explanation-blank",
        {"glossary/g.yml": "- term: CAPA\n  explanation:\n"},
        {},
        "glossary/g.yml:2",
    ),
    (
        "glossary-explanation-empty",
        {"glossary/g.yml": "- term: CAPA\n  explanation: ''\n"},
        {},
        "glossary/g.yml:2",
    ),
    ("glossary-term-empty", {"glossary/g.yml": "- term: ''\n  explanation: x\n"}, {}, "g.yml:1"),
    # A key given twice: YAML keeps the last value without a word, in any file qmsdocs reads.
    (
        "glossary-duplicate-key",
        {"glossary/g.yml": "- term: CAPA\n  explanation: one\n  explanation: two\n"},
        {},
        "glossary/g.yml:3",
    ),
    (
        "front-matter-duplicate-key",
        {"docs/p.md": '---\nclauses: ["7.5"]\nclauses: ["8.4"]\n---\n# P\n'},
        {},
        "p.md:3",
    ),
    (
        "catalogue-duplicate-key",
        {"cat.yml": 'id: x\nstandard: X\ntitle: X\ntitle: Y\nclauses:\n  - {id: "1"}\n'},
        {"standard": "cat.yml"},
        "cat.yml:4",
    ),
    ("glossary-dir-missing", {}, {"glossary_dir": "nowhere"}, "nowhere"),
    ("catalogue-missing", {}, {"standard": "missing.yml"}, "missing.yml"),
    ("catalogue-bad-yaml", {"cat.yml": "id: x\nclauses: [\n"}, {"standard": "cat.yml"}, "cat.yml:"),
    ("catalogue-empty", {"cat.yml": ""}, {"standard": "cat.yml"}, "cat.yml"),
    (
        "catalogue-duplicate",
        {"cat.yml": 'id: x\nstandard: X\ntitle: X\nclauses:\n  - {id: "1"}\n  - {id: "1"}\n'},
        {"standard": "cat.yml"},
        "cat.yml:6",
    ),
    # A clause that is its own parent once made every walk up the tree run forever.
    (
        "catalogue-own-parent",
        {"cat.yml": 'id: x\nstandard: X\ntitle: X\nclauses:\n  - {id: "4", parent: "4"}\n'},
        {"standard": "cat.yml"},
        "cat.yml:5",
    ),
    (
        "catalogue-parent-cycle",
        {
            "cat.yml": 'id: x\nstandard: X\ntitle: X\nclauses:\n  - {id: "1", parent: "2"}\n'
            '  - {id: "2", parent: "1"}\n'
        },
        {"standard": "cat.yml"},
        "cat.yml:5",
    ),
    # What qmsdocs generates stays inside the site.
    ("clause-pages-outside", {}, {"clause_pages_dir": "../x"}, "clause_pages_dir"),
    ("coverage-page-outside", {}, {"coverage_page": "../outside.md"}, "coverage_page"),
    ("coverage-page-absolute", {}, {"coverage_page": "/tmp/outside.md"}, "coverage_page"),
    ("register-page-outside", {}, {"register_page": "../../reg.md"}, "register_page"),
    ("glossary-page-outside", {}, {"glossary_page": "../gl.md"}, "glossary_page"),
    ("transition-page-outside", {}, {"transition_page": "../tr.md"}, "transition_page"),
    ("coverage-page-not-a-page", {}, {"coverage_page": "coverage"}, "coverage_page"),
    ("config-unknown-option", {}, {"link_clause": True}, "link_clause"),
    ("config-wrong-type", {}, {"link_clauses": "sometimes"}, "link_clauses"),
]


def _write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


@pytest.mark.parametrize(
    ("files", "options", "expected"),
    [case[1:] for case in BAD_INPUTS],
    ids=[case[0] for case in BAD_INPUTS],
)
def test_bad_input_stops_the_build_naming_the_file(
    tmp_path: Path,
    caplog: Any,
    plugin_log: Any,
    files: dict[str, Any],
    options: dict[str, Any],
    expected: str,
) -> None:
    _write(tmp_path, files)
    docs = {} if any(name.startswith("docs/p.md") for name in files) else {"p.md": "# P\n"}
    with pytest.raises(MkDocsException):
        build_site(tmp_path, docs, plugins=["search", {"qmsdocs": options}])
    messages = caplog.text + "\n".join(r.getMessage() for r in plugin_log.records)
    assert expected in messages
    assert "Traceback" not in messages
    plugin_log.mark_all_checked()


@pytest.mark.parametrize(
    ("files", "options", "expected"),
    [case[1:] for case in BAD_INPUTS if case[0] != "config-unknown-option"],
    ids=[case[0] for case in BAD_INPUTS if case[0] != "config-unknown-option"],
)
def test_bad_input_fails_qmsdocs_check_naming_the_file(
    tmp_path: Path, files: dict[str, Any], options: dict[str, Any], expected: str
) -> None:
    _write(tmp_path, files)
    docs = {} if "docs/p.md" in files else {"p.md": "# P\n"}
    config = write_site(tmp_path, docs, plugins=["search", {"qmsdocs": options}])
    result = CliRunner().invoke(main, ["check", str(config)])
    assert result.exit_code in (1, 2), result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert expected in result.output + result.stderr


def test_thematic_breaks_at_the_top_are_not_front_matter(tmp_path: Path) -> None:
    # MkDocs reads the lines between two `---` as front matter only if they are a mapping;
    # here they are a paragraph between two horizontal rules, and qmsdocs reads them so too.
    page = (
        "---\n\nIssued by the quality office. Read before use.\n\n---\n\n# Purchasing (8.4)\n\n"
        "Suppliers are chosen on price, quality and delivery, approved before the first order"
        " and reviewed every year by the purchasing team.\n"
    )
    site = build_site(tmp_path, {"p.md": page})
    html_text = site.page("p.md")
    assert html_text.count("<hr") >= 2
    assert "Issued by the quality office" in html_text
    config = site.root / "mkdocs.yml"
    result = CliRunner().invoke(main, ["check", str(config)])
    assert result.exit_code == 0, result.output
    assert "front matter" not in result.output


def test_symlink_loop_is_refused(tmp_path: Path, caplog: Any) -> None:
    write_site(tmp_path, {"p.md": "# P\n"})
    (tmp_path / "docs" / "loop").symlink_to(tmp_path / "docs", target_is_directory=True)
    with pytest.raises(MkDocsException):
        build_site(tmp_path, {})
    assert "docs/loop: is a symbolic link to the docs folder" in caplog.text
    result = CliRunner().invoke(main, ["check", str(tmp_path / "mkdocs.yml")])
    assert result.exit_code == 2
    assert "docs/loop" in result.stderr


def test_gigantic_page_builds(tmp_path: Path) -> None:
    paragraph = (
        "Top management reviews clause 8.4 and § 9.2 with every interested party; "
        "documented information is retained. " * 20
    )
    page = "# Big\n\n" + "\n\n".join([paragraph] * 600)  # about 1.3 MB
    started = time.perf_counter()
    site = build_site(tmp_path, {"big.md": page})
    assert time.perf_counter() - started < 120
    assert site.page("big.md").count('class="qms-clause"') == 600 * 40


# Safe output ---------------------------------------------------------------------------------

HOSTILE = '<script>alert("x")</script> & "quotes" =cmd'


def test_hostile_text_is_escaped_everywhere(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "glossary/g.yml": textwrap.dedent(
                f"""
                - term: Evil term
                  explanation: '{HOSTILE}'
                """
            )
        },
    )
    page = textwrap.dedent(
        f"""
        ---
        not_applicable:
          "8.3": '{HOSTILE}'
        document:
          id: '{HOSTILE}'
          revision: "1"
          status: effective
          owner: '{HOSTILE}'
          approved_by: '{HOSTILE}'
          approved_on: 2026-01-01
          review_due: 2099-01-01
          history:
            - {{revision: "1", date: 2026-01-01, author: x, change: '{HOSTILE}'}}
        ---
        # Page

        The Evil term is here, and clause 8.4.
        """
    )
    # (A page title with markup is the theme's to render: MkDocs treats titles as HTML.)
    site = build_site(tmp_path, {"p.md": page})
    escaped = html.escape(HOSTILE, quote=False)
    for built in site.site_dir.rglob("*.html"):
        text = built.read_text(encoding="utf-8")
        assert '<script>alert("x")</script>' not in text, built
    panel = site.page("p.md")
    assert escaped.replace('"', "&#34;") in panel or escaped in panel
    glossary = site.html("glossary/index.html")
    assert "&lt;script&gt;" in glossary
    coverage_csv = (site.site_dir / "coverage.csv").read_text(encoding="utf-8")
    assert '<script>alert(""x"")</script> & ""quotes"" =cmd' in coverage_csv


def test_a_catalogue_reaches_the_navigation_and_title_as_text(tmp_path: Path) -> None:
    # A catalogue is data anyone may hand over; its names must never become markup.
    evil = '<img src=x onerror="alert(1)">'
    _write(
        tmp_path,
        {
            "cat.yml": textwrap.dedent(
                f"""
                id: evil
                standard: 'Std {evil}'
                title: 'Title {evil}'
                clauses:
                  - {{id: "1", title: 'One {evil}', requirements: true}}
                """
            )
        },
    )
    page = "---\nclauses: ['1']\n---\n# Page\n\nWe do it all.\n"
    site = build_site(
        tmp_path,
        {"p.md": page},
        complete=False,
        plugins=["search", {"qmsdocs": {"standard": "cat.yml"}}],
    )
    for built in site.site_dir.rglob("*.html"):
        assert "<img src=x" not in built.read_text(encoding="utf-8"), built
    clause_page = site.html("clauses/evil/1/index.html")
    assert "<title>1 One &lt;img src=x" in clause_page
    assert "Std &lt;img src=x" in site.html("p/index.html")  # the navigation section


def test_titles_are_escaped_once_and_exported_as_they_read(tmp_path: Path) -> None:
    page = textwrap.dedent(
        """
        ---
        clauses: ["7.1.3"]
        document: {id: HS-1, revision: "1", status: effective, owner: Q, approved_by: Q,
                   approved_on: 2026-01-01, effective: 2026-01-01}
        ---
        # Health & safety

        The site's buildings, equipment and networks, and who maintains each of them.

        ## Approval &amp; monitoring (8.4.1)

        Suppliers are approved before the first order and monitored every quarter by
        purchasing, who keep the list of approved suppliers.
        """
    )
    site = build_site(tmp_path, {"hs.md": page})
    for name in (
        "coverage/index.html",
        "documents/index.html",
        "clauses/iso9001-2015/7/index.html",
    ):
        text = site.html(name)
        assert "Health &amp; safety" in text, name
        assert "&amp;amp;" not in text, name
    assert "Approval &amp; monitoring (8.4.1)" in site.html("coverage/index.html")
    for name in ("coverage.json", "coverage.csv", "documents.json", "documents.csv"):
        text = (site.site_dir / name).read_text(encoding="utf-8")
        assert "Health & safety" in text, name
        assert "&amp;" not in text, name
        assert "\x02" not in text and "wzxhzdk" not in text, name
    assert "Approval & monitoring (8.4.1)" in (site.site_dir / "coverage.json").read_text("utf-8")


@pytest.mark.parametrize("value", ["=SUM(A1)", "+1", "-1", "@cmd", "\t=x"])
def test_spreadsheet_formulas_are_neutralised(value: str) -> None:
    from qmsdocs.exports import spreadsheet_safe

    assert spreadsheet_safe(value).startswith("'")
    assert spreadsheet_safe("Quality") == "Quality"


# Linking never changes the text ----------------------------------------------------------------

_VOCABULARY, _ = load_vocabulary([])
_TERMS = [t.term for t in _VOCABULARY][:60]
_WORDS = [
    "the",
    "and",
    "we",
    "clause",
    "§",
    "ISO",
    "9001:2015",
    "13485",
    "8.4",
    "7.5.3",
    "9.2",
    "4-10",
    "5.1",
    "-",
    "–",
    ",",
    ".",
    "(",
    ")",
    "audit",
    "audits",
    "process",
]
_INLINE = st.one_of(
    st.sampled_from(_WORDS),
    st.sampled_from(_TERMS),
    st.sampled_from(_WORDS).map(lambda w: f"`{w}`"),
    st.sampled_from(_TERMS).map(lambda w: f"[{w}](x.md)"),
    st.sampled_from(_TERMS).map(lambda w: f"**{w}**"),
    st.sampled_from(["clause 8.4", "ISO 9001:2015 7.5.3", "§§ 7.5.2–7.5.3"]).map(
        lambda w: f"*{w}*"
    ),
)
_LINE = st.lists(_INLINE, min_size=1, max_size=12).map(" ".join)
_BLOCK = st.one_of(
    _LINE,
    _LINE.map(lambda s: "## " + s),
    _LINE.map(lambda s: "- " + s),
    _LINE.map(lambda s: "> " + s),
    _LINE.map(lambda s: f"| {s} |\n|---|\n| {s} |"),
    _LINE.map(lambda s: f"```\n{s}\n```"),
    _LINE.map(lambda s: f"!!! note\n    {s}"),
)
_DOCUMENT = st.lists(_BLOCK, min_size=1, max_size=6).map("\n\n".join)
_EXTENSIONS = ["tables", "fenced_code", "admonition", "toc", "abbr"]


def _render(source: str, with_qmsdocs: bool) -> str:
    extensions: list[Any] = list(_EXTENSIONS)
    if with_qmsdocs:
        extensions.append(QMSExtension(page_path="manual/page.md", link_terms="all"))
    return markdown.markdown(source, extensions=extensions)


def _text(html_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DOCUMENT)
def test_linking_preserves_text_and_never_nests_links(source: str) -> None:
    plain = _render(source, False)
    linked = _render(source, True)
    assert _text(linked) == _text(plain)
    tree = etree.fromstring(f"<div>{linked}</div>")
    for anchor in tree.iter("a"):
        assert anchor.find(".//a") is None
    # Nothing inside code, headings or pre-existing links gained a link.
    for tag in ("code", "h2", "pre"):
        for element in tree.iter(tag):
            assert element.find(".//a[@class='qms-clause']") is None
            assert element.find(".//a[@class='qms-term']") is None


@settings(max_examples=60, deadline=None)
@given(_DOCUMENT)
# A term after a § reads as the name of a law; our own link must read the same way again.
@example("*§§ 7.5.2–7.5.3* DRP-provider")
def test_linking_twice_changes_nothing(source: str) -> None:
    """Running the processors again over an already linked tree adds no link."""
    extension = QMSExtension(page_path="manual/page.md", link_terms="all")
    md = markdown.Markdown(extensions=[*_EXTENSIONS, extension])
    once = md.convert(source)
    root = etree.fromstring(f"<div>{once}</div>")
    before = etree.tostring(root, encoding="unicode")
    from qmsdocs.markdown_ext import PageContext, ProseLinkTreeprocessor

    context = extension._build_context()
    context.current = PageContext("manual/page.md", link_terms="all")
    ProseLinkTreeprocessor(md, context).run(root)
    assert etree.tostring(root, encoding="unicode") == before


# Fuzz: the recognisers over random text and real documents, in time ---------------------------

_RECOGNIZER = Recognizer([load_builtin_catalogue("iso9001-2015")])
_MATCHER = TermMatcher(_VOCABULARY)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000))
def test_recognisers_accept_any_text(text: str) -> None:
    _RECOGNIZER.scan(text)
    for match in _MATCHER.find_all(text):
        assert 0 <= match.start < match.end <= len(text)


@pytest.mark.skipif(not CORPORA.is_dir(), reason="the shared corpora are not beside the repo")
def test_recognisers_on_the_corpora_within_a_time_bound_per_megabyte() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPORA.rglob("*.md"))]
    size = sum(len(t) for t in texts)
    started = time.perf_counter()
    for text in texts:
        _RECOGNIZER.scan(text)
        _MATCHER.find_all(text)
    elapsed = time.perf_counter() - started
    # Generous bound (a few seconds per megabyte on a slow machine); catastrophic
    # backtracking would take minutes.
    assert elapsed < 5.0 * max(size / 1_000_000, 0.2)


@pytest.mark.parametrize(
    "text",
    ["9." * 250_000, "§" * 500_000, "clause " * 70_000, "ISO 9001 " * 50_000, "a-" * 250_000],
    ids=["digits-and-dots", "section-signs", "clause-words", "designations", "hyphens"],
)
def test_adversarial_megabyte_in_linear_time(text: str) -> None:
    started = time.perf_counter()
    _RECOGNIZER.scan(text)
    _MATCHER.find_all(text)
    assert time.perf_counter() - started < 10


def test_sense_rules_stay_linear_on_one_huge_paragraph() -> None:
    # A page may be one paragraph of a megabyte (an export, a pasted log): every rule that
    # judges an occurrence must look only at the words around it. A search of the whole text
    # per occurrence made this quadratic once (9.5 s for 1 MB).
    from qmsdocs.senses import TermSenses

    senses = TermSenses(_VOCABULARY)
    sentence = (
        "The Quality Manager - QP-07 Control of documents: reviews the audit records, "
        "Settings → Audit log, and the nonconformity of each product and service. "
    )

    def seconds(size: int) -> float:
        text = sentence * (size // len(sentence))
        best = float("inf")
        for _ in range(2):
            started = time.perf_counter()
            senses.find(text, _MATCHER)
            best = min(best, time.perf_counter() - started)
        return best

    small, large = seconds(250_000), seconds(1_000_000)
    # Linear gives 4x; quadratic, 16x. The margin absorbs a busy machine.
    assert large < 9 * small, (small, large)
