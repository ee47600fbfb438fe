"""Which standard a clause number belongs to, and the other standards manuals name.

A manual that cites "clause 8.4" may mean ISO 9001's clause, ISO 22301's, or its own section 8.4.
The recogniser (`qmsdocs.references`) decides it from the nearest context that names a
standard; `qmsdocs.scopes` works out that context for each part of a page. This module holds
what both share:

- `Binding`: the answer (a loaded catalogue, or something else) with the reason for it, which
  `qmsdocs explain` and the exports show;
- `KnownStandards`: the standards, regulations and frameworks a quality manual commonly names
  beside ISO 9001 (`standards/known/others.yml`, extended by the site's `other_standards`).
  They bind numbers; nothing links to them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from qmsdocs.findings import Problems
from qmsdocs.yamlio import LineDict, check_fields, line_of, load_mapping

__all__ = [
    "Binding",
    "KnownStandards",
    "OtherStandard",
    "family",
    "load_known_standards",
]

Kind = Literal["standard", "regulation"]
_KINDS: tuple[Kind, ...] = ("standard", "regulation")
_FIELDS = {"name", "subject", "kind", "aliases"}


@dataclass(frozen=True, slots=True)
class Binding:
    """What a clause number belongs to where it stands, and why.

    Attributes:
        catalogue: Id of the loaded catalogue it binds to; None when it belongs to another
            standard, another document, or nothing that can be told.
        other: What it belongs to instead ("ISO/IEC 27001:2022", "Privacy Policy").
        named: Whether the standard is named (or declared) where the number stands, rather
            than assumed as the site's default. A bare "§ 7" or "Annex A" is read as a clause of
            the manual's standard only where that standard is named.
        why: The reason, for people: "the section 'ISO 22301 continuity' names ISO 22301".
        ambiguous: Two standards are named together ("ISO 9001 and ISO 14001 clause 6.1"):
            the number cannot be bound to one, and is left unlinked.
    """

    catalogue: str | None
    other: str | None
    named: bool
    why: str
    ambiguous: bool = False

    @property
    def target(self) -> str:
        """Who the number belongs to, in a word or two: a catalogue id, the other standard."""
        if self.catalogue is not None:
            return self.catalogue
        if self.ambiguous:
            return f"ambiguous ({self.other})" if self.other else "ambiguous"
        return self.other or "unbound"

    def because(self, why: str) -> Binding:
        """The same binding, with another reason."""
        return Binding(self.catalogue, self.other, self.named, why, self.ambiguous)


@dataclass(frozen=True, slots=True)
class OtherStandard:
    """A standard, regulation or framework qmsdocs knows by name but holds no catalogue of."""

    name: str
    subject: str
    kind: Kind
    aliases: tuple[str, ...] = ()


# The edition and the "/IEC" co-publisher do not change which standard is meant:
# "ISO/IEC 27001:2022", "ISO 27001" and "DIN EN ISO/IEC 27001:2017" are one family.
_EDITION_RE = re.compile(r":\s*\d{4}.*$|\s*[/+]\s*Amd.*$", re.IGNORECASE)
_PREFIX_RE = re.compile(
    r"^(?:(?:DIN|BS|NF|UNE|ÖNORM|SN|NEN|UNI|SS|CSA|JIS|ANSI|AS/NZS)\s+)?(?:EN\s+)?(?=ISO|IEC)"
)


def family(designation: str) -> str:
    """A key that is the same for every edition and spelling of one standard."""
    text = _EDITION_RE.sub("", designation.strip())
    text = _PREFIX_RE.sub("", text)
    text = text.replace("ISO/IEC", "ISO").replace("ISO/TS", "ISO").replace("ISO/TR", "ISO")
    return re.sub(r"[\s-]+", "", text).upper()


@dataclass(frozen=True)
class KnownStandards:
    """The other standards a manual may name, looked up by any spelling.

    `pattern` finds the names the recogniser's designation form misses (GDPR, SOC 2, AS9100D);
    `get` says what a named standard is, for explanations.
    """

    standards: tuple[OtherStandard, ...]
    _by_family: dict[str, OtherStandard] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_family: dict[str, OtherStandard] = {}
        for standard in self.standards:
            for spelling in (standard.name, *standard.aliases):
                by_family.setdefault(family(spelling), standard)
        object.__setattr__(self, "_by_family", by_family)

    def get(self, designation: str) -> OtherStandard | None:
        return self._by_family.get(family(designation))

    def names(self) -> list[str]:
        """Every spelling, longest first (so that "SOC 2 Type II" wins over "SOC 2")."""
        spellings = {s for standard in self.standards for s in (standard.name, *standard.aliases)}
        return sorted(spellings, key=lambda s: (-len(s), s))

    def regulation(self, designation: str) -> bool:
        standard = self.get(designation)
        return standard is not None and standard.kind == "regulation"

    def extended(self, extra: Iterable[OtherStandard]) -> KnownStandards:
        """These standards and `extra` (the site's, which win a clash of spellings)."""
        return KnownStandards((*extra, *self.standards))


def load_known_standards(
    site: Sequence[Mapping[str, Any] | str] = (), source: str = "other_standards"
) -> KnownStandards:
    """The built-in list of other standards, extended by the site's entries.

    Arguments:
        site: The plugin option `other_standards`: entries with the data file's fields, or
            plain names ("Company Security Standard CSS-100").
        source: Where `site` was read, for findings.

    Raises:
        QMSDataError: An entry cannot be used (each problem named with its place).
    """
    folder = resources.files("qmsdocs.standards") / "known"
    with resources.as_file(folder / "others.yml") as path:
        builtin = _read_file(path, "qmsdocs/standards/known/others.yml")
    problem = Problems(source)
    extra = [
        standard
        for index, entry in enumerate(site)
        if (standard := _entry(entry, problem, index + 1, f"entry {index + 1}")) is not None
    ]
    problem.raise_if_any()
    return builtin.extended(extra)


def _read_file(path: Path, display: str) -> KnownStandards:
    problem = Problems(display)
    data = load_mapping(path, problem, "bad-standards-file", "expected a mapping with 'standards'")
    entries = data.get("standards")
    if not isinstance(entries, list):
        raise problem.fatal("bad-standards-file", "'standards' must be a list", line_of(data))
    standards = [
        standard
        for index, entry in enumerate(entries)
        if (standard := _entry(entry, problem, line_of(entries, index), "entry")) is not None
    ]
    problem.raise_if_any()
    return KnownStandards(tuple(standards))


# A name must start where the recogniser looks for one: an upper-case letter or a digit.
_NAME_RE = re.compile(r"[A-Z0-9][\w./:+ -]{0,60}[\w)]|[A-Z0-9]")


def _entry(entry: Any, problem: Problems, line: int | None, what: str) -> OtherStandard | None:
    if isinstance(entry, str):
        entry = {"name": entry}
    if not isinstance(entry, dict):
        problem("bad-standard", f"{what}: expected a name or a mapping with 'name'", line)
        return None
    if isinstance(entry, LineDict):
        line = entry.line or line
    check_fields(entry, _FIELDS, problem, "field of an other standard")
    name = entry.get("name")
    aliases = entry.get("aliases", [])
    kind = entry.get("kind", "standard")
    ok = True
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        problem("bad-standard", f"{what}: 'aliases' must be a list of names", line)
        aliases, ok = [], False
    for spelling in (name, *aliases):
        if not isinstance(spelling, str) or not _NAME_RE.fullmatch(spelling.strip()):
            problem(
                "bad-standard",
                f"{what}: {spelling!r} is not a standard's name",
                line,
                "a name starts with a capital letter or a digit, as 'SOC 2' or '21 CFR Part 11'",
            )
            ok = False
    if kind not in _KINDS:
        problem("bad-standard", f"{what}: 'kind' must be one of {', '.join(_KINDS)}", line)
        ok = False
    subject = entry.get("subject", "")
    if not ok or not isinstance(name, str):
        return None
    return OtherStandard(
        name.strip(),
        str(subject).strip() if subject else "",
        kind,
        tuple(a.strip() for a in aliases),
    )
