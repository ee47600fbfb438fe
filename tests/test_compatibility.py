"""The compatibility matrix: qmsdocs beside the plugins and tools a manual is published with.

Each plugin gets real builds of a small site with qmsdocs, and each build is checked for what
qmsdocs promises whatever else runs: the build succeeds, a page's "clause 8.4" and "audit" are
still linked to files that exist in the built site, the generated pages are there, and a site
that leaves clauses uncovered is still refused. A plugin that rewrites the HTML (minify), moves
the pages (offline, blog, i18n), replaces the navigation (awesome-nav) or runs the build itself
(mike, ProperDocs) could break any of these without an error of its own.

Every test names the version of the plugin it ran in its id or its messages, so that a failure
says which release broke. No test may reach another host (`no_network`): the privacy plugin
would download what a page uses from one.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib.metadata import version
from pathlib import Path
from posixpath import dirname, join, normpath
from types import SimpleNamespace
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File

from .conftest import REPO, Site, write_site
from .test_gate import gate_message

PROSE = """\
# Purchasing

Suppliers are controlled as clause 8.4 asks; the audit checks it every year.
"""
GERMAN = """\
# Einkauf

Lieferanten werden nach Abschnitt 8.4 gesteuert.
"""
# The pages qmsdocs generates (docs paths), which must be in every build.
GENERATED = ("coverage.md", "clauses/iso9001-2015/index.md", "glossary.md", "documents.md")
GIT = "/usr/bin/git"
# Tools that run as programs of their own, from the venv that runs the tests: nothing on PATH
# but the system's may be assumed (CI runs with PATH=/usr/bin:/bin and nothing activated).
SCRIPTS = Path(sys.executable).parent


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fails a test that tried to reach another host, even if the plugin that tried caught the
    error and only logged it (the privacy plugin does).

    Covers the builds in this process; the builds run as programs (ProperDocs, mike) use no
    plugin that downloads.
    """
    attempts: list[str] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:  # noqa: ARG001
        # getaddrinfo(host, port, ...), create_connection(address), socket.connect(address)
        attempts.append(" ".join(str(a) for a in args[:2] if not isinstance(a, socket.socket)))
        raise OSError("a compatibility test may not use the network")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    yield
    assert not attempts, f"network access attempted: {attempts}"


def build_like_the_cli(
    root: Path,
    docs: dict[str, str],
    *,
    complete: bool = True,
    prepare: Callable[[Path], None] | None = None,
    **config: Any,
) -> Site:
    """Write and build a site as `mkdocs build` does: MkDocs' build function between the
    startup and shutdown events, which `build()` alone does not send and some plugins need
    (the optimize plugin starts its worker threads on startup). `prepare` runs on the written
    site before the build (a git repository, an image)."""
    config_file = write_site(root, docs, complete=complete, **config)
    if prepare is not None:
        prepare(root)
    cfg = load_config(str(config_file))
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    return Site(root, cfg)


def built(site: Site, src: str) -> str:
    """Where the page built from docs/`src` is in the site, as MkDocs places it."""
    return File(src, "", "", site.config.use_directory_urls).dest_uri


class _QMSLinks(HTMLParser):
    """The qmsdocs links of a page, read as a browser reads them: whether attribute values are
    quoted or in which order they come does not matter (minified HTML drops the quotes)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        for kind in ("qms-clause", "qms-term"):
            if tag == "a" and kind in classes:
                self.found.append((kind, values.get("href") or ""))


def links(site: Site, page: str) -> list[tuple[str, str]]:
    """(kind, target file) of every qmsdocs link on the built `page`; each target is checked
    to exist in the built site."""
    parser = _QMSLinks()
    parser.feed(site.html(page))
    found = []
    for kind, href in parser.found:
        path = site.site_dir / normpath(join(dirname(page), href.split("#")[0]))
        if path.is_dir():
            path = path / "index.html"
        assert path.is_file(), f"{page}: {href} leads nowhere"
        found.append((kind, path.relative_to(site.site_dir).as_posix()))
    return found


# What each plugin needs and what shows it did its work beside qmsdocs.


def git_repository(root: Path) -> None:
    """The site committed in a fresh repository, on a known date."""
    env = {**os.environ, "GIT_AUTHOR_DATE": "2020-01-02T12:00:00Z"}
    env["GIT_COMMITTER_DATE"] = env["GIT_AUTHOR_DATE"]
    identity = ["-c", "user.name=Tester", "-c", "user.email=tester@example.com"]
    for command in (
        ["init", "-q", "-b", "main"],
        ["add", "."],
        [*identity, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "The manual"],
    ):
        subprocess.run([GIT, "-C", str(root), *command], check=True, env=env)


def photograph(root: Path) -> None:
    """A JPEG for the optimize plugin (Pillow re-encodes JPEGs; PNGs need the pngquant
    program, which no pip package ships)."""
    from PIL import Image

    Image.new("RGB", (64, 64), "teal").save(root / "docs" / "goods-in.jpg", quality=95)


def is_minified(site: Site) -> None:
    """Generated pages are minified like the others."""
    for src in ("purchasing.md", "coverage.md"):
        assert not re.search(r"\n\s+<", site.html(built(site, src))), src


def redirects_to_purchasing(site: Site) -> None:
    """Redirects to a page of the manual's and to the pages qmsdocs generates."""
    assert "url=../purchasing/" in site.html(built(site, "suppliers.md"))
    assert "url=../coverage/" in site.html(built(site, "matrix.md"))
    assert "url=../clauses/iso9001-2015/8/" in site.html(built(site, "operation.md"))


def nav_from_nav_yml(site: Site) -> None:
    """awesome-nav's title for the page, and qmsdocs' own section after it."""
    html = site.html(built(site, "purchasing.md"))
    assert "Buying" in html
    assert 'href="../coverage/"' in html


def lists_the_post(site: Site) -> None:
    assert "2024/01/02/supplier-audits/" in site.html(built(site, "blog/index.md"))


def lists_the_tag(site: Site) -> None:
    assert 'href="../purchasing/"' in site.html(built(site, "tags.md"))


def builds_for_the_file_system(site: Site) -> None:
    assert site.config.use_directory_urls is False
    assert (site.site_dir / "search" / "search_index.js").is_file()


def marks_outside_links(site: Site) -> None:
    """The privacy plugin processed the page: an outside link opening a new window gets
    rel="noopener" (and `no_network` checks that nothing was downloaded)."""
    assert 'target="_blank" rel="noopener"' in site.html(built(site, "purchasing.md"))


def optimizes_the_photo(site: Site) -> None:
    """Re-encoded as a progressive JPEG (marker SOF2)."""
    assert b"\xff\xc2" in (site.site_dir / "goods-in.jpg").read_bytes()


def dates_the_pages(site: Site) -> None:
    """The page's date is its commit's; a generated page, which has no history, gets one too
    (the build's)."""
    assert "January 2, 2020" in site.html(built(site, "purchasing.md"))
    assert "git-revision-date-localized-plugin-date" in site.html(built(site, "coverage.md"))


def builds_each_language(site: Site) -> None:
    german = links(site, "de/" + built(site, "purchasing.md"))
    assert german == [("qms-clause", "de/" + built(site, "clauses/iso9001-2015/8.md"))]
    for src in GENERATED:
        assert (site.site_dir / "de" / built(site, src)).is_file(), src


@dataclass(frozen=True)
class Beside:
    """A plugin to build beside qmsdocs: its entries in `plugins:` and what its site needs."""

    name: str
    distribution: str
    plugins: list[Any]
    docs: dict[str, str] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)
    prepare: Callable[[Path], None] | None = None
    # The page that holds the prose, when it is not purchasing.md (blog posts move).
    page: str | None = None
    check: Callable[[Site], None] | None = None

    @property
    def tested(self) -> str:
        return f"{self.distribution} {version(self.distribution)}"

    def build(self, root: Path, *, qmsdocs_first: bool = False, complete: bool = True) -> Site:
        plugins = ["qmsdocs", *self.plugins] if qmsdocs_first else [*self.plugins, "qmsdocs"]
        return build_like_the_cli(
            root,
            {"purchasing.md": PROSE, **self.docs},
            complete=complete,
            prepare=self.prepare,
            plugins=["search", *plugins],
            **self.config,
        )


NO_FONTS = {"name": "material", "font": False, "features": ["content.tooltips"]}
MATRIX = [
    Beside(
        "i18n",
        "mkdocs-static-i18n",
        [
            {
                "i18n": {
                    "docs_structure": "suffix",
                    "languages": [
                        {"locale": "en", "default": True, "name": "English", "build": True},
                        {"locale": "de", "name": "Deutsch", "build": True},
                    ],
                }
            }
        ],
        docs={"purchasing.de.md": GERMAN},
        check=builds_each_language,
    ),
    Beside(
        "minify", "mkdocs-minify-plugin", [{"minify": {"minify_html": True}}], check=is_minified
    ),
    Beside(
        "git-revision-date",
        "mkdocs-git-revision-date-localized-plugin",
        ["git-revision-date-localized"],
        prepare=git_repository,
        check=dates_the_pages,
    ),
    Beside(
        "awesome-nav",
        "mkdocs-awesome-nav",
        ["awesome-nav"],
        docs={".nav.yml": "nav:\n  - Buying: purchasing.md\n  - '*'\n"},
        check=nav_from_nav_yml,
    ),
    Beside(
        "redirects",
        "mkdocs-redirects",
        [
            {
                "redirects": {
                    "redirect_maps": {
                        "suppliers.md": "purchasing.md",
                        "matrix.md": "coverage.md",
                        "operation.md": "clauses/iso9001-2015/8.md",
                    }
                }
            }
        ],
        check=redirects_to_purchasing,
    ),
    Beside(
        "material-blog",
        "mkdocs-material",
        ["blog"],
        docs={
            "blog/index.md": "# News\n",
            "blog/posts/audits.md": "---\ndate: 2024-01-02\n---\n\n"
            + PROSE.replace("# Purchasing", "# Supplier audits"),
        },
        page="blog/2024/01/02/supplier-audits/index.html",
        check=lists_the_post,
    ),
    Beside(
        "material-tags",
        "mkdocs-material",
        ["tags"],
        docs={
            "purchasing.md": "---\ntags: [Suppliers]\n---\n\n" + PROSE,
            "tags.md": "# Tags\n\n<!-- material/tags -->\n",
        },
        check=lists_the_tag,
    ),
    # Material's own script names Mermaid on unpkg.com, loaded only for diagrams; excluded
    # as Material's documentation advises, with the web fonts off, nothing is downloaded.
    Beside(
        "material-privacy",
        "mkdocs-material",
        [{"privacy": {"assets_exclude": ["unpkg.com/*"]}}],
        docs={
            "purchasing.md": PROSE
            + '\n<a href="https://www.iso.org/standard/62085.html" target="_blank">ISO 9001</a>\n'
        },
        config={"theme": NO_FONTS},
        check=marks_outside_links,
    ),
    Beside("material-offline", "mkdocs-material", ["offline"], check=builds_for_the_file_system),
    # optimize_png: Material's own favicon is a PNG, and PNGs need the pngquant program.
    Beside(
        "material-optimize",
        "mkdocs-material",
        [{"optimize": {"optimize_png": False, "print_gain_summary": False}}],
        docs={"purchasing.md": PROSE + "\n![Goods in](goods-in.jpg)\n"},
        prepare=photograph,
        check=optimizes_the_photo,
    ),
    Beside(
        "macros",
        "mkdocs-macros-plugin",
        [{"macros": {"module_name": str(REPO / "plugins" / "macros")}}],
        docs={
            "purchasing.md": "# Purchasing\n\nSuppliers are controlled as "
            '{{ clause("8.4") }} asks; the {{ term("audit") }} checks it every year.\n'
        },
    ),
]


def matrix_id(beside: Beside) -> str:
    return f"{beside.name}-{version(beside.distribution)}"


@pytest.mark.parametrize("qmsdocs_first", [False, True], ids=["qmsdocs-last", "qmsdocs-first"])
@pytest.mark.parametrize("beside", MATRIX, ids=matrix_id)
def test_links_and_generated_pages_survive(
    tmp_path: Path, beside: Beside, qmsdocs_first: bool
) -> None:
    site = beside.build(tmp_path, qmsdocs_first=qmsdocs_first)
    page = beside.page or built(site, "purchasing.md")
    found = links(site, page)
    assert ("qms-clause", built(site, "clauses/iso9001-2015/8.md")) in found, beside.tested
    assert ("qms-term", built(site, "glossary.md")) in found, beside.tested
    for src in GENERATED:
        assert (site.site_dir / built(site, src)).is_file(), f"{src} with {beside.tested}"
    if beside.check is not None:
        beside.check(site)


@pytest.mark.parametrize("beside", MATRIX, ids=matrix_id)
def test_the_gate_still_refuses_an_incomplete_manual(
    tmp_path: Path, beside: Beside, plugin_log: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(Abort):
        beside.build(tmp_path, complete=False)
    assert "the manual was not published" in gate_message(caplog), beside.tested
    assert not (tmp_path / "site" / "index.html").exists(), beside.tested
    plugin_log.mark_all_checked()


# mike and ProperDocs run the build as programs of their own.


def run(command: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    """A program run with nothing but the venv's scripts and the system's on PATH: mike runs
    `properdocs build` (or `mkdocs build`) and git by name."""
    env = {**os.environ, "PATH": f"{SCRIPTS}{os.pathsep}/usr/bin{os.pathsep}/bin"}
    return subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_mike_deploys_a_version_with_the_generated_pages(tmp_path: Path) -> None:
    """`mike deploy` builds the site (with ProperDocs when it is installed, as here) and
    commits it to gh-pages under the version; a version that fails the gate is not deployed."""
    tested = f"mike {version('mike')}"
    write_site(tmp_path, {"purchasing.md": PROSE})
    git_repository(tmp_path)
    for key, value in (("user.name", "Tester"), ("user.email", "tester@example.com")):
        subprocess.run([GIT, "-C", str(tmp_path), "config", key, value], check=True)
    deployed = run([SCRIPTS / "mike", "deploy", "1.0"], tmp_path)
    assert deployed.returncode == 0, f"{tested}: {deployed.stderr}"
    # "Deployed 1a2b3c4 to 1.0 with ProperDocs 1.6.7 and mike 2.2.0": what built it.
    tested = run([GIT, "log", "-1", "--format=%s", "gh-pages"], tmp_path).stdout.strip()

    def show(path: str) -> str:
        return run([GIT, "show", f"gh-pages:{path}"], tmp_path).stdout

    files = run([GIT, "ls-tree", "-r", "--name-only", "gh-pages"], tmp_path).stdout.split()
    for page in ("coverage", "clauses/iso9001-2015", "glossary", "documents", "purchasing"):
        assert f"1.0/{page}/index.html" in files, f"{page} with {tested}"
    purchasing = show("1.0/purchasing/index.html")
    assert 'class="qms-clause" href="../clauses/iso9001-2015/8/#clause-8-4"' in purchasing
    assert 'class="qms-term" href="../glossary/#term-audit"' in purchasing
    assert "1.0/clauses/iso9001-2015/8/index.html" in files

    subprocess.run([GIT, "-C", str(tmp_path), "rm", "-q", "docs/whole-standard.md"], check=True)
    refused = run([SCRIPTS / "mike", "deploy", "2.0"], tmp_path)
    assert refused.returncode != 0, tested
    assert "the manual was not published" in refused.stderr, tested
    files = run([GIT, "ls-tree", "-r", "--name-only", "gh-pages"], tmp_path).stdout.split()
    assert not any(f.startswith("2.0/") for f in files), tested


def properdocs(config_file: Path, site_dir: Path) -> subprocess.CompletedProcess[str]:
    """`properdocs build`: ProperDocs' command line aliases every `mkdocs.*` import to its own
    `properdocs.*` modules and loads plugins from the `mkdocs.plugins` entry points, so
    qmsdocs runs under it unchanged."""
    command = [sys.executable, "-m", "properdocs", "build", "--strict"]
    return run([*command, "-f", config_file, "-d", site_dir], config_file.parent)


_GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def test_properdocs_builds_the_example_as_mkdocs_does(tmp_path: Path) -> None:
    """The example site, built by ProperDocs, is byte for byte MkDocs' build but for the
    generator named in each page."""
    tested = f"properdocs {version('properdocs')}"
    result = properdocs(REPO / "mkdocs.yml", tmp_path / "properdocs")
    assert result.returncode == 0, f"{tested}: {result.stderr}"
    config = SimpleNamespace(site_dir=str(tmp_path / "properdocs"), use_directory_urls=True)
    site = Site(REPO, config)
    assert "mkdocs-ProperDocs" in site.html("index.html"), tested
    page = "manual/operation/external-providers/index.html"
    found = links(site, page)
    assert ("qms-clause", "clauses/iso9001-2015/8/index.html") in found, tested
    assert ("qms-term", "glossary/index.html") in found, tested
    for src in GENERATED:
        assert (site.site_dir / built(site, src)).is_file(), f"{src} with {tested}"

    build(load_config(str(REPO / "mkdocs.yml"), strict=True, site_dir=str(tmp_path / "mkdocs")))

    def contents(root: Path) -> dict[str, bytes]:
        # The sitemap's archive records when it was written.
        return {
            p.relative_to(root).as_posix(): _GENERATOR.sub(b"", p.read_bytes())
            for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != "sitemap.xml.gz"
        }

    by_properdocs, by_mkdocs = contents(tmp_path / "properdocs"), contents(tmp_path / "mkdocs")
    assert by_properdocs.keys() == by_mkdocs.keys(), tested
    differing = [path for path in by_mkdocs if by_properdocs[path] != by_mkdocs[path]]
    assert not differing, f"{tested}: {differing}"


def test_properdocs_refuses_an_incomplete_manual(tmp_path: Path) -> None:
    tested = f"properdocs {version('properdocs')}"
    config_file = write_site(tmp_path, {"purchasing.md": PROSE}, complete=False)
    result = properdocs(config_file, tmp_path / "site")
    assert result.returncode == 1, tested
    assert "qmsdocs: the manual was not published" in result.stderr, tested
    assert not (tmp_path / "site" / "purchasing" / "index.html").exists(), tested
