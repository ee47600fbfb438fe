"""The glossary as readers meet it: tooltips, the A to Z index, the grouping of entries.

Pure functions over a `Vocabulary`; the plugin renders what they return.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from qmsdocs.findings import Finding, QMSDataError
from qmsdocs.records import TermUse
from qmsdocs.vocabulary import Origin, Term, Vocabulary, load_vocabulary

__all__ = [
    "GlossarySection",
    "TermUse",
    "anchor",
    "letter_of",
    "letters",
    "load_site_vocabulary",
    "sections",
    "tooltip",
]

ORGANISATION_SECTION = "organisation"


@dataclass(frozen=True, slots=True)
class GlossarySection:
    """A group of entries as the glossary page lists them."""

    id: str  # the group id ("3.8"), or "organisation"
    title: str
    terms: tuple[Term, ...]


def anchor(term: Term) -> str:
    """The HTML id of a term's entry on the glossary page."""
    return f"term-{term.key}"


def tooltip(text: str, limit: int = 220) -> str:
    """Plain text for a `title` attribute: whole sentences, or cut at a word, with an ellipsis.

    Long explanations make unreadable tooltips; the first sentence usually says enough, and
    the link leads to the rest. The ellipsis is three full stops: one character above U+00FF
    makes Python store a whole page's HTML at two bytes per character, and MkDocs keeps every
    page's HTML until the build ends.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    # Keep as many whole sentences as fit.
    cut = max(text.rfind(". ", 0, limit), text.rfind("; ", 0, limit))
    if cut >= limit // 3:
        return text[: cut + 1] + " ..."
    space = text.rfind(" ", 0, limit - 1)
    return text[: space if space > 0 else limit - 1].rstrip(",;:") + " ..."


def letter_of(term: Term) -> str:
    """The index letter of a term: its first letter without accents, "#" for digits."""
    for char in unicodedata.normalize("NFKD", term.term):
        if char.isalpha():
            return char.upper()
        if char.isdigit():
            return "#"
    return "#"


def _sort_key(term: Term) -> tuple[str, str]:
    folded = unicodedata.normalize("NFKD", term.term).casefold()
    return ("".join(c for c in folded if not unicodedata.combining(c)), term.key)


def letters(terms: Iterable[Term]) -> list[tuple[str, list[Term]]]:
    """Terms by index letter, letters in order ("#" first), terms alphabetically."""
    by_letter: dict[str, list[Term]] = {}
    for term in sorted(terms, key=_sort_key):
        by_letter.setdefault(letter_of(term), []).append(term)
    return sorted(by_letter.items())


def sections(vocabulary: Vocabulary, terms: Iterable[Term]) -> list[GlossarySection]:
    """Terms in the standard's groups (in the standard's order), then the organisation's own."""
    selected = list(terms)
    result = []
    for group in vocabulary.groups:
        in_group = tuple(t for t in selected if t.group == group.id)
        if in_group:
            result.append(GlossarySection(group.id, group.title, in_group))
    own = tuple(sorted((t for t in selected if t.group is None), key=_sort_key))
    if own:
        result.append(GlossarySection(ORGANISATION_SECTION, "Terms of our organisation", own))
    return result


def is_own_explanation(term: Term) -> bool:
    """Whether the explanation is qmsdocs' (or the organisation's) wording, not a definition."""
    return term.origin is Origin.STANDARD


def load_site_vocabulary(
    base_dir: Path, glossary_dir: str | None, *, iso_terms: bool = True
) -> tuple[Vocabulary, list[Finding], Path | None]:
    """A site's vocabulary: the ISO 9000 terms and the glossary files of its glossary folder.

    Arguments:
        base_dir: The folder of `mkdocs.yml`.
        glossary_dir: The `glossary_dir` option; None means `glossary` if that folder exists.
        iso_terms: Include the shipped ISO 9000:2015 terms.

    Returns:
        The vocabulary, the findings of loading it, and the folder read (None if there is none).

    Raises:
        QMSDataError: The folder named by `glossary_dir` does not exist.
    """
    folder = base_dir / (glossary_dir or "glossary")
    if not folder.is_dir():
        if glossary_dir is not None:
            raise QMSDataError(
                [
                    Finding(
                        "missing-glossary-dir",
                        f"the glossary folder '{glossary_dir}' (option glossary_dir) does not "
                        "exist",
                        glossary_dir,
                        hint="create it, correct the path (relative to mkdocs.yml), or remove "
                        "the option",
                    )
                ]
            )
        vocabulary, findings = load_vocabulary([], include_standard=iso_terms, base=base_dir)
        return vocabulary, findings, None
    files = sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())
    vocabulary, findings = load_vocabulary(files, include_standard=iso_terms, base=base_dir)
    return vocabulary, findings, folder
