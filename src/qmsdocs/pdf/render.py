"""HTML to PDF with WeasyPrint (the `pdf` extra), fetching nothing from other hosts.

WeasyPrint implements CSS paged media: running headers from named strings (`string-set`),
`counter(pages)`, the PDF outline from `bookmark-level`, page numbers in the contents
(`target-counter`) and internal links. It is imported only here, and only when a copy is
made: without it, every other command works as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

__all__ = ["EngineMissing", "Rendered", "check_engine", "render_pdf"]

INSTALL_HINT = "install it with: pip install 'qmsdocs[pdf]' (from a clone: pip install -e '.[pdf]')"


class EngineMissing(Exception):
    """WeasyPrint is not installed, or cannot load its system libraries."""


@dataclass
class Rendered:
    """The PDF, how many pages it has, and what the renderer had to say."""

    data: bytes
    pages: int
    refused: list[str] = field(default_factory=list)  # addresses it was not allowed to fetch
    problems: list[str] = field(default_factory=list)  # other errors it reported


def _weasyprint() -> Any:
    try:
        import weasyprint
    except ImportError as error:
        raise EngineMissing(
            f"qmsdocs pdf needs WeasyPrint, which is not installed ({error.name or error}): "
            + INSTALL_HINT
        ) from None
    except OSError as error:  # WeasyPrint is there, Pango is not
        raise EngineMissing(
            f"WeasyPrint cannot load its system libraries ({error}): install Pango "
            "(Debian, Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
        ) from None
    return weasyprint


def check_engine() -> None:
    """Raise `EngineMissing` now rather than after the site is built."""
    _weasyprint()


def _confined_fetcher(allowed: Sequence[Path], refused: list[str]) -> Any:
    """A URL fetcher that serves files under `allowed` and `data:` URLs, and nothing else.

    A copy must not depend on, or tell, another host: a page's image from the web, a
    stylesheet of a font service. What is refused is listed for the report; WeasyPrint draws
    the page without it.
    """
    from weasyprint.urls import URLFetcher

    roots = [root.resolve() for root in allowed]

    class ConfinedFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if any(path.is_relative_to(root) for root in roots):
                    return super().fetch(url, headers)
            refused.append(url)
            raise ValueError(f"qmsdocs pdf fetches nothing from other hosts: {url}")

    return ConfinedFetcher()


class _Progress(logging.Handler):
    """WeasyPrint's steps, as the stages a person waits for."""

    STAGES = (
        ("Step 3", "styling"),
        ("Step 4", "building the page boxes"),
        ("Step 5", "laying out pages"),
        ("Step 6", "writing the PDF"),
    )

    def __init__(self, report: Callable[[str], None], every: int) -> None:
        super().__init__(logging.INFO)
        self.report = report
        self.every = every
        self.seen: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        for step, stage in self.STAGES:
            if message.startswith(step) and stage not in self.seen:
                self.seen.add(stage)
                self.report(stage)
        if message.startswith("Step 5 - Creating layout - Page "):
            number = message.rsplit(" ", 1)[-1]
            if number.isdigit() and int(number) % self.every == 0:
                self.report(f"laid out {number} pages")


class _Problems(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _listening(report: Callable[[str], None], every: int) -> Iterator[_Problems]:
    progress_logger = logging.getLogger("weasyprint.progress")
    logger = logging.getLogger("weasyprint")
    progress, problems = _Progress(report, every), _Problems()
    level = progress_logger.level
    progress_logger.setLevel(logging.INFO)
    progress_logger.addHandler(progress)
    logger.addHandler(problems)
    try:
        yield problems
    finally:
        progress_logger.removeHandler(progress)
        progress_logger.setLevel(level)
        logger.removeHandler(problems)


def render_pdf(
    html: str,
    base_dir: Path,
    allowed: Sequence[Path],
    progress: Callable[[str], None] = lambda _stage: None,
    every: int = 50,
) -> Rendered:
    """Render `html` (links relative to `base_dir`) to PDF, reading files only under `allowed`.

    Raises:
        EngineMissing: WeasyPrint cannot be used here.
    """
    weasyprint = _weasyprint()
    refused: list[str] = []
    fetcher = _confined_fetcher(allowed, refused)
    with _listening(progress, every) as problems:
        document = weasyprint.HTML(
            string=html, base_url=base_dir.as_uri() + "/", url_fetcher=fetcher
        ).render()
        data = document.write_pdf()
    # A refused address is reported once, by the caller; WeasyPrint's own line is noise.
    others = [m for m in problems.messages if not any(url in m for url in refused)]
    return Rendered(bytes(data), len(document.pages), sorted(set(refused)), others)
