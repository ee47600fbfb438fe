"""The words of the generated pages, in the site's language.

Every word qmsdocs writes on a page (the clause, coverage, register, glossary and transition
pages, the document control panel, the navigation) is a label, looked up by key in
`qmsdocs/labels/<language>.yml`. A label is text with `{field}` placeholders, or, for a label
that counts something, one text per plural form (`one:` and `other:`). A key a language does
not have falls back to English; a language qmsdocs has no labels for is English throughout.

What is data stays English whatever the site's language: the exports (`coverage.json`,
`documents.json` and their CSV), the command line's output, and the findings.

An organisation overrides single labels, or adds a language, with the plugin option `labels`
(`{de: {register.title: Dokumentenlenkung}}`); `check_overrides` says what is wrong with one.

This module imports nothing from MkDocs.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType
from typing import Any

from qmsdocs.yamlio import load_shipped

__all__ = [
    "ENGLISH",
    "Label",
    "Labels",
    "base_language",
    "check_overrides",
    "compose",
    "fields_of",
    "load_labels",
    "shipped_languages",
]

ENGLISH = "en"
# A label: its text, or its texts by plural form ({"one": ..., "other": ...}).
Label = str | Mapping[str, str]
PLURAL_FORMS = ("one", "other")

# `{field}`: a name in braces; other braces are text.
_FIELD_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# A language code's base language: "de-CH", "de_AT" and "DE" are "de".
_BASE_RE = re.compile(r"^([A-Za-z]{2,3})(?:[-_].*)?$")


def base_language(code: str) -> str:
    """The base language of a code ("de-CH" -> "de"); "" for something that is none."""
    match = _BASE_RE.match(code.strip())
    return match.group(1).lower() if match else ""


def _is_one(language: str, count: int) -> bool:
    """Whether `count` takes the singular form: French says "0 article", English "0 clauses"."""
    if language == "fr":
        return count in (0, 1)
    return count == 1


def compose(template: str, fields: Mapping[str, object], escape: Callable[[str], str] = str) -> str:
    """`template` with its `{field}` placeholders filled in from `fields`.

    The text around the placeholders goes through `escape` (for Markdown or HTML); the values
    are taken as they are, already escaped by the caller. A placeholder without a value stays
    as written.
    """
    parts = _FIELD_RE.split(template)
    out = []
    for index, part in enumerate(parts):
        if index % 2 == 0:
            out.append(escape(part))
        elif part in fields:
            out.append(str(fields[part]))
        else:
            out.append(escape("{" + part + "}"))
    return "".join(out)


def fields_of(label: Label) -> frozenset[str]:
    """The placeholders a label's text (or texts) hold; `count` included."""
    texts = [label] if isinstance(label, str) else list(label.values())
    return frozenset(name for text in texts for name in _FIELD_RE.findall(text))


@dataclass(frozen=True)
class Labels:
    """The labels of one language, with English behind them.

    Call it (or `get`) with a key and the values of its fields: `labels("coverage.title")`,
    `labels("more_pages", 3)`. A counted label takes the count as its second argument, which
    chooses the plural form and fills `{count}` (unless `count=` is given as a field, to show
    the number otherwise: in bold, say).

    Attributes:
        language: The language the labels are in ("de"); "en" where the site's has none.
        requested: The language the site asked for, as given ("de-CH").
        strings: This language's labels (organisation's overrides applied).
        english: The English labels, for keys `strings` lacks.
    """

    language: str = ENGLISH
    requested: str = ENGLISH
    strings: Mapping[str, Label] = field(default_factory=dict)
    english: Mapping[str, Label] = field(default_factory=dict)

    @property
    def fallback(self) -> bool:
        """Whether the site asked for a language qmsdocs has no labels in (it gets English)."""
        return self.language != base_language(self.requested)

    def keys(self) -> frozenset[str]:
        return frozenset(self.english) | frozenset(self.strings)

    def text(self, key: str, count: int | None = None) -> str:
        """The label's text with its placeholders unfilled; the key itself if there is none."""
        label = self.strings.get(key)
        language = self.language
        if label is None:
            label, language = self.english.get(key), ENGLISH
        if label is None:
            return key
        if isinstance(label, str):
            return label
        form = "one" if count is not None and _is_one(language, count) else "other"
        return label.get(form) or label.get("other") or next(iter(label.values()), key)

    def get(self, key: str, count: int | None = None, /, **fields: object) -> str:
        """The label as plain text, its fields filled in."""
        values: dict[str, object] = {} if count is None else {"count": count}
        values.update(fields)
        return compose(self.text(key, count), values)

    __call__ = get


def shipped_languages() -> list[str]:
    """The languages qmsdocs ships labels for ("de", "en", ...)."""
    folder = resources.files("qmsdocs").joinpath("labels")
    return sorted(
        entry.name.removesuffix(".yml") for entry in folder.iterdir() if entry.name.endswith(".yml")
    )


def _read(language: str) -> dict[str, Label]:
    """The shipped labels of a language; empty if qmsdocs has none in it."""
    if not language:
        return {}
    path = resources.files("qmsdocs").joinpath("labels", f"{language}.yml")
    if not path.is_file():
        return {}
    # Read at every build's start: pure-Python parsing took 30 ms.
    return _labels_from(load_shipped(path.read_text(encoding="utf-8")))


def _labels_from(data: Any) -> dict[str, Label]:
    """Keep the entries that are labels: text, or texts by plural form."""
    result: dict[str, Label] = {}
    if not isinstance(data, Mapping):
        return result
    for key, value in data.items():
        if isinstance(value, str):
            result[str(key)] = value
        elif isinstance(value, Mapping) and all(isinstance(v, str) for v in value.values()):
            result[str(key)] = MappingProxyType({str(k): v for k, v in value.items()})
    return result


def load_labels(language: str, overrides: Mapping[str, Mapping[str, Any]] | None = None) -> Labels:
    """The labels for a site in `language` ("de", "de-CH", "de_AT"), English behind them.

    Arguments:
        language: The site's language.
        overrides: The organisation's own labels by language (the plugin option `labels`):
            they replace shipped ones, and give labels in a language qmsdocs does not ship.
    """
    base = base_language(language)
    english = _read(ENGLISH)
    own = _labels_from((overrides or {}).get(base))
    if base == ENGLISH:
        strings = {**english, **own}
        return Labels(ENGLISH, language, MappingProxyType(strings), MappingProxyType(english))
    shipped = _read(base)
    if shipped or own:
        strings = {**shipped, **own}
        return Labels(base, language, MappingProxyType(strings), MappingProxyType(english))
    return Labels(ENGLISH, language, MappingProxyType(english), MappingProxyType(english))


def check_overrides(overrides: Mapping[str, Any]) -> list[str]:
    """What is wrong with the organisation's labels (the plugin option `labels`), if anything:
    a key qmsdocs does not know, a placeholder the label does not have, a malformed entry."""
    english = _read(ENGLISH)
    problems = []
    for language, labels in overrides.items():
        if not base_language(str(language)) or base_language(str(language)) != language:
            problems.append(f"'{language}' is not a language code like 'de' or 'fr'")
            continue
        if not isinstance(labels, Mapping):
            problems.append(f"{language}: give the labels as a mapping of key to text")
            continue
        for key, value in labels.items():
            where = f"{language}.{key}"
            if key not in english:
                close = difflib.get_close_matches(str(key), sorted(english), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                problems.append(f"{where}: qmsdocs has no label '{key}'{hint}")
                continue
            label = _labels_from({key: value}).get(key)
            if label is None:
                problems.append(f"{where}: a label is text (or 'one:' and 'other:' texts)")
                continue
            if not isinstance(label, str) and not set(label) <= set(PLURAL_FORMS):
                problems.append(f"{where}: a counted label has the forms 'one' and 'other'")
                continue
            unknown = fields_of(label) - fields_of(english[key])
            if unknown:
                known = ", ".join(f"{{{name}}}" for name in sorted(fields_of(english[key])))
                problems.append(
                    f"{where}: the label has no placeholder "
                    + ", ".join(f"{{{name}}}" for name in sorted(unknown))
                    + (f" (it has {known})" if known else " (it has none)")
                )
    return problems
