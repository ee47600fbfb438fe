"""The vocabulary model: terms, groups of terms, and a vocabulary to look them up in.

These types only hold data that the loader (`qmsdocs.vocabulary.loader`) has already
validated; they know nothing of files or YAML.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Group", "Origin", "Term", "Vocabulary", "normalise_name", "slugify"]

# Typographic apostrophes and hyphens that writers and word processors put in place of the
# ASCII ones; a name typed either way must find the same term. One character maps to one
# character, so the matcher can apply the same table to running text without moving offsets.
NAME_CHARACTERS = str.maketrans(
    {
        "\u2019": "'",  # right single quotation mark, the usual typographic apostrophe
        "\u2018": "'",  # left single quotation mark
        "\u02bc": "'",  # modifier letter apostrophe
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u00ad": "-",  # soft hyphen
    }
)
_NON_WORD = re.compile(r"[\W_]+")


class Origin(StrEnum):
    """Where the explanation of a term comes from.

    `standard`: a term of a shipped standard, explained in qmsdocs' own words (or in the
    organisation's own words, when its glossary overrides the explanation); `official`: the
    organisation replaced the explanation with licensed official wording; `organisation`: a term
    the organisation defines itself (an acronym, a local process name, a term of another
    standard).
    """

    STANDARD = "standard"
    OFFICIAL = "official"
    ORGANISATION = "organisation"


@dataclass(frozen=True)
class Group:
    """A group of terms as the standard arranges them ("3.8": "Terms related to data, ...")."""

    id: str
    title: str


@dataclass(frozen=True, kw_only=True)
class Term:
    """One vocabulary entry.

    Attributes:
        key: Stable slug, unique in a vocabulary ("documented-information"); the HTML anchor
            of the entry and the value of `see`. Overriding an ISO entry never changes its key.
        term: The preferred term, as it is displayed.
        number: The entry number in its standard ("3.8.6"), None for an organisation's term.
        standard: The standard the number belongs to ("ISO 9000:2015"), or None.
        group: Id of the `Group` the entry belongs to, or None.
        admitted: Admitted terms (synonyms); they match in text and resolve to this entry.
        forms: Extra surface forms the default English inflection rules miss ("outsourced").
        explanation: Plain-text explanation, used for tooltips and the glossary.
        see: Keys of related entries.
        origin: See `Origin`.
        source: The file the entry came from, as the user knows it.
        line: 1-based line of the entry in `source`, when known.
        link: Whether occurrences in prose are linked. False for terms whose everyday sense
            dominates in manuals ("guide", "item"); a site switches it per term.
        link_note: Why a shipped term is not linked by default.
        language: The language its names are in: it is linked on pages in that language.
    """

    key: str
    term: str
    number: str | None = None
    standard: str | None = None
    group: str | None = None
    admitted: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()
    explanation: str
    see: tuple[str, ...] = ()
    origin: Origin = Origin.ORGANISATION
    source: str = ""
    line: int | None = None
    link: bool = True
    link_note: str | None = None
    language: str = "en"

    @property
    def names(self) -> tuple[str, ...]:
        """The preferred term followed by the admitted terms."""
        return (self.term, *self.admitted)

    @property
    def reference(self) -> str | None:
        """The citation of the entry ("ISO 9000:2015 3.8.6"), or None for an own term."""
        if self.number is None:
            return None
        return f"{self.standard} {self.number}" if self.standard else self.number


def normalise_name(name: str) -> str:
    """The form of a term name used to compare names: case-folded, single-spaced, ASCII
    apostrophes and hyphens. "Top  Management" and "top management" are the same name."""
    return " ".join(name.translate(NAME_CHARACTERS).split()).casefold()


def slugify(name: str) -> str:
    """A stable anchor for a term name: "Documented information" -> "documented-information".

    Letters outside ASCII are kept (HTML ids may hold them), in composed form so that the
    same word always gives the same anchor whichever way the file encoded its accents.
    """
    text = unicodedata.normalize("NFC", name).casefold()
    return _NON_WORD.sub("-", text).strip("-")


class Vocabulary:
    """An ordered, validated set of terms, with lookup by key and by name.

    The loader guarantees that keys and names (preferred and admitted, case-insensitively) are
    unique; the constructor checks it again so that a hand-built vocabulary cannot be ambiguous.

    Arguments:
        terms: The entries, in the order the glossary should list them.
        groups: The groups the entries refer to, in the standard's order.
        title: A human-readable title for the whole vocabulary.

    Raises:
        ValueError: Two entries share a key or a name.
    """

    def __init__(self, terms: Iterable[Term], groups: Iterable[Group] = (), *, title: str = ""):
        self._terms = tuple(terms)
        self._groups = tuple(groups)
        self.title = title
        self._by_key: dict[str, Term] = {}
        self._by_name: dict[str, Term] = {}
        for term in self._terms:
            if term.key in self._by_key:
                raise ValueError(f"two terms have the key {term.key!r}")
            self._by_key[term.key] = term
            for name in term.names:
                other = self._by_name.setdefault(normalise_name(name), term)
                if other is not term:
                    raise ValueError(f"{name!r} names both {other.key!r} and {term.key!r}")
        self._groups_by_id = {group.id: group for group in self._groups}

    @property
    def terms(self) -> tuple[Term, ...]:
        """All entries, in glossary order."""
        return self._terms

    @property
    def groups(self) -> tuple[Group, ...]:
        """The groups that hold at least one entry, in the standard's order."""
        return self._groups

    def get(self, key: str) -> Term | None:
        """The entry with this key, or None."""
        return self._by_key.get(key)

    def lookup(self, name: str) -> Term | None:
        """The entry whose preferred or admitted term is `name` (case-insensitive), or None."""
        return self._by_name.get(normalise_name(name))

    def suggest(self, name: str) -> str | None:
        """A did-you-mean hint for a name that is no term of the vocabulary."""
        names = [n for term in self for n in term.names]
        close = difflib.get_close_matches(name, names, n=1)
        if not close:
            folded = {n.casefold(): n for n in names}
            matches = difflib.get_close_matches(name.casefold(), list(folded), n=1)
            close = [folded[c] for c in matches]
        return f"did you mean '{close[0]}'?" if close else None

    def group(self, group_id: str) -> Group | None:
        """The group with this id, or None."""
        return self._groups_by_id.get(group_id)

    def in_group(self, group_id: str) -> tuple[Term, ...]:
        """The entries of one group, in glossary order."""
        return tuple(term for term in self._terms if term.group == group_id)

    def __iter__(self) -> Iterator[Term]:
        return iter(self._terms)

    def __len__(self) -> int:
        return len(self._terms)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __repr__(self) -> str:
        return f"<Vocabulary {self.title!r}: {len(self._terms)} terms>"
