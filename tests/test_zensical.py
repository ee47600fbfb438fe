"""qmsdocs on Zensical: `qmsdocs generate`, then `zensical build`, with `qmsdocs check` as gate.

Zensical reads `mkdocs.yml` and runs Python-Markdown extensions, but no MkDocs plugin. The
example manual is copied, its generated pages written with `qmsdocs generate`, and built with
the Zensical of the `test` extra (run as the script beside this interpreter, never from PATH);
every clause and term link, and every link on the generated pages, must reach an existing page
and anchor. The generation core is also tested on its own, without Zensical.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
import pytest
from click.testing import CliRunner

from qmsdocs.cli import main
from qmsdocs.filling import FILLERS
from qmsdocs.markdown_ext import QMSExtension
from qmsdocs.standalone import Standalone
from qmsdocs.written import MANIFEST, is_marked_text

from .conftest import REPO, write_site

BIN = Path(sys.executable).parent
ZENSICAL = BIN / ("zensical.exe" if os.name == "nt" else "zensical")
GENERATED_PAGES = (
    "coverage/index.html",
    "documents/index.html",
    "glossary/index.html",
    "transition/index.html",
    "clauses/iso9001-2015/index.html",
    "clauses/iso9001-2015/8/index.html",
    "clauses/iso9001-2026/6/index.html",
)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CLAUSE_ID = re.compile(r"(?<![\d:.])\d+(?:\.\d+)+(?![\d.])")

needs_zensical = pytest.mark.skipif(
    not ZENSICAL.exists(),
    reason="Zensical is not installed beside this interpreter (pip install -e '.[test]')",
)


# Helpers ---------------------------------------------------------------------------------------


def copy_example(root: Path) -> Path:
    """The example manual (mkdocs.yml, docs/, glossary/, plugins/) in `root`."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for folder in ("docs", "glossary", "plugins"):
        shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    result = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    result.stdout, result.stderr = _ANSI.sub("", result.stdout), _ANSI.sub("", result.stderr)
    return result


def generate(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(sys.executable, "-m", "qmsdocs.cli", "generate", *args, cwd=root)


def zensical_build(root: Path) -> subprocess.CompletedProcess[str]:
    result = run(ZENSICAL, "build", "--clean", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def snapshot(docs: Path) -> dict[str, tuple[int, bytes]]:
    """(modification time, bytes) of every file `generate` wrote, and of its manifest."""
    manifest = json.loads((docs / MANIFEST).read_text("utf-8"))
    paths = [*manifest["files"], MANIFEST]
    return {p: ((docs / p).stat().st_mtime_ns, (docs / p).read_bytes()) for p in paths}


class _Page(HTMLParser):
    """The anchors and links of one built page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[tuple[str, str, bool]] = []  # (href, class, inside the article)
        self._article = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "article":
            self._article += 1
        if tag == "a" and attributes.get("href"):
            self.links.append((attributes["href"], attributes.get("class", ""), self._article > 0))

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._article -= 1

    def handle_data(self, data: str) -> None:
        if self._article:
            self.text.append(data)


@dataclass
class Built:
    """A site Zensical built: its pages by path in the site folder."""

    root: Path
    site: Path
    pages: dict[str, _Page] = field(default_factory=dict)
    log: str = ""

    @classmethod
    def read(cls, root: Path, log: str = "", folder: str = "site") -> Built:
        site = root / folder
        built = cls(root, site, log=log)
        for path in site.rglob("*.html"):
            parser = _Page()
            parser.feed(path.read_text("utf-8"))
            built.pages[path.relative_to(site).as_posix()] = parser
        return built

    def resolve(self, page: str, href: str) -> tuple[str, str] | None:
        """(page in the site, anchor) a relative link leads to; None for other sites."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("/"):
            return None
        if not parts.path:
            return page, parts.fragment
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
        if parts.path.endswith("/"):
            target = posixpath.normpath(posixpath.join(target, "index.html"))
        return target, parts.fragment

    def broken(self, page: str, href: str) -> str | None:
        """What is wrong with a link, or None when it reaches its page and anchor."""
        resolved = self.resolve(page, href)
        if resolved is None:
            return None
        target, anchor = resolved
        if not (self.site / target).is_file():
            return f"{page}: {href} -> no {target}"
        if anchor and target.endswith(".html") and anchor not in self.pages[target].ids:
            return f"{page}: {href} -> {target} has no #{anchor}"
        return None


def mkdocs_verdict(root: Path) -> tuple[bool, set[str]]:
    """(published, missing clauses) of `mkdocs build` on the manual in `root`."""
    result = run(sys.executable, "-m", "mkdocs", "build", "-d", root / "mkdocs-site", cwd=root)
    missing: set[str] = set()
    for line in (result.stdout + result.stderr).splitlines():
        if "[missing-clause]" in line:
            missing |= set(_CLAUSE_ID.findall(line.split("not addressed")[0]))
    return result.returncode == 0, missing


def check_verdict(root: Path) -> tuple[bool, set[str], int]:
    """(passed, missing clauses, exit status) of `qmsdocs check` on the manual in `root`."""
    result = run(sys.executable, "-m", "qmsdocs.cli", "check", "--format", "json", cwd=root)
    data = json.loads(result.stdout)
    return data["passed"], set(data["missing"]), result.returncode


# The example, built with Zensical ----------------------------------------------------------


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    if not ZENSICAL.exists():
        pytest.skip("Zensical is not installed beside this interpreter")
    root = copy_example(tmp_path_factory.mktemp("zensical") / "manual")
    generated = generate(root)
    assert generated.returncode == 0, generated.stderr
    result = zensical_build(root)
    yield Built.read(root, result.stdout + result.stderr)


@needs_zensical
def test_the_example_builds_with_every_generated_page(example: Built) -> None:
    for page in GENERATED_PAGES:
        assert page in example.pages, page
    # Zensical checks every link of the Markdown (the generated pages' HTML blocks included).
    assert "No issues found" in example.log, example.log
    assert "qmsdocs: warning" not in example.log  # the generated pages are current
    coverage = json.loads((example.site / "coverage.json").read_text("utf-8"))
    assert coverage["catalogue"]["id"] == "iso9001-2015"
    assert (example.site / "documents.csv").read_text("utf-8").startswith("id,")
    for path, page in example.pages.items():
        html = (example.site / path).read_text("utf-8")
        assert "<!-- qmsdocs:" not in html, f"a placeholder left on {path}"
        assert "qmsdocs_generated" not in html, path
        assert "Macro Rendering Error" not in "".join(page.text), path


@needs_zensical
def test_every_clause_and_term_link_reaches_its_page_and_anchor(example: Built) -> None:
    counts = {"qms-clause": 0, "qms-term": 0}
    problems = []
    for path, page in example.pages.items():
        for href, css, _inside in page.links:
            kind = next((k for k in counts if k in css.split()), None)
            if kind is None:
                continue
            counts[kind] += 1
            target = example.resolve(path, href)
            assert target is not None and target[1], f"{path}: {href} is no anchor link"
            problems.append(example.broken(path, href))
    assert [p for p in problems if p] == []
    assert counts["qms-clause"] > 100 and counts["qms-term"] > 300, counts


@needs_zensical
def test_every_link_of_the_generated_pages_resolves(example: Built) -> None:
    problems = []
    checked = 0
    for path, page in example.pages.items():
        if not (path.startswith("clauses/") or path in GENERATED_PAGES):
            continue
        for href, _css, inside in page.links:
            if inside:
                checked += 1
                problems.append(example.broken(path, href))
    assert [p for p in problems if p] == []
    assert checked > 2000


@needs_zensical
def test_a_clause_link_goes_to_the_clause_on_its_page(example: Built) -> None:
    page = example.pages["manual/operation/external-providers/index.html"]
    links = [href for href, css, _ in page.links if "qms-clause" in css]
    assert "../../../clauses/iso9001-2015/8/#clause-8-4" in links


@needs_zensical
def test_a_controlled_page_shows_its_document_panel(example: Built) -> None:
    html = (example.site / "manual/scope/index.html").read_text("utf-8")
    article = html[html.index("<article") :]
    title_end = article.index("</h1>")
    panel = article.index('id="document-control"')
    assert title_end < panel < article.index("<h2"), "the panel follows the title"
    assert "QM-04" in article[panel : panel + 800] or "<dd>" in article[panel : panel + 800]
    assert article.count('id="revision-history"') == 1
    # A draft carries its banner; the headings keep their own anchors (no panel in a slug).
    draft = (example.site / "procedures/qp-18-first-article-inspection/index.html").read_text(
        "utf-8"
    )
    assert "qms-doc-banner" in draft
    assert 'id="1-purpose"' in draft


@needs_zensical
def test_the_macros_work_without_the_plugin(example: Built) -> None:
    html = (example.site / "reference/macros/index.html").read_text("utf-8")
    for fragment in ("qms-pages-covering", "qms-page-clauses", "qms-summary"):
        assert fragment in html
    grid = (example.site / "principles/index.html").read_text("utf-8")
    assert "qms-principles" in grid


@needs_zensical
def test_generated_pages_say_what_the_plugin_says(example: Built) -> None:
    """The MkDocs build of the same folder (generated files and all) shows the same pages,
    link for link. Only what the macros cite is the plugin's alone: `generate` does not run
    the macros (the example's principle pages and macro reference use them)."""
    published, _missing = mkdocs_verdict(example.root)
    assert published
    mkdocs_site = Built.read(example.root, folder="mkdocs-site")

    def targets(built: Built, page: str, *, macros: bool = True) -> list[tuple[str, str]]:
        found = []
        for href, css, inside in built.pages[page].links:
            resolved = built.resolve(page, href)
            if not inside or "headerlink" in css or resolved is None:
                continue
            if macros or not resolved[0].startswith(("principles/", "reference/")):
                found.append(resolved)
        return found

    for page in ("coverage/index.html", "documents/index.html", "transition/index.html"):
        assert targets(example, page) == targets(mkdocs_site, page), page
    for page in ("clauses/iso9001-2015/8/index.html", "clauses/iso9001-2026/6/index.html"):
        assert targets(example, page, macros=False) == targets(mkdocs_site, page, macros=False), (
            page
        )
    glossary = "glossary/index.html"
    assert example.pages[glossary].ids >= {
        i for i in mkdocs_site.pages[glossary].ids if i.startswith(("term-", "group-", "letter-"))
    }


# The gate: `qmsdocs check` and `mkdocs build` agree, generated files or not ------------------


@needs_zensical
@pytest.mark.parametrize("gap", [False, True], ids=["example", "with-a-gap"])
def test_check_gives_the_verdict_mkdocs_build_gives(tmp_path: Path, gap: bool) -> None:
    root = copy_example(tmp_path / "manual")
    if gap:
        (root / "docs" / "manual" / "improvement.md").unlink()  # 10.1 and 10.3 go missing
    assert generate(root).returncode == 0
    passed, missing, status = check_verdict(root)
    published, build_missing = mkdocs_verdict(root)
    assert (passed, missing) == (published, build_missing)
    assert status == (0 if passed else 1)
    assert passed is not gap
    if gap:
        assert missing == {"10.1", "10.3"}
        coverage = (root / "docs" / "coverage.md").read_text("utf-8")
        assert "10.3" in coverage and "qms-status--missing" in coverage


# `qmsdocs generate` on its own -----------------------------------------------------------------


def test_running_generate_again_changes_no_file(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "manual")
    first = generate(root)
    assert first.returncode == 0, first.stderr
    before = snapshot(root / "docs")
    again = generate(root)
    assert again.returncode == 0
    assert "0 written" in again.stdout
    assert snapshot(root / "docs") == before


def test_a_page_of_your_own_is_never_overwritten(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "manual")
    own = root / "docs" / "coverage.md"
    own.write_text("# Our own coverage notes\n", encoding="utf-8")
    result = generate(root)
    assert result.returncode == 2
    assert str(own) in result.stderr and "coverage_page" in result.stderr
    assert "Traceback" not in result.stderr
    assert own.read_text("utf-8") == "# Our own coverage notes\n"
    assert not (root / "docs" / "clauses").exists()
    assert not (root / "docs" / MANIFEST).exists()


def test_files_no_longer_generated_are_removed(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "manual")
    docs = root / "docs"
    assert generate(root).returncode == 0
    assert (docs / "clauses" / "iso9001-2026" / "6.md").is_file()
    # A generated page that has become a page of the manual's own is kept.
    (docs / "transition.md").write_text("# Our transition plan\n", encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("editions: [iso9001-2026]", "editions: []"), "utf-8"
    )
    result = generate(root)
    assert result.returncode == 0, result.stderr
    assert not (docs / "clauses" / "iso9001-2026").exists()
    assert not (docs / "coverage-iso9001-2026.json").exists()
    assert (docs / "clauses" / "iso9001-2015" / "8.md").is_file()
    assert (docs / "transition.md").read_text("utf-8") == "# Our transition plan\n"
    assert "removed" in result.stdout and "kept transition.md" in result.stdout
    manifest = json.loads((docs / MANIFEST).read_text("utf-8"))
    assert not any("2026" in path for path in manifest["files"])


def test_out_puts_everything_in_one_folder_and_the_links_follow(tmp_path: Path) -> None:
    config = write_site(tmp_path, {"suppliers.md": "# Suppliers\n\nSee clause 8.4.\n"})
    result = generate(tmp_path, "--out", "docs/qms")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "docs/qms/clauses/iso9001-2015/8.md").is_file()
    assert (tmp_path / "docs/qms/assets/qmsdocs/qmsdocs.css").is_file()
    assert not (tmp_path / "docs/clauses").exists()
    html = markdown.markdown(
        "See clause 8.4 and the nonconformity.",
        extensions=[QMSExtension(config_file=str(config), page_path="manual/x.md")],
    )
    assert 'href="../qms/clauses/iso9001-2015/8.md#clause-8-4"' in html
    assert 'href="../qms/glossary.md#' in html
    outside = generate(tmp_path, "--out", str(tmp_path / "elsewhere"))
    assert outside.returncode == 2 and "inside it" in outside.stderr


def test_generate_needs_the_plugin_options() -> None:
    runner = CliRunner()
    with runner.isolated_filesystem():
        Path("docs").mkdir()
        Path("docs/index.md").write_text("# Home\n", encoding="utf-8")
        Path("mkdocs.yml").write_text("site_name: T\n", encoding="utf-8")
        result = runner.invoke(main, ["generate"])
    assert result.exit_code == 2
    assert "plugin is not enabled" in result.output


# The generation core, without Zensical ------------------------------------------------------


@pytest.fixture
def small(tmp_path: Path) -> Standalone:
    config = write_site(
        tmp_path,
        {
            "index.md": "# Home\n\nWe control suppliers as clause 8.4 asks.\n",
            "suppliers.md": (
                "---\ndocument: {id: QP-12, revision: '2', status: effective, owner: QM,\n"
                "  approved_by: MD, approved_on: 2026-01-10}\n---\n\n# Suppliers\n\n"
                "## ISO 9001 8.4 Control of external providers\n\n"
                "We approve every supplier before the first order, and review each one.\n"
            ),
        },
    )
    return Standalone.load(config, generating=True)


def test_the_plugin_and_generate_share_one_set_of_fillers() -> None:
    from qmsdocs.plugin import fillers

    assert fillers.FILLERS is FILLERS
    assert {"clause", "coverage-matrix", "glossary-group", "document-register"} <= set(FILLERS)


def test_generated_pages_are_plain_markdown_with_their_content_filled(small: Standalone) -> None:
    files = small.outputs()
    coverage = files["coverage.md"]
    assert is_marked_text(coverage) and "render_macros: false" in coverage
    assert "<!-- qmsdocs:" not in "".join(files.values())
    # Links are relative to the page's own file, as `.md` paths with the section's anchor.
    clause_page = files["clauses/iso9001-2015/8.md"]
    assert 'href="../../suppliers.md#iso-9001-84-control-of-external-providers"' in clause_page
    assert 'href="../../index.md"' in clause_page  # "referenced by"
    # Python-Markdown passes each fragment through as an HTML block, untouched.
    html = markdown.markdown(coverage.split("---\n", 2)[2], extensions=["md_in_html"])
    for block in re.findall(
        r"^<div class=\"qms-table qms-summary\">.*?^</div>", coverage, re.S | re.M
    ):
        assert block in html
    assert json.loads(files["coverage.json"])["catalogue"]["id"] == "iso9001-2015"
    assert files["assets/qmsdocs/qmsdocs.css"].strip()


def test_the_extension_adds_the_panel_where_no_plugin_runs(small: Standalone) -> None:
    source = (small.docs_dir / "suppliers.md").read_text("utf-8").split("---\n", 2)[2]
    html = markdown.markdown(
        source,
        extensions=[
            "toc",
            QMSExtension(config_file=str(small.site.config_file), page_path="suppliers.md"),
        ],
    )
    assert html.index("</h1>") < html.index('id="document-control"') < html.index("<h2")
    assert "QP-12" in html and 'id="revision-history"' in html
    # The panel is added once, to the page, never to a heading's text (the toc's anchors).
    assert html.count('id="document-control"') == 1
    assert 'id="iso-9001-84-control-of-external-providers"' in html


def test_the_plugin_leaves_generated_files_out_of_the_manual(small: Standalone) -> None:
    from qmsdocs.generate import generate as write_generated

    write_generated(small)
    again = Standalone.load(small.site.config_file)
    assert set(again.sources) == {"index.md", "suppliers.md", "whole-standard.md"}
    assert again.staleness() is None
    (small.docs_dir / "index.md").write_text("# Home\n\nChanged.\n", encoding="utf-8")
    assert "older than the manual" in (Standalone.load(small.site.config_file).staleness() or "")


def test_a_generated_page_is_told_by_its_front_matter() -> None:
    assert is_marked_text('---\ntitle: "8 Operation"\nqmsdocs_generated: clause-page\n---\n\n# 8')
    assert is_marked_text("\ufeff---\nqmsdocs_generated: coverage\n---\n")
    assert not is_marked_text("---\ntitle: Ours\n---\n\nqmsdocs_generated: no, in the text\n")
    assert not is_marked_text("# Our page\n\nqmsdocs_generated: coverage\n")


def test_a_prefix_puts_every_generated_path_under_one_folder(small: Standalone) -> None:
    from qmsdocs.outputs import Outputs

    build = small.build
    plan = Outputs.plan(build.options, build.editions, build.labels, "qms")
    assert plan.layout.index("iso9001-2015") == "qms/clauses/iso9001-2015/index.md"
    assert all(path.startswith("qms/") for path in plan.paths())
    assert plan.glossary_page == "qms/glossary.md" and plan.stylesheet.startswith("qms/")
    assert Outputs.plan(build.options, build.editions).paths() == build.generated.paths()
