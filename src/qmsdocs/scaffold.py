"""Start a new quality manual (`qmsdocs init`), and list what is still to do in one.

`init_project` writes a working MkDocs project: `mkdocs.yml` (Material, the qmsdocs plugin,
search, tooltips, mkdocs-macros with a small `plugins/macros.py`), a `docs/` skeleton in the
order of the standard's clauses 4 to 10, and an empty organisation glossary. Every page
declares the clauses it is meant to address (`clauses:`), is a controlled document in status
`draft`, and carries "To do" prompts (Material admonitions) in our own words. So the fresh
site serves at once: its coverage page marks every clause as drafted, not approved, and
`mkdocs build` refuses it until pages are approved (or the site sets `publish_drafts`);
`pending_pages` (for `qmsdocs check`) lists the pages still to do.

The starter text lives in `qmsdocs/starter/<language>.yml` (English and German). Clause lists
are checked against the chosen catalogue: clauses it does not have are dropped, and a required
clause no page declares is added to a page of its top-level clause (or to a page of its own),
so the skeleton addresses every required clause of any catalogue.

Writing never deletes a file and never overwrites one: a folder that is not empty is refused
unless `force` is given, and even then existing files are skipped and reported.

The organisation's name and the site's name are text, whatever they hold: in pages they are
escaped for Markdown and HTML, and their braces too, since the pages go through mkdocs-macros
(Jinja) before Markdown; in mkdocs.yml, `site_name` and `copyright` are escaped for HTML, which
the theme puts them into as they are.
"""

from __future__ import annotations

import json
import os
import re
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from qmsdocs.checker import SourceReading
from qmsdocs.documents import today
from qmsdocs.findings import QMSDataError
from qmsdocs.harmonized import same_clause
from qmsdocs.prompts import count_prompts
from qmsdocs.sourcefiles import split_front_matter
from qmsdocs.standards import Catalogue, Clause, builtin_catalogue_ids, resolve_catalogue

__all__ = [
    "LANGUAGES",
    "InitError",
    "InitResult",
    "PendingPage",
    "init_project",
    "pending_data",
    "pending_lines",
    "pending_pages",
    "render_project",
]

LANGUAGES = ("en", "de")
_LANGUAGE_NAMES = {"en": "English", "de": "German"}
_SECTION_ORDER = (
    "context",
    "leadership",
    "planning",
    "support",
    "operation",
    "evaluation",
    "improvement",
    "other",
)
_SECTION_TOPS = {
    "context": "4",
    "leadership": "5",
    "planning": "6",
    "support": "7",
    "operation": "8",
    "evaluation": "9",
    "improvement": "10",
}

# The one-line macros module: qmsdocs' macros, plus room for the organisation's own.
_MACROS_MODULE = '''\
"""Macros of this manual for mkdocs-macros (module_name: plugins/macros in mkdocs.yml).

The qmsdocs authoring macros (clause, term, page_clauses, pages_covering, coverage_summary,
principle cards) come from the installed qmsdocs package. Add macros of your own below.
"""

from qmsdocs.macros import define_env as define_qmsdocs_macros


def define_env(env):
    """Called by mkdocs-macros once per build."""
    define_qmsdocs_macros(env)

    # Your own macros, for example:
    #
    # @env.macro
    # def company_phone() -> str:
    #     return "+44 1234 567890"
'''


class InitError(Exception):
    """The project cannot be written (a folder that is not empty, an unknown catalogue, ...)."""


@dataclass(frozen=True)
class _Section:
    heading: str
    todo: str
    clause: str | None
    catalogue: Catalogue | None = None  # the standard `clause` is of, if not the first


@dataclass
class _Page:
    path: str
    id: str
    section: str
    title: str
    intro: str
    clauses: list[str]
    sections: list[_Section]
    not_applicable: bool = False


@dataclass
class InitResult:
    """What `init_project` did."""

    directory: Path
    organisation: str
    catalogue: Catalogue
    language: str
    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    named: bool = True  # False: no --organisation was given, the pages use a stand-in name
    standards: tuple[str, ...] = ()  # the labels of all the standards claimed, if several

    def report(self) -> str:
        """A summary for the command line: what was written, what was left alone, what next."""
        lines = [
            f"qmsdocs init: a quality manual for {self.organisation} in {self.directory} "
            f"({' / '.join(self.standards) or self.catalogue.label}, "
            f"{_LANGUAGE_NAMES[self.language]})."
        ]
        if self.written:
            lines.append(f"Wrote {len(self.written)} file(s):")
            lines += [f"  {path}" for path in self.written]
        else:
            lines.append("Wrote nothing: every file of the skeleton exists already.")
        if self.skipped:
            lines.append(f"Skipped {len(self.skipped)} existing file(s), left as they were:")
            lines += [f"  {path}" for path in self.skipped]
        if not self.named and self.written:
            lines.append(
                f"No --organisation given: the pages say '{self.organisation}'; replace it, "
                "or start again with --organisation."
            )
        lines += [
            "",
            "Next:",
            f"  cd {self.directory}",
            "  mkdocs serve       # read the manual at http://127.0.0.1:8000",
            "  qmsdocs check      # coverage, and the pages that are still drafts",
            "",
            'Every page is a draft with "To do" prompts: replace them with your own text, and',
            "set a page's document status to effective once it is approved.",
        ]
        return "\n".join(lines)


def _starter(language: str) -> dict[str, Any]:
    if language not in LANGUAGES:
        raise InitError(f"unknown language '{language}' (use one of {', '.join(LANGUAGES)})")
    text = (resources.files("qmsdocs") / "starter" / f"{language}.yml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


# The characters that mean something inside a line of Markdown (emphasis, code, links, headings),
# which a backslash shows as themselves; a dash or a plus only at a word's start, where it could
# begin a list, a rule or a heading's underline.
_MARKDOWN_SPECIAL_RE = re.compile(r"[\\`*_\[\]#]|(?:(?<=\s)|^)[-+]")
# Braces as character references: Jinja (mkdocs-macros) never sees "{{" or "{%" in them, which a
# backslash would not prevent ("\{%" still holds "{%"), and Markdown shows them as braces.
_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})
# An ampersand that would start a character reference ("&amp;", "&#169;"); any other shows as
# itself, and is kept so in the source the author goes on to edit.
_REFERENCE_RE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")


def _html_text(value: str) -> str:
    """`value` as HTML text: no tag, no character reference."""
    return _REFERENCE_RE.sub("&amp;", value).replace("<", "&lt;").replace(">", "&gt;")


def _markdown_text(value: str) -> str:
    """`value` as text in a Markdown page that mkdocs-macros renders first: "{{ 7*7 }}" shows as
    "{{ 7*7 }}" (braces written as character references are not Jinja's), "<b>" as "<b>", and
    "*x*" as "*x*"."""
    escaped = _MARKDOWN_SPECIAL_RE.sub(lambda m: "\\" + m.group(0), value)
    return _html_text(escaped).translate(_BRACES)


def _as(escape: Callable[[str], str], values: Mapping[str, str]) -> dict[str, str]:
    return {key: escape(value) for key, value in values.items()}


def _fill(text: str, values: Mapping[str, str]) -> str:
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def _pages(data: dict[str, Any], catalogue: Catalogue) -> list[_Page]:
    """The starter pages, their clauses fitted to the catalogue."""
    pages = [_page(item, catalogue) for item in data["pages"] if _fits(item, catalogue)]
    # Every required clause must be declared somewhere: give a leftover clause to the first
    # page of its top-level clause, or to a page of its own.
    declared = {c for page in pages for c in page.clauses}
    for leaf in catalogue.required_leaves():
        chain = {leaf.id, *(a.id for a in catalogue.ancestors(leaf.id))}
        if chain & declared:
            continue
        ancestors = catalogue.ancestors(leaf.id)
        claim = ancestors[-2].id if len(ancestors) >= 2 else leaf.id
        _home(pages, leaf, data, catalogue).clauses.append(claim)
        declared.add(claim)
    return pages


def _claim_others(
    pages: list[_Page], first: Catalogue, others: list[Catalogue], data: dict[str, Any]
) -> None:
    """Declare the other standards' clauses too, for an integrated management system.

    A clause a page declares that every standard shares (number, title and headings above it:
    7.5 Documented information) becomes one "all:" declaration; one only some share is
    declared for each of those. A required clause of another standard that no page declares
    yet, or that is its own (not shared with the first standard), goes, qualified, to the page
    of its top-level clause, with a section to write.
    """
    for page in pages:
        clauses = []
        for clause_id in page.clauses:
            sharing = [c for c in others if same_clause(first, c, clause_id)]
            if len(sharing) == len(others):
                clauses.append(f"all:{clause_id}")
            else:
                clauses += [clause_id, *(f"{c.id}:{clause_id}" for c in sharing)]
        page.clauses = clauses
    for other in others:
        declared = {
            clause.split(":", 1)[1]
            for page in pages
            for clause in page.clauses
            if clause.startswith(("all:", f"{other.id}:"))
        }
        for leaf in other.required_leaves():
            chain = {leaf.id, *(a.id for a in other.ancestors(leaf.id))}
            # Declared through a shared parent counts only for a shared subclause: ISO 14001's
            # 6.1.2 Environmental aspects needs a page of its own words, whatever declares 6.1.
            if leaf.id in declared or (chain & declared and same_clause(first, other, leaf.id)):
                continue
            home = _parent_page(pages, other, leaf) or _home(pages, leaf, data, other)
            home.clauses.append(f"{other.id}:{leaf.id}")
            # "General" alone would not say which standard's it is.
            heading = f"{leaf.title or other.context_title(leaf.id)} ({other.label})"
            home.sections.append(_Section(heading, data["other_todo"], leaf.id, other))
            declared.add(leaf.id)


def _parent_page(pages: list[_Page], catalogue: Catalogue, leaf: Clause) -> _Page | None:
    """The page that declares the nearest clause above `leaf` (below its top-level clause),
    in any standard: ISO 45001's 9.2.1 goes where 9.2 Internal audit is."""
    for ancestor in catalogue.ancestors(leaf.id)[:-1]:
        for page in pages:
            if any(c.rsplit(":", 1)[-1] == ancestor.id for c in page.clauses):
                return page
    return None


def _fits(item: dict[str, Any], catalogue: Catalogue) -> bool:
    """A page about clauses the catalogue does not have is left out (not the scope page,
    where exclusions are declared)."""
    clauses = item.get("clauses", [])
    return not clauses or any(c in catalogue for c in clauses) or bool(item.get("not_applicable"))


def _page(item: dict[str, Any], catalogue: Catalogue) -> _Page:
    return _Page(
        path=item["path"],
        id=item["id"],
        section=item["section"],
        title=item["title"],
        intro=item.get("intro", ""),
        clauses=[c for c in item.get("clauses", []) if c in catalogue],
        sections=[
            _Section(s["heading"], s["todo"], s.get("clause")) for s in item.get("sections", [])
        ],
        not_applicable=bool(item.get("not_applicable")),
    )


def _home(pages: list[_Page], leaf: Clause, data: dict[str, Any], catalogue: Catalogue) -> _Page:
    """The page that takes a leftover clause: the first of its top-level clause's section, or
    a page of its own under "other"."""
    home = next((p for p in pages if _SECTION_TOPS.get(p.section) == leaf.top), None)
    if home is None:
        home = next((p for p in pages if p.path == f"other/clause-{leaf.top}.md"), None)
    if home is None:
        top = catalogue.get(leaf.top) or leaf
        prefix = str(data["pages"][0]["id"]).split("-", 1)[0]
        home = _Page(
            f"other/clause-{leaf.top}.md",
            f"{prefix}-{leaf.top.zfill(2)}-00",
            "other",
            top.title or f"Clause {leaf.top}",
            "",
            [],
            [_Section(top.title or leaf.top, data["other_todo"], leaf.top)],
        )
        pages.append(home)
    return home


def _yaml_str(value: str) -> str:
    """A YAML scalar for any text (JSON strings are YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _admonition(title: str, text: str, tail: str = "") -> str:
    """A Material admonition; `tail` (a clause reference) is never split across lines."""
    text = " ".join(text.split())
    if tail:
        text += " " + tail.replace(" ", "\u00a0")
    body = textwrap.fill(text, width=92).replace("\u00a0", " ")
    return f"!!! warning {_yaml_str(title)}\n" + textwrap.indent(body, "    ") + "\n"


def _render_page(
    page: _Page, data: dict[str, Any], values: Mapping[str, str], catalogue: Catalogue
) -> str:
    date = today().isoformat()
    front = [
        "---",
        f"clauses: [{', '.join(_yaml_str(c) for c in page.clauses)}]" if page.clauses else "",
        "document:",
        f"  id: {page.id}",
        '  revision: "0"',
        "  status: draft",
        f"  owner: {_yaml_str(data['owner'])}",
        "  review_interval: 12 months",
        "  history:",
        f'    - {{revision: "0", date: {date}, author: qmsdocs init, '
        f"change: {_yaml_str(data['history_change'])}}}",
    ]
    if page.not_applicable:
        front += _fill(data["not_applicable_comment"], values).rstrip("\n").split("\n")
    front.append("---")
    parts = ["\n".join(line for line in front if line), "", f"# {page.title}", ""]
    text = _as(_markdown_text, values)
    if page.intro:
        parts += [textwrap.fill(" ".join(_fill(page.intro, text).split()), width=96), ""]
    for section in page.sections:
        tail = ""
        standard = section.catalogue or catalogue
        if section.clause and section.clause in standard:
            word = "Kapitel" if data["language"] == "de" else "clause"
            tail = f"({standard.label} {word} {section.clause})"
        todo = _fill(section.todo, text)
        parts += [f"## {section.heading}", "", _admonition(data["todo_title"], todo, tail)]
    return "\n".join(parts).rstrip("\n") + "\n"


def _render_index(
    pages: list[_Page], data: dict[str, Any], values: Mapping[str, str], site_name: str
) -> str:
    text = _as(_markdown_text, values)
    lines = [
        f"# {_markdown_text(site_name)}",
        "",
        _fill(data["index"]["text"], text).rstrip("\n"),
        "",
    ]
    for key in _SECTION_ORDER:
        members = [p for p in pages if p.section == key]
        if not members:
            continue
        links = ", ".join(f"[{p.title}]({p.path})" for p in members)
        lines.append(f"- **{data['sections'][key]}**: {links}")
    lines += [
        "",
        _fill(data["index"]["coverage"], text).rstrip("\n"),
        "",
        "{{ coverage_summary() }}",
    ]
    return "\n".join(lines) + "\n"


def _render_config(
    pages: list[_Page],
    data: dict[str, Any],
    values: Mapping[str, str],
    site_name: str,
    standard: str | list[str],
) -> str:
    nav = [f"  - {_yaml_str(data['home'])}: index.md"]
    for key in _SECTION_ORDER:
        members = [p for p in pages if p.section == key]
        if not members:
            continue
        nav.append(f"  - {_yaml_str(data['sections'][key])}:")
        nav += [f"      - {p.path}" for p in members]
    return "\n".join(
        [
            f"# The quality manual of {values['organisation']}, published with qmsdocs.",
            "# `mkdocs serve` to read it while writing, `mkdocs build` to publish it (the build",
            "# stops while a required clause is neither addressed nor declared not applicable),",
            "# `qmsdocs check` for coverage and the pages still to do.",
            f"site_name: {_yaml_str(_html_text(site_name))}",
            f"copyright: {_yaml_str(_fill(data['copyright'], _as(_html_text, values)))}",
            "",
            "theme:",
            "  name: material",
            f"  language: {data['language']}",
            "  font: false              # the system's fonts: no request to a web font service",
            "  features:",
            "    - content.tooltips      # clause and term tooltips",
            "    - navigation.sections",
            "    - navigation.top",
            "    - search.highlight",
            "",
            "plugins:",
            "  - search",
            "  - qmsdocs:",
            *(
                [f"      standard: {_yaml_str(standard)}"]
                if isinstance(standard, str)
                else [f"      standards: [{', '.join(_yaml_str(s) for s in standard)}]"]
            ),
            "  # Authoring macros: clause(), term(), coverage_summary(), ... (plugins/macros.py)",
            "  - macros:",
            "      module_name: plugins/macros",
            "",
            "markdown_extensions:",
            "  - admonition",
            "  - attr_list",
            "  - md_in_html",
            "  - tables",
            "  - toc:",
            "      permalink: true",
            "  - pymdownx.details",
            "  - pymdownx.superfences",
            "",
            "nav:",
            *nav,
            "",
        ]
    )


def _standard_setting(standard: str, directory: Path) -> str:
    """The `standard:` value for mkdocs.yml: a catalogue id, or a path relative to it."""
    if standard in builtin_catalogue_ids():
        return standard
    path = Path(standard)
    if not path.is_absolute():
        path = Path.cwd() / path
    return Path(os.path.relpath(path.resolve(), directory.resolve())).as_posix()


def render_project(
    directory: Path,
    *,
    organisation: str | None = None,
    site_name: str | None = None,
    standard: str = "iso9001-2015",
    language: str = "en",
    standards: Sequence[str] = (),
) -> tuple[dict[str, str], Catalogue, str]:
    """The files of a new manual: {path relative to `directory`: text}.

    `standards`: for an integrated management system, every standard the manual claims, the
    first first (it replaces `standard`).

    Raises:
        InitError: Unknown language, or a catalogue that cannot be loaded.
    """
    data = _starter(language)
    specs = list(standards) or [standard]
    if len(set(specs)) < len(specs):
        raise InitError(f"a standard is named twice in {', '.join(specs)}")
    loaded = []
    for spec in specs:
        try:
            loaded.append(resolve_catalogue(spec))
        except QMSDataError as error:
            details = "; ".join(str(f) for f in error.findings)
            raise InitError(f"cannot load the catalogue '{spec}': {details}") from None
    catalogue = loaded[0]
    name = " ".join((organisation or data["default_organisation"]).split())
    if not name:
        raise InitError("the organisation's name is empty")
    values = {"organisation": name, "standard": " / ".join(c.label for c in loaded)}
    title = " ".join((site_name or _fill(data["site_name"], values)).split())
    pages = _pages(data, catalogue)
    if len(loaded) > 1:
        _claim_others(pages, catalogue, loaded[1:], data)
    setting: str | list[str] = _standard_setting(specs[0], directory)
    if len(specs) > 1:
        setting = [_standard_setting(spec, directory) for spec in specs]
    files: dict[str, str] = {
        "mkdocs.yml": _render_config(pages, data, values, title, setting),
        "plugins/macros.py": _MACROS_MODULE,
        "glossary/terms.yml": _fill(data["glossary"], values),
        ".gitignore": "# The built site (mkdocs build)\nsite/\n",
        "docs/index.md": _render_index(pages, data, values, title),
    }
    for page in pages:
        files[f"docs/{page.path}"] = _render_page(page, data, values, catalogue)
    return files, catalogue, name


def init_project(
    directory: Path,
    *,
    organisation: str | None = None,
    site_name: str | None = None,
    standard: str = "iso9001-2015",
    language: str = "en",
    force: bool = False,
    standards: Sequence[str] = (),
) -> InitResult:
    """Write a new manual into `directory` (see the module docstring).

    Raises:
        InitError: The folder is a file, is not empty (without `force`), or the project cannot
            be rendered; nothing is written then.
    """
    if directory.exists() and not directory.is_dir():
        raise InitError(f"{directory} is a file, not a folder")
    if directory.is_dir() and any(directory.iterdir()) and not force:
        raise InitError(
            f"{directory} is not empty; use --force to add the skeleton's missing files "
            "(existing files are never overwritten or deleted)"
        )
    files, catalogue, name = render_project(
        directory,
        organisation=organisation,
        site_name=site_name,
        standard=standard,
        language=language,
        standards=standards,
    )
    labels = tuple(resolve_catalogue(spec).label for spec in standards) if standards else ()
    result = InitResult(
        directory, name, catalogue, language, named=bool(organisation), standards=labels
    )
    for relative, text in files.items():
        path = directory / relative
        if path.exists() or path.is_symlink():
            result.skipped.append(relative)
            continue
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # "x": never replace a file that appeared in the meantime.
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except FileExistsError:
            result.skipped.append(relative)
        except OSError as error:
            raise InitError(f"cannot write {path}: {error.strerror or error}") from None
        else:
            result.written.append(relative)
    return result


# What is still to do ---------------------------------------------------------------------------

_PENDING_STATUSES = ("draft", "in-review")


@dataclass(frozen=True)
class PendingPage:
    """A page that is still a draft, or still has "to do" prompts."""

    page: str
    title: str
    status: str | None
    prompts: int


def pending_pages(reading: SourceReading) -> list[PendingPage]:
    """The manual's pages that are drafts (or in review) or carry "to do" prompts.

    Arguments:
        reading: What `qmsdocs check` read (`qmsdocs.checker.check_sources`): the pages'
            sources, titles and document statuses; nothing is read or parsed again.
    """
    result: list[PendingPage] = []
    for page, text in sorted(reading.sources.items()):
        _raw, body, _line = split_front_matter(text)
        status = reading.statuses.get(page)
        prompts = count_prompts(body)
        if status in _PENDING_STATUSES or prompts:
            result.append(PendingPage(page, reading.titles.get(page, page), status, prompts))
    return result


def pending_lines(reading: SourceReading) -> list[str]:
    """`pending_pages` as lines of text for `qmsdocs check` (empty when nothing is pending)."""
    pending = pending_pages(reading)
    if not pending:
        return []
    prompts = sum(p.prompts for p in pending)
    lines = [
        f"Still to do: {len(pending)} page(s) are drafts or have to-do prompts "
        f"({prompts} prompt(s) in all):"
    ]
    width = max(len(p.page) for p in pending)
    for item in pending:
        state = [item.status] if item.status else []
        if item.prompts:
            state.append(f"{item.prompts} to do")
        lines.append(f"  {item.page:<{width}}  {', '.join(state):<18} {item.title}")
    return lines


def pending_data(reading: SourceReading) -> list[dict[str, Any]]:
    """`pending_pages` as JSON-ready data for `qmsdocs check --format json`."""
    return [
        {"page": p.page, "title": p.title, "status": p.status, "prompts": p.prompts}
        for p in pending_pages(reading)
    ]
