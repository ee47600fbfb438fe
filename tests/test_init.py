"""`qmsdocs init`: a new manual that serves at once, is refused publication while it is a
draft, and says what is still to do."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from qmsdocs.cli import _read_manual, main
from qmsdocs.glossary import load_site_vocabulary
from qmsdocs.scaffold import init_project, pending_lines, pending_pages, render_project
from qmsdocs.standards import load_builtin_catalogue

STARTER = Path(__file__).resolve().parents[1] / "src" / "qmsdocs" / "starter"


def _init(target: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["init", str(target), *args])
    return result.exit_code, result.output


def _build(root: Path, *, serve: bool = False) -> Path:
    config = load_config(str(root / "mkdocs.yml"))
    # MkDocs keeps one plugin object per process for `serve`; say which command this is.
    config.plugins.on_startup(command="serve" if serve else "build", dirty=False)
    build(config, serve_url="http://127.0.0.1:8000/" if serve else None)
    return Path(config.site_dir)


@pytest.mark.parametrize(
    ("language", "todo", "scope_page"),
    [
        ("en", '!!! warning "To do"', "context/scope.md"),
        ("de", '!!! warning "Zu erledigen"', "kontext/anwendungsbereich.md"),
    ],
)
def test_init_serves_is_refused_as_a_draft_and_lists_what_is_to_do(
    tmp_path: Path, language: str, todo: str, scope_page: str, plugin_log, caplog
) -> None:
    root = tmp_path / "manual"
    code, output = _init(root, "--organisation", "Acme Widgets Ltd", "--language", language)
    assert code == 0, output
    assert "Wrote" in output and "mkdocs.yml" in output

    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"]["name"] == "material"
    assert config["theme"]["language"] == language
    assert "content.tooltips" in config["theme"]["features"]
    plugins = config["plugins"]
    assert plugins[0] == "search"
    assert plugins[1] == {"qmsdocs": {"standard": "iso9001-2015"}}
    assert plugins[2] == {"macros": {"module_name": "plugins/macros"}}
    assert "from qmsdocs.macros import" in (root / "plugins" / "macros.py").read_text()

    # Every page but the home page declares clauses, is a draft, and has prompts.
    pages = sorted((root / "docs").rglob("*.md"))
    assert len(pages) > 20
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if page.name == "index.md":
            assert "{{ coverage_summary() }}" in text
            continue
        front = yaml.safe_load(text.split("---\n")[1])
        assert front["clauses"], page
        assert front["document"]["status"] == "draft"
        assert front["document"]["review_interval"] == "12 months"
        assert todo in text
    scope = (root / "docs" / scope_page).read_text(encoding="utf-8")
    assert "# not_applicable:" in scope  # present, commented out: the organisation decides
    assert "not_applicable" not in yaml.safe_load(scope.split("---\n")[1])

    # The organisation glossary loads without a finding.
    _vocabulary, findings, folder = load_site_vocabulary(root, None)
    assert findings == [] and folder == root / "glossary"

    # `mkdocs serve` shows the skeleton, warning that it is drafted, not approved.
    site = _build(root, serve=True)
    coverage = json.loads((site / "coverage.json").read_text(encoding="utf-8"))
    assert coverage["complete"] is True
    gated = [c for c in coverage["clauses"] if c["gated"]]
    assert len(gated) == 65
    assert all(c["status"] == "drafted" for c in gated)
    assert (coverage["summary"][-1]["percent"], coverage["summary"][-1]["drafted_percent"]) == (
        0.0,
        100.0,
    )
    html = (site / "coverage" / "index.html").read_text(encoding="utf-8")
    # The generated pages speak the skeleton's language (`theme.language`).
    if language == "de":
        assert "(Entwurf)" in html and "Im Entwurf, nicht freigegeben" in html
    else:
        assert "(draft)" in html and "Drafted, not approved" in html
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'class="qms-table qms-summary"' in index  # the macros module works
    warnings = [r.getMessage() for r in plugin_log.records if r.levelname == "WARNING"]
    assert warnings and all(
        "[drafted-clause]" in w or "drafted but not approved" in w for w in warnings
    )
    plugin_log.mark_all_checked()

    # `mkdocs build` refuses to publish it, and says why.
    with pytest.raises(Abort):
        _build(root)
    assert "The manual is drafted but not approved: 65 required clause(s)" in caplog.text
    plugin_log.mark_all_checked()

    # `qmsdocs check` agrees, and lists what is still to do.
    result = CliRunner().invoke(main, ["check", str(root / "mkdocs.yml")])
    assert result.exit_code == 1, result.output
    assert "65 addressed (0 approved, 65 drafted, not approved)" in result.output
    assert "0 missing" in result.output
    assert "The manual is drafted but not approved" in result.output
    lines = result.output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Still to do: "))
    assert lines[start].startswith(f"Still to do: {len(pages)} page(s)")
    assert any(scope_page in line and "draft" in line for line in lines[start:])
    manual = _read_manual(str(root / "mkdocs.yml"))
    end = next(i for i, line in enumerate(lines) if line.startswith("Not complete: "))
    assert pending_lines(manual.reading) == lines[start:end]


def test_german_skeleton_is_german(tmp_path: Path) -> None:
    files, _catalogue, _name = render_project(tmp_path, language="de", organisation="Beispiel GmbH")
    text = files["docs/kontext/kontext.md"]
    assert "## Themen, die uns beeinflussen" in text
    assert "(ISO 9001:2015 Kapitel 4.1)" in text
    assert "Qualitätsmanagementhandbuch Beispiel GmbH" in files["mkdocs.yml"]


def test_fresh_skeleton_pending_pages_follow_the_pages(tmp_path: Path) -> None:
    root = tmp_path / "manual"
    init_project(root, organisation="Acme")
    page = root / "docs" / "leadership" / "quality-policy.md"
    text = page.read_text(encoding="utf-8")
    text = text.replace("status: draft", "status: effective")
    text = text.replace('!!! warning "To do"', "!!! note")
    page.write_text(text, encoding="utf-8")
    pending = {p.page: p for p in pending_pages(_read_manual(str(root / "mkdocs.yml")).reading)}
    assert "leadership/quality-policy.md" not in pending
    roles = pending["leadership/roles.md"]
    assert roles.status == "draft" and roles.prompts == 3
    assert pending["index.md"].status is None and pending["index.md"].prompts == 1


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    root = tmp_path / "manual"
    root.mkdir()
    (root / "notes.txt").write_text("mine", encoding="utf-8")
    code, output = _init(root)
    assert code == 2
    assert "not empty" in output and "--force" in output
    assert sorted(p.name for p in root.iterdir()) == ["notes.txt"]


def test_init_refuses_a_file(tmp_path: Path) -> None:
    target = tmp_path / "manual"
    target.write_text("x", encoding="utf-8")
    code, output = _init(target)
    assert code == 2 and "is a file" in output


def test_init_refuses_an_unknown_catalogue(tmp_path: Path) -> None:
    code, output = _init(tmp_path / "manual", "--standard", "iso9999-2031")
    assert code == 2 and "cannot load the catalogue" in output
    assert not (tmp_path / "manual").exists()


def test_force_never_overwrites_or_deletes(tmp_path: Path) -> None:
    root = tmp_path / "manual"
    (root / "docs" / "context").mkdir(parents=True)
    own = {
        "mkdocs.yml": "site_name: Our own\n",
        "docs/index.md": "# Our own home page\n",
        "docs/context/scope.md": "# Our own scope\n",
        "docs/extra.md": "# Something else\n",
        "notes.txt": "keep me",
    }
    for name, text in own.items():
        (root / name).write_text(text, encoding="utf-8")
    code, output = _init(root, "--force", "--organisation", "Acme")
    assert code == 0, output
    for name, text in own.items():
        assert (root / name).read_text(encoding="utf-8") == text
    assert "Skipped 3 existing file(s)" in output
    for name in ("mkdocs.yml", "docs/index.md", "docs/context/scope.md"):
        assert f"  {name}\n" in output.split("Skipped")[1]
    assert (root / "docs" / "context" / "context.md").is_file()
    assert (root / "plugins" / "macros.py").is_file()

    # A second run writes nothing and still changes nothing.
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    code, output = _init(root, "--force")
    assert code == 0 and "Wrote nothing" in output
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_options_site_name_and_default_organisation(tmp_path: Path) -> None:
    code, output = _init(tmp_path / "a", "--site-name", "QMS handbook")
    assert code == 0
    config = yaml.safe_load((tmp_path / "a" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == "QMS handbook"
    assert "No --organisation given" in output
    assert "Our organisation" in (tmp_path / "a" / "docs" / "index.md").read_text()


def test_a_custom_catalogue_gets_every_required_clause_declared(tmp_path: Path, plugin_log) -> None:
    catalogue = tmp_path / "xyz.yml"
    catalogue.write_text(
        textwrap.dedent(
            """\
            id: xyz-100
            standard: XYZ 100
            edition: "2020"
            title: "XYZ 100:2020 Widgets - Requirements"
            clauses:
              - {id: "4", title: "Context", requirements: true}
              - {id: "4.1", title: "Understanding the context", requirements: true}
              - {id: "8", title: "Operation", requirements: true}
              - {id: "8.9", title: "Widget safety", requirements: true}
              - {id: "8.9.1", requirements: true}
              - {id: "11", title: "Widget disposal", requirements: true}
            """
        ),
        encoding="utf-8",
    )
    root = tmp_path / "manual"
    code, output = _init(root, "--standard", str(catalogue), "--organisation", "Acme")
    assert code == 0, output
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["plugins"][1] == {"qmsdocs": {"standard": "../xyz.yml"}}
    # Clauses the catalogue does not have are dropped, and so are pages left without any;
    # required clauses no page declares get a page of their own.
    context = (root / "docs" / "context" / "context.md").read_text(encoding="utf-8")
    assert 'clauses: ["4.1"]' in context
    assert "4.2" not in context
    assert not (root / "docs" / "leadership").exists()
    assert "clauses:" not in (root / "docs" / "context" / "scope.md").read_text()
    assert not (root / "docs" / "operation").exists()
    assert 'clauses: ["8.9"]' in (root / "docs" / "other" / "clause-8.md").read_text()
    assert 'clauses: ["11"]' in (root / "docs" / "other" / "clause-11.md").read_text()
    site = _build(root, serve=True)
    coverage = json.loads((site / "coverage.json").read_text(encoding="utf-8"))
    assert coverage["complete"] is True
    assert {c["status"] for c in coverage["clauses"] if c["gated"]} == {"drafted"}
    plugin_log.mark_all_checked()  # the drafted clauses, as for ISO 9001


def test_starter_texts_have_the_same_pages_and_known_clauses() -> None:
    catalogue = load_builtin_catalogue("iso9001-2015")
    en = yaml.safe_load((STARTER / "en.yml").read_text(encoding="utf-8"))
    de = yaml.safe_load((STARTER / "de.yml").read_text(encoding="utf-8"))
    assert [p["clauses"] for p in en["pages"]] == [p["clauses"] for p in de["pages"]]
    assert [p["id"].split("-", 1)[1] for p in en["pages"]] == [
        p["id"].split("-", 1)[1] for p in de["pages"]
    ]
    for data in (en, de):
        assert set(data["sections"]) >= {p["section"] for p in data["pages"]}
        for page in data["pages"]:
            assert all(c in catalogue for c in page["clauses"])
            for section in page["sections"]:
                assert section["clause"] in catalogue
                assert section["todo"].strip()
