"""Which clauses a page names by their titles, not by their numbers.

A page that declares clause 7.1 in its front matter covers 7.1.1 to 7.1.6 through that parent.
Whether it deals with each of them is for a reader to judge, but a page that never names
"infrastructure" or "organizational knowledge", nor cites 7.1.3 or 7.1.6, is a page an auditor
should be pointed at (`thin-coverage`). Numbers come from the page's citations; this module adds
the titles, compared word by word as headings are (`qmsdocs.manual.title_words`: case,
British and American spelling, "QMS", small words left out).

People do not write a title out in their prose; they write its subject. A title is named when
the page holds one of its word pairs that its parents' titles do not hold ("quality policy"
for 5.2.1 "Establishing the quality policy", "changes requirements" for 8.2.4 "Changes to
requirements for products and services", but not "products services", which is 8.2's). A title
of one word is that word ("Preservation"). "General" names nothing and is never looked for.
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

from qmsdocs.manual import title_words
from qmsdocs.standards import Catalogue

__all__ = ["TitleIndex"]


def _pairs(words: list[str]) -> set[str]:
    return {f"{a} {b}" for a, b in pairwise(words)}


class TitleIndex:
    """The titles of a catalogue's subclauses, ready to be looked for in a page's text."""

    def __init__(self, catalogue: Catalogue) -> None:
        pairs = {c.id: _pairs(title_words(c.title or "")) for c in catalogue}
        seen = Counter(pair for found in pairs.values() for pair in found)
        self._phrases: list[tuple[str, list[str]]] = []
        for clause in catalogue:
            words = title_words(clause.title) if clause.parent and clause.title else []
            if not words or words == ["general"]:
                continue
            if len(words) == 1:
                self._phrases.append((clause.id, [f" {words[0]} "]))
                continue
            ancestors = catalogue.ancestors(clause.id)
            inherited = set().union(*(pairs[a.id] for a in ancestors))
            family = Counter(
                pair
                for member in [*ancestors, clause, *catalogue.descendants(clause.id)]
                for pair in pairs[member.id]
            )
            # A pair in the titles of other families too ("products services") names none.
            phrases = {
                pair for pair in pairs[clause.id] - inherited if seen[pair] - family[pair] < 2
            } or {" ".join(words)}
            self._phrases.append((clause.id, [f" {phrase} " for phrase in sorted(phrases)]))

    def named_in(self, text: str) -> set[str]:
        """The clauses whose titles `text` names."""
        words = f" {' '.join(title_words(text))} "
        return {
            clause
            for clause, phrases in self._phrases
            if any(phrase in words for phrase in phrases)
        }
