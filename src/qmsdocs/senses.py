"""Which term occurrences are meant in the ISO 9000 sense: the ones worth a link.

`qmsdocs.terms.TermMatcher` finds every place a term's words occur. Many of them are not the
term: "the Quality Manager" is a job, "this guide" a document, "the note taker records all
questions" a verb, "Settings → Logs → Audit Log" a menu path, "Leitet das Management Review" a
German sentence. A link there teaches readers to distrust every link, so `TermSenses` keeps
only the occurrences whose surroundings allow the ISO sense:

- *terms whose everyday sense dominates* are not linked at all unless the site switches them
  on (the vocabulary data says which, and why: `link: false` with `link_note`);
- *verbs*: a word that can be a verb, after a subject or a modal ("we audit", "must
  document"), after "to" ("to review"), or before a determiner or pronoun with no determiner
  of its own ("records all questions", "Review each clause", "documents how");
- *names*: a word inside a role title ("Quality Manager", "process owner", "Change Control
  Coordinator"), inside a longer capitalised name ("Architecture Review Board", "Data Driven
  Development", "Identification and Traceability SOP", "In Test"), or in a standard's title
  ("ISO 9001:2015 — Quality Management Systems");
- *interface text*: menu paths ("Settings → General → Releases") and status values;
- *metadata labels*: "Document Owner:" in a block of "Label: value" lines;
- *another language*: a block written in German (the vocabulary is English);
- *the author's word*: phrases the site or page says never to link ("Quality Manager").

Every rule reads a few words around the occurrence; a text is read once, and only around the
terms the matcher found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from qmsdocs.terms import TermMatch
from qmsdocs.vocabulary import Term

__all__ = ["TermSenses", "never_pattern"]

# Nouns of the vocabulary that are also verbs: only these can be read as verbs.
_VERBS = frozenset(
    [
        "audit",
        "audits",
        "review",
        "reviews",
        "process",
        "processes",
        "record",
        "records",
        "document",
        "documents",
        "test",
        "tests",
        "release",
        "releases",
        "service",
        "services",
        "guide",
        "guides",
        "design",
        "designs",
        "control",
        "controls",
        "measure",
        "measures",
        "plan",
        "plans",
        "change",
        "changes",
        "monitor",
        "monitors",
        "object",
        "objects",
        "output",
        "outputs",
        "outsource",
        "outsources",
        "contract",
        "contracts",
        "repair",
        "repairs",
        "rework",
        "reworks",
        "scrap",
        "scraps",
        "risk",
        "risks",
        "grade",
        "grades",
        "dispute",
        "disputes",
        "project",
        "projects",
    ]
)
# Before a verb: its subject, a modal, an adverb of frequency.
_BEFORE_VERB = frozenset(
    [
        "i",
        "we",
        "you",
        "they",
        "he",
        "she",
        "it",
        "who",
        "must",
        "shall",
        "should",
        "will",
        "would",
        "can",
        "could",
        "may",
        "might",
        "please",
        "not",
        "also",
        "always",
        "never",
        "often",
        "usually",
        "regularly",
        "then",
        "cannot",
        "don't",
        "doesn't",
        "didn't",
        "won't",
        "let's",
        "help",
        "helps",
    ]
)
# Words before "to" after which the next word is a noun: "prior to release", "subject to review".
_NOUN_AFTER_TO = frozenset(
    [
        "prior",
        "subject",
        "due",
        "according",
        "input",
        "inputs",
        "related",
        "relating",
        "access",
        "changes",
        "change",
        "reference",
        "references",
        "response",
        "responses",
        "up",
        "compared",
        "linked",
        "submitted",
        "sent",
        "return",
        "returned",
        "back",
        "ready",
        "open",
        "closed",
        "go",
        "goes",
        "went",
        "come",
        "comes",
    ]
)
# After a verb and never right after a noun: determiners, pronouns, question words.
_AFTER_VERB = frozenset(
    [
        "the",
        "a",
        "an",
        "all",
        "each",
        "every",
        "its",
        "their",
        "our",
        "your",
        "his",
        "her",
        "this",
        "these",
        "those",
        "how",
        "what",
        "whether",
        "why",
        "when",
        "where",
        "any",
        "some",
        "them",
        "us",
        "him",
        "me",
        "it",
        "both",
        "whichever",
        "whatever",
        "everything",
        "nothing",
        "anything",
        "something",
    ]
)
# What follows a noun that is not the term's own noun phrase: after any single-word term that
# has no determiner of its own, one of these makes it a verb ("the lead quarantines it").
_OBJECTS = frozenset(
    [
        "the",
        "a",
        "an",
        "all",
        "each",
        "every",
        "its",
        "their",
        "our",
        "your",
        "them",
        "it",
        "us",
        "everything",
    ]
)
# People in the plural, as the subject of a verb: "internal auditors test awareness".
_PEOPLE = frozenset(
    [
        "auditors",
        "inspectors",
        "operators",
        "managers",
        "owners",
        "people",
        "staff",
        "teams",
        "supervisors",
        "engineers",
        "employees",
        "users",
        "we",
        "they",
        "setters",
        "buyers",
        "planners",
    ]
)
# After a sentence's or list item's first word, adjectives that make it an imperative verb:
# "Record actual values", "Review critical features".
_IMPERATIVE_OBJECTS = frozenset(
    [
        "actual",
        "critical",
        "relevant",
        "key",
        "incoming",
        "outgoing",
        "affected",
        "completed",
        "measured",
        "nonconforming",
        "existing",
        "current",
        "changed",
        "returned",
        "received",
        "rejected",
    ]
)
# Everyday phrases around a few terms: a track record, a machining strategy, the real test,
# the product of two numbers, a document management system (software).
_EVERYDAY_BEFORE = {
    "record": frozenset(
        [
            "good",
            "bad",
            "poor",
            "strong",
            "excellent",
            "proven",
            "track",
            "clean",
            "perfect",
            "solid",
        ]
    ),
    "strategy": frozenset(
        [
            "program",
            "programming",
            "machining",
            "merge",
            "branching",
            "test",
            "testing",
            "backup",
            "cutting",
            "tool",
            "toolpath",
            "caching",
            "deployment",
            "retry",
            "search",
        ]
    ),
    "strategies": frozenset(["merge", "branching", "caching", "deployment", "retry", "backup"]),
    "test": frozenset(["real", "true", "acid", "litmus", "ultimate", "hardest"]),
    "management system": frozenset(
        [
            "document",
            "documents",
            "content",
            "learning",
            "warehouse",
            "inventory",
            "ticket",
            "ticketing",
            "library",
        ]
    ),
}
_EVERYDAY_AFTER_RE = {
    "record": re.compile(r"[ \t\n]+of[ \t\n]+(?:steady|consistent|continuous|sustained|proven)\b"),
    "product": re.compile(r"^(?=.{0,80}\b(?:score|multipl|times)\b)", re.DOTALL),
    "document": re.compile(r"[ \t\n]+management[ \t\n]+system"),
}
# Before a noun: "the audit the team held" is a noun, whatever follows.
_DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "our",
        "their",
        "its",
        "this",
        "that",
        "these",
        "those",
        "each",
        "every",
        "any",
        "no",
        "your",
        "his",
        "her",
        "my",
        "internal",
        "external",
        "annual",
        "final",
        "first",
        "last",
        "next",
        "new",
        "same",
        "one",
    ]
)
# Words that end a role title, in any case ("quality manager", "Process Owner").
_ROLES = frozenset(
    [
        "manager",
        "managers",
        "owner",
        "owners",
        "officer",
        "officers",
        "coordinator",
        "coordinators",
        "representative",
        "representatives",
        "director",
        "directors",
        "engineer",
        "engineers",
        "champion",
        "champions",
        "administrator",
        "administrators",
        "lead",
        "leads",
        "steward",
        "stewards",
        "analyst",
        "analysts",
        "specialist",
        "specialists",
        "supervisor",
        "supervisors",
    ]
)
# ... and, capitalised, the bodies people belong to ("Architecture Review Board").
_BODIES = frozenset(
    [
        "board",
        "boards",
        "committee",
        "committees",
        "team",
        "teams",
        "group",
        "council",
        "panel",
        "department",
        "office",
        "unit",
        "forum",
    ]
)
# Small words inside capitalised names: "Freedom of Information and Protection of Privacy".
_CONNECTORS = frozenset(["of", "and", "for", "&", "the", "to", "in", "on", "de"])
# German function words, and English ones: a block with more of the first is not English.
_GERMAN = frozenset(
    [
        "der",
        "die",
        "das",
        "und",
        "ist",
        "nicht",
        "mit",
        "für",
        "wird",
        "werden",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einer",
        "eines",
        "zu",
        "von",
        "auf",
        "im",
        "bei",
        "nach",
        "oder",
        "wir",
        "sie",
        "es",
        "auch",
        "wenn",
        "durch",
        "über",
        "dass",
        "sind",
        "jede",
        "jeder",
        "alle",
        "wie",
        "vom",
        "zum",
        "zur",
        "unsere",
        "unser",
    ]
)
_ENGLISH = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "is",
        "are",
        "for",
        "with",
        "that",
        "this",
        "we",
        "be",
        "by",
        "on",
        "or",
        "it",
        "as",
        "in",
        "our",
        "from",
    ]
)

_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")
_GERMAN_HINT_RE = re.compile(r"\b(?:der|die|das|und|ist|nicht|wird|werden|mit|für|den|dem)\b")
# The word right before or after an occurrence, across one line break (prose is wrapped).
_PREVIOUS_RE = re.compile(r"(?P<word>[^\W\d_][\w'’]*)[ \t\u00a0]*\n?[ \t\u00a0]*$")
_NEXT_RE = re.compile(r"[ \t\u00a0]*\n?[ \t\u00a0]*(?P<word>[^\W\d_][\w'’]*)")
# "who assemble, service and use": a verb coordinated with one after a subject or modal.
_COORDINATED_RE = re.compile(
    r"(?P<subject>[^\W\d_][\w'’]*)[ \t\u00a0]+[a-z]+(?:,[ \t\u00a0]*[a-z]+)*"
    r"(?:,[ \t\u00a0]*|[ \t\u00a0]+(?:and|or)[ \t\u00a0]+)$"
)
# A document's code before a title: "QP-21 Contract review", "SOP-004 Document Control".
_DOCUMENT_CODE_RE = re.compile(
    r"\b[A-Z]{2,}(?:-[A-Z0-9]+)*-\d+[A-Z]?[ \t\u00a0]*[:–—-]?[ \t\u00a0]*"
    r"(?:[A-Z][\w’'-]*[ \t\u00a0]+(?:(?:and|of|&)[ \t\u00a0]+)?)*$"
)
_PATH_SEPARATORS = ("→", "->", "»", " > ", "⇒")
_STATUS_RE = re.compile(
    r"(?i:\b(?:status|state|label|column|field|tab|button|menu|option)[ \t\u00a0]*[:=]?"
    r"[ \t\u00a0]*)[\"“'‘`]?$"
)
# A standard's title after its designation: "ISO 9001:2015 — Quality management systems —".
_STANDARD_TITLE_RE = re.compile(
    r"\b(?:ISO|IEC|EN)\b[\w/ +:.-]*\d(?:[ \t\u00a0]*[—–:-][ \t\u00a0]*[A-Z][\w ,]{0,60}?)*"
    r"[ \t\u00a0]*[—–:-][ \t\u00a0]*$"
)
_LABEL_LINE_RE = re.compile(r"^[ \t>*_-]*[A-Z][\w'’/&() .-]{0,40}?[ \t]*[*_]*:[*_]*(?:[ \t]|$)")


def never_pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for the phrases an author never wants linked (whole words, any case)."""
    parts = [
        r"[ \t\u00a0\n]+".join(re.escape(word) for word in phrase.split())
        for phrase in phrases
        if phrase.split()
    ]
    if not parts:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)


class TermSenses:
    """Keeps the term occurrences meant in the ISO 9000 sense (see the module docstring).

    Arguments:
        terms: The vocabulary; each term's `link` says whether it is linked by default.
        switched: The site's choice per term key (`term_links: {guide: true}`).
        never: Phrases the site never wants linked ("Quality Manager").
    """

    def __init__(
        self,
        terms: Iterable[Term],
        switched: Mapping[str, bool] | None = None,
        never: Sequence[str] = (),
    ) -> None:
        switched = switched or {}
        self.off = frozenset(term.key for term in terms if not switched.get(term.key, term.link))
        self.never = never_pattern(never)

    def keep(
        self,
        text: str,
        matches: list[TermMatch],
        never: re.Pattern[str] | None = None,
    ) -> list[TermMatch]:
        """The occurrences of `matches` (found in `text`) meant in the ISO sense.

        `never`: the page's own phrases never to link (`never_pattern`).
        """
        if not matches or _not_english(text):
            return []
        blocked: list[tuple[int, int]] = []
        for pattern in (self.never, never):
            if pattern is not None:
                blocked += [m.span() for m in pattern.finditer(text)]
        labels = _label_lines(text) if ":" in text else []
        return [
            match
            for match in matches
            if match.key not in self.off
            and not any(a < match.end and match.start < b for a, b in blocked)
            and not any(a <= match.start and match.end <= b for a, b in labels)
            and not _other_sense(text, match)
        ]


def _other_sense(text: str, match: TermMatch) -> bool:
    """Whether the words around `match` make it something other than the term."""
    surface = text[match.start : match.end]
    before = text[max(0, match.start - 80) : match.start]
    after = text[match.end : match.end + 80]
    previous = _PREVIOUS_RE.search(before)
    following = _NEXT_RE.match(after)
    prev_word = previous.group("word") if previous else ""
    next_word = following.group("word") if following else ""
    lower = surface.lower()
    if " " not in surface and lower in _VERBS and _verb(before, prev_word, next_word):
        return True
    if (
        " " not in surface
        and next_word.lower() in _OBJECTS
        and prev_word.lower() not in _DETERMINERS
        and prev_word
    ):
        return True  # "the lead quarantines it": a verb, whatever the vocabulary says
    if prev_word.lower() in _EVERYDAY_BEFORE.get(lower, ()):
        return True
    everyday = _EVERYDAY_AFTER_RE.get(lower)
    if everyday is not None and everyday.match(after):
        return True
    if _DOCUMENT_CODE_RE.search(before):
        return True
    if next_word.lower() in _ROLES or (next_word[:1].isupper() and next_word.lower() in _BODIES):
        return True
    if surface[:1].isupper() and _inside_a_name(before, after, prev_word, next_word):
        return True
    if _STANDARD_TITLE_RE.search(before) or _STATUS_RE.search(before):
        return True
    return _in_a_path(before, after)


def _verb(before: str, prev_word: str, next_word: str) -> bool:
    previous = prev_word.lower()
    if previous in _BEFORE_VERB or previous in _PEOPLE:
        return True
    coordinated = _COORDINATED_RE.search(before)
    if coordinated and coordinated.group("subject").lower() in _BEFORE_VERB | {"to"}:
        return True
    if not prev_word and _sentence_start(before) and next_word.lower() in _IMPERATIVE_OBJECTS:
        return True
    if previous == "to":
        earlier = _PREVIOUS_RE.search(
            before[: len(before) - len(prev_word) - 1].rstrip(" \t") + " "
        )
        return earlier is None or earlier.group("word").lower() not in _NOUN_AFTER_TO
    return next_word.lower() in _AFTER_VERB and previous not in _DETERMINERS


def _inside_a_name(before: str, after: str, prev_word: str, next_word: str) -> bool:
    """A capitalised occurrence with capitalised words joined to it on either side (not the
    first word of a sentence): part of a longer name."""
    if next_word and _capitalised(next_word):
        return True
    if next_word.lower() in _CONNECTORS:
        rest = _NEXT_RE.match(after, len(after) - len(after.lstrip(" \t")) + len(next_word))
        if rest and _capitalised(rest.group("word")) and next_word.lower() != "the":
            return True
    if prev_word and _capitalised(prev_word):
        head = before[: before.rfind(prev_word)].rstrip(" \t\u00a0")
        if head and head[-1] not in ".!?:;\n([*>-•" and not _list_start(head):
            return True
    if prev_word.lower() in _CONNECTORS and prev_word.lower() != "the":
        head = before[: before.rfind(prev_word)]
        earlier = _PREVIOUS_RE.search(head)
        if earlier and _capitalised(earlier.group("word")):
            return True
    return False


def _sentence_start(before: str) -> bool:
    """Whether an occurrence after `before` opens a sentence, a line or a list item."""
    head = before.rstrip(" \t\u00a0*_")
    return not head or head[-1] in ".!?:\n" or _list_start(head)


def _list_start(head: str) -> bool:
    line = head[head.rfind("\n") + 1 :].strip()
    return line in ("", "-", "*", "+") or line.rstrip(".)").isdigit()


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and word.lower() not in ("i",)


def _in_a_path(before: str, after: str) -> bool:
    """Between the separators of a menu path: "Settings → Logs → Audit Log"."""
    near_before = before[-40:]
    near_after = after[:40]
    for separator in _PATH_SEPARATORS:
        cut = near_before.rfind(separator)
        if cut >= 0 and _only_names(near_before[cut + len(separator) :]):
            return True
        cut = near_after.find(separator)
        if cut >= 0 and _only_names(near_after[:cut]):
            return True
    return False


def _only_names(text: str) -> bool:
    return all(word[:1].isupper() for word in _WORD_RE.findall(text)) and not any(
        mark in text for mark in ".,;!?\n"
    )


def _label_lines(text: str) -> list[tuple[int, int]]:
    """The labels of a block of "Label: value" lines (two or more), as spans of `text`."""
    spans = []
    offset = 0
    for line in text.split("\n"):
        label = _LABEL_LINE_RE.match(line)
        if label is not None:
            spans.append((offset, offset + label.end()))
        offset += len(line) + 1
    return spans if len(spans) >= 2 else []


def _not_english(text: str) -> bool:
    """A block written in German: more German function words than English ones (cheap: a
    block with none of the commonest German words, as most are, is let go after one search)."""
    if _GERMAN_HINT_RE.search(text) is None:
        return False
    words = [w.lower() for w in _WORD_RE.findall(text[:2000])]
    german = sum(1 for w in words if w in _GERMAN and w not in _ENGLISH)
    if german < 2:
        return False
    return german > sum(1 for w in words if w in _ENGLISH and w not in _GERMAN)
