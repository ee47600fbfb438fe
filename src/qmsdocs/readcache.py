"""What reading each page's source gave, kept between the rebuilds of a live server.

`mkdocs serve` rebuilds the whole site each time a file is saved, and qmsdocs reads every
page's source again for the verdict (`qmsdocs.assessment.Assessor.page`). A page's reading
depends on its source (front matter included), the plugin's options, the catalogue and
glossary files, the site's language and qmsdocs itself, and on nothing else: kept under a
key made of all of them, a reading can be used again only where it cannot differ. Any change
to the options, the data files or the version starts an empty cache; a changed page is read
anew. The language is part of the key: each language version of a translated site has its own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from qmsdocs.assessment import PageAssessment

__all__ = ["Memo", "ReadCache", "fingerprint", "source_digest"]


def fingerprint(
    options: Mapping[str, Any], data: Iterable[Path], *, version: str, language: str
) -> str:
    """A digest of everything a page's reading depends on besides the page itself.

    Arguments:
        options: The plugin's options.
        data: The catalogue files and glossary folders the site reads (folders whole).
        version: qmsdocs' version (its shipped data and rules).
        language: The site's language.
    """
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{version}\n{language}\n".encode())
    for key, value in sorted(options.items()):
        digest.update(f"{key}={value!r}\n".encode())
    # Absolute: `mkdocs serve` names mkdocs.yml as given for the first build, absolute after.
    for path in sorted(_files(p.absolute() for p in data)):
        digest.update(f"{path}\n".encode())
        try:
            digest.update(path.read_bytes())
        except OSError as error:
            digest.update(f"unreadable: {error}".encode())
    return digest.hexdigest()


def _files(paths: Iterable[Path]) -> set[Path]:
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found |= {p for p in path.rglob("*") if p.is_file()}
        else:
            found.add(path)  # a missing file counts as unreadable
    return found


# Fingerprints kept at once: a translated site is built once per language at every rebuild.
_KEYS = 8


@dataclass
class ReadCache:
    """Readings of pages by docs path, for each fingerprint in use.

    Attributes:
        reads: How many pages were read (not taken from the cache) since the last `use`.
        memo: What rendering worked out from each block of prose (`Memo`).
        loaded: The catalogues, glossary and compiled recognisers of the last fingerprint.
    """

    reads: int = 0
    memo: Memo = field(default_factory=lambda: Memo())
    # What the build loaded from the options and data files, under the fingerprint it was
    # loaded for (`qmsdocs.sitebuild`).
    loaded: dict[str | None, Any] = field(default_factory=dict)
    _pages: dict[str, tuple[str, PageAssessment]] = field(default_factory=dict)
    _keys: dict[str, dict[str, tuple[str, PageAssessment]]] = field(default_factory=dict)

    def use(self, key: str) -> None:
        """Start a build whose readings depend on `key` (`fingerprint`)."""
        self.memo.use(key)
        self._pages = self._keys.pop(key, {})
        self._keys[key] = self._pages  # the most recent last
        while len(self._keys) > _KEYS:
            del self._keys[next(iter(self._keys))]
        self.reads = 0

    @property
    def empty(self) -> bool:
        """Whether no page's reading is kept for the current fingerprint (a first build)."""
        return not self._pages

    def get(self, path: str, text: str) -> PageAssessment | None:
        """The reading of the page at `path` if its source is still `text`."""
        kept = self._pages.get(path)
        if kept is None or kept[0] != source_digest(text):
            return None
        # A copy: a build gives the reading's lists the anchors of its rendered headings.
        return replace(kept[1])

    def put(self, path: str, text: str, reading: PageAssessment) -> None:
        self.reads += 1
        self._pages[path] = (source_digest(text), replace(reading))


def source_digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


T = TypeVar("T")


@dataclass
class Memo:
    """What rendering works out from a block of prose alone (the clause citations and the term
    occurrences in it), kept from one rebuild to the next under the same fingerprint: the
    blocks of the pages nobody edited are the same text, read the same way.

    Only what the last build used is kept, so that an edited block does not linger.
    """

    key: str = ""
    _last: dict[Hashable, Any] = field(default_factory=dict)
    _now: dict[Hashable, Any] = field(default_factory=dict)

    def use(self, key: str) -> None:
        """Start a build whose results depend on `key` (`fingerprint`)."""
        self._last = self._now if key == self.key else {}
        self._now = {}
        self.key = key

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The result for `key`: kept, or computed now. `compute` must depend on nothing but
        what `key` and the fingerprint hold."""
        if key in self._now:
            result: T = self._now[key]
        elif key in self._last:
            result = self._now[key] = self._last[key]
        else:
            result = self._now[key] = compute()
        return result
