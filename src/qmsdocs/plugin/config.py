"""The plugin's options, validated by MkDocs' own config machinery (a typo is an error)."""

from __future__ import annotations

import difflib
import re

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError

from qmsdocs.assessment import Rules
from qmsdocs.binding import load_known_standards
from qmsdocs.documents import REQUIRABLE_FIELDS
from qmsdocs.findings import QMSDataError
from qmsdocs.labels import check_overrides

__all__ = ["InsideDocs", "PDFConfig", "QMSConfig", "rules_from"]

SEVERITIES = ("error", "warning", "info", "ignore")


class InsideDocs(c.Type[str]):
    """A docs-relative path for a page or folder qmsdocs generates.

    What qmsdocs generates goes into the site and nowhere else: a path that climbs out of the
    docs folder (`../x.md`) or starts at the root (`/srv/x.md`, `C:\\x.md`) would put pages and
    exports beside the site, or over someone else's files, so it is a config error.

    Arguments:
        page: Whether the path names a page (it must then end in `.md`), not a folder.
        allow_empty: Whether an empty string (the feature turned off) is allowed.
    """

    def __init__(self, default: str, *, page: bool = True, allow_empty: bool = True) -> None:
        super().__init__(str, default=default)
        self.page = page
        self.allow_empty = allow_empty

    def run_validation(self, value: object) -> str:
        text = super().run_validation(value)
        if text == "":
            if self.allow_empty:
                return text
            raise ValidationError("must not be empty")
        parts = text.replace("\\", "/").split("/")
        if text.startswith(("/", "\\", "~")) or re.match(r"^[A-Za-z]:", text):
            raise ValidationError(
                f"'{text}' is not inside the docs folder: give a path relative to docs_dir"
            )
        if ".." in parts:
            raise ValidationError(
                f"'{text}' leads out of the docs folder: give a path inside docs_dir"
            )
        if self.page and not text.endswith(".md"):
            raise ValidationError(f"'{text}' must name a Markdown page (ending in .md)")
        return text


class PDFConfig(base.Config):
    """Options of `qmsdocs pdf`, the auditor's copy (`pdf:` under the plugin's options)."""

    organisation = c.Optional(c.Type(str))
    """The organisation named on the cover. Default: the part of `site_name` before " - "
    (a site named "Larkfield Ltd - Quality Manual"), else none."""

    title = c.Optional(c.Type(str))
    """The manual's title on the cover and in the footers. Default: the rest of `site_name`."""

    controlled = c.Type(bool, default=False)
    """Whether each page says "Controlled copy" (true) or "Uncontrolled when printed" (the
    command's `--controlled` / `--uncontrolled` decide for one copy)."""

    glossary = c.Type(bool, default=True)
    """Whether the copy ends with the glossary (`--glossary` / `--no-glossary`)."""

    paper = c.Choice(("A4", "letter"), default="A4")
    """The paper size."""

    def validate(self) -> tuple[base.ConfigErrors, base.ConfigWarnings]:
        # A misspelt option would silently print a copy that says something else.
        failed, warnings = super().validate()
        for key, message in warnings:
            if message.startswith("Unrecognised configuration name"):
                close = difflib.get_close_matches(key, sorted(self._schema_keys), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                failed.append((key, ValidationError(f"unknown pdf option '{key}'{hint}")))
        return failed, [w for w in warnings if not w[1].startswith("Unrecognised")]


class QMSConfig(base.Config):
    """Options of the `qmsdocs` plugin (`plugins: [qmsdocs: {...}]` in `mkdocs.yml`)."""

    # The standard ----------------------------------------------------------------------------
    standard = c.Type(str, default="iso9001-2015")
    """The catalogue the manual is written against: a built-in id (`iso9001-2015`) or the path
    of a catalogue file, relative to `mkdocs.yml`."""

    standards = c.ListOfItems(c.Type(str), default=[])
    """For an integrated management system: every standard the manual claims
    (`[iso9001-2015, iso14001-2015, iso45001-2018]`), built-in ids or catalogue paths. The first
    is the default for unqualified clause ids and citations; each gets its clause pages, its
    coverage and its exports, and each is gated. Use either this or `standard`."""

    editions = c.ListOfItems(c.Type(str), default=[])
    """Other editions to load beside `standard`, during a transition (`[iso9001-2026]`): their
    clause pages are generated, references that name them ("ISO 9001:2026 6.1.3") link there,
    and a transition page shows what the move asks of the manual."""

    gate_editions = c.Choice(("standard", "all"), default="standard")
    """Which editions the publishing gate checks: the manual's own (`standard`), or `all`
    loaded editions (require coverage of both during a transition). Coverage is carried across
    editions by the shipped correspondence: a page addressing 2015 10.3 addresses 2026 10.1."""

    confirmed = c.ListOfItems(c.Type(str), default=[])
    """Provisional catalogues your organisation has checked against the published standard;
    their pages no longer say "provisional"."""

    transition_page = InsideDocs("transition.md")
    """Docs-relative path of the generated transition page (when `editions` holds an edition
    the shipped correspondence links to `standard`). An empty string turns it off."""

    # Clause references in prose --------------------------------------------------------------
    link_clauses = c.Type(bool, default=True)
    """Turn clause references in the prose ("clause 8.4", "§ 9.2") into links to the clause
    pages. With `false` they are still recognised and recorded (for "referenced by")."""

    other_standards = c.ListOfItems(c.Type((str, dict)), default=[])
    """Further standards, regulations or documents your manual names, whose clause numbers
    must not be read as ISO 9001's: names (`"Group Security Standard GSS-100"`) or entries
    `{name: ..., subject: ..., kind: standard|regulation, aliases: [...]}`. They add to the
    built-in list (ISO 14001, ISO/IEC 27001, ISO 22301, GDPR, SOC 2, ...)."""

    # Generated clause pages ------------------------------------------------------------------
    clause_pages_dir = InsideDocs("clauses", page=False, allow_empty=False)
    """Docs-relative folder of the generated clause pages; each catalogue gets a subfolder
    named after its id (`clauses/iso9001-2015/8.md`). Must not hold files of your own."""

    clause_pages_nav = c.Optional(c.Type(str))
    """Title of the navigation section of the clause pages. Default: the standard's name
    ("ISO 9001:2015"). Pages you place in an explicit `nav:` yourself stay where you put them."""

    # Glossary and term links -------------------------------------------------------------------
    glossary_dir = c.Optional(c.Type(str))
    """Folder of the organisation's glossary files (`*.yml`, `*.yaml`), relative to
    `mkdocs.yml`. Their entries override or extend the ISO 9000:2015 terms. Default:
    `glossary` if that folder exists. A folder named here that does not exist is an error."""

    iso_terms = c.Type(bool, default=True)
    """Include the ISO 9000:2015 vocabulary. With `false`, only the terms your glossary files
    name (an entry `- term: audit` brings in the ISO entry with its explanation)."""

    link_terms = c.Choice(("first", "all", "off"), default="first")
    """Link terms in the prose to the glossary: the first occurrence on each page, every
    occurrence, or none. A page can override it with `qmsdocs: {link_terms: ...}`."""

    term_links = c.DictOfItems(c.Type(bool), default={})
    """Switch the linking of single terms on or off, by term (`{guide: true, data: false}`).
    Terms whose everyday sense dominates in manuals (guide, object/entity/item, release) are
    off by default; the glossary says so under each."""

    not_terms = c.ListOfItems(c.Type(str), default=[])
    """Phrases never linked as terms, in any case (`["Quality Manager", "Release Board"]`). A page
    adds its own with `qmsdocs: {not_terms: [...]}`."""

    glossary_page = InsideDocs("glossary.md")
    """Docs-relative path of the generated glossary page. An empty string turns the page and
    term links off."""

    glossary_list = c.Choice(("all", "used"), default="all")
    """List every term on the glossary page (a trainer's reference), or only those the
    manual uses."""

    tooltip_length = c.Type(int, default=220)
    """Longest term tooltip, in characters; longer explanations are cut at a sentence or
    word, with an ellipsis."""

    backlinks_limit = c.Type(int, default=10)
    """Most pages listed under a glossary entry's "Used on" and a clause's "Referenced by";
    the rest are counted ("and 14 more pages"). 0 lists every page. Coverage ("Addressed
    by") is always listed in full, and `coverage.json` has every reference."""

    # Coverage and the publishing gate ---------------------------------------------------------
    heading_coverage = c.Choice(("titles", "numbers", "off"), default="titles")
    """Which headings count as addressing a clause. `titles`: a heading that starts with the
    clause number and its title (or a close variant), ends with the number in parentheses, or
    names the standard or "clause" before the number. `numbers`: any heading that starts with
    a clause number (for a manual structured strictly by clause). `off`: headings never count.
    A page can override it with `qmsdocs: {heading_coverage: ...}` in its front matter."""

    parent_covers_children = c.Type(bool, default=True)
    """Whether declaring a clause covers its subclauses. `false` is the strict mode: every
    lowest-level clause must be declared itself."""

    gate_on_serve = c.Type(bool, default=False)
    """Whether `mkdocs serve` stops on errors too. By default it only warns, so that authors
    can keep writing; `mkdocs build` always stops."""

    read_ahead = c.Type(bool, default=True)
    """Whether the pages' sources are read for the verdict in a second process while MkDocs
    renders them (on Linux, in a process with no other thread; under `mkdocs serve`, for the
    first build), and `qmsdocs check` reads a large manual in two: the same site and verdict,
    sooner on a machine with two cores or more. Off: everything runs in one process."""

    coverage_page = InsideDocs("coverage.md")
    """Docs-relative path of the generated coverage page; the exports `coverage.json` and
    `coverage.csv` are written beside it. An empty string turns the page and exports off
    (the gate still runs)."""

    # Document control --------------------------------------------------------------------------
    document_fields = c.ListOfItems(
        c.Choice(REQUIRABLE_FIELDS),
        default=["id", "revision", "status", "owner"],
    )
    """Fields every `document:` block must give. Approved, effective and superseded documents
    must also give `approved_by` and `approved_on`, whatever this says."""

    count_drafts = c.Type(bool, default=True)
    """Whether clauses declared by draft documents (and documents in review) count as covered.
    They are marked as drafts on the coverage page either way. Superseded documents never
    count."""

    publish_drafts = c.Type(bool, default=False)
    """Whether `mkdocs build` publishes a manual in which some required clause is addressed
    only by drafts (documents in draft or in review, or sections that still hold "To do"
    prompts). By default such a clause is an error (`drafted-clause`), as a missing one is;
    with `true` the manual is published, and its coverage page still says "drafted, not
    approved" for those clauses. `mkdocs serve` only warns either way."""

    review_warning_days = c.Type(int, default=30)
    """A review due within this many days is reported (`review-due-soon`, a warning). An
    overdue review is an error (`review-overdue`; change it with `checks:`)."""

    register_page = InsideDocs("documents.md")
    """Docs-relative path of the generated document register; `documents.json` and
    `documents.csv` are written beside it. An empty string turns them off."""

    document_header = c.Type(bool, default=True)
    """Show the document control panel at the top of each controlled page and its revision
    history at the end."""

    git_dates = c.Type(bool, default=False)
    """Show each controlled page's last change date from git (when the docs are in a git
    repository and git is installed; otherwise nothing is shown)."""

    # The generated pages' words -------------------------------------------------------------
    labels = c.Type(dict, default={})
    """Your own words for the generated pages, by language and label key
    (`{de: {register.title: Dokumentenlenkung}}`; the keys are those of
    `qmsdocs/labels/en.yml`). They replace the shipped wording in that language, or give the
    pages a language qmsdocs does not ship (labels you leave out stay English). The site's
    language is mkdocs-static-i18n's current language, else `theme.language`."""

    # The auditor's PDF --------------------------------------------------------------------
    pdf = c.SubConfig(PDFConfig)
    """Options of `qmsdocs pdf` (`qmsdocs.pdf`): cover, copy status, glossary, paper."""

    # Findings --------------------------------------------------------------------------------
    checks = c.DictOfItems(c.Choice(SEVERITIES), default={})
    """Severity per finding code, e.g. `{unknown-clause: error}`. `error` stops the build,
    `warning` fails `mkdocs build --strict`, `info` is only logged, `ignore` drops it."""

    def validate(self) -> tuple[base.ConfigErrors, base.ConfigWarnings]:
        """MkDocs only warns about unknown option names; for this plugin they are errors.

        A misspelt option silently does nothing, and in a quality manual "nothing" can mean a
        check that was meant to run did not.
        """
        failed, warnings = super().validate()
        kept: base.ConfigWarnings = []
        for key, message in warnings:
            if message.startswith("Unrecognised configuration name"):
                close = difflib.get_close_matches(key, sorted(self._schema_keys), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                failed.append((key, ValidationError(f"unknown qmsdocs option '{key}'{hint}")))
            else:
                kept.append((key, message))
        standards = self.get("standards") or []
        if standards and self.get("standard") not in ("iso9001-2015", standards[0]):
            failed.append(
                (
                    "standards",
                    ValidationError(
                        "give the standards in 'standards:' only, not also in 'standard:'"
                    ),
                )
            )
        try:
            load_known_standards(self.get("other_standards") or [])
        except QMSDataError as error:
            problems = "; ".join(f.message for f in error.findings)
            failed.append(("other_standards", ValidationError(problems)))
        labels = self.get("labels")
        if isinstance(labels, dict):
            failed += [("labels", ValidationError(p)) for p in check_overrides(labels)]
        for key in ("backlinks_limit", "tooltip_length", "review_warning_days"):
            value = self.get(key)
            if isinstance(value, int) and value < 0:
                failed.append((key, ValidationError(f"must be 0 or more, not {value}")))
        return failed, kept


def claimed_standards(config: QMSConfig) -> list[str]:
    """The standards the manual claims, the default for unqualified clause ids first."""
    return list(config.standards) or [config.standard]


def rules_from(config: QMSConfig) -> Rules:
    """The options that decide the verdict, for `qmsdocs.assessment`."""
    return Rules(
        heading_mode=config.heading_coverage,  # type: ignore[arg-type]
        parent_covers_children=config.parent_covers_children,
        count_drafts=config.count_drafts,
        publish_drafts=config.publish_drafts,
        document_fields=tuple(config.document_fields),
        review_warning_days=config.review_warning_days,
        gate_editions=config.gate_editions,
        other_standards=tuple(config.other_standards),
    )
