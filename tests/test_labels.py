"""The words of the generated pages in the site's language (`qmsdocs.labels`): the label files,
the look-up, and real builds in German, French, Spanish and a language qmsdocs does not ship."""

from __future__ import annotations

import html
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from markupsafe import Markup
from mkdocs.exceptions import Abort, ConfigurationError

from qmsdocs.coverage import STATUS_LABELS
from qmsdocs.documents import STATUSES
from qmsdocs.editions import load_editions
from qmsdocs.glossary import sections
from qmsdocs.labels import (
    Labels,
    base_language,
    check_overrides,
    fields_of,
    load_labels,
    shipped_languages,
)
from qmsdocs.layout import Layout
from qmsdocs.pages import (
    clause_page_markdown,
    coverage_page_markdown,
    glossary_page_markdown,
    register_page_markdown,
    transition_page_markdown,
)
from qmsdocs.records import DRAFT_STATUSES
from qmsdocs.render import Renderer
from qmsdocs.transition import CHANGE_LABELS
from qmsdocs.vocabulary import load_vocabulary

from .conftest import Site, build_site

FOLDER = resources.files("qmsdocs").joinpath("labels")
TEMPLATES = resources.files("qmsdocs").joinpath("templates", "qmsdocs")
SRC = Path(__file__).resolve().parents[1] / "src" / "qmsdocs"


def shipped(language: str) -> dict[str, Any]:
    data = yaml.safe_load(FOLDER.joinpath(f"{language}.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


ENGLISH = shipped("en")
OTHERS = [language for language in shipped_languages() if language != "en"]


def fake_labels(language: str = "xx") -> Labels:
    """Labels of a language whose every label is its key in brackets: whatever English is
    left on a page rendered with them is hard-coded."""
    marks = {key: f"⟪{key}⟫" for key in ENGLISH}
    return Labels(language, language, marks, marks)


# The label files -----------------------------------------------------------------------------


def test_qmsdocs_speaks_four_languages() -> None:
    assert shipped_languages() == ["de", "en", "es", "fr"]


@pytest.mark.parametrize("language", OTHERS)
def test_every_language_has_the_english_keys_and_no_others(language: str) -> None:
    labels = shipped(language)
    assert sorted(set(ENGLISH) - set(labels)) == []
    assert sorted(set(labels) - set(ENGLISH)) == []


@pytest.mark.parametrize("language", OTHERS)
def test_every_label_has_the_english_placeholders_and_plural_forms(language: str) -> None:
    labels = shipped(language)
    for key, english in ENGLISH.items():
        assert fields_of(labels[key]) == fields_of(english), key
        if isinstance(english, dict):
            assert isinstance(labels[key], dict) and set(labels[key]) == set(english), key
        else:
            assert isinstance(labels[key], str), key


@pytest.mark.parametrize("language", shipped_languages())
def test_no_label_is_empty(language: str) -> None:
    for key, label in shipped(language).items():
        texts = [label] if isinstance(label, str) else list(label.values())
        assert texts and all(isinstance(t, str) and t.strip() for t in texts), key


@pytest.mark.parametrize("language", shipped_languages())
def test_heading_labels_hold_no_quotes(language: str) -> None:
    """Typographic extensions (smarty) turn quotes in a heading into entities; the heading's
    text must stay what `qmsdocs.pages` expects, so that it gets its stable id."""
    labels = shipped(language)
    for key in (
        "coverage.summary_heading",
        "coverage.clauses_heading",
        "coverage.pages_heading",
        "exports.heading",
        "glossary.a_to_z",
        "glossary.organisation",
    ):
        assert not re.search("['\"`«»„“”‘’]", labels[key]), key


def label_keys_used() -> set[str]:
    """The keys the code and the templates name literally."""
    used: set[str] = set()
    for template in TEMPLATES.iterdir():
        used |= set(re.findall(r"""\bt\(\s*"([a-z_.-]+)"(?!\s*~)""", template.read_text("utf-8")))
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""labels\(\s*"([a-z_.-]+)"\s*[,)]""", text))
        used |= set(re.findall(r"""_say\(\s*labels,\s*"([a-z_.-]+)\"""", text))
    return used


def test_every_key_the_code_names_exists() -> None:
    used = label_keys_used()
    assert len(used) > 60
    assert sorted(used - set(ENGLISH)) == []


def test_every_key_made_from_a_value_exists() -> None:
    """Keys made from a status, a change or a confidence, one for each value it can have."""
    expected = {f"status.{s}" for s in STATUS_LABELS}
    expected |= {f"document.status.{s}" for s in STATUSES}
    expected |= {f"change.{c}" for c in CHANGE_LABELS}
    expected |= {f"mark.{s}" for s in (*DRAFT_STATUSES, "to-do")}
    expected |= {f"clause.confidence.{c}" for c in ("high", "medium", "low")}
    expected |= {f"document.{part}.{s}" for part in ("banner", "banner_title") for s in
                 ("draft", "in-review", "superseded")}  # fmt: skip
    assert sorted(expected - set(ENGLISH)) == []


def test_every_english_label_is_used() -> None:
    """Each key is written out somewhere, or made from a value (see above)."""
    literals: set[str] = set()
    for path in [*SRC.rglob("*.py"), *(Path(str(t)) for t in TEMPLATES.iterdir())]:
        literals |= set(re.findall(r"""["']([a-z_.-]+)["']""", path.read_text("utf-8")))
    made = ("status.", "document.status.", "change.", "mark.", "clause.confidence.")
    made += ("document.banner.", "document.banner_title.")
    unused = set(ENGLISH) - literals
    assert sorted(k for k in unused if not k.startswith(made)) == []


# Looking labels up ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "base"),
    [("de", "de"), ("de-CH", "de"), ("de_AT", "de"), ("DE", "de"), ("fr-CA", "fr"), ("", "")],
)
def test_a_language_code_has_a_base_language(code: str, base: str) -> None:
    assert base_language(code) == base


@pytest.mark.parametrize("code", ["de", "de-CH", "de_AT"])
def test_a_regional_code_gets_its_language(code: str) -> None:
    labels = load_labels(code)
    assert (labels.language, labels.fallback) == ("de", False)
    assert labels("glossary.a_to_z") == "A bis Z"


@pytest.mark.parametrize("code", ["xx", "nl", "pt-BR", ""])
def test_a_language_without_labels_is_english(code: str) -> None:
    labels = load_labels(code)
    assert (labels.language, labels.fallback) == ("en", True)
    assert labels("glossary.a_to_z") == "A to Z"


def test_english_is_no_fallback() -> None:
    assert load_labels("en").fallback is False
    assert load_labels("en-GB").fallback is False


def test_a_key_missing_in_a_language_is_english() -> None:
    labels = Labels("de", "de", {"glossary.title": "Glossar"}, {**ENGLISH})
    assert labels("glossary.title") == "Glossar"
    assert labels("register.title") == "Document register"


def test_an_unknown_key_shows_itself() -> None:
    assert load_labels("de")("no.such.label") == "no.such.label"


def test_fields_are_filled_in_and_an_unknown_one_stays() -> None:
    labels = load_labels("en")
    assert labels("coverage.title_of", standard="ISO 9001:2015") == (
        "Clause coverage: ISO 9001:2015"
    )
    assert labels("coverage.title_of") == "Clause coverage: {standard}"


@pytest.mark.parametrize(
    ("language", "count", "text"),
    [
        ("en", 0, "and 0 more pages"),
        ("en", 1, "and 1 more page"),
        ("en", 2, "and 2 more pages"),
        ("de", 1, "und 1 weitere Seite"),
        ("de", 3, "und 3 weitere Seiten"),
        ("fr", 0, "et 0 autre page"),  # French counts zero as one
        ("fr", 1, "et 1 autre page"),
        ("fr", 2, "et 2 autres pages"),
        ("es", 1, "y 1 página más"),
        ("es", 4, "y 4 páginas más"),
    ],
)
def test_a_counted_label_takes_the_plural_form_of_its_language(
    language: str, count: int, text: str
) -> None:
    assert load_labels(language)("more_pages", count) == text


def test_the_count_can_be_shown_otherwise() -> None:
    labels = load_labels("en")
    assert labels("more_pages", 2, count="two") == "and two more pages"


def test_the_templates_t_escapes_text_and_values_but_keeps_markup() -> None:
    labels = Labels("xx", "xx", {"a": 'Say "{x}" & {y}\'s'}, {})
    t = Renderer(labels=labels).env.globals["t"]
    out = t("a", x="<b>", y=Markup("<i>it</i>"))
    assert isinstance(out, Markup)
    assert out == "Say &#34;&lt;b&gt;&#34; &amp; <i>it</i>'s"


def test_a_renderer_keeps_its_words_out_of_the_themes_environment() -> None:
    import jinja2

    theme = jinja2.Environment()
    Renderer(theme, load_labels("de"))
    assert "t" not in theme.globals and "labels" not in theme.globals


# The organisation's own labels (plugin option `labels`) --------------------------------------


def test_an_organisation_replaces_a_label() -> None:
    labels = load_labels("de-CH", {"de": {"register.title": "Dokumentenlenkung"}})
    assert labels("register.title") == "Dokumentenlenkung"
    assert labels("glossary.title") == "Glossar"


def test_an_organisation_adds_a_language() -> None:
    labels = load_labels("nl", {"nl": {"glossary.title": "Woordenlijst"}})
    assert (labels.language, labels.fallback) == ("nl", False)
    assert labels("glossary.title") == "Woordenlijst"
    assert labels("register.title") == "Document register"  # what it leaves out is English


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"de": {"register.titel": "x"}}, "de.register.titel: qmsdocs has no label"),
        ({"de": {"register.titel": "x"}}, "did you mean 'register.title'?"),
        (
            {"de": {"coverage.title_of": "Abdeckung {norm}"}},
            "de.coverage.title_of: the label has no placeholder {norm} (it has {standard})",
        ),
        ({"de": {"glossary.title": 3}}, "a label is text"),
        ({"de": {"more_pages": {"one": "x", "few": "y"}}}, "the forms 'one' and 'other'"),
        ({"German": {"glossary.title": "x"}}, "'German' is not a language code"),
        ({"de": ["glossary.title"]}, "give the labels as a mapping"),
    ],
)
def test_what_is_wrong_with_an_organisations_labels(
    overrides: dict[str, Any], problem: str
) -> None:
    assert any(problem in p for p in check_overrides(overrides)), check_overrides(overrides)


def test_good_overrides_have_no_problems() -> None:
    overrides = {
        "de": {"register.title": "Dokumentenlenkung", "more_pages": {"one": "+{count}"}},
        "nl": {"coverage.title_of": "Dekking: {standard}"},
    }
    assert check_overrides(overrides) == []


# No English is left in the templates and the generated Markdown ------------------------------

# Attributes whose values readers see (or hear): their words must be labels too.
_READ_ATTRIBUTES = re.compile(r'\b(?:title|aria-label|alt|placeholder)="([^"]*)"')


@pytest.mark.parametrize("name", sorted(t.name for t in TEMPLATES.iterdir()))
def test_no_template_holds_words_of_its_own(name: str) -> None:
    source = TEMPLATES.joinpath(name).read_text(encoding="utf-8")
    code = re.sub(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", "", source, flags=re.DOTALL)
    for value in _READ_ATTRIBUTES.findall(code):
        assert not re.search(r"[A-Za-z]", value), (name, value)
    # What code elements hold is syntax (`term:`), not words.
    code = re.sub(r"<code>.*?</code>", "", code, flags=re.DOTALL)
    text = re.sub(r"<[^>]*>|&[a-z]+;|&#\d+;", "", code)
    assert not re.search(r"[A-Za-z]{2,}", text), (name, re.findall(r"[A-Za-z]{2,}", text))


def english_words() -> set[str]:
    """Words of the English labels that are no data a page shows anyway (clause titles)."""
    words: set[str] = set()
    for label in ENGLISH.values():
        for text in [label] if isinstance(label, str) else label.values():
            words |= {w.lower() for w in re.findall(r"[A-Za-z]{4,}", text)}
    return words


def words_left(text: str, data: list[str]) -> set[str]:
    """The English labels' words in `text`, once the fake labels and `data` are taken out."""
    syntax = r"⟪[^⟫]*⟫|<!-- qmsdocs:[^>]*-->|^title: |^qmsdocs_generated: [a-z-]+$"
    text = re.sub(syntax, " ", text, flags=re.MULTILINE)
    for value in sorted({d for d in data if d.strip()}, key=len, reverse=True):
        text = text.replace(value, " ")
    return {w for w in re.findall(r"[A-Za-z]{4,}", text) if w.lower() in english_words()}


def test_no_generated_page_markdown_holds_english_words() -> None:
    editions = load_editions("iso9001-2015", ["iso9001-2026"], Path.cwd())
    layout = Layout(editions.catalogues, "clauses")
    labels = fake_labels()
    data = ["coverage.json", "coverage.csv", "qmsdocs/schemas/coverage.schema.json"]
    for catalogue in editions.catalogues:
        data += [catalogue.label, catalogue.title]
        data += [catalogue.heading(c.id) for c in catalogue] + [c.title or "" for c in catalogue]
    pages = [clause_page_markdown(page, layout, labels) for page in layout.pages()]
    pages.append(coverage_page_markdown(editions.primary, "c.json", "c.csv", labels)[0])
    others = [(editions.others[0], "c2.json", "c2.csv")]
    pages.append(coverage_page_markdown(editions.primary, "c.json", "c.csv", labels, others)[0])
    pages.append(register_page_markdown("d.json", "d.csv", labels)[0])
    transition = editions.transition()
    assert transition is not None
    pages.append(transition_page_markdown(transition, labels)[0])
    vocabulary, _findings = load_vocabulary([])
    groups = sections(vocabulary, vocabulary.terms)
    data += [f"{g.id} {g.title}" for g in groups]
    pages.append(glossary_page_markdown(groups, labels)[0])
    # The unescaped text: Markdown escapes would split words.
    left = {w for page in pages for w in words_left(page.replace("\\", ""), data)}
    assert left == set()


# Real builds --------------------------------------------------------------------------------

CONTROLLED = """\
---
clauses: ["8.4.1", "8.4.2", "8.4.3"]
document:
  id: QM-08
  revision: "2"
  status: draft
  owner: Qualitätsmanagerin
  review_due: 2027-03-01
  history:
    - {revision: "2", date: 2026-02-20, author: A. Autor, change: Erste Ausgabe}
---

# Einkauf

Lieferanten werden nach Abschnitt 8.4.1 gesteuert, und die Auditorin prüft es.

## Externe Anbieter

Wie wir externe Anbieter auswählen, beurteilen und überwachen.
"""
# Links to the anchors of the generated pages: they must resolve in every language.
LINKS = """\
# Start

[Zusammenfassung](coverage.md#summary), [Abschnitt für Abschnitt](coverage.md#clause-by-clause),
[Seiten](coverage.md#pages-and-the-clauses-they-address), [Exporte](coverage.md#exports),
[A bis Z](glossary.md#a-to-z), [Personen](glossary.md#group-3-1),
[Verzeichnis](documents.md#exports), [Historie](procedure.md#revision-history),
[Lenkung](procedure.md#document-control).
"""
ANCHORS = [
    ("coverage", "summary"),
    ("coverage", "clause-by-clause"),
    ("coverage", "pages-and-the-clauses-they-address"),
    ("coverage", "exports"),
    ("glossary", "a-to-z"),
    ("glossary", "group-3-1"),
    ("documents", "exports"),
]


def build_in(root: Path, language: str, **extra: Any) -> Site:
    """A small manual in `language` (Material's `theme.language`), built strictly: a link to
    an anchor that no page has fails the build."""
    options = {"publish_drafts": True, **extra.pop("options", {})}
    links = LINKS if options.get("iso_terms", True) else LINKS.replace("group-3-1", "a-to-z")
    return build_site(
        root,
        {"index.md": links, "procedure.md": CONTROLLED},
        strict=True,
        theme={"name": "material", "language": language, **extra.pop("theme", {})},
        plugins=["search", {"qmsdocs": options}],
        validation={"anchors": "warn"},
        **extra,
    )


def article(site: Site, page: str) -> str:
    """The text of a built page's article, tags taken out."""
    source = site.page(page)
    content = source[source.index("<article") : source.index("</article>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())


def heading_ids(site: Site, page: str) -> dict[str, str]:
    """id -> text of the page's headings."""
    found = re.findall(r'<h[1-6][^>]*\bid="([^"]+)"[^>]*>(.*?)</h[1-6]>', site.page(page))
    return {id: html.unescape(re.sub(r"<[^>]+>", "", text)).strip() for id, text in found}


@pytest.fixture(scope="module")
def german(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return build_in(tmp_path_factory.mktemp("de"), "de")


def test_the_coverage_page_speaks_german(german: Site) -> None:
    ids = heading_ids(german, "coverage.md")
    assert ids["summary"] == "Zusammenfassung"
    assert ids["clause-by-clause"] == "Abschnitt für Abschnitt"
    pages = "Seiten und die Abschnitte, die sie behandeln"
    assert ids["pages-and-the-clauses-they-address"] == pages
    assert ids["exports"] == "Exporte"
    text = article(german, "coverage.md")
    assert "Abdeckung der Abschnitte: ISO 9001:2015" in text
    assert "Jeder geforderte Abschnitt ist behandelt oder als nicht anwendbar erklärt" in text
    assert "Alle Abschnitte" in text and "Nicht anwendbar" in text
    assert "Abgedeckt über übergeordneten Abschnitt (4)" in text
    assert "im Front Matter angegeben" in text
    assert "dieselben Daten für Werkzeuge, mit einem JSON-Schema im Paket qmsdocs" in text
    assert "(Entwurf)" in text  # the draft mark of a page addressed by a draft
    assert 'aria-label="100.0 Prozent"' in german.page("coverage.md")
    assert "<title>Abdeckung der Abschnitte - Test manual</title>" in german.page("coverage.md")


def test_a_clause_page_speaks_german(german: Site) -> None:
    text = article(german, "clauses/iso9001-2015/8.md")
    assert "Abschnittsnummern und -überschriften sind die der ISO 9001:2015" in text
    assert "Behandelt in Einkauf" in text
    assert "Erwähnt auf Einkauf" in text
    assert "Erwähnt auf keiner Seite dieses Handbuchs" in text
    assert "Im Entwurf, nicht freigegeben" in text
    index = article(german, "clauses/iso9001-2015/index.md")
    assert "Die Abschnitte der ISO 9001:2015, jeweils mit den Seiten" in index
    assert "Abschnitt Überschrift Unterabschnitte" in index


def test_the_register_and_the_panel_speak_german(german: Site) -> None:
    register = article(german, "documents.md")
    assert register.startswith("Dokumentenverzeichnis Jedes gelenkte Dokument")
    assert "Dokument Titel Revision Status Verantwortlich Gültig ab Nächste Überprüfung" in register
    assert "QM-08 Einkauf 2 Entwurf" in register
    panel = article(german, "procedure.md")
    assert "Dokument im Entwurf Dies ist ein Entwurf." in panel
    assert "Dokument QM-08 Revision 2 Status Entwurf Verantwortlich Qualitätsmanagerin" in panel
    assert "Änderungshistorie Revision Datum Autor Änderung" in panel
    assert heading_ids(german, "procedure.md")["revision-history"] == "Änderungshistorie"


def test_the_exports_stay_english(german: Site) -> None:
    documents = json.loads(german.html("documents.json"))["documents"]
    assert documents[0]["status_label"] == "Draft"
    assert "covered" in german.html("coverage.csv")


def test_the_search_index_reads_the_panel_in_german(german: Site) -> None:
    index = json.loads(german.html("search/search_index.json"))["docs"]
    texts = [d["text"] for d in index if d["location"].startswith("procedure/")]
    assert any("Dokument: QM-08; Revision: 2; Status: Entwurf" in t for t in texts)


def test_the_glossary_speaks_german(german: Site) -> None:
    text = article(german, "glossary.md")
    assert text.startswith("Glossar Die Erläuterungen auf dieser Seite")
    assert "Unsere Erläuterung" in text and "Siehe auch" in text and "Verwendet auf" in text
    ids = heading_ids(german, "glossary.md")
    assert ids["a-to-z"] == "A bis Z"
    assert ids["group-3-1"].startswith("3.1 ")
    assert 'aria-label="Glossar-Index"' in german.page("glossary.md")


def test_the_navigation_speaks_german(german: Site) -> None:
    page = german.page("index.md")
    nav = page[page.index('<nav class="md-nav md-nav--primary"') :]
    for title in ("Abschnittsverzeichnis", "Abdeckung der Abschnitte", "Dokumentenverzeichnis"):
        assert title in nav
    assert re.search(r">\s*Glossar\s*<", nav)


def test_the_linked_anchors_resolve_in_german(german: Site) -> None:
    """The build is strict and checks anchors: it would have failed on a missing one."""
    for page, anchor in ANCHORS:
        assert f'id="{anchor}"' in german.page(f"{page}.md"), (page, anchor)


@pytest.mark.parametrize(
    ("language", "headings"),
    [
        (
            "fr",
            {
                "summary": "Synthèse",
                "clause-by-clause": "Article par article",
                "pages-and-the-clauses-they-address": "Pages et articles traités",
                "exports": "Exports",
            },
        ),
        (
            "es",
            {
                "summary": "Resumen",
                "clause-by-clause": "Apartado por apartado",
                "pages-and-the-clauses-they-address": "Páginas y apartados que tratan",
                "exports": "Exportaciones",
            },
        ),
    ],
)
def test_the_coverage_page_speaks_french_and_spanish(
    tmp_path: Path, language: str, headings: dict[str, str]
) -> None:
    site = build_in(tmp_path, language)
    ids = heading_ids(site, "coverage.md")
    assert {id: ids[id] for id in headings} == headings
    for page, anchor in ANCHORS:
        assert f'id="{anchor}"' in site.page(f"{page}.md"), (page, anchor)


def material_language(root: Path, language: str) -> None:
    """Teach Material a language (its own words copied from English) through `custom_dir`."""
    import material

    english = Path(material.__file__).parent / "templates" / "partials" / "languages" / "en.html"
    folder = root / "overrides" / "partials" / "languages"
    folder.mkdir(parents=True)
    (folder / f"{language}.html").write_text(english.read_text("utf-8"), encoding="utf-8")


def test_a_language_qmsdocs_does_not_ship_is_english(tmp_path: Path, plugin_log: Any) -> None:
    material_language(tmp_path, "xx")
    site = build_in(tmp_path, "xx", theme={"custom_dir": "overrides"})
    assert heading_ids(site, "coverage.md")["summary"] == "Summary"
    assert "Document register" in article(site, "documents.md")
    assert "Revision history" in article(site, "procedure.md")
    said = [message for level, message in plugin_log.actual() if "untranslated-pages" in message]
    assert len(said) == 1 and said[0].startswith(
        "qmsdocs: no words for the generated pages in the site's language 'xx': they are in "
        "English (qmsdocs speaks de, en, es, fr; the plugin option `labels: {xx: {...}}`"
    )
    assert ("INFO", said[0]) in plugin_log.actual()


def test_no_english_is_left_on_the_generated_pages(tmp_path: Path) -> None:
    """A language whose every label is its key: what English the pages still show is data
    (clause titles, the glossary's own entries), never a label."""
    material_language(tmp_path, "xx")
    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "own.yml").write_text(
        "terms:\n  - term: Zzyzx\n    admitted: [Zyx]\n    explanation: Qwyx vlor.\n",
        encoding="utf-8",
    )
    marks = {key: f"⟪{key}⟫" for key in ENGLISH if isinstance(ENGLISH[key], str)}
    marks |= {
        key: {"one": f"⟪{key}⟫ {{count}}", "other": f"⟪{key}⟫ {{count}}"}
        for key, label in ENGLISH.items()
        if not isinstance(label, str)
    }
    site = build_in(
        tmp_path,
        "xx",
        theme={"custom_dir": "overrides"},
        options={"labels": {"xx": marks}, "iso_terms": False, "editions": ["iso9001-2026"]},
    )
    editions = load_editions("iso9001-2015", ["iso9001-2026"], Path.cwd())
    data = ["Einkauf", "Externe Anbieter", "Test manual", "Start", "Zzyzx", "Zyx", "Qwyx vlor"]
    for catalogue in editions.catalogues:
        data += [catalogue.label, catalogue.title]
        data += [catalogue.heading(c.id) for c in catalogue] + [c.title or "" for c in catalogue]
    transition = editions.transition()
    assert transition is not None
    data += [entry.note for entry in transition.entries if entry.note]
    pages = [
        "coverage.md",
        "documents.md",
        "glossary.md",
        "transition.md",
        "procedure.md",
        "clauses/iso9001-2015/index.md",
        "clauses/iso9001-2015/8.md",
        "clauses/iso9001-2026/index.md",
        "clauses/iso9001-2026/8.md",
    ]
    for page in pages:
        assert words_left(article(site, page), data) == set(), page
    nav = site.page("index.md")
    assert "⟪edition.provisional⟫" in nav and "(provisional)" not in nav


def test_an_organisations_own_words_reach_the_pages(tmp_path: Path) -> None:
    site = build_in(
        tmp_path,
        "de",
        options={"labels": {"de": {"register.title": "Dokumentenlenkung"}}},
    )
    assert article(site, "documents.md").startswith("Dokumentenlenkung Jedes gelenkte")
    assert "Dokumentenlenkung" in site.page("index.md")  # the navigation too


def test_a_label_that_qmsdocs_does_not_have_is_an_error(tmp_path: Path, caplog: Any) -> None:
    with pytest.raises((Abort, ConfigurationError)):
        build_in(tmp_path, "de", options={"labels": {"de": {"register.titel": "x"}}})
    assert "qmsdocs has no label 'register.titel'; did you mean 'register.title'?" in caplog.text


def test_a_sites_own_template_speaks_the_sites_language(tmp_path: Path) -> None:
    overrides = tmp_path / "overrides" / "qmsdocs"
    overrides.mkdir(parents=True)
    (overrides / "clause-notice.html").write_text(
        '<p class="ours">{{ t("clause.notice", standard=label) }} ({{ labels.language }})</p>',
        encoding="utf-8",
    )
    site = build_in(tmp_path, "de", theme={"custom_dir": "overrides"})
    page = site.page("clauses/iso9001-2015/8.md")
    assert '<p class="ours">Abschnittsnummern und -überschriften sind die der ISO' in page
    assert "(de)</p>" in page


def test_a_translated_sites_versions_speak_their_languages(tmp_path: Path) -> None:
    from .test_translated import ENGLISH as ENGLISH_PAGE
    from .test_translated import GERMAN, languages

    site = build_site(
        tmp_path, {"purchasing.md": ENGLISH_PAGE, "purchasing.de.md": GERMAN}, **languages("suffix")
    )
    assert heading_ids(site, "coverage.md")["summary"] == "Summary"
    german = site.html("de/coverage/index.html")
    assert '<h2 id="summary"' in german and "Zusammenfassung" in german
