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

from qmsdocs.terms import TermMatch, TermMatcher
from qmsdocs.vocabulary import Term

__all__ = ["TermSenses", "never_pattern"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Nouns of the vocabulary that are also verbs: only these can be read as verbs.
_VERBS = _words(
    """audit audits review reviews process processes record records document documents test
    tests release releases service services guide guides design designs control controls
    measure measures plan plans change changes monitor monitors object objects output
    outputs contract contracts repair repairs rework reworks scrap
    scraps risk risks grade grades dispute disputes project projects"""
)
# Before a verb: its subject, a modal, an adverb of frequency.
_BEFORE_VERB = _words(
    """i we you they he she it who must shall should will would can could may might please not
    also always never often usually regularly then cannot don't doesn't didn't won't let's
    help helps"""
)
# Of those, the ones a verb's -s form never follows: "to documents", "we records" are nouns.
_BEFORE_BARE_VERB = _words(
    """to i we you they must shall should will would can could may might please let's help
    cannot don't didn't won't"""
)
# Adverbs between a subject and its verb: "we therefore review", "the team jointly audits".
_ADVERBS = _words(
    """therefore then also still now first only jointly together each both all thus
    further formally independently periodically annually routinely carefully promptly
    personally systematically"""
)
# Words before "to" after which the next word is a noun: "prior to release", "subject to review".
_NOUN_AFTER_TO = _words(
    """prior subject due according input inputs related relating access changes change
    reference references response responses up compared linked submitted sent return
    returned back ready open closed go goes went come comes"""
)
# After a verb and never right after a noun: determiners, pronouns, question words.
_AFTER_VERB = _words(
    """the a an all each every its their our your his her this these those how what whether why
    when where who whom any some them us him me it both whichever whatever everything nothing
    anything something again"""
)
# What follows a noun that is not the term's own noun phrase: after any single-word term that
# has no determiner of its own, one of these makes it a verb ("the lead quarantines it").
_OBJECTS = _words("the a an all each every its their our your them it us everything")
# People in the plural, as the subject of a verb: "internal auditors test awareness".
_PEOPLE = _words(
    """auditors inspectors operators managers owners people staff teams supervisors engineers
    employees users we they setters buyers planners"""
)
# After a sentence's or list item's first word, adjectives that make it an imperative verb:
# "Record actual values", "Review critical features".
_IMPERATIVE_OBJECTS = _words(
    """actual critical relevant key incoming outgoing affected completed measured nonconforming
    existing current changed returned received rejected objective real accurate complete full
    open overdue outstanding one two three four five six ten"""
)
# Everyday phrases around a few terms (by key): a track record, a machining strategy, the real
# test, the product of two numbers, a document management system (software).
_EVERYDAY_BEFORE = {
    # ... and IT tickets: a "problem record", an "incident record"
    "record": _words(
        "good bad poor strong excellent proven track clean perfect solid problem incident"
    ),
    "audit": _words("night"),  # a hotel's nightly closing of the accounts
    "review": _words("guest online star app store"),  # ratings on a website
    "service": _words("professional"),  # a university's administration
    # ... and managers, the people ("backed by management"), which ISO would qualify
    "management": _words("facilities facility property waste traffic by"),
    "strategy": _words(
        """program programming machining merge branching test testing backup cutting tool
        toolpath caching deployment retry search"""
    ),
    "test": _words("real true acid litmus ultimate hardest"),
    # ISO's release is the go-ahead, an uncountable act ("before release", "the release of the
    # batch"); "a release", "every release", "the firmware release" are versions of software.
    "release": _words(
        """a an every each this next first new latest previous last major minor patch firmware
        software hotfix maintenance app feature quarterly monthly weekly press"""
    ),
    "management-system": _words(
        """document documents content learning warehouse inventory ticket ticketing library
        colour color password fleet building battery database property transport"""
    ),
    "validation": _words("input form field schema email password format client-side server-side"),
    "data": _words("open big"),
    "association": _words("weak strong statistical positive negative close clear significant"),
    "policy": _words("insurance"),
}
_EVERYDAY_AFTER_RE = {
    "record": re.compile(r"[ \t\n]+of[ \t\n]+(?:steady|consistent|continuous|sustained|proven)\b"),
    "product": re.compile(r"(?=.{0,80}\b(?:score|multipl|times)\b)", re.DOTALL),
    "document": re.compile(r"[ \t\n]+management[ \t\n]+system"),
    "release": re.compile(
        r"(?<=[sS])|[ \t\n]+(?:notes|note|manager|managers|train|branch|candidate|cycle|version|tag"
        r"|pipeline|agents?|\d)"
    ),
    "audit": re.compile(r"[ \t\n]+(?:trail|trails|log|logs|logging)\b"),
    # IT's data, a supplier's data sheet
    "data": re.compile(
        r"[ \t\n]+(?:protection|centres?|centers?|loggers?|loss|sheets?|breach|breaches|lakes?"
        r"|warehouses?|pipelines?|science|scientists?)\b"
    ),
    # a meeting of the quality department, time spent well
    "quality": re.compile(r"[ \t\n]+(?:meetings?|circles?|time)\b"),
    # ISO's capability is what a process can be shown to achieve ("process capability", a
    # capability study); "two new capabilities" of software, or a person's, is everyday.
    "capability": re.compile(
        r"(?![ \t\n]+(?:stud(?:y|ies)|ind(?:ex|ices|exes)|reports?|analys[ie]s|charts?)\b)"
    ),
    # machine vision, not the organisation's aspiration
    "vision": re.compile(r"[ \t\n]+(?:systems?|cameras?|sensors?|inspection|checks?)\b"),
    # "for information", "for your information": a note, not the term; and information
    # security, ISO/IEC 27001's subject
    "information": re.compile(
        r"(?:(?<=[Ff]or[ \t\n]information)|(?<=[Yy]our[ \t\n]information))"
        r"(?=[ \t\n]*(?:[.,;:)]|only\b|purposes\b|$))"
        r"|[ \t\n]+security\b"
    ),
    "system": re.compile(r"[ \t\n]+of[ \t\n]+record\b"),
    "scrap": re.compile(r"[ \t\n]+(?:metal|yard|dealers?|merchants?|value)\b"),
}
# ... and phrases that end right before a term: "the system of record".
_EVERYDAY_BEFORE_RE = {
    "record": re.compile(r"\bsystems?[ \t\n]+of[ \t\n]+$|\b[Ff]or[ \t\n]+the[ \t\n]+$")
}
# The measured capability of a process or machine is ISO's, whatever follows.
_SIGNALLED_BEFORE = {"capability": _words("process machine gauge gage measurement production")}
# Before an adjective and never before its noun: "we try to be objective".
_ADJECTIVES = {
    "objective": _words(
        """be is are was were been being remain remains stay stays more less most very as fully
        truly sufficiently seem seems appear appears"""
    )
}
# Departments: "purchasing and quality have both looked at it" names two of them.
_DEPARTMENTS = _words(
    """purchasing production engineering sales finance hr logistics maintenance it operations
    procurement manufacturing marketing warehouse dispatch shipping"""
)
# Where people say which department they belong to: "I work in inspection", "I'm in quality".
_WORK_IN_RE = re.compile(
    r"\b(?:works?|worked|working|[Ii]['’]m|[Ii] am|we['’]re|we are)[ \t\n]+in[ \t\n]+$"
)
# Verbs of an interface before a capitalised word: "press Release", "click Review".
_INTERFACE_VERBS = _words("press click tap select choose hit")
# Before a noun: "the audit the team held" is a noun, whatever follows.
_DETERMINERS = _words(
    """the a an our their its this that these those each every any no your his her my internal
    external annual final first last next new same one"""
)
# Words that end a role title, in any case ("quality manager", "Process Owner").
_ROLES = _words(
    """manager managers owner owners officer officers coordinator coordinators representative
    representatives director directors engineer engineers champion champions administrator
    administrators lead leads steward stewards analyst analysts specialist specialists
    supervisor supervisors technician technicians inspector inspectors assistant assistants
    adviser advisers advisor advisors controller controllers clerk clerks"""
)
# ... and, capitalised, the bodies people belong to ("Architecture Review Board").
_BODIES = _words(
    """board boards committee committees team teams group council panel department office unit
    forum"""
)
# In any case, the places and units of an organisation after a one-word term: "the quality
# office", "the service desk" (a "test unit" is a thing tested, so not "unit"; a "corrective
# action team" does corrective action).
_UNITS = (_BODIES - {"unit"}) | _words("desk lab laboratory departments offices centre center")
# Small words inside capitalised names: "Freedom of Information and Protection of Privacy".
_CONNECTORS = _words("of and for & the to in on de")
# German, French and Spanish function words, and English ones: a block with more of one of
# the first than of the last is not English.
_GERMAN = _words(
    """der die das und ist nicht mit für wird werden den dem des ein eine einer eines zu von
    auf im bei nach oder wir sie es auch wenn durch über dass sind jede jeder alle wie vom
    zum zur unsere unser"""
)
_FRENCH = _words(
    """le la les et est des une un du au aux pour dans sur avec qui que nous vous sont par ce
    cette ses leur notre nos il elle ils doit être pas plus"""
)
_SPANISH = _words(
    """el la los las y es del una un por para con que se su sus al lo como nuestro nuestra
    nuestros debe ser está son cada"""
)
_OTHER_LANGUAGES = (_GERMAN, _FRENCH, _SPANISH)
# The commonest of them, for a first cheap look at a block: written in lower case and factored
# by first letter, which a regular expression searches three to four times faster than an
# alternation of the words ignoring case (a block in another language always has some in lower
# case; a block with none is let go).
_FOREIGN_HINT_RE = re.compile(
    r" (?:d(?:er|ie|as|es|el)|und|ist|mit|für|l(?:es?|as?|os)|est?|un[ae]|no(?:s|tre)|pour"
    r"|avec|el|y|para|con) "
)
_ENGLISH = _words("""the and of to is are for with that this we be by on or it as in our from""")
# Right before a term, a word of another language that English never puts there: "Notre
# engagement", "das Feedback", "el servicio".
_FOREIGN_BEFORE = (
    (_GERMAN | _FRENCH | _SPANISH)
    - _ENGLISH
    - _words("""die den par plus con son al un lo se es sie ce y la le""")
)

# What a word after a term must be for any rule on it to apply: most are let go at once.
_STATUS_WORDS = _words("status state label column field tab button menu option")
# Parts of a software's screen, in any case: "the supplier module", "the risk field".
_SCREEN_WORDS = _words("module modules screen tab button field fields dropdown checkbox menu")
_NEXT_CUES = _OBJECTS | _ROLES | _BODIES | _UNITS | _STATUS_WORDS | _SCREEN_WORDS
_EVERYDAY_KEYS = frozenset(_EVERYDAY_BEFORE) | frozenset(_EVERYDAY_AFTER_RE)
_EVERYDAY_KEYS |= frozenset(_EVERYDAY_BEFORE_RE) | frozenset(_ADJECTIVES) | {"quality"}
# The subject of a verb: a person or body ("the Supplier Quality Engineer audits new suppliers").
_SUBJECTS = _PEOPLE | _ROLES | _BODIES | _words("buyer operator inspector technician setter")
_PATH_SEPARATORS = ("→", "->", "»", "›", " > ", "⇒")
_SENTENCE_MARKS = frozenset(".!?:;\n([*>•")
# ... the same, but for a line break: prose wraps its lines inside a sentence.
_BREAKS = _SENTENCE_MARKS - {"\n"}
# ... and a quotation opening.
_OPENING_MARKS = _BREAKS | {'"', "“", "'", "‘"}
_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")
# A standard's title after its designation: "ISO 9001:2015 — Quality management systems —".
_STANDARD_TITLE_RE = re.compile(
    r"\b(?:ISO|IEC|EN)\b[\w/ +:.-]*\d(?:[ \t\u00a0]*[—–:-][ \t\u00a0]*[A-Z][\w ,]{0,60}?)*"
    r"[ \t\u00a0]*[—–:-][ \t\u00a0]*$"
)
# A field of a form line: "Auditor:" in "Auditor: ____  Auditee: Cell 3  Date: ____".
_FIELD_RE = re.compile(r"(?<![\w:])[A-Z][A-Za-z'’/&-]*(?: [A-Za-z'’/&-]+){0,2}:(?=[ \t_]|$)")
_LABEL_LINE_RE = re.compile(r"^[ \t>*_-]*[A-Z][\w'’/&() .-]{0,40}?[ \t]*[*_]*:[*_]*(?:[ \t]|$)")

# A document's code before a title: "QP-21 Contract review", "SOP-004 Document Control".
_DOCUMENT_CODE_RE = re.compile(
    r"\b[A-Z]{2,}(?:-[A-Z0-9]+)*-\d+[A-Z]?[ \t\u00a0]*[:–—-]?[ \t\u00a0]*"
    r"(?:[A-Z][\w’'-]*[ \t\u00a0]+(?:(?:and|of|&)[ \t\u00a0]+)?)*$"
)


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
    """Finds the term occurrences meant in the ISO 9000 sense (see the module docstring).

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
        self._judge = _Judge(self.off)

    # The language the rules read (English grammar, English names of roles).
    language = "en"

    def find(
        self,
        text: str,
        matcher: TermMatcher,
        never: re.Pattern[str] | None = None,
    ) -> list[TermMatch]:
        """The occurrences of terms in `text` meant in the ISO sense.

        `never`: the page's own phrases never to link (`never_pattern`).
        """
        matches = matcher.find_all(text, self._judge)
        if not matches:
            return []
        foreign = _foreign_parts(text)
        labels = ":" in text
        if self.never is None and never is None and not labels and not foreign:
            return matches  # the common case
        blocked: list[tuple[int, int]] = list(foreign)
        for pattern in (self.never, never):
            if pattern is not None:
                blocked += [m.span() for m in pattern.finditer(text)]
        if labels:
            blocked += _label_lines(text)
        if not blocked:
            return matches
        return _outside(matches, blocked)


def _outside(matches: list[TermMatch], blocked: list[tuple[int, int]]) -> list[TermMatch]:
    """The matches that overlap no blocked span, in one sweep (a page of metadata lines has as
    many spans as matches; testing each pair would be quadratic)."""
    merged: list[list[int]] = []
    for start, end in sorted(blocked):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    kept = []
    index = 0
    for match in sorted(matches, key=lambda m: m.start):
        while index < len(merged) and merged[index][1] <= match.start:
            index += 1
        if index == len(merged) or merged[index][0] >= match.end:
            kept.append(match)
    return kept


class _Judge:
    """The per-occurrence rules; called by `TermMatcher.find_all`.

    Every rule reads the words right around the occurrence from the matcher's own word split,
    so that judging costs a few look-ups, not a search of the text.
    """

    __slots__ = ("off",)

    def __init__(self, off: frozenset[str]) -> None:
        self.off = off

    def __call__(
        self, key: str, parts: list[str], first: int, last: int, text: str, start: int, end: int
    ) -> bool:
        # Called for every term of every page: the common case (a lower-case term between
        # ordinary words) is decided with a few set look-ups.
        if key in self.off:
            return False
        gap = parts[2 * first]
        previous = parts[2 * first - 1] if first and (gap == " " or _simple(gap)) else ""
        if previous == "t":
            previous = _word_before(parts, first)
        position = 2 * last + 2
        following = ""
        if position + 1 < len(parts):
            after = parts[position]
            if after == " " or _simple(after):
                following = parts[position + 1]
        prev_lower = previous.lower()
        next_lower = following.lower()
        if (
            first == last
            and parts[2 * first + 1].lower() in _VERBS
            and _verb(parts, first, prev_lower, next_lower)
        ):
            return False
        if next_lower in _NEXT_CUES:
            if (
                next_lower in _OBJECTS
                and first == last
                and prev_lower
                and prev_lower not in _DETERMINERS
            ):
                return False  # "the lead quarantines it": a verb, whatever the vocabulary says
            if next_lower in _ROLES or (next_lower in _UNITS and first == last):
                return False
            if next_lower in _BODIES and following[0].isupper():
                return False
            if next_lower in _STATUS_WORDS and text[start].isupper():
                return False  # "the Release button", "the Review status"
            if next_lower in _SCREEN_WORDS:
                return False
        if prev_lower in _INTERFACE_VERBS and text[start].isupper():
            return False
        if prev_lower in _FOREIGN_BEFORE:
            return False
        if (
            prev_lower == "in"
            and first == last
            and _WORK_IN_RE.search(text, max(0, start - 20), start)
        ):
            return False  # "I work in inspection": a department
        if key in _EVERYDAY_KEYS:
            if prev_lower in _EVERYDAY_BEFORE.get(key, ()):
                return False
            everyday = _EVERYDAY_AFTER_RE.get(key)
            if (
                everyday is not None
                and everyday.match(text, end)
                and prev_lower not in _SIGNALLED_BEFORE.get(key, ())
            ):
                return False
            everyday = _EVERYDAY_BEFORE_RE.get(key)
            if everyday is not None and everyday.search(text[max(0, start - 30) : start]):
                return False
            if prev_lower in _ADJECTIVES.get(key, ()):
                return False
            if key == "quality" and (
                _a_department(parts, first, last, prev_lower, next_lower)
                # "in the Quality log", "sent to Quality": the department, in every sample
                or (text[start].isupper() and previous and not _opens(parts[2 * first]))
            ):
                return False
        capital = text[start].isupper()
        if capital and _inside_a_name(parts, first, last, previous, following):
            return False
        if capital and _quoted_title(text, start, end):
            return False
        if capital and _a_fields_value(text, start, end):
            return False
        # Only the words around the occurrence are looked at, never the whole text: a page
        # may be one paragraph of a megabyte, and a search of it per term would be quadratic.
        if _in_a_listed_title(text, start, end):
            return False
        if (
            gap
            and (gap != " " or previous[:1].isupper() or previous.isdigit())
            and _other_text_before(text[max(0, start - 90) : start], gap)
        ):
            return False
        if not (capital or previous[:1].isupper()):
            return True  # menu paths are capitalised words
        before, after = text[max(0, start - 40) : start], text[end : end + 40]
        return not (
            any(separator in before or separator in after for separator in _PATH_SEPARATORS)
            and _in_a_path(before, after)
        )


def _simple(gap: str) -> bool:
    """A gap of spaces, with at most one line break (wrapped prose)."""
    return not gap.strip() and gap.count("\n") <= 1


def _opens(gap: str) -> bool:
    """A gap that ends a sentence or opens a list item, a parenthesis or a quotation."""
    return any(mark in gap for mark in _OPENING_MARKS)


def _word_before(parts: list[str], index: int) -> str:
    if index == 0 or not _simple(parts[2 * index]):
        return ""
    word = parts[2 * index - 1]
    if word == "t" and index > 1 and parts[2 * index - 2] in ("'", "’"):
        return parts[2 * index - 3] + "'t"  # "don't", "doesn't"
    return word


def _word_after(parts: list[str], index: int) -> str:
    position = 2 * index + 2
    if position + 1 >= len(parts) or not _simple(parts[position]):
        return ""
    return parts[position + 1]


def _verb(parts: list[str], first: int, previous: str, following: str) -> bool:
    word = parts[2 * first + 1].lower()
    if previous in _BEFORE_BARE_VERB and _plural(word):
        return False  # "to documents of external origin": a verb there is never an -s form
    if previous in _BEFORE_VERB or previous in _SUBJECTS:
        return True
    if previous in _ADVERBS:
        subject = _word_before(parts, first - 1).lower()
        if subject in _BEFORE_VERB or subject in _SUBJECTS:
            return True  # "we therefore review"
    if previous == "to":
        earlier = _word_before(parts, first - 1).lower()
        return earlier not in _NOUN_AFTER_TO
    if (
        previous
        and _plural(word)
        and _word_before(parts, first - 1).lower() in ("each", "every")
        and previous not in _DETERMINERS
    ):
        return True  # "Each NCR records": after "each" a noun is singular, so this is a verb
    if following in _AFTER_VERB and previous not in _DETERMINERS:
        return True
    gap = parts[2 * first]
    # "who assemble, service and use", "how we make, inspect or release parts": coordinated
    # with verbs after a subject or modal (a list of up to four).
    index = first
    for _ in range(4 if gap.strip() == "," or previous in ("and", "or") else 0):
        if parts[2 * index].strip() == "," and index >= 1:
            index -= 1
        elif _word_before(parts, index).lower() in ("and", "or") and index >= 2:
            index -= 2
        else:
            break
        subject = _word_before(parts, index).lower()
        if subject in _BEFORE_VERB or subject == "to":
            return True
    if not previous and following in _IMPERATIVE_OBJECTS:
        return first == 0 or any(mark in gap for mark in ".!?:\n")
    return False


def _plural(word: str) -> bool:
    return word.endswith("s") and (word[:-1] in _VERBS or word[:-2] in _VERBS)


def _a_department(parts: list[str], first: int, last: int, previous: str, following: str) -> bool:
    """Joined by "and"/"or" to a department: "purchasing and quality", "Quality or HR"."""
    if (
        previous in ("and", "or", "&")
        and first >= 2
        and _word_before(parts, first - 1).lower() in _DEPARTMENTS
    ):
        return True
    if following in ("and", "or", "&"):
        return _word_after(parts, last + 1).lower() in _DEPARTMENTS
    return False


# A line that is a document's code and title: "QP-09 Handling complaints and product recalls",
# "- [ ] WI-21: Metal detector test routine" (no sentence in it: no full stop, colon after it).
_LISTED_TITLE_RE = re.compile(
    r"[ \t>*+-]*(?:\[[ xX]\][ \t]*)?[A-Z]{2,}(?:-[A-Z0-9]+)*-\d+[A-Z]?[ \t\u00a0]*[:–—-]?"
    r"[ \t\u00a0]+[^.;:!?\n]{1,90}"
)
# "Label: " right before a value: "Case type: Complaint".
_FIELD_BEFORE_RE = re.compile(r"(?:^|[\n›>→])[ \t]*[A-Z][\w'’/ -]{0,30}:[ \t]*$")


_LISTED_TITLE_LENGTH = 110


def _in_a_listed_title(text: str, start: int, end: int) -> bool:
    """Inside a line that holds a document's code and title, nothing else (a short line: the
    search for its ends stops at the longest such line)."""
    low = max(0, start - _LISTED_TITLE_LENGTH)
    first = text.rfind("\n", low, start) + 1
    if first == 0 and low > 0:
        return False
    last = text.find("\n", end, end + _LISTED_TITLE_LENGTH)
    if last < 0 and end + _LISTED_TITLE_LENGTH < len(text):
        return False
    line = text[first : last if last >= 0 else len(text)].rstrip()
    return (
        "-" in line
        and len(line) <= _LISTED_TITLE_LENGTH
        and _LISTED_TITLE_RE.fullmatch(line) is not None
    )


def _a_fields_value(text: str, start: int, end: int) -> bool:
    """A capitalised word alone after a field's label, the end of its line or sentence:
    "select New Case › Case type: Complaint." is a value of a form, not the term."""
    if not _FIELD_BEFORE_RE.search(text[max(0, start - 40) : start]):
        return False
    rest = text[end : end + 3]
    return not rest.strip() or rest[0] in ".,;)\n"


def _quoted_title(text: str, start: int, end: int) -> bool:
    """The first word of a quoted title of several words: the course "Quality at Pellworth"
    (a quoted word on its own, "“Quality” means", is a mention of the term)."""
    if start == 0 or text[start - 1] not in "\"“'‘":
        return False
    if start >= 2 and not (text[start - 2].isspace() or text[start - 2] in "(["):
        return False
    return end < len(text) and text[end] not in "\"”'’"


def _inside_a_name(parts: list[str], first: int, last: int, previous: str, following: str) -> bool:
    """A capitalised occurrence with capitalised words joined to it on either side (not the
    first word of a sentence): part of a longer name."""
    if following[:1].isupper():
        return True
    if "".join(parts[2 * last + 2 : 2 * last + 3]).split() == ["&"] and (
        _word_after(parts, last + 1)[:1].isupper() or parts[2 * last + 3][:1].isupper()
    ):
        return True  # "the Quality & Compliance Lead"
    if following.lower() in _CONNECTORS and following != "the":
        after = _word_after(parts, last + 1)
        if after[:1].isupper():
            return True
    if previous[:1].isupper() and first >= 1:
        gap = parts[2 * (first - 1)]
        opens = first == 1 or any(mark in gap for mark in _BREAKS) or "-" in gap
        if not opens:
            return True
    return (
        previous.lower() in _CONNECTORS
        and previous != "the"
        and first >= 2
        and _word_before(parts, first - 1)[:1].isupper()
    )


def _other_text_before(before: str, gap: str) -> bool:
    """A standard's title, a status value or a document's title right before the occurrence."""
    stripped = gap.strip()
    if stripped and stripped[-1] in "—–:-" and _STANDARD_TITLE_RE.search(before):
        return True
    if stripped[-1:] in ('"', "“", "'", "‘", "`"):
        words = _WORD_RE.findall(before[-30:])
        if words and words[-1].lower() in _STATUS_WORDS:
            return True
    return bool(_DOCUMENT_CODE_RE.search(before))


def _in_a_path(before: str, after: str) -> bool:
    """Between the separators of a menu path: "Settings → Logs → Audit Log"."""
    for separator in _PATH_SEPARATORS:
        cut = before.rfind(separator)
        if cut >= 0 and _only_names(before[cut + len(separator) :]):
            return True
        cut = after.find(separator)
        if cut >= 0 and _only_names(after[:cut]):
            return True
    return False


def _only_names(text: str) -> bool:
    return all(word[:1].isupper() for word in _WORD_RE.findall(text)) and not any(
        mark in text for mark in ".,;!?\n"
    )


def _label_lines(text: str) -> list[tuple[int, int]]:
    """The metadata of a block, as spans of `text`.

    Metadata are the fields of a block with two or more of them, each at the start of a line
    or set apart by "·", "|" or "•" ("Owner: QA · Review due: 1 May"), and the fields of a
    line that holds two or more ("Auditor: ____  Auditee: Cell 3"): their labels, and their
    values when short ("Process: Production and service provision"; a sentence after a label
    is prose). A label alone on its line is metadata when a date or number follows it ("Next
    review: 11 March 2026").
    """
    spans: list[tuple[int, int]] = []
    apart: list[tuple[int, int, int]] = []  # label start, label end, value end
    offset = 0
    for line in text.split("\n"):
        if ":" not in line:
            offset += len(line) + 1
            continue
        fields = [(m.start(), m.end()) for m in _FIELD_RE.finditer(line)]
        label = _LABEL_LINE_RE.match(line)
        if label is not None and (not fields or fields[0][0] >= label.end()):
            fields.insert(0, (0, label.end()))
        # A field's value runs to the next field's label, or to the end of the line.
        ends = [begin for begin, _end in fields[1:]] + [len(line)] if fields else []
        placed = [
            (offset + a, offset + b, offset + c) for (a, b), c in zip(fields, ends, strict=True)
        ]
        if len(fields) >= 2:
            spans += _field_spans(text, placed)
        for field, (begin, _end) in zip(placed, fields, strict=True):
            # Only the few characters before the label: a line may be a megabyte of fields.
            if begin == 0 or _FIELD_APART_RE.search(line, max(0, begin - 12), begin):
                apart.append(field)
        if label is not None and len(fields) == 1 and _NUMBER_VALUE_RE.match(line, label.end()):
            spans.append((offset, offset + label.end()))
        offset += len(line) + 1
    if len(apart) >= 2:
        spans += _field_spans(text, apart)
    return spans


def _field_spans(text: str, fields: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """A field's label, and its value when it is a short one."""
    spans = []
    for begin, label_end, value_end in fields:
        value = text[label_end:value_end]
        short = len(value.split()) <= _SHORT_VALUE_WORDS and not _SENTENCE_IN_RE.search(value)
        spans.append((begin, value_end if short else label_end))
    return spans


_SHORT_VALUE_WORDS = 6
_FIELD_APART_RE = re.compile(r"[·|•][ \t*_]*$")
_NUMBER_VALUE_RE = re.compile(r"[ \t*_]*\d")
_SENTENCE_IN_RE = re.compile(r"[.!?;,][ \t]+\S")


# Where one sentence ends and the next begins, in a block that mixes languages sentence by
# sentence ("Notre mission est de ... . Our mission is to ..."), or a line that pairs them.
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+|\s+[—/]\s+|\n")


def _foreign_parts(text: str) -> list[tuple[int, int]]:
    """The spans of `text` written in German, French or Spanish (cheap: a block with none of
    their commonest words, as most are, is let go after one search).

    A block in another language is blocked whole, but for the sentences in it that are
    clearly English; a block that alternates ("Notre mission est de ... . Our mission is to
    ...") loses only its foreign sentences.
    """
    if _FOREIGN_HINT_RE.search(text) is None:
        return []
    whole = _language_of(text) == "other"
    spans = []
    start = 0
    for end in [*(m.start() for m in _SENTENCE_END_RE.finditer(text)), len(text)]:
        if end > start:
            language = _language_of(text[start:end])
            if language == "other" or (whole and language != "en"):
                spans.append((start, end))
        start = end
    return spans


def _language_of(text: str) -> str:
    """ "other" for a text in German, French or Spanish (more of that language's function
    words than English ones), "en" for one with at least two English function words and more
    of them than of any other language's, "" when it cannot tell."""
    words = [w.lower() for w in _WORD_RE.findall(text[:2000])]
    english = sum(1 for w in words if w in _ENGLISH)
    most = 0
    for language in _OTHER_LANGUAGES:
        count = sum(1 for w in words if w in language and w not in _ENGLISH)
        if count >= 2 and count > english:
            return "other"
        most = max(most, count)
    return "en" if english >= 2 and english > most else ""
