"""Everything one build of a site knows, whatever builds it.

The MkDocs plugin makes one per build (`qmsdocs.plugin.build.Build` adds what is MkDocs' own),
and so do `qmsdocs generate` and the Markdown extension when it runs without the plugin
(`qmsdocs.standalone`): the same catalogues, glossary, recogniser, layout and assessor, the same
way of reading a page, the same verdict. No MkDocs import here.

`SiteBuild` is also the small API the macros use (`qmsdocs.plugin.macros`): `catalogue`,
`vocabulary`, `context`, `glossary_page`, `report` and `cite`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from qmsdocs.assessment import Assessment, Assessor, PageAssessment, Rules, make_recognizer
from qmsdocs.documents import today
from qmsdocs.editions import Editions, load_editions
from qmsdocs.exports import generator
from qmsdocs.findings import Finding, QMSDataError, Severity
from qmsdocs.gitdates import git_last_changed
from qmsdocs.glossary import load_site_vocabulary
from qmsdocs.labels import Labels, base_language, load_labels, shipped_languages
from qmsdocs.manual import FrontMatter
from qmsdocs.markdown_ext import BuildContext, PageContext
from qmsdocs.outputs import Outputs
from qmsdocs.readahead import ReadAhead
from qmsdocs.readcache import ReadCache, fingerprint
from qmsdocs.records import PageRecord, Reference
from qmsdocs.references import Recognizer
from qmsdocs.render import CompiledTemplates, Renderer
from qmsdocs.senses import TermSenses, never_pattern
from qmsdocs.standards import Catalogue
from qmsdocs.terms import TermMatcher
from qmsdocs.vocabulary import Vocabulary

if TYPE_CHECKING:
    from qmsdocs.plugin.config import QMSConfig

__all__ = [
    "VOCABULARY_LANGUAGE",
    "SetupError",
    "SiteBuild",
    "page_language",
    "rules_from",
    "term_switches",
    "untranslated",
]

# The language of the shipped vocabulary: terms are linked on pages written in it.
VOCABULARY_LANGUAGE = "en"


class SetupError(Exception):
    """The site's data or options cannot be used; the message says what to do."""


@dataclass(frozen=True)
class _Loaded:
    """What a build loads and compiles from the options and the data files before reading any
    page; `mkdocs serve` keeps it while none of them changes."""

    editions: Editions
    vocabulary: Vocabulary
    findings: list[Finding]
    folder: Path | None
    labels: Labels
    rules: Rules
    recognizer: Recognizer
    matchers: dict[str, TermMatcher]
    senses: TermSenses


def _load(options: QMSConfig, base_dir: Path, language: str) -> _Loaded:
    """Load the catalogues and the glossary, compile the recognisers (`SiteBuild.create`)."""
    try:
        editions = load_editions(
            list(options.standards) or [options.standard],
            options.editions,
            base_dir,
            options.confirmed,
        )
    except QMSDataError as error:
        raise SetupError(data_error_message("the catalogue", error)) from None
    try:
        vocabulary, findings, folder = load_site_vocabulary(
            base_dir, options.glossary_dir, iso_terms=options.iso_terms
        )
    except QMSDataError as error:
        raise SetupError(data_error_message("the glossary", error)) from None
    labels = load_labels(language, options.labels)
    if labels.fallback:
        findings = [*findings, untranslated(language)]
    rules = rules_from(options)
    # One matcher per language the terms are in: a page is read with its language's terms.
    languages = sorted({term.language for term in vocabulary} | {VOCABULARY_LANGUAGE})
    matchers = {
        language: TermMatcher([t for t in vocabulary if t.language == language])
        for language in languages
    }
    senses = TermSenses(
        vocabulary, term_switches(vocabulary, options.term_links), options.not_terms
    )
    return _Loaded(
        editions,
        vocabulary,
        list(findings),
        folder,
        labels,
        rules,
        make_recognizer(editions, rules),
        matchers,
        senses,
    )


def rules_from(options: QMSConfig) -> Rules:
    """The options that decide the verdict (`qmsdocs.plugin.config.rules_from`)."""
    # Imported when called: the options' schema is MkDocs' config machinery, whose package
    # imports this module.
    from qmsdocs.plugin.config import rules_from as from_options

    return from_options(options)


@dataclass
class SiteBuild:
    """One build's data, what it has read of the manual so far, and its verdict.

    Attributes:
        options: The plugin's options.
        editions: The manual's edition and the others loaded beside it.
        vocabulary: ISO 9000 terms and the organisation's own.
        context: What the Markdown extension shares across pages.
        assessor: Reads each page's source for the verdict (`qmsdocs.assessment`).
        generated: Where the generated files go.
        data_files: The manual's own data files, for a live server to watch.
        findings: Problems with the data (glossary files) and those the macros report.
        pages: Each page of the manual, as the assessor read it.
        records: What rendering each page added (anchors, terms used, rendering problems).
        dynamic: Pages of the manual that hold placeholders (written by the macros).
        labels: The words of the generated pages, in the site's language (`language`).
        read_cache: Readings of unchanged pages kept from an earlier build (`mkdocs serve`).
        read_ahead: Readings a second process makes while the pages are rendered
            (`qmsdocs.readahead`; started by `read_ahead_of`).
        compiled_ahead: The templates that process compiled (`Renderer.adopt`).
    """

    options: QMSConfig
    editions: Editions
    vocabulary: Vocabulary
    context: BuildContext
    assessor: Assessor
    generated: Outputs
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
    assessment: Assessment | None = None
    register: list[dict[str, Any]] = field(default_factory=list)  # made once concluded
    cited: list[Reference] = field(default_factory=list)  # by the macros
    read_cache: ReadCache | None = None
    read_ahead: ReadAhead[PageAssessment] | None = None
    compiled_ahead: tuple[tuple[object, ...], dict[str, bytes]] | None = None

    @classmethod
    def create(
        cls,
        options: QMSConfig,
        *,
        base_dir: Path,
        docs_dir: Path,
        language: str,
        env: jinja2.Environment | None = None,
        prefix: str = "",
        compiled: CompiledTemplates | None = None,
        read_cache: ReadCache | None = None,
        **extra: Any,
    ) -> Any:
        """Load the catalogues and the glossary, once per build.

        Arguments:
            options: The plugin's validated options.
            base_dir: The folder of mkdocs.yml (catalogue and glossary paths start there).
            docs_dir: The docs folder (for git dates).
            language: The site's language ("en", "de-CH").
            env: The theme's Jinja environment, so that a site's overrides apply.
            prefix: The docs folder the generated files go under ("": the options' paths).
            compiled: Templates compiled by an earlier build of this process, to reuse.
            read_cache: Readings of pages kept from an earlier build of this process, used
                where nothing they depend on has changed (`qmsdocs.readcache`).
            extra: Fields of a subclass.

        Raises:
            SetupError: A catalogue or the glossary cannot be loaded, or an option names a
                term the glossary does not have.
        """
        data_files = [
            path if path.is_absolute() else base_dir / path
            for path in map(Path, (*options.standards, options.standard, *options.editions))
            if path.suffix in (".yml", ".yaml")
        ]
        key = None
        if read_cache is not None:
            # The glossary folder, whether or not it exists: one that appears counts too.
            folder = base_dir / (options.glossary_dir or "glossary")
            key = fingerprint(
                dict(options), [*data_files, folder], version=generator(), language=language
            )
            read_cache.use(key)
        loaded = read_cache.loaded.get(key) if read_cache is not None else None
        if loaded is None:
            loaded = _load(options, base_dir, language)
            if read_cache is not None:
                read_cache.loaded = {key: loaded}
        editions, vocabulary, matchers = loaded.editions, loaded.vocabulary, loaded.matchers
        generated = Outputs.plan(options, editions, loaded.labels, prefix)
        context = BuildContext(
            loaded.recognizer,
            generated.layout,
            vocabulary,
            matchers.get(VOCABULARY_LANGUAGE) if options.link_terms != "off" else None,
            generated.glossary_page,
            options.tooltip_length,
            senses=loaded.senses,
            matchers=matchers if options.link_terms != "off" else {},
            memo=read_cache.memo if read_cache is not None else None,
        )
        labels, findings, rules = loaded.labels, loaded.findings, loaded.rules
        recognizer = loaded.recognizer
        watched = [*data_files, *([loaded.folder] if loaded.folder is not None else [])]
        return cls(
            options,
            editions,
            vocabulary,
            context,
            Assessor(editions, rules, recognizer, vocabulary),
            generated,
            Renderer(env, labels, compiled),
            today(),
            git_last_changed(docs_dir) if options.git_dates else {},
            watched,
            list(findings),
            language=language[:2].lower(),
            labels=labels,
            read_cache=read_cache,
            **extra,
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
        """Report a finding from outside the build (the macros); it joins the build's report."""
        self.findings.append(finding)

    def cite(self, reference: Reference) -> None:
        """Record a page's reference to a clause made by a macro (its source holds the call)."""
        self.cited.append(reference)

    # Page by page ------------------------------------------------------------------------------

    def read_source(
        self,
        src: str,
        source: Callable[[], str],
        *,
        meta: Mapping[str, Any],
        resolve: Callable[[str], str | None] | None,
        file: object = None,
    ) -> PageContext:
        """Read a page from its own source and say how the extension renders it.

        Arguments:
            src: The page's docs path.
            source: Reads the page's source, front matter included (not called for a
                generated page).
            meta: The page's front matter as the site generator read it.
            resolve: Under the plugin, the URL of a docs path relative to this page (links
                are then deferred, see `qmsdocs.markdown_ext`); None: relative `.md` links.
            file: The site generator's file of the page (a translation plugin's has a
                `locale`).
        """
        if self.generated.is_generated(src):
            return self.generated_context(src, resolve)
        assessed = self.assess(src, source)
        self.pages[src] = assessed
        return self.page_context(assessed, meta=meta, resolve=resolve, file=file)

    def read_ahead_of(self, pages: Sequence[tuple[str, Callable[[], str]]]) -> None:
        """Have a second process read `pages` ((docs path, its source), in the order they will
        be rendered) while this one renders them, where it can (`qmsdocs.readahead`)."""
        self.stop_reading_ahead(collect=False)
        if self.read_cache is not None and not self.read_cache.empty:
            return  # a rebuild: the pages are read already, but for the one that changed
        self.read_ahead = ReadAhead.start(
            [(src, source) for src, source in pages if not self.generated.is_generated(src)],
            self.assessor.page,
            # What filling the generated pages will need, ready by then.
            self.renderer.compile_all,
        )

    def stop_reading_ahead(self, *, collect: bool = True) -> None:
        """Stop the second process: once every page is read, after `collect`ing the templates
        it compiled (`compiled_ahead`); when the build failed, at once."""
        if self.read_ahead is None:
            return
        if collect:
            compiled = self.read_ahead.then()
            self.compiled_ahead = compiled if isinstance(compiled, tuple) else None
        self.read_ahead.close()
        self.read_ahead = None

    def generated_context(
        self, src: str, resolve: Callable[[str], str | None] | None = None
    ) -> PageContext:
        """How the extension renders a generated page: its headings get their stable ids,
        nothing on it is linked as the manual's own words."""
        return PageContext(
            src,
            clause_page=self.generated.clause_pages.get(src),
            generated=True,
            heading_ids=self.generated.heading_ids.get(src, {}),
            resolve=resolve,
        )

    def assess(self, src: str, source: Callable[[], str]) -> PageAssessment:
        """A page of the manual as the gate reads it (a page that cannot be read says so)."""
        try:
            text = source()
            kept = self.read_cache.get(src, text) if self.read_cache is not None else None
            if kept is not None:
                return kept
            ahead = self.read_ahead.take(src, text) if self.read_ahead is not None else None
            assessed = ahead if ahead is not None else self.assessor.page(src, text)
            if self.read_cache is not None:
                self.read_cache.put(src, text, assessed)
            return assessed
        except (OSError, UnicodeDecodeError) as error:
            assessed = PageAssessment(src, FrontMatter(src))
            assessed.findings.append(
                Finding("unreadable-page", f"cannot read the page: {error}", src)
            )
            return assessed

    def page_context(
        self,
        assessed: PageAssessment,
        *,
        meta: Mapping[str, Any],
        resolve: Callable[[str], str | None] | None,
        file: object = None,
    ) -> PageContext:
        """How the extension renders a page of the manual, as its source was read."""
        src = assessed.path
        options = assessed.front.options
        return PageContext(
            src,
            link_clauses=_first(options.link_clauses, self.options.link_clauses),
            link_terms=_first(options.link_terms, self.options.link_terms),
            resolve=resolve,
            binding=assessed.binding,
            not_terms=never_pattern(options.not_terms),
            language=page_language(src, meta, self.language, file),
        )

    def keep(self, current: PageContext | None, src: str) -> None:
        """Keep what rendering a page of the manual added (anchors, terms used)."""
        if current is not None and current.src_path == src and not current.generated:
            self.records[src] = current.record

    @property
    def verdict(self) -> Assessment:
        """The manual's verdict; drawn once every page is rendered (see `conclude`)."""
        if self.assessment is None:
            raise RuntimeError("the verdict is drawn after every page is rendered")
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
    """`term_links` by term key; a name that is no term of the glossary cannot be used."""
    keys: dict[str, bool] = {}
    for name, value in switches.items():
        term = vocabulary.get(name) or vocabulary.lookup(name)
        if term is None:
            hint = vocabulary.suggest(name)
            raise SetupError(
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
