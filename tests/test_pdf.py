"""`qmsdocs pdf`: the example manual as an auditor's copy, read back with pypdf.

The example's copy is made once for the module (building and rendering take some fifteen
seconds); its first page of each kind is drawn as PNG into test-artifacts/pdf/ for a person to
look at. The other tests use small sites or stop before rendering.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from qmsdocs.cli import main

from .conftest import REPO, write_site

ARTIFACTS = REPO / "test-artifacts" / "pdf"
DATE = dt.date(2026, 6, 1)
EPOCH = str(int(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC).timestamp()))
PAGE_X_OF_Y = re.compile(r"Page (\d+) of (\d+)")


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner(env=env).invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@dataclass
class Copy:
    path: Path
    reader: PdfReader
    texts: list[str]
    stderr: str

    def pages_with(self, text: str) -> list[int]:
        return [number for number, page in enumerate(self.texts) if text in page]

    def first_with(self, text: str) -> int:
        found = self.pages_with(text)
        assert found, f"no page of the PDF says {text!r}"
        return found[0]


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Copy:
    output = tmp_path_factory.mktemp("pdf") / "manual.pdf"
    code, _out, err = run(
        "pdf",
        str(REPO / "mkdocs.yml"),
        "--output",
        str(output),
        "--controlled",
        env={"SOURCE_DATE_EPOCH": EPOCH},
    )
    assert code == 0, err
    reader = PdfReader(output)
    return Copy(output, reader, [page.extract_text() for page in reader.pages], err)


def _documents() -> dict[str, str]:
    """Document id -> docs path, from the example's front matter."""
    ids = {}
    for path in sorted((REPO / "docs").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            front = yaml.safe_load(text.split("---\n", 2)[1]) or {}
            document = front.get("document")
            if isinstance(document, dict):
                ids[str(document["id"])] = path.relative_to(REPO / "docs").as_posix()
    return ids


def _outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every outline entry, in order."""
    entries: list[tuple[int, str, int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                entries.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 1)
    return entries


# The copy -------------------------------------------------------------------------------------


def test_the_command_reports_its_stages_and_what_it_wrote(copy: Copy) -> None:
    assert "qmsdocs pdf: building the site" in copy.stderr
    assert "qmsdocs pdf: laying out pages" in copy.stderr
    assert f"wrote {copy.path} ({len(copy.texts)} pages" in copy.stderr
    assert "Traceback" not in copy.stderr


def test_the_cover_names_the_manual_its_revision_approval_and_date(copy: Copy) -> None:
    cover = copy.texts[0]
    for expected in (
        "Larkfield Precision Components",  # the organisation, from site_name
        "Quality Manual",  # the title, the rest of site_name
        "Controlled copy",
        "QM-00",  # the home page's document block stands for the manual
        "Revision 5",
        "Approved Managing Director, 2026-02-20",
        "Effective from 2026-03-01",
        f"Date of this copy {DATE.isoformat()}",  # SOURCE_DATE_EPOCH
        "Issued to",
    ):
        assert expected in cover, expected
    assert copy.reader.metadata is not None
    assert copy.reader.metadata.title == "Larkfield Precision Components: Quality Manual"


def test_the_register_lists_every_controlled_document(copy: Copy) -> None:
    register = copy.first_with("Document register\nThe controlled documents")
    text = "".join(copy.texts[register : register + 3])
    documents = _documents()
    assert len(documents) >= 20
    for document_id in documents:
        assert document_id in text, document_id
    assert "Purchasing and Logistics Lead" in " ".join(text.split())


def test_every_page_of_the_navigation_is_there_in_order(copy: Copy) -> None:
    titles = [
        "Larkfield Precision Components quality manual",  # Home
        "About this manual",
        "Context and interested parties",
        "Control of external providers",
        "QP-07 Control of documents",
        "Relationship management",
        "Clause coverage",
        "8 Operation",  # a clause page
        "Glossary",
    ]
    outline = _outline(copy.reader)
    pages = [next(page for _d, title, page in outline if title == t) for t in titles]
    assert pages == sorted(pages)
    provider = copy.texts[pages[3]]
    # Each manual page comes with its document control panel.
    assert "DOCUMENT\nQM-08-04" in provider or "Document\nQM-08-04" in provider


def test_the_outline_follows_the_navigation_and_the_headings(copy: Copy) -> None:
    outline = _outline(copy.reader)
    top = [title for depth, title, _page in outline if depth == 1]
    for expected in ("Contents", "Document register", "Quality manual", "Procedures"):
        assert expected in top
    assert "Clause coverage" in top and "Glossary" in top
    # A navigation section, its pages below it, their headings below them.
    entries = [(depth, title) for depth, title, _page in outline]
    section = entries.index((1, "Quality manual"))
    assert (2, "About this manual") in entries[section:]
    operation = entries.index((2, "Operation"))
    assert entries[operation + 1 : operation + 3][0] == (3, "Operational planning and control")
    providers = entries.index((3, "Control of external providers"))
    assert entries[providers + 1] == (4, "ISO 9001 8.4 Control of external providers")
    assert all(0 <= page < len(copy.texts) for _d, _t, page in outline)
    # The revision history heading is on every page; it is not an outline entry.
    assert not any(title == "Revision history" for _d, title, _p in outline)


def test_clause_8_4_and_the_coverage_matrix_are_in_the_copy(copy: Copy) -> None:
    matrix = copy.first_with("Clause by clause")
    matrix_text = "".join(copy.texts[matrix : matrix + 8])
    for clause in ("8.4", "8.4.1", "8.4.2", "8.4.3", "8.5.1", "10.3"):
        assert re.search(rf"(?m)^{re.escape(clause)}\s", matrix_text), clause
    assert "Not applicable" in matrix_text
    # The clause pages follow, each clause with the pages that address it.
    clause_page = next(
        page
        for depth, title, page in _outline(copy.reader)
        if title.startswith("8.4 Control of externally provided") and depth == 3
    )
    assert "Addressed by" in copy.texts[clause_page]
    assert "Control of external providers" in copy.texts[clause_page]


def _links(copy: Copy, page: int) -> list[Any]:
    annotations = copy.reader.pages[page].get("/Annots") or []
    return [a.get_object() for a in annotations if a.get_object().get("/Subtype") == "/Link"]


def _target_page(copy: Copy, destination: str) -> int:
    return copy.reader.get_destination_page_number(copy.reader.named_destinations[destination])


def test_links_lead_inside_the_copy(copy: Copy) -> None:
    named = copy.reader.named_destinations
    internal = [
        str(link["/Dest"])
        for page in range(len(copy.texts))
        for link in _links(copy, page)
        if "/Dest" in link
    ]
    assert len(internal) > 500
    unresolved = sorted({dest for dest in internal if dest not in named})
    assert not unresolved
    # On "Control of external providers": the clause link "8.4" leads to clause 8.4 on the
    # clause page, a term to the glossary, a manual page to that page.
    providers = copy.first_with("ISO 9001 8.4 Control of external providers")
    destinations = {str(link["/Dest"]) for link in _links(copy, providers) if "/Dest" in link}
    clause = next(d for d in destinations if d.endswith("--clause-8-4"))
    assert "8.4 Control of externally provided" in copy.texts[_target_page(copy, clause)]
    term = next(d for d in destinations if d.startswith("glossary--term-"))
    assert copy.first_with("Glossary\n") <= _target_page(copy, term)
    procedure = "procedures-qp-12-supplier-approval"
    assert procedure in destinations
    assert "QP-12" in copy.texts[_target_page(copy, procedure)]


def test_every_page_has_its_running_header_and_page_x_of_y(copy: Copy) -> None:
    total = len(copy.texts)
    for number, text in enumerate(copy.texts, 1):
        assert f"Page {number} of {total}" in text
        assert "Controlled copy" in text
    providers = copy.first_with("ISO 9001 8.4 Control of external providers")
    assert "QM-08-04 · Revision 5" in copy.texts[providers]
    procedure = copy.first_with("QP-07 Control of documents\nDOCUMENT")
    assert "QP-07 · Revision" in copy.texts[procedure]
    # Pages without a document block of their own carry the manual's.
    matrix = copy.first_with("Clause by clause")
    assert "QM-00 · Revision 5" in copy.texts[matrix]


def test_first_pages_of_each_kind_as_png(copy: Copy) -> None:
    """For a person to look at: test-artifacts/pdf/*.png."""
    try:
        import pypdfium2
    except ImportError:
        pytest.skip("pypdfium2 is not installed: no PNGs drawn (the PDF checks ran)")
    kinds = {
        "cover": 0,
        "register": copy.first_with("Document register\nThe controlled documents"),
        "manual-page": copy.first_with("ISO 9001 8.4 Control of external providers"),
        "matrix": copy.first_with("Clause by clause"),
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    document = pypdfium2.PdfDocument(str(copy.path))
    try:
        for name, index in kinds.items():
            image = document[index].render(scale=1.5).to_pil()
            image.save(ARTIFACTS / f"{name}.png")
            assert image.width > 800
    finally:
        document.close()
    assert sorted(p.name for p in ARTIFACTS.glob("*.png")) >= sorted(f"{k}.png" for k in kinds)


# Choices and refusals -------------------------------------------------------------------------


def test_an_uncontrolled_copy_without_glossary(tmp_path: Path) -> None:
    config = write_site(
        tmp_path,
        {
            "index.md": """
                ---
                document:
                  {id: QM-1, revision: "2", status: effective, owner: QA,
                   approved_by: Director, approved_on: 2026-01-05}
                ---
                # Small manual

                Our quality policy is in clause 5.2. See [the web](https://example.org/x) and
                the [other page](other.md#part). ![logo](https://example.org/logo.png)
            """,
            "other.md": "# Other\n\n## Part\n\nText.\n",
        },
        site_name="Small Works Ltd - Quality manual",
        plugins=["search", {"qmsdocs": {"pdf": {"controlled": True}}}],
    )
    output = tmp_path / "out" / "small.pdf"
    output.parent.mkdir()
    code, _out, err = run("pdf", str(config), "-o", str(output), "--uncontrolled", "--no-glossary")
    assert code == 0, err
    # The logo on another host is not fetched, and the report says so.
    refused = "not fetched (a copy fetches nothing from other hosts): https://example.org/logo.png"
    assert refused in err
    reader = PdfReader(output)
    texts = [page.extract_text() for page in reader.pages]
    assert "Uncontrolled when printed" in texts[0] and "Small Works Ltd" in texts[0]
    assert all("Uncontrolled when printed" in text for text in texts)
    assert not any(title == "Glossary" for _d, title, _p in _outline(reader))
    links = [
        link.get_object()
        for page in reader.pages
        for link in page.get("/Annots") or []
        if link.get_object().get("/Subtype") == "/Link"
    ]
    uris = {str(link["/A"]["/URI"]) for link in links if "/A" in link and "/URI" in link["/A"]}
    assert uris == {"https://example.org/x"}  # an external link stays external
    destinations = {str(link["/Dest"]) for link in links if "/Dest" in link}
    assert "other--part" in destinations
    assert not any(d.startswith("glossary") for d in destinations)
    assert list((tmp_path / "out").iterdir()) == [output]  # nothing else written beside it
    assert not (tmp_path / "site").exists()  # nor a site folder


def test_without_weasyprint_the_command_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` fails
    code, _out, err = run("pdf", str(REPO / "mkdocs.yml"), "-o", str(tmp_path / "x.pdf"))
    assert code == 2
    assert "qmsdocs pdf needs WeasyPrint, which is not installed" in err
    assert "pip install 'qmsdocs[pdf]'" in err
    assert "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists()


def test_a_config_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "mkdocs.yml"
    code, _out, err = run("pdf", str(missing), "-o", str(tmp_path / "x.pdf"))
    assert code == 2
    expected = f"{missing}: no such file (give the path of mkdocs.yml or of its folder)"
    assert err == f"qmsdocs: {expected}\n"


def test_an_output_folder_that_does_not_exist(tmp_path: Path) -> None:
    output = tmp_path / "missing" / "x.pdf"
    code, _out, err = run("pdf", str(REPO / "mkdocs.yml"), "-o", str(output))
    assert code == 2
    assert f"the folder {output.parent} does not exist" in err


def test_a_copy_is_never_written_into_the_docs_folder(tmp_path: Path) -> None:
    config = write_site(tmp_path, {"index.md": "# Home\n"})
    output = tmp_path / "docs" / "copy.pdf"
    code, _out, err = run("pdf", str(config), "-o", str(output))
    assert code == 2
    assert "is inside the docs folder" in err and "write it somewhere else" in err
    assert not output.exists()


def test_a_misspelt_pdf_option_names_the_file_and_the_option(tmp_path: Path) -> None:
    config = write_site(
        tmp_path, {"index.md": "# Home\n"}, plugins=[{"qmsdocs": {"pdf": {"controled": True}}}]
    )
    code, _out, err = run("pdf", str(config), "-o", str(tmp_path / "x.pdf"))
    assert code == 2
    assert str(config) in err
    assert "unknown pdf option 'controled'; did you mean 'controlled'?" in err
    assert "Traceback" not in err


def test_a_manual_that_does_not_build_gets_no_copy(tmp_path: Path, plugin_log: Any) -> None:
    config = write_site(tmp_path, {"index.md": "# Home\n"}, complete=False)
    output = tmp_path / "x.pdf"
    code, _out, err = run("pdf", str(config), "-o", str(output))
    plugin_log.mark_all_checked()  # the gate's report, checked below as the command shows it
    assert code == 1
    assert f"qmsdocs: {config}: the site did not build, so no copy was made:" in err
    assert "[missing-clause]" in err
    assert not output.exists()


# The parts ------------------------------------------------------------------------------------


def test_svg_rules_keep_what_styles_the_drawing() -> None:
    from qmsdocs.pdf.svgstyle import svg_rules

    css = """
    /* a comment { not a rule } */
    .md-typeset .process-map { width: 100%; }
    .process-map svg { width: 100%; }
    .process-map rect.core { fill: var(--md-default-bg-color, #fff); stroke: var(--x); }
    .map text { font: 600 17px var(--md-text-font-family, system-ui), sans-serif; }
    @media print { .process-map rect { fill: red; } }
    """
    assert svg_rules([css]).splitlines() == [
        "rect.core { fill: #fff }",
        "text { font-weight: 600; font-size: 17px; font-family: system-ui, sans-serif }",
    ]


def test_links_resolve_inside_the_copy_or_to_the_published_site(tmp_path: Path) -> None:
    from qmsdocs.pdf.links import Links
    from qmsdocs.pdf.site import BuiltPage

    pages = {
        "a/b.md": BuiltPage("a/b.md", "a/b/", "a/b/index.html", "B", ""),
        "c.md": BuiltPage("c.md", "c/", "c/index.html", "C", ""),
        "t.md": BuiltPage("t.md", "t/", "t/index.html", "T", ""),
    }
    anchors = {"a/b.md": "a-b", "c.md": "c"}
    page = pages["a/b.md"]
    offline = Links(pages, anchors, tmp_path, None)
    assert offline.href("#part", page) == "#a-b--part"
    assert offline.href("../../c/#x", page) == "#c--x"
    assert offline.href("../../c/", page) == "#c"
    assert offline.href("https://example.org/", page) == "https://example.org/"
    assert offline.href("mailto:qa@example.org", page) == "mailto:qa@example.org"
    assert offline.href("../../t/", page) is None  # a page the copy leaves out
    assert offline.href("../../coverage.csv", page) is None
    online = Links(pages, anchors, tmp_path, "https://qms.example.org/manual")
    assert online.href("../../t/#y", page) == "https://qms.example.org/manual/t/#y"
    assert offline.image("../../img/map.png", page) == (tmp_path / "img/map.png").as_uri()


def test_an_integrated_manual_reprints_every_standards_clause_pages(tmp_path: Path) -> None:
    output = tmp_path / "ims.pdf"
    code, _out, err = run(
        "pdf", str(REPO / "examples" / "ims" / "mkdocs.yml"), "-o", str(output), "--no-glossary"
    )
    assert code == 0, err
    titles = [title for _depth, title, _page in _outline(PdfReader(output))]
    for standard in ("ISO 9001:2015", "ISO 14001:2015", "ISO 45001:2018"):
        assert any(title.startswith(standard) for title in titles), (standard, titles)
    assert "5 Leadership and worker participation" in titles
