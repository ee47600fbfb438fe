"""The Python-Markdown extension on its own (no MkDocs): exact HTML, one behaviour per test."""

from __future__ import annotations

import re
import textwrap

import markdown
import pytest

from qmsdocs.markdown_ext import QMSExtension

T84 = "ISO 9001:2015 8.4 Control of externally provided processes, products and services"
L84 = f'<a class="qms-clause" href="../clauses/iso9001-2015/8.md#clause-8-4" title="{T84}">8.4</a>'


def render(text: str, *extensions: str, page: str = "manual/scope.md") -> str:
    ext = QMSExtension(page_path=page)
    return markdown.markdown(textwrap.dedent(text).strip(), extensions=[ext, *extensions])


def test_links_a_clause_reference() -> None:
    assert render("See clause 8.4.") == f"<p>See clause {L84}.</p>"


def test_link_is_relative_to_the_page() -> None:
    html = render("clause 8.4", page="index.md")
    assert 'href="clauses/iso9001-2015/8.md#clause-8-4"' in html
    html = render("clause 8.4", page="a/b/c.md")
    assert 'href="../../clauses/iso9001-2015/8.md#clause-8-4"' in html


def test_reference_across_inline_markup() -> None:
    assert render("**ISO 9001:2015** clause 8.4") == (
        f"<p><strong>ISO 9001:2015</strong> clause {L84}</p>"
    )


def test_link_inside_emphasis() -> None:
    assert render("*clause 8.4*") == f"<p><em>clause {L84}</em></p>"


def test_ignores_code_spans() -> None:
    assert render("`clause 8.4`") == "<p><code>clause 8.4</code></p>"


def test_ignores_fenced_code() -> None:
    html = render(
        """
        ```
        clause 8.4
        ```
        """,
        "fenced_code",
    )
    assert "<a" not in html


def test_ignores_existing_links() -> None:
    assert render("[clause 8.4](other.md)") == '<p><a href="other.md">clause 8.4</a></p>'


def test_ignores_headings() -> None:
    assert render("## Clause 8.4 in our words") == "<h2>Clause 8.4 in our words</h2>"


def test_ignores_kbd_and_raw_html_attributes() -> None:
    html = render('<kbd>clause 8.4</kbd> <span title="clause 8.4">x</span>')
    assert "qms-clause" not in html


def test_links_inside_admonitions() -> None:
    html = render(
        """
        !!! note
            Suppliers: see clause 8.4.
        """,
        "admonition",
    )
    assert L84 in html


def test_links_inside_tables() -> None:
    html = render(
        """
        | Topic | Clause |
        |---|---|
        | Suppliers | clause 8.4 |
        """,
        "tables",
    )
    assert f"<td>clause {L84}</td>" in html


def test_abbreviation_still_names_a_standard() -> None:
    html = render(
        """
        *[ISO]: International Organization for Standardization

        ISO 13485 clause 7.3
        """,
        "abbr",
    )
    assert "qms-clause" not in html


def test_each_number_of_a_list_links() -> None:
    html = render("ISO 9001 says: §§ 7.5.2–7.5.3")
    assert html.count('class="qms-clause"') == 2
    assert "–" in html


def test_foreign_standard_is_not_linked() -> None:
    assert render("ISO 13485:2016 7.2") == "<p>ISO 13485:2016 7.2</p>"


def test_text_is_preserved() -> None:
    source = "Per ISO 9001:2015, Clause 9.1 and §§ 7.5.2–7.5.3 (see clauses 4-10)."
    html = render(source)
    plain = markdown.markdown(source)
    strip = __import__("re").compile(r"<[^>]+>")
    assert strip.sub("", html) == strip.sub("", plain)


def test_unknown_clause_is_recorded_with_line() -> None:
    ext = QMSExtension(page_path="manual/x.md")
    md = markdown.Markdown(extensions=[ext])
    md.convert("First line.\n\nSecond: clause 7.9 here.")
    (finding,) = ext.findings
    assert (finding.code, finding.path, finding.line) == ("unknown-clause", "manual/x.md", 3)


def test_references_are_recorded_with_their_sections() -> None:
    ext = QMSExtension(page_path="p.md")
    md = markdown.Markdown(extensions=[ext, "toc"])
    md.convert("## Suppliers\n\nclauses 5.1 - 5.3")
    assert ext.assessment is not None
    assert [(r.clause, r.section, r.line) for r in ext.assessment.references] == [
        ("5.1", "suppliers", 3),
        ("5.2", "suppliers", 3),
        ("5.3", "suppliers", 3),
    ]


def test_reset_between_documents() -> None:
    ext = QMSExtension(page_path="p.md")
    md = markdown.Markdown(extensions=[ext])
    md.convert("clause 7.9")
    md.reset()
    md.convert("clause 8.4")
    assert ext.findings == []


@pytest.mark.parametrize("name", ["qmsdocs", "qmsdocs.markdown_ext"])
def test_loads_by_name(name: str) -> None:
    html = markdown.markdown("clause 8.4", extensions=[name])
    assert 'href="clauses/iso9001-2015/8.md#clause-8-4"' in html


def test_custom_pages_dir() -> None:
    html = markdown.markdown(
        "clause 8.4",
        extensions=["qmsdocs"],
        extension_configs={"qmsdocs": {"clause_pages_dir": "iso", "page_path": "x/y.md"}},
    )
    assert 'href="../iso/iso9001-2015/8.md#clause-8-4"' in html


def _deferred(resolve: dict[str, str | None]) -> tuple[str, QMSExtension]:
    """Convert a page as the plugin does: links deferred, then resolved by `resolve`."""
    from qmsdocs.markdown_ext import PageContext

    extension = QMSExtension(page_path="manual/scope.md")
    context = extension._build_context()
    # The plugin's context: it sets the page before each conversion (no standalone setup).
    extension._context = context
    md = markdown.Markdown(extensions=[extension])
    context.current = PageContext("manual/scope.md", resolve=resolve.get)
    return md.convert("Suppliers are controlled as clause 8.4 asks (clause 8.4.1)."), extension


def test_deferred_links_get_the_plugins_final_urls() -> None:
    html, _ = _deferred({"clauses/iso9001-2015/8.md": "../../clauses/iso9001-2015/8/"})
    assert 'href="../../clauses/iso9001-2015/8/#clause-8-4"' in html
    assert "qmsdocs:" not in html


def test_a_deferred_link_to_a_missing_page_is_a_finding_and_stays_text() -> None:
    html, extension = _deferred({})
    assert "qmsdocs:" not in html and "href=" not in html
    # The anchor keeps its text and tooltip but leads nowhere: a reader sees plain text.
    assert "Suppliers are controlled as clause 8.4 asks (clause 8.4.1)." in re.sub(
        r"<[^>]+>", "", html
    )
    missing = [f.message for f in extension.findings if f.code == "missing-target"]
    assert len(missing) == 2  # one per page, however many links lead there
    assert any("'clauses/iso9001-2015/8.md'" in m for m in missing)
    assert any("'glossary.md'" in m for m in missing)
