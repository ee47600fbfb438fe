"""A site read without running MkDocs' build: for `qmsdocs generate`, and for the Markdown
extension and the macros when no plugin runs (Zensical).

The options are the plugin's, read from `mkdocs.yml` as `qmsdocs check` reads them; the build's
state is the plugin's own (`qmsdocs.sitebuild.SiteBuild`). What the MkDocs build does between
them is done here with the same parts: each page of the manual is rendered once with the
site's Markdown extensions and qmsdocs' extension (which records its anchors and the terms it
uses), the verdict is drawn (`SiteBuild.conclude`), and the placeholders are filled with the
core's fillers (`qmsdocs.filling`).

Links are written as Zensical reads them: relative to the page's source file, as `.md` paths
(`../manual/scope.md#purpose`), which the site generator turns into its URLs, in Markdown and in
HTML alike. The URLs the exports list are MkDocs' (`File.url`), which Zensical's match.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import posixpath
import sys
import threading
import xml.etree.ElementTree as etree
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from markdown import Markdown
from markdown.treeprocessors import Treeprocessor

from qmsdocs.exports import export_text
from qmsdocs.filling import Fill, fill_placeholders, references_by_clause, register_rows
from qmsdocs.findings import Finding, QMSDataError
from qmsdocs.layout import relative_href
from qmsdocs.markdown_ext import QMSExtension, heading_text
from qmsdocs.plugin.siteconfig import LoadedSite, load_site
from qmsdocs.records import Reference
from qmsdocs.sitebuild import SetupError, SiteBuild
from qmsdocs.sourcefiles import split_front_matter
from qmsdocs.written import MANIFEST, Manifest, generated_paths, is_marked_text
from qmsdocs.yamlio import read_text

__all__ = ["CONFIG_NAMES", "Standalone", "docs_prefix", "find_config", "site_for"]

# The configuration files Zensical reads a MkDocs project from, in the order it looks.
CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
# The configurations being read: MkDocs checks the `markdown_extensions:` of one by building a
# Markdown object with them, this extension included, which must not read it again.
_LOADING: set[Path] = set()
# The names the extension goes by in `markdown_extensions:`.
EXTENSION_NAMES = ("qmsdocs", "qmsdocs.markdown_ext")


def find_config(root: Path) -> Path | None:
    """The MkDocs configuration in a project folder, if there is one."""
    for name in CONFIG_NAMES:
        if (root / name).is_file():
            return root / name
    return None


class _FirstTitle(Treeprocessor):
    """The page's title as MkDocs takes it from the rendered page: a level-1 heading that is
    its first element."""

    title: str | None = None

    def run(self, root: etree.Element) -> None:
        first = next(iter(root), None)
        self.title = (
            heading_text(first, self.md) if first is not None and first.tag == "h1" else None
        )


@dataclass
class Standalone:
    """A site, its build's state, and what rendering its pages found.

    Attributes:
        site: mkdocs.yml as MkDocs loads it, and the docs folder's files.
        build: The build's state (options, catalogues, glossary, assessor, verdict).
        sources: The manual's pages (docs path -> source, front matter included), without
            what qmsdocs generated.
        generated: The generated pages' Markdown with placeholders (docs path -> text).
        titles: Each page's title (the navigation's, the front matter's, its first heading,
            or its file name, as MkDocs chooses).
        sections: Each page's headings: anchor -> text.
    """

    site: LoadedSite
    build: SiteBuild
    sources: dict[str, str]
    generated: dict[str, str]
    unreadable: list[Finding] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)
    sections: dict[str, dict[str, str]] = field(default_factory=dict)
    rendered: bool = False
    references: dict[tuple[str, str], list[Reference]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def load(
        cls, config_file: Path, *, generating: bool = False, out: Path | None = None
    ) -> Standalone:
        """Load the site of `config_file`.

        Arguments:
            generating: Whether the generated files are to be written (under `out`, a folder
                inside the docs folder; None: at the options' paths). Otherwise they are where
                the last `qmsdocs generate` put them (its manifest says).

        Raises:
            QMSDataError: mkdocs.yml or the manual's data cannot be used, or the qmsdocs
                plugin is not enabled; each finding names the file.
        """
        resolved = config_file.resolve()
        _LOADING.add(resolved)
        try:
            site = load_site(config_file)
        finally:
            _LOADING.discard(resolved)
        options = site.qmsdocs_options()
        if options is None:
            raise QMSDataError(
                [
                    Finding(
                        "plugin-not-enabled",
                        "the qmsdocs plugin is not enabled: add `- qmsdocs` under `plugins:` "
                        "(its options are qmsdocs' settings, whichever tool builds the site)",
                        str(config_file),
                    )
                ]
            )
        docs_dir = site.docs_dir
        if generating:
            prefix = docs_prefix(config_file, docs_dir, out)
        else:
            manifest = Manifest.read(docs_dir)
            prefix = manifest.prefix if manifest is not None else ""
        try:
            build = SiteBuild.create(
                options,
                base_dir=config_file.parent,
                docs_dir=docs_dir,
                language=str(site.config.theme.get("language") or "en"),
                env=site.config.theme.get_env(),
                prefix=prefix,
            )
        except SetupError as error:
            raise QMSDataError(
                [Finding("bad-config", str(error).removeprefix("qmsdocs: "), str(config_file))]
            ) from None
        generated = dict(build.generated.page_sources(build.editions, build.vocabulary))
        written = generated_paths(docs_dir)
        sources: dict[str, str] = {}
        unreadable: list[Finding] = []
        for src, path in site.pages():
            if src in written or src in generated:
                continue
            try:
                text = read_text(path, src)
            except QMSDataError as error:
                unreadable += error.findings
                continue
            if not is_marked_text(text):  # a generated page the manifest no longer lists
                sources[src] = text
        return cls(site, build, sources, generated, unreadable)

    @property
    def docs_dir(self) -> Path:
        return self.site.docs_dir

    # Rendering and the verdict ------------------------------------------------------------------

    def conclude(self) -> SiteBuild:
        """Render every page of the manual once and draw the verdict (once per site)."""
        with self._lock:
            if not self.rendered:
                self._render_all()
                self.build.conclude()
                self.build.register = register_rows(self.build, self.info)
                self.references = references_by_clause(self.build)
                self.rendered = True
        return self.build

    def _render_all(self) -> None:
        build = self.build
        config = self.site.config
        extensions: list[Any] = [e for e in config.markdown_extensions if e not in EXTENSION_NAMES]
        configs = {k: v for k, v in config.mdx_configs.items() if k not in EXTENSION_NAMES}
        md = Markdown(
            extensions=[*extensions, QMSExtension(build.context)], extension_configs=configs
        )
        first_title = _FirstTitle(md)
        md.treeprocessors.register(first_title, "qmsdocs_first_title", 1)
        nav_titles = dict(_nav_titles(config.nav or []))
        for src, text in self.sources.items():
            yaml_text, body, _line = split_front_matter(text)
            meta = _meta(yaml_text)
            file = self.site.files.get_file_from_path(src)
            build.context.current = build.read_source(
                src, functools.partial(str, text), meta=meta, resolve=None, file=file
            )
            md.reset()
            first_title.title = None
            md.convert(body)
            build.keep(build.context.current, src)
            build.context.current = None
            record = build.records.get(src)
            headings = record.headings if record is not None else []
            self.sections[src] = {anchor: text for text, anchor in headings}
            title = meta.get("title")
            self.titles[src] = (
                nav_titles.get(src)
                or (str(title) if title is not None else None)
                or first_title.title
                or _file_title(self.site, src)
            )
        build.findings += self.unreadable

    # Titles and links --------------------------------------------------------------------------

    def title_for(self, src: str, anchor: str | None) -> tuple[str, str | None]:
        """(page title, section title or None); a section that is the page's title is None."""
        title = self.titles.get(src) or posixpath.basename(src)
        if not anchor:
            return title, None
        section = self.sections.get(src, {}).get(anchor)
        return title, section if section != title else None

    def info(self, src: str) -> tuple[str | None, str]:
        """(URL in the site, title) of a page, for the exports and the register."""
        file = self.site.files.get_file_from_path(src)
        return (file.url if file is not None else None), self.title_for(src, None)[0]

    def fill(self, src: str, text: str) -> tuple[str, set[str]]:
        """The placeholders of a page (docs path `src`) filled, its links relative to it."""
        build = self.conclude()

        def url_for(target: str, anchor: str | None) -> str:
            return relative_href(src, target, anchor)

        fill = Fill(build, build.renderer, src, url_for, self.title_for, self.references)
        return fill_placeholders(text, fill)

    # What `qmsdocs generate` writes ---------------------------------------------------------

    def outputs(self) -> dict[str, str]:
        """Docs path -> content of every file qmsdocs generates for this site: the generated
        pages (Markdown, their placeholders filled as HTML blocks), the exports and the
        stylesheet."""
        build = self.conclude()
        files: dict[str, str] = {}
        for src, markdown in self.generated.items():
            filled, _ids = self.fill(src, markdown)
            files[src] = _plain_page(filled)
        for src, export in build.generated.exports.items():
            files[src] = export_text(build, export, self.info)
        css = resources.files("qmsdocs").joinpath("assets", "qmsdocs.css").read_text("utf-8")
        files[build.generated.stylesheet] = css
        return files

    def digest(self) -> str:
        """A digest of what the generated files are made from: the configuration, the
        manual's data files and its pages (so a site generator can tell they are out of
        date)."""
        digest = hashlib.sha256()
        data = [self.site.config_file]
        for path in self.build.data_files:  # catalogue files, the glossary folder
            data += sorted(path.glob("*.y*ml")) if path.is_dir() else [path]
        for path in data:
            with contextlib.suppress(OSError):
                digest.update(f"\0{path.name}\0".encode() + path.read_bytes())
        for src in sorted(self.sources):
            digest.update(f"\0{src}\0{self.sources[src]}".encode())
        return digest.hexdigest()[:16]

    def staleness(self) -> str | None:
        """What is wrong with the generated files in the docs folder, for a site generator
        that only links to them: missing, or made from another version of the manual."""
        manifest = Manifest.read(self.docs_dir)
        if manifest is None:
            return (
                f"no generated pages in {self.docs_dir} (clause pages, coverage, glossary): "
                "run `qmsdocs generate` before building, or the clause and term links lead "
                "nowhere"
            )
        if manifest.sources != self.digest():
            return (
                f"the generated pages in {self.docs_dir} are older than the manual or "
                "mkdocs.yml: run `qmsdocs generate` again to bring coverage, clause pages and "
                "register up to date"
            )
        return None


def docs_prefix(config_file: Path, docs_dir: Path, out: Path | None) -> str:
    """The docs-relative folder `out` names ("" for the docs folder itself or None).

    Raises:
        QMSDataError: `out` is not inside the docs folder (the site would not include it).
    """
    if out is None:
        return ""
    docs = docs_dir.resolve()
    target = out.resolve()
    if target != docs and docs not in target.parents:
        raise QMSDataError(
            [
                Finding(
                    "bad-out",
                    f"--out {out}: the generated files must go into the docs folder "
                    f"({docs_dir}) or a folder inside it; the site includes nothing else",
                    str(config_file),
                )
            ]
        )
    return target.relative_to(docs).as_posix() if target != docs else ""


def _plain_page(markdown: str) -> str:
    """A generated page as a file of its own: the site's macros must leave it as it is (a
    catalogue's title may hold braces)."""
    head, marker, rest = markdown.partition("\nqmsdocs_generated:")
    if not marker:
        return markdown
    return f"{head}\nrender_macros: false{marker}{rest}"


def _meta(yaml_text: str | None) -> Mapping[str, Any]:
    if yaml_text is None:
        return {}
    try:
        data = yaml.safe_load(yaml_text)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def _nav_titles(items: Iterable[Any]) -> Iterable[tuple[str, str]]:
    """(docs path, title) of each page `nav:` gives a title."""
    for item in items:
        if isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    yield value.strip(), str(title)
                elif isinstance(value, list):
                    yield from _nav_titles(value)
        elif isinstance(item, list):
            yield from _nav_titles(item)


def _file_title(site: LoadedSite, src: str) -> str:
    """MkDocs' title for a page without one: "Home", or its file name as words."""
    file = site.files.get_file_from_path(src)
    name = file.name if file is not None else posixpath.splitext(posixpath.basename(src))[0]
    if src in ("index.md", "README.md"):
        return "Home"
    title = name.replace("-", " ").replace("_", " ")
    return title.capitalize() if title.lower() == title else title


# One site per configuration, for the extension and the macros (a site generator that runs no
# plugin renders each page with a new Markdown object, and often in one long-lived process).
_SITES: dict[Path, tuple[tuple[float, float], Standalone]] = {}
_SITES_LOCK = threading.RLock()


def site_for(config_file: Path) -> Standalone | None:
    """The site of `config_file`, loaded once while neither it nor the generated files'
    manifest changes; None while that very file is being loaded (MkDocs checks the
    `markdown_extensions:` it names by building a Markdown object with them).

    Raises:
        QMSDataError: See `Standalone.load`.
    """
    config_file = config_file.resolve()
    with _SITES_LOCK:
        if config_file in _LOADING:
            return None
        cached = _SITES.get(config_file)
        key = (_mtime(config_file), -1.0)
        if cached is not None:
            key = (key[0], _mtime(cached[1].docs_dir / MANIFEST))
            if cached[0] == key:
                return cached[1]
        site = Standalone.load(config_file)
        key = (key[0], _mtime(site.docs_dir / MANIFEST))
        _SITES[config_file] = (key, site)
        warning = site.staleness()
        if warning:
            print(f"qmsdocs: warning: {warning}", file=sys.stderr)
        return site


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return -1.0
