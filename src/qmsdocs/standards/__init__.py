"""Catalogues of standards: clause numbers, headings, the clause tree, and what is required.

A catalogue is one YAML data file (see `iso9001-2015.yml` beside this module for the format).
The catalogue knows nothing of pages or links; it answers questions about the standard:
does clause 7.5.4 exist, what is its title, what lies between 5.1 and 5.3, which clauses carry
requirements, what did the author probably mean.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from qmsdocs.findings import Finding, Problems, QMSDataError
from qmsdocs.yamlio import (
    LineDict,
    LineList,
    check_fields,
    excerpt,
    line_of,
    load_mapping,
    required_texts,
)

__all__ = [
    "Catalogue",
    "Clause",
    "builtin_catalogue_ids",
    "load_builtin_catalogue",
    "load_catalogue",
    "resolve_catalogue",
]

# Clause numbers: "4", "7.5.3.1", and annex numbers "A", "A.4" (an upper-case letter first).
CLAUSE_ID_RE = re.compile(r"(?:[0-9]{1,2}|[A-Z])(?:\.[0-9]{1,2}){0,4}")

_CLAUSE_FIELDS = {"id", "title", "requirements", "annex", "parent", "note", "confidence"}
CONFIDENCE = ("high", "medium", "low")
_CATALOGUE_FIELDS = {
    "id",
    "standard",
    "edition",
    "title",
    "aliases",
    "amendments",
    "clauses",
    "provisional",
    "note",
    "translations",
    "sources",
}
# A language code: "de", "fr", "pt-BR".
_LANGUAGE_RE = re.compile(r"[a-z]{2}(?:[-_][A-Za-z]{2})?")


@dataclass(frozen=True)
class Clause:
    """One numbered clause, subclause or annex of a standard.

    Attributes:
        id: The number as printed in the standard ("7.5.3", "A.4").
        title: The standard's heading, or None for a numbered paragraph without one.
        parent: Id of the enclosing clause, None for a top-level clause.
        requirements: Whether the clause carries requirements (ISO 9001: clauses 4 to 10).
        order: Position in the standard, for sorting in tree order.
        annex: "informative"/"normative" for an annex heading, None otherwise.
        line: Line of the entry in the catalogue file.
        confidence: For a provisional catalogue, how sure its facts are: high, medium, low.
    """

    id: str
    title: str | None
    parent: str | None
    requirements: bool
    order: int
    annex: str | None = None
    line: int | None = None
    confidence: str | None = None

    @property
    def depth(self) -> int:
        return self.id.count(".") + 1

    @property
    def top(self) -> str:
        """The top-level clause this one belongs to ("7" for "7.5.3")."""
        return self.id.split(".", 1)[0]

    @property
    def anchor(self) -> str:
        """A stable HTML id: dots would be read as class selectors by CSS and scripts."""
        return "clause-" + self.id.replace(".", "-")

    @property
    def is_annex(self) -> bool:
        return self.id[0].isalpha()


@dataclass(frozen=True)
class Catalogue:
    """A standard's clause tree, loaded from one data file.

    Attributes:
        id: Short identifier used in configuration and URLs ("iso9001-2015").
        standard: The standard's designation without edition ("ISO 9001").
        edition: The edition year ("2015").
        title: Full title for display.
        aliases: Ways prose names this standard ("ISO 9001:2015", "EN ISO 9001", ...).
        clauses: All clauses, in the standard's order.
        source: The file it was read from.
        provisional: True while the catalogue's facts are not confirmed.
        translations: The clause titles in other languages, by language and clause id (the
            titles of a national edition: "7.5.3" -> "Lenkung dokumentierter Information").
        sources: Where the catalogue's numbers and headings were checked, each described in
            words ("a certification body's page listing the clauses").
    """

    id: str
    standard: str
    edition: str
    title: str
    aliases: tuple[str, ...]
    clauses: tuple[Clause, ...]
    source: str = ""
    provisional: bool = False
    translations: Mapping[str, Mapping[str, str]] = field(
        default_factory=dict, repr=False, compare=False
    )
    sources: tuple[str, ...] = field(default=(), repr=False, compare=False)
    _by_id: dict[str, Clause] = field(init=False, repr=False, compare=False)
    _children: dict[str | None, tuple[Clause, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {c.id: c for c in self.clauses}
        children: dict[str | None, list[Clause]] = {}
        for clause in self.clauses:
            children.setdefault(clause.parent, []).append(clause)
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_children", {k: tuple(v) for k, v in children.items()})

    @property
    def label(self) -> str:
        """How the standard is named in text: "ISO 9001:2015"."""
        return f"{self.standard}:{self.edition}" if self.edition else self.standard

    def __contains__(self, clause_id: object) -> bool:
        return clause_id in self._by_id

    def __iter__(self) -> Iterator[Clause]:
        return iter(self.clauses)

    def __len__(self) -> int:
        return len(self.clauses)

    def get(self, clause_id: str) -> Clause | None:
        return self._by_id.get(clause_id)

    def __getitem__(self, clause_id: str) -> Clause:
        return self._by_id[clause_id]

    def children(self, clause_id: str | None) -> tuple[Clause, ...]:
        """Direct subclauses of a clause (None: the top-level clauses)."""
        return self._children.get(clause_id, ())

    def descendants(self, clause_id: str) -> list[Clause]:
        """All subclauses below a clause, in tree order."""
        result: list[Clause] = []
        stack = list(reversed(self.children(clause_id)))
        while stack:
            clause = stack.pop()
            result.append(clause)
            stack.extend(reversed(self.children(clause.id)))
        return result

    def ancestors(self, clause_id: str) -> list[Clause]:
        """Enclosing clauses, nearest first."""
        result: list[Clause] = []
        clause = self._by_id.get(clause_id)
        while clause is not None and clause.parent is not None:
            if len(result) > len(self.clauses):
                # Loaded catalogues cannot hold a cycle (`_check_tree`); one built in code can.
                raise ValueError(f"{self.id}: clause {clause_id} is its own ancestor")
            clause = self._by_id[clause.parent]
            result.append(clause)
        return result

    def is_leaf(self, clause_id: str) -> bool:
        return not self.children(clause_id)

    def required(self) -> list[Clause]:
        """Every clause that carries requirements, in tree order."""
        return [c for c in self.clauses if c.requirements]

    def required_leaves(self) -> list[Clause]:
        """The lowest-level clauses that carry requirements: the default coverage target."""
        return [c for c in self.clauses if c.requirements and self.is_leaf(c.id)]

    def top_level(self) -> tuple[Clause, ...]:
        return self.children(None)

    def span(self, first: str, last: str) -> list[Clause] | None:
        """The clauses a written range "first-last" spans, or None if it runs backwards.

        A range lists the clauses from `first` to `last` in tree order, at the depth of the
        deeper end: "5.1-5.3" is 5.1, 5.2, 5.3 (not 5.1.1), "4-10" the top-level clauses.
        """
        a, b = self._by_id.get(first), self._by_id.get(last)
        if a is None or b is None or a.order > b.order:
            return None
        depth = max(a.depth, b.depth)
        return [c for c in self.clauses if a.order <= c.order <= b.order and c.depth <= depth]

    def heading(self, clause_id: str, language: str | None = None) -> str:
        """The clause as a heading reads: "7.5.3 Control of documented information", with
        its title in `language` where the catalogue has it."""
        title = self.display_title(clause_id, language)
        return f"{clause_id} {title}" if title else clause_id

    def display_title(self, clause_id: str, language: str | None = None) -> str | None:
        """The clause's title in `language` where the catalogue has it, else the standard's."""
        translated = self.title_in(clause_id, language) if language else None
        return translated or self._by_id[clause_id].title

    def titles(self, clause_id: str) -> list[str]:
        """Every title the clause is known by: the standard's, then its translations'."""
        clause = self._by_id[clause_id]
        own = [clause.title] if clause.title else []
        return own + [t[clause_id] for t in self.translations.values() if clause_id in t]

    def title_in(self, clause_id: str, language: str) -> str | None:
        """The clause's title in a language ("de", "de-AT"); None where none is known."""
        titles = self.translations.get(language) or self.translations.get(language[:2].lower())
        return titles.get(clause_id) if titles else None

    def context_title(self, clause_id: str) -> str:
        """A title for display, borrowing the nearest titled ancestor for headless paragraphs.

        The standard gives some numbered paragraphs no heading (7.5.3.1); rather than invent
        one, they are shown in the context of the clause they belong to.
        """
        clause = self._by_id[clause_id]
        if clause.title:
            return clause.title
        for ancestor in self.ancestors(clause_id):
            if ancestor.title:
                return f"part of {ancestor.id} {ancestor.title}"
        return ""

    def tooltip(self, clause_id: str, language: str | None = None) -> str:
        """Plain text for a link's title attribute: "ISO 9001:2015 8.4 Control of ...", with
        the clause's title in `language` where the catalogue has it."""
        translated = self.title_in(clause_id, language) if language else None
        if translated:
            return f"{self.label} {clause_id} {translated}"
        title = self.context_title(clause_id)
        text = f"{self.label} {clause_id}"
        if not title:
            return text
        if self._by_id[clause_id].title:
            return f"{text} {title}"
        return f"{text} ({title})"

    def suggest(self, clause_id: str) -> str:
        """A did-you-mean hint for a clause number that does not exist."""
        parts = clause_id.split(".")
        # The nearest existing enclosing clause says most about what was meant.
        for cut in range(len(parts) - 1, 0, -1):
            prefix = ".".join(parts[:cut])
            if prefix in self._by_id:
                kids = self.children(prefix)
                if kids:
                    listed = ", ".join(k.id for k in kids[:8])
                    more = ", ..." if len(kids) > 8 else ""
                    return f"{self.label} {self.heading(prefix)} has {listed}{more}"
                return f"did you mean {self.heading(prefix)}?"
        numbered = [c.id for c in self.top_level() if not c.is_annex]
        annexes = [c.id for c in self.top_level() if c.is_annex]
        hint = f"{self.label} has clauses {numbered[0]} to {numbered[-1]}" if numbered else ""
        if annexes:
            hint += f" and annex{'es' if len(annexes) > 1 else ''} {', '.join(annexes)}"
        return hint


def builtin_catalogue_ids() -> list[str]:
    """Ids of the catalogues shipped with qmsdocs, in the order of the standards' numbers and
    editions: "iso9001-2015", "iso9001-2026", "iso14001-2015", ..."""
    folder = resources.files(__name__)
    return sorted((p.name[:-4] for p in folder.iterdir() if p.name.endswith(".yml")), key=_numeric)


def _numeric(text: str) -> list[tuple[int, str]]:
    """A sort key that compares the numbers in a text as numbers: 9001 before 14001."""
    return [(int(part), "") if part.isdigit() else (-1, part) for part in re.split(r"(\d+)", text)]


def load_builtin_catalogue(catalogue_id: str) -> Catalogue:
    """Load a shipped catalogue by id ("iso9001-2015")."""
    if catalogue_id not in builtin_catalogue_ids():
        known = ", ".join(builtin_catalogue_ids())
        raise QMSDataError(
            [
                Finding(
                    "unknown-catalogue",
                    f"no built-in catalogue '{catalogue_id}'",
                    hint=f"use one of {known}, or the path of a catalogue file",
                )
            ]
        )
    with resources.as_file(resources.files(__name__) / f"{catalogue_id}.yml") as path:
        catalogue = load_catalogue(path, display=f"qmsdocs/standards/{catalogue_id}.yml")
    return _with_shipped_translations(catalogue)


def _with_shipped_translations(catalogue: Catalogue) -> Catalogue:
    """The catalogue with the clause titles shipped beside it in other languages
    (`standards/translations/<id>.<language>.yml`)."""
    folder = resources.files(__name__) / "translations"
    if not folder.is_dir():
        return catalogue
    translations = dict(catalogue.translations)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        stem, _, suffix = entry.name.rpartition(".")
        catalogue_id, _, language = stem.rpartition(".")
        if suffix != "yml" or catalogue_id != catalogue.id:
            continue
        display = f"qmsdocs/standards/translations/{entry.name}"
        problem = Problems(display)
        with resources.as_file(entry) as path:
            data = load_mapping(
                path, problem, "bad-translation", "a translation file must be a mapping"
            )
        if data.get("catalogue") != catalogue.id or data.get("language") != language:
            problem(
                "bad-translation",
                f"the file must say catalogue: {catalogue.id} and language: {language}",
                1,
            )
        titles = _parse_titles(data.get("titles"), language, catalogue, problem, data)
        problem.raise_if_any()
        translations[language] = titles
    return replace(catalogue, translations=translations)


def _parse_titles(
    raw: Any, language: str, catalogue: Catalogue, problem: Problems, parent: Any
) -> dict[str, str]:
    """Clause titles in one language: a mapping of clause id to title, every id the
    catalogue's."""
    if not isinstance(raw, dict):
        problem(
            "bad-translation",
            f"titles in '{language}' must map clause ids to titles",
            line_of(parent, "titles") if isinstance(parent, LineDict) else None,
        )
        return {}
    titles: dict[str, str] = {}
    for key, title in raw.items():
        line = line_of(raw, key) if isinstance(raw, LineDict) else None
        clause_id = str(key)
        if clause_id not in catalogue:
            problem(
                "unknown-clause",
                f"titles in '{language}': {catalogue.label} has no clause {clause_id}",
                line,
                catalogue.suggest(clause_id),
            )
        elif not isinstance(title, str) or not title.strip():
            problem("bad-translation", f"clause {clause_id}: the title must be a text", line)
        else:
            titles[clause_id] = " ".join(title.split())
    return titles


def resolve_catalogue(spec: str, base_dir: Path | None = None) -> Catalogue:
    """A built-in catalogue id, or a path to a catalogue file (relative to `base_dir`)."""
    if spec in builtin_catalogue_ids():
        return load_builtin_catalogue(spec)
    if spec.endswith((".yml", ".yaml")) or "/" in spec or "\\" in spec:
        path = Path(spec)
        if base_dir is not None and not path.is_absolute():
            path = base_dir / path
        return load_catalogue(path, display=spec)
    return load_builtin_catalogue(spec)


def load_catalogue(path: Path, display: str | None = None) -> Catalogue:
    """Read and validate a catalogue file; all problems are reported together."""
    name = display or str(path)
    problem = Problems(name)
    data = load_mapping(
        path,
        problem,
        "bad-catalogue",
        "a catalogue must be a mapping with 'id', 'standard' and 'clauses'",
    )
    meta, aliases = _catalogue_fields(data, problem)
    sources = _catalogue_sources(data, problem)
    raw_clauses = data.get("clauses")
    if not isinstance(raw_clauses, list) or not raw_clauses:
        problem("missing-field", "'clauses' must be a non-empty list", line_of(data, "clauses"))
        raw_clauses = LineList()
    clauses: list[Clause] = []
    seen: dict[str, int | None] = {}
    for index, entry in enumerate(raw_clauses):
        line = line_of(raw_clauses, index)
        clause = _parse_clause(entry, index, line, seen, problem)
        if clause is not None:
            seen[clause.id] = line
            clauses.append(clause)
    _check_tree(clauses, problem)
    problem.raise_if_any()
    std, edition = meta["standard"], str(data.get("edition", ""))
    label = f"{std}:{edition}" if edition else std
    catalogue = Catalogue(
        id=meta["id"],
        standard=std,
        edition=edition,
        title=meta["title"],
        aliases=tuple(dict.fromkeys([label, std, *aliases])),
        clauses=tuple(clauses),
        source=name,
        provisional=bool(data.get("provisional", False)),
        sources=sources,
    )
    # A catalogue file may bring its clause titles in other languages.
    raw = data.get("translations")
    if raw is None:
        return catalogue
    translations: dict[str, dict[str, str]] = {}
    if not isinstance(raw, dict):
        problem(
            "bad-field",
            "'translations' must map languages (de, fr, ...) to clause titles",
            line_of(data, "translations"),
        )
    else:
        for language, titles in raw.items():
            if not isinstance(language, str) or not _LANGUAGE_RE.fullmatch(language):
                problem(
                    "bad-field",
                    f"translations: {language!r} is not a language code (de, fr, pt-BR)",
                    line_of(raw, language) if isinstance(raw, LineDict) else None,
                )
                continue
            translations[language] = _parse_titles(titles, language, catalogue, problem, raw)
    problem.raise_if_any()
    return replace(catalogue, translations=translations)


def _catalogue_fields(data: dict[Any, Any], problem: Problems) -> tuple[dict[str, str], list[str]]:
    """The catalogue's own fields: (id, standard and title; its aliases)."""
    check_fields(data, _CATALOGUE_FIELDS, problem, "catalogue field")
    meta = required_texts(data, ("id", "standard", "title"), problem, "catalogue field", 1)
    aliases = data.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        problem("bad-field", "'aliases' must be a list of texts", line_of(data, "aliases"))
        aliases = []
    return meta, [a.strip() for a in aliases]


def _catalogue_sources(data: dict[Any, Any], problem: Problems) -> tuple[str, ...]:
    """The optional `sources`: where the numbers and headings were checked, each a text."""
    raw = data.get("sources")
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(s, str) and s.strip() for s in raw):
        problem(
            "bad-field",
            "'sources' must be a list of non-empty texts",
            line_of(data, "sources"),
            "describe each source in words, one text per source",
        )
        return ()
    return tuple(" ".join(s.split()) for s in raw)


def _check_tree(clauses: list[Clause], problem: Problems) -> None:
    """Every parent is in the catalogue, and comes before its children.

    Parents strictly before children is what keeps the tree a tree: no clause can then be its
    own ancestor, and every walk up the tree ends.
    """
    position = {clause.id: index for index, clause in enumerate(clauses)}
    for index, clause in enumerate(clauses):
        if clause.parent is None:
            continue
        where = position.get(clause.parent)
        if where is None:
            problem(
                "unknown-parent",
                f"clause {clause.id}: its parent {clause.parent} is not in the catalogue",
                clause.line,
                f"add clause {clause.parent} before it",
            )
        elif where == index:
            problem(
                "parent-cycle",
                f"clause {clause.id} is its own parent",
                clause.line,
                "remove its 'parent', or name the clause that encloses it",
            )
        elif where > index:
            problem(
                "parent-after-child",
                f"clause {clause.id} comes before its parent {clause.parent}",
                clause.line,
                "list clauses in the standard's order (a clause's parent first)",
            )


def _parse_clause(
    entry: Any,
    index: int,
    line: int | None,
    seen: dict[str, int | None],
    problem: Problems,
) -> Clause | None:
    if not isinstance(entry, LineDict):
        problem("bad-clause", "each clause must be a mapping with an 'id'", line)
        return None
    for key in entry:
        if key not in _CLAUSE_FIELDS:
            problem(
                "unknown-field",
                f"unknown clause field '{excerpt(key)}'",
                line_of(entry, key),
                "allowed: " + ", ".join(sorted(_CLAUSE_FIELDS)),
            )
    raw_id = entry.get("id")
    if isinstance(raw_id, int | float) and not isinstance(raw_id, bool):
        problem(
            "bad-clause-id",
            f"clause id {raw_id!r} must be quoted text",
            line,
            f'write id: "{raw_id}" so YAML does not read it as a number',
        )
        return None
    if not isinstance(raw_id, str) or not CLAUSE_ID_RE.fullmatch(raw_id):
        problem(
            "bad-clause-id",
            f"clause id {raw_id!r} is not a clause number",
            line,
            'clause ids look like "4", "7.5.3" or "A.4"',
        )
        return None
    if raw_id in seen:
        problem(
            "duplicate-clause",
            f"clause {raw_id} is listed twice",
            line,
            f"first listed on line {seen[raw_id]}",
        )
        return None
    title = entry.get("title")
    if title is not None and (not isinstance(title, str) or not title.strip()):
        problem("bad-field", f"clause {raw_id}: 'title' must be a non-empty text", line)
        title = None
    requirements = entry.get("requirements", False)
    if not isinstance(requirements, bool):
        problem("bad-field", f"clause {raw_id}: 'requirements' must be true or false", line)
        requirements = False
    confidence = entry.get("confidence")
    if confidence is not None and confidence not in CONFIDENCE:
        problem(
            "bad-field",
            f"clause {raw_id}: 'confidence' must be one of {', '.join(CONFIDENCE)}",
            line_of(entry, "confidence"),
        )
        confidence = None
    parent = entry.get("parent")
    if parent is None and "." in raw_id:
        parent = raw_id.rsplit(".", 1)[0]
    annex = entry.get("annex")
    return Clause(
        id=raw_id,
        title=title.strip() if isinstance(title, str) else None,
        parent=str(parent) if parent is not None else None,
        requirements=requirements,
        order=index,
        annex=str(annex) if annex is not None else None,
        line=line,
        confidence=confidence,
    )


def catalogues_by_alias(catalogues: Sequence[Catalogue]) -> dict[str, Catalogue]:
    """Map each alias, normalised, to its catalogue (the first catalogue wins a clash)."""
    mapping: dict[str, Catalogue] = {}
    for catalogue in catalogues:
        for alias in catalogue.aliases:
            mapping.setdefault(normalise_designation(alias), catalogue)
    return mapping


_NATIONAL_PREFIX_RE = re.compile(
    r"^(?:(?:DIN|BS|NF|UNE|ÖNORM|SN|NEN|UNI|SS|CSA|JIS|ANSI|AS/NZS)\s+)?(?:EN\s+)?(?=ISO)"
)
_AMENDMENT_RE = re.compile(r"\s*[/+]\s*amd\.?\s*\d+(?::\s*\d{4})?", re.IGNORECASE)


def normalise_designation(text: str) -> str:
    """Compare standard names ignoring case, spacing, amendments and national adoptions.

    "DIN EN ISO 9001:2015/Amd 1:2024" and "ISO 9001:2015" name the same catalogue.
    """
    text = _AMENDMENT_RE.sub("", text.strip())
    text = _NATIONAL_PREFIX_RE.sub("", text)
    return re.sub(r"\s+", "", text).upper()
