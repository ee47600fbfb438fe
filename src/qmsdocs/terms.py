"""Recognise vocabulary terms in running text.

`TermMatcher` is built once per build from a `Vocabulary` and then scans each text once:
one regular expression splits the text into words, and a dictionary keyed by a word's
case-folded form gives the terms that can start there, longest first. The cost is linear in
the length of the text and independent of the number of terms (no regex per term).

What counts as a match:

- *Longest match wins*, scanning left to right, and matches never overlap: "quality management
  system" is one match, not "quality" plus "management".
- *Surface forms*: the preferred term, the admitted terms (they resolve to the entry's key),
  the entry's `forms`, and the regular English plural of the preferred and admitted terms
  (`default_inflections`): "nonconformities", "interested parties", "processes", "audits".
- *Case*: a word written in lower case in the vocabulary matches in any case ("Top management"
  at the start of a sentence); a word holding a capital must match exactly ("CAPA", "8D", the
  "DRP" of "DRP-provider").
- *Boundaries*: terms match whole words only, and never inside a compound joined by a hyphen,
  an underscore, a dot or an at sign ("sub-process", "process-based", "audit_plan",
  "audit.md"), unless the vocabulary's own term has that hyphen ("DRP-provider"). Quotes,
  brackets, punctuation and a possessive "'s" around a term do not stop it matching.
- *Spacing and typography*: any run of white space (line breaks, no-break spaces) matches the
  space between two words of a term; typographic apostrophes and hyphens (’ ‐ ‑, soft hyphen)
  count as their ASCII forms. Letters are Unicode letters, with combining accents.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise

from qmsdocs.vocabulary import Term
from qmsdocs.vocabulary.model import NAME_CHARACTERS

__all__ = ["Judge", "TermMatch", "TermMatcher", "default_inflections"]

# Decides whether an occurrence is meant as the term (`qmsdocs.senses`): called with the term's
# key, the text split into [gap, word, gap, word, ..., gap], the indexes of its first and last
# words, the text, and its start and end. It sees the words around at the cost of an index.
Judge = Callable[[str, list[str], int, int, str, int, int], bool]

# Combining marks that belong to the word they follow (accents written as separate code
# points, Indic vowel signs, Hebrew and Arabic points); `\w` alone would split words at them.
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    "\u0900-\u0dff\u0e31-\u0e4e\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
)
# A word: letters and digits (not the underscore, which joins words like a hyphen does).
_WORD = re.compile(rf"[^\W_]+(?:[{_MARKS}]+[^\W_]*)*")
_WORD_SPLIT = re.compile(f"({_WORD.pattern})")
# The same split for ASCII text, where a word is [A-Za-z0-9]+ (the marks are not ASCII); faster.
_ASCII_WORD_SPLIT = re.compile("([A-Za-z0-9]+)")
_WORD_CHAR = re.compile(rf"[^\W_]|[{_MARKS}]")
_SPACES = re.compile(r"\s+")
# The typographic characters NAME_CHARACTERS replaces; most texts have none to translate.
_NAME_CHARACTER_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in NAME_CHARACTERS) + "]")
# Characters that join two words into one compound, so that neither half is a term alone.
_JOINERS = frozenset("-_.@")
# Longest white-space gap accepted between two words of one term; bounds the work per word.
_MAX_GAP = 64

# Regular plurals cover most terms; these do not follow the rules (or have no plural).
_IRREGULAR = {"criterion": "criteria", "analysis": "analyses", "basis": "bases"}
_UNCOUNTABLE = frozenset(
    {
        "advice",
        "criteria",
        "data",
        "equipment",
        "evidence",
        "feedback",
        "information",
        "knowledge",
        "management",
        "personnel",
        "satisfaction",
        "software",
        "staff",
    }
)


@dataclass(frozen=True, slots=True)
class TermMatch:
    """One recognised term: `text[start:end]` names the vocabulary entry `key`."""

    start: int
    end: int
    key: str


@dataclass(frozen=True, slots=True)
class _Pattern:
    """One surface form of one term, compiled into the words it consists of."""

    key: str
    folded: tuple[str, ...]  # case-folded words
    exact: tuple[str | None, ...]  # the word where its case must match exactly, else None
    gaps: tuple[str, ...]  # what separates consecutive words: " " for any white space
    prefix: str  # punctuation before the first word (".NET"), usually empty
    suffix: str  # punctuation after the last word ("C++"), usually empty


def default_inflections(name: str) -> tuple[str, ...]:
    """The regular English plural of a term name, as a tuple of zero or one names.

    The head noun is inflected: the last word, or the word before "of" ("codes of conduct").
    Coordinated names ("design and development"), mass nouns ("data", "top management") and
    words already ending in a single "s" ("audit findings") get none.

    Examples:
        "nonconformity" -> ("nonconformities",); "interested party" -> ("interested parties",);
        "process" -> ("processes",); "CAPA" -> ("CAPAs",); "audit criteria" -> ().
    """
    words = name.split(" ")
    if "and" in words or "or" in words:
        return ()
    head = words.index("of") - 1 if "of" in words[1:] else len(words) - 1
    plural = _plural(words[head])
    if plural is None:
        return ()
    words[head] = plural
    return (" ".join(words),)


def _plural(word: str) -> str | None:
    # Inflect the last part of a hyphenated word ("DRP-provider" -> "DRP-providers").
    stem, last = "", word
    cut = max(word.rfind("-"), word.rfind("'"))
    if cut >= 0:
        stem, last = word[: cut + 1], word[cut + 1 :]
    lower = last.lower()
    if not any(char.isalpha() for char in last) or not last[-1].isalnum():
        return None  # a number ("ISO 9001") or a word ending in punctuation has no plural
    if lower in _UNCOUNTABLE:
        return None
    if lower in _IRREGULAR:
        return stem + _IRREGULAR[lower]
    if last.isupper() or last[-1].isdigit():  # an acronym or a code: "CAPAs", "8Ds"
        return None if last.endswith(("S", "s")) else stem + last + "s"
    if lower.endswith(("ss", "sh", "ch", "x", "z", "us")):
        return stem + last + "es"
    if lower.endswith("s"):  # already plural ("findings"), or a word we cannot guess
        return None
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return stem + last[:-1] + "ies"
    return stem + last + "s"


def _has_capital(word: str) -> bool:
    return any(char.isupper() or char.istitle() for char in word)


def _compile(surface: str, key: str) -> _Pattern | None:
    text = surface.translate(NAME_CHARACTERS).strip()
    words = list(_WORD.finditer(text))
    if not words:
        return None
    return _Pattern(
        key=key,
        folded=tuple(w.group().casefold() for w in words),
        exact=tuple(w.group() if _has_capital(w.group()) else None for w in words),
        gaps=tuple(_SPACES.sub(" ", text[a.end() : b.start()]) for a, b in pairwise(words)),
        prefix=text[: words[0].start()],
        suffix=text[words[-1].end() :],
    )


class _Node:
    """A word trie node: the terms that end after the words leading here, and what follows."""

    __slots__ = ("children", "patterns")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.patterns: list[_Pattern] = []


class TermMatcher:
    """Finds vocabulary terms in text; build it once per build, call `find_all` per text.

    Arguments:
        terms: A `Vocabulary` or any iterable of `Term`s. When two terms share a surface form,
            an entry's own names win over explicit forms, which win over generated plurals,
            and within that the earlier entry wins.
    """

    def __init__(self, terms: Iterable[Term]) -> None:
        # Every surface form, ranked by precedence: names, then explicit forms, then plurals.
        ranked: list[tuple[int, int, str, str]] = []
        for order, term in enumerate(terms):
            ranked.extend((0, order, name, term.key) for name in term.names)
            ranked.extend((1, order, form, term.key) for form in term.forms)
            for name in term.names:
                ranked.extend((2, order, form, term.key) for form in default_inflections(name))
        ranked.sort(key=lambda item: (item[0], item[1]))
        # The surface forms go into a trie of case-folded words, so that scanning a text costs
        # one dictionary look-up per word however many terms start with that word.
        self._roots: dict[str, _Node] = {}
        seen: set[tuple[object, ...]] = set()
        forms: dict[str, list[str]] = {}
        for _priority, _order, surface, key in ranked:
            pattern = _compile(surface, key)
            if pattern is None:
                continue
            signature = (
                pattern.folded,
                pattern.exact,
                pattern.gaps,
                pattern.prefix,
                pattern.suffix,
            )
            if signature in seen:  # an earlier (higher-precedence) term has this form
                continue
            seen.add(signature)
            forms.setdefault(key, []).append(surface)
            node = self._roots.setdefault(pattern.folded[0], _Node())
            for word in pattern.folded[1:]:
                node = node.children.setdefault(word, _Node())
            node.patterns.append(pattern)
        # Forms with the same words: punctuation-bearing ones first (".NET" before "NET"), then
        # case-exact before case-blind; `sorted` is stable, so precedence order stays within.
        stack = list(self._roots.values())
        while stack:
            node = stack.pop()
            node.patterns.sort(
                key=lambda p: (-len(p.prefix) - len(p.suffix), -sum(w is not None for w in p.exact))
            )
            stack.extend(node.children.values())
        self._forms = {key: tuple(surfaces) for key, surfaces in forms.items()}
        self._root_set = frozenset(self._roots)

    def forms(self, key: str) -> tuple[str, ...]:
        """Every surface form that matches the entry `key`, in precedence order."""
        return self._forms.get(key, ())

    def find_all(self, text: str, judge: Judge | None = None) -> list[TermMatch]:
        """All terms in `text`: non-overlapping, left to right, longest match first.

        With `judge`, an occurrence it rejects is left out, and no shorter term is looked for
        inside its words ("Quality Manager" is no occurrence of "quality" either).
        """
        if not text:
            return []
        # Same length as the text: offsets stay valid.
        norm = text.translate(NAME_CHARACTERS) if _NAME_CHARACTER_RE.search(text) else text
        # The text as [gap, word, gap, word, ..., gap]: one C-level pass, and no tuple per
        # word (a page has thousands of words and a few dozen terms).
        ascii_text = norm.isascii()
        parts = (_ASCII_WORD_SPLIT if ascii_text else _WORD_SPLIT).split(norm)
        words = parts[1::2]
        if not words:
            return []
        roots = self._roots
        # Case folding is per character, so a word's folded form is the fold of the word. In
        # ASCII text folding is lower-casing, done for all the words at once.
        folded = (
            "\n".join(words).lower().split("\n")
            if ascii_text
            else [word.casefold() for word in words]
        )
        starts = self._root_set.intersection(folded)
        if not starts:
            return []
        count = len(words)
        matches: list[TermMatch] = []
        last_end = 0
        resume = 0  # index of the first word not inside a match
        # Offsets are only needed around the hits: `start` is where parts[summed] starts.
        summed = start = 0
        for i in [index for index, fold in enumerate(folded) if fold in starts]:
            if i < resume:
                continue
            start += sum(map(len, parts[summed : 2 * i + 1]))
            summed = 2 * i + 1
            node = roots[folded[i]]
            # Follow the trie as far as the next words allow; the separators, exact case and
            # boundaries are checked afterwards, deepest (longest) candidate first.
            path = [node]
            j = i + 1
            while node.children and j < count:
                if len(parts[2 * j]) > _MAX_GAP:
                    break
                child = node.children.get(folded[j])
                if child is None:
                    break
                node = child
                path.append(node)
                j += 1
            for depth in range(len(path) - 1, -1, -1):
                found = None
                for pattern in path[depth].patterns:
                    found = _match(pattern, norm, parts, start, i, last_end)
                    if found is not None:
                        if judge is None or judge(
                            pattern.key, parts, i, i + depth, norm, found[0], found[1]
                        ):
                            matches.append(TermMatch(found[0], found[1], pattern.key))
                            last_end = found[1]
                        break
                if found is not None:
                    resume = i + depth + 1
                    break
        return matches


def _match(
    pattern: _Pattern, norm: str, parts: list[str], first_start: int, i: int, last_end: int
) -> tuple[int, int] | None:
    """The (start, end) of `pattern` whose words start at word `i`, or None.

    `parts` is the text split into [gap, word, gap, word, ..., gap]; word `i` starts at
    `first_start`. The caller has matched the case-folded words through the trie; this checks
    what the trie does not: exact case, the separators between the words, and the boundaries
    around them.
    """
    k = 2 * i + 1  # parts[k] is word i
    if pattern.exact[0] is not None and parts[k] != pattern.exact[0]:
        return None
    for j in range(1, len(pattern.folded)):
        gap = parts[k + 2 * j - 1]
        expected = pattern.gaps[j - 1]
        if expected == " ":
            if not gap.isspace():
                return None
        elif gap != expected and _SPACES.sub(" ", gap) != expected:
            return None
        exact = pattern.exact[j]
        if exact is not None and parts[k + 2 * j] != exact:
            return None
    end = first_start + sum(map(len, parts[k : k + 2 * len(pattern.folded) - 1]))
    begin = first_start - len(pattern.prefix)
    if pattern.prefix and (begin < last_end or norm[begin:first_start] != pattern.prefix):
        return None
    if pattern.suffix:
        if norm[end : end + len(pattern.suffix)] != pattern.suffix:
            return None
        end += len(pattern.suffix)
    if not _free_before(norm, begin) or not _free_after(norm, end):
        return None
    return begin, end


def _free_before(text: str, start: int) -> bool:
    """No word, and no compound joined to one, ends right before `start`."""
    if start == 0:
        return True
    if _WORD_CHAR.match(text, start - 1):
        return False
    return not (text[start - 1] in _JOINERS and start >= 2 and _WORD_CHAR.match(text, start - 2))


def _free_after(text: str, end: int) -> bool:
    """No word, and no compound joined to one, starts right at `end`."""
    if end >= len(text):
        return True
    if _WORD_CHAR.match(text, end):
        return False
    return not (text[end] in _JOINERS and _WORD_CHAR.match(text, end + 1) is not None)
