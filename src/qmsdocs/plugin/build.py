"""Everything one build knows, made afresh in `on_config` (`mkdocs serve` reuses the plugin).

`Build` is also the small API the macros use (`qmsdocs.plugin.macros`): `catalogue`,
`vocabulary`, `context`, `glossary_page` and `report`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError

from qmsdocs.assessment import Assessment, Assessor, PageAssessment, make_recognizer
from qmsdocs.documents import today
from qmsdocs.editions import Editions, load_editions
from qmsdocs.findings import Finding, QMSDataError, Severity
from qmsdocs.gitdates import git_last_changed
from qmsdocs.glossary import load_site_vocabulary
from qmsdocs.labels import Labels, base_language, load_labels, shipped_languages
from qmsdocs.manual import FrontMatter
from qmsdocs.markdown_ext import BuildContext, PageContext
from qmsdocs.plugin.config import QMSConfig, rules_from
from qmsdocs.plugin.generated import GeneratedFiles
from qmsdocs.plugin.search import SearchText
from qmsdocs.plugin.sitepages import SitePages
from qmsdocs.plugin.translated import SiteVersion
from qmsdocs.records import PageRecord, Reference
from qmsdocs.render import Renderer
from qmsdocs.senses import TermSenses, never_pattern
from qmsdocs.standards import Catalogue
from qmsdocs.terms import TermMatcher
from qmsdocs.vocabulary import Vocabulary

# The language of the shipped vocabulary: terms are linked on pages written in it.
VOCABULARY_LANGUAGE = "en"

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

__all__ = ["Build"]


@dataclass
class Build:
    """One build's data, what it has read of the manual so far, and its verdict.

    Attributes:
        options: The plugin's options.
        editions: The manual's edition and the others loaded beside it.
        vocabulary: ISO 9000 terms and the organisation's own.
        context: What the Markdown extension shares across pages.
        assessor: Reads each page's source for the verdict (`qmsdocs.assessment`).
        generated: Where the generated files go.
        data_files: The manual's own data files, for `mkdocs serve` to watch.
        findings: Problems with the data (glossary files) and those the macros report.
        pages: Each page of the manual, as the assessor read it.
        records: What rendering each page added (anchors, terms used, rendering problems).
        dynamic: Pages of the manual that hold placeholders (written by the macros).
        labels: The words of the generated pages, in the site's language (`language`).
    """

    options: QMSConfig
    editions: Editions
    vocabulary: Vocabulary
    context: BuildContext
    assessor: Assessor
    generated: GeneratedFiles
    renderer: Renderer
    today: dt.date
    git_dates: dict[str, dt.date]
    data_files: list[Path]
    findings: list[Finding]
    pages: dict[str, PageAssessment] = field(default_factory=dict)
    records: dict[str, PageRecord] = field(default_factory=dict)
    dynamic: set[str] = field(default_factory=set)
    language: str = VOCABULARY_LANGUAGE  # the site's (`theme.language`)
    labels: Labels = field(default_factory=lambda: load_labels(VOCABULARY_LANGUAGE))
    version: SiteVersion = field(default_factory=SiteVersion)  # of a translated site
    search_text: SearchText = field(default_factory=SearchText)
    assessment: Assessment | None = None
    register: list[dict[str, Any]] = field(default_factory=list)  # made in on_env
    cited: list[Reference] = field(default_factory=list)  # by the macros

    @classmethod
    def start(cls, options: QMSConfig, config: MkDocsConfig) -> Build:
        """Load the catalogues and the glossary, once per build; unusable data stops here."""
        base_dir = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        try:
            editions = load_editions(
                options.standard, options.editions, base_dir, options.confirmed
            )
        except QMSDataError as error:
            raise PluginError(data_error_message("the catalogue", error)) from None
        try:
            vocabulary, findings, folder = load_site_vocabulary(
                base_dir, options.glossary_dir, iso_terms=options.iso_terms
            )
        except QMSDataError as error:
            raise PluginError(data_error_message("the glossary", error)) from None
        data_files = [
            path if path.is_absolute() else base_dir / path
            for path in map(Path, (options.standard, *options.editions))
            if path.suffix in (".yml", ".yaml")
        ]
        version = SiteVersion.of(config)
        language = str(version.language or config.theme.get("language") or VOCABULARY_LANGUAGE)
        labels = load_labels(language, options.labels)
        if labels.fallback:
            findings = [*findings, untranslated(language)]
        generated = GeneratedFiles.plan(options, editions, labels)
        rules = rules_from(options)
        recognizer = make_recognizer(editions, rules)
        # One matcher per language the terms are in: a page is read with its language's terms.
        languages = sorted({term.language for term in vocabulary} | {VOCABULARY_LANGUAGE})
        matchers = {
            language: TermMatcher([t for t in vocabulary if t.language == language])
            for language in languages
        }
        context = BuildContext(
            recognizer,
            generated.layout,
            vocabulary,
            matchers.get(VOCABULARY_LANGUAGE) if options.link_terms != "off" else None,
            generated.glossary_page,
            options.tooltip_length,
            senses=TermSenses(
                vocabulary,
                term_switches(vocabulary, options.term_links),
                options.not_terms,
            ),
            matchers=matchers if options.link_terms != "off" else {},
        )
        return cls(
            options,
            editions,
            vocabulary,
            context,
            Assessor(editions, rules, recognizer, vocabulary),
            generated,
            Renderer(config.theme.get_env(), labels),
            today(),
            git_last_changed(Path(config.docs_dir)) if options.git_dates else {},
            [*data_files, *([folder] if folder is not None else [])],
            list(findings),
            language=language[:2].lower(),
            labels=labels,
            version=version,
        )

    # The macros' API ---------------------------------------------------------------------------

    @property
    def catalogue(self) -> Catalogue:
        """The catalogue the manual is written against."""
        return self.editions.primary

    @property
    def glossary_page(self) -> str | None:
        """Docs path of the generated glossary (None: no glossary, no term links)."""
        return self.generated.glossary_page

    def report(self, finding: Finding) -> None:
        """Report a finding from outside the plugin (the macros); it joins the build's report."""
        self.findings.append(finding)

    def cite(self, reference: Reference) -> None:
        """Record a page's reference to a clause made by a macro (its source holds the call)."""
        self.cited.append(reference)

    # Page by page ------------------------------------------------------------------------------

    def read_page(self, page: Page, files: Files) -> PageContext:
        """Read a page of the manual from its own source (another plugin may have rewritten
        the Markdown MkDocs hands over) and say how the extension renders it."""
        src = page.file.src_uri
        if self.generated.is_generated(src):
            return PageContext(
                src,
                clause_page=self.generated.clause_pages.get(src),
                generated=True,
                heading_ids=self.generated.heading_ids.get(src, {}),
                resolve=SitePages(files).resolver(page.file),
            )
        try:
            assessed = self.assessor.page(src, page.file.content_string)
        except (OSError, UnicodeDecodeError) as error:
            assessed = PageAssessment(src, FrontMatter(src))
            assessed.findings.append(
                Finding("unreadable-page", f"cannot read the page: {error}", src)
            )
        self.pages[src] = assessed
        options = assessed.front.options
        return PageContext(
            src,
            link_clauses=_first(options.link_clauses, self.options.link_clauses),
            link_terms=_first(options.link_terms, self.options.link_terms),
            resolve=SitePages(files).resolver(page.file),
            binding=assessed.binding,
            not_terms=never_pattern(options.not_terms),
            language=page_language(src, page.meta, self.language, page.file),
        )

    @property
    def verdict(self) -> Assessment:
        """The manual's verdict; drawn once every page is rendered (see `conclude`)."""
        if self.assessment is None:
            raise RuntimeError("the verdict is drawn in on_env, after every page is rendered")
        return self.assessment

    def conclude(self) -> Assessment:
        """Draw the verdict from every page read, with the anchors rendering gave headings."""
        for reference in self.cited:
            if reference.page in self.pages:
                self.pages[reference.page].references.append(reference)
        self.assessment = self.assessor.manual(
            self.pages.values(),
            on=self.today,
            anchors={path: record.headings for path, record in self.records.items()},
        )
        return self.assessment

    def all_findings(self) -> list[Finding]:
        """Every finding of the build: the data's, the manual's, rendering's, the macros'."""
        rendering = [f for record in self.records.values() for f in record.findings]
        return [*self.findings, *self.verdict.findings, *rendering]


def untranslated(language: str) -> Finding:
    """The site's language is one qmsdocs has no labels in: its generated pages are English."""
    return Finding(
        "untranslated-pages",
        f"no words for the generated pages in the site's language '{language}': they are in "
        "English",
        hint="qmsdocs speaks "
        + ", ".join(shipped_languages())
        + f"; the plugin option `labels: {{{base_language(language) or language}: {{...}}}}` "
        "gives the words in yours",
        severity=Severity.INFO,
    )


def term_switches(vocabulary: Vocabulary, switches: Mapping[str, bool]) -> dict[str, bool]:
    """`term_links` by term key; a name that is no term of the glossary stops the build."""
    keys: dict[str, bool] = {}
    for name, value in switches.items():
        term = vocabulary.get(name) or vocabulary.lookup(name)
        if term is None:
            hint = vocabulary.suggest(name)
            raise PluginError(
                f"qmsdocs: term_links: '{name}' is no term of the glossary"
                + (f" ({hint})" if hint else "")
            )
        keys[term.key] = value
    return keys


def page_language(src: str, meta: Mapping[str, Any], site: str, file: object = None) -> str:
    """The language a page is written in: front matter `lang` or `language`, the language
    mkdocs-static-i18n gave its file (an untranslated page shown in another language's version
    is still in its own), a language suffix (`page.de.md`) or folder (`de/page.md`) as i18n
    plugins use them, else the site's (`theme.language`)."""
    for key in ("lang", "language"):
        value = meta.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip().lower()[:2]
    locale = getattr(file, "locale", None)
    if isinstance(locale, str) and locale:
        return locale.lower()[:2]
    name = src.rsplit("/", 1)[-1]
    parts = name.split(".")
    if len(parts) >= 3 and len(parts[-2]) == 2 and parts[-2].isalpha():
        return parts[-2].lower()
    first = src.split("/", 1)[0]
    if "/" in src and len(first) == 2 and first.isalpha() and first.islower():
        return first
    return site


def _first(page_value: Any, site_value: Any) -> Any:
    return site_value if page_value is None else page_value


def data_error_message(what: str, error: QMSDataError) -> str:
    lines = [f"qmsdocs: cannot load {what}:"]
    lines += [f"  {finding}" for finding in error.findings]
    return "\n".join(lines)
