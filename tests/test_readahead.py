"""Reading ahead in a second process (`qmsdocs.readahead`): a reading is used only for the
source it was made from, a child that fails costs nothing but its time, and a build that
reads ahead makes the very site a build in one process makes."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from mkdocs.commands.build import build
from mkdocs.config import load_config

from qmsdocs import checker
from qmsdocs.assessment import Assessor
from qmsdocs.cli import main
from qmsdocs.editions import load_editions
from qmsdocs.readahead import ReadAhead, can_fork
from qmsdocs.render import Renderer, compile_settings
from qmsdocs.sitebuild import SiteBuild

from .conftest import naming, write_site

# Where a process cannot fork (not Linux), nothing reads ahead: what these check does not exist
# there. The tests of what happens without a fork run everywhere.
needs_fork = pytest.mark.skipif(not can_fork(), reason="reading ahead needs fork (Linux)")


def _read(path: str, text: str) -> tuple[str, int]:
    if "broken" in text:
        raise ValueError("cannot read this one")
    return (path, len(text))


def _source(text: str) -> Callable[[], str]:
    return lambda: text


def _reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@needs_fork
def test_a_reading_is_used_only_for_the_source_it_was_made_from() -> None:
    pages = [(f"p{i}.md", _source(f"page {i}")) for i in range(40)]
    ahead = ReadAhead.start(pages, _read)
    assert ahead is not None
    assert ahead.take("p0.md", "page 0") == ("p0.md", 6)
    # Out of order, as a plugin that reorders pages would ask.
    assert ahead.take("p30.md", "page 30") == ("p30.md", 7)
    assert ahead.take("p1.md", "page 1, edited since") is None
    assert ahead.take("p2.md", "page 2") == ("p2.md", 6)
    assert ahead.take("p2.md", "page 2") is None  # taken once
    assert ahead.take("elsewhere.md", "not a page it read") is None
    assert ahead.taken == 3
    ahead.close()
    assert _reaped(ahead._pid)


@needs_fork
def test_a_page_the_child_cannot_read_is_left_to_the_build() -> None:
    def unreadable() -> str:
        raise OSError("permission denied")

    pages = [
        ("a.md", _source("fine")),
        ("b.md", _source("broken page")),
        ("c.md", unreadable),
        ("d.md", _source("fine too")),
    ]
    ahead = ReadAhead.start(pages, _read, lambda: "compiled")
    assert ahead is not None
    assert ahead.take("b.md", "broken page") is None
    assert ahead.take("c.md", "anything") is None
    assert ahead.take("d.md", "fine too") == ("d.md", 8)
    assert ahead.then() == "compiled"
    ahead.close()


@needs_fork
def test_what_the_child_does_after_the_pages_may_fail() -> None:
    def fails() -> object:
        raise RuntimeError("no templates")

    ahead = ReadAhead.start([("a.md", _source("x"))], _read, fails)
    assert ahead is not None
    assert ahead.then() is None
    assert ahead.take("a.md", "x") is None  # let go once `then` is asked for
    ahead.close()


@needs_fork
def test_closing_early_stops_a_child_that_is_still_reading() -> None:
    def slow(path: str, _text: str) -> str:
        threading.Event().wait(0.05)
        return path

    pages = [(f"p{i}.md", _source("x")) for i in range(200)]  # ten seconds of reading
    ahead = ReadAhead.start(pages, slow)
    assert ahead is not None
    assert ahead.take("p0.md", "x") == "p0.md"
    ahead.close()
    assert _reaped(ahead._pid)
    assert ahead.take("p1.md", "x") is None


def test_no_child_where_forking_is_not_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork()  # another thread runs: a live server, say
        assert ReadAhead.start([("a.md", _source("x"))], _read) is None
    finally:
        stop.set()
        thread.join()
    monkeypatch.setattr("sys.platform", "darwin")
    assert not can_fork()


@needs_fork
def test_readings_sent_at_once_arrive_whole() -> None:
    # More than a pipe holds, so the child must not wait for room while this process reads.
    pages = [(f"p{i}.md", _source("x" * 2000)) for i in range(300)]
    ahead = ReadAhead.start(pages, lambda path, text: (path, text), at_once=True)
    assert ahead is not None
    assert ahead.take("p299.md", "x" * 2000) == ("p299.md", "x" * 2000)
    assert ahead.take("p0.md", "x" * 2000) == ("p0.md", "x" * 2000)
    assert ahead.taken == 2
    ahead.close()


def test_a_large_manual_is_read_the_same_in_two_processes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = Path(__file__).resolve().parents[1]
    sources = [
        (str(path.relative_to(root)), path.read_text(encoding="utf-8"))
        for folder in ("docs", "examples/ims/docs")
        for path in sorted((root / folder).rglob("*.md"))
    ]
    assert len(sources) >= checker._SHARED_READING
    assessor = Assessor(load_editions(["iso9001-2015", "iso14001-2015", "iso45001-2018"]))
    alone = [assessor.page(path, text) for path, text in sources]
    shared = checker.read_pages(assessor, sources)
    assert [page.path for page in shared] == [path for path, _text in sources]
    assert shared == alone

    def no_fork(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("read_ahead: false forks nothing")

    monkeypatch.setattr(checker.ReadAhead, "start", no_fork)
    assert checker.read_pages(assessor, sources, read_ahead=False) == alone
    assert sum(len(page.declarations) + len(page.references) for page in shared) > 100


@pytest.mark.parametrize("read_ahead", [True, False])
def test_qmsdocs_check_follows_the_read_ahead_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read_ahead: bool
) -> None:
    pages = {f"procedures/p{i:02}.md": f"# Procedure {i}\n\nSee clause 8.4.\n" for i in range(40)}
    write_site(tmp_path, pages, plugins=["search", {"qmsdocs": {"read_ahead": read_ahead}}])
    started: list[int] = []

    def counted(*_args: Any, **_kwargs: Any) -> None:
        started.append(1)  # and no second process: every page is read here

    monkeypatch.setattr(checker.ReadAhead, "start", counted)
    result = CliRunner().invoke(main, ["check", str(tmp_path / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    assert started == ([1] if read_ahead else [])


def test_templates_compiled_elsewhere_are_used_only_under_the_same_settings() -> None:
    compiled = Renderer().compile_all()
    settings, codes = compiled
    assert len(codes) >= 20
    same = Renderer()
    assert same.adopt(compiled)
    assert same.compiled.codes().keys() == codes.keys()
    other = Renderer()
    other.env.trim_blocks = True  # compiled code differs
    assert compile_settings(other.env) != settings
    assert not other.adopt(compiled)
    assert other.compiled.codes() == {}


PAGES = {
    "index.md": '---\nclauses: ["4", "5", "6", "7"]\n---\n\n# Manual\n\n'
    + naming("4", "5", "6", "7")
    + "\nOur quality policy sets the quality objectives; see clause 5.2.\n",
    "operation.md": '---\nclauses: ["8"]\n---\n\n# Operation\n\n' + naming("8"),
    "evaluation.md": '---\nclauses: ["9", "10"]\n---\n\n# Evaluation\n\n'
    + naming("9", "10")
    + "\nInternal audits are planned as clause 9.2 asks; record each nonconformity.\n",
    "unknown.md": "# Notes\n\nAs clause 12.7 says (there is no such clause).\n",
    "macro.md": "# Made by a macro\n\nThe {{ 'top management' }} reviews clause 9.3 yearly.\n",
    **{
        f"procedures/p{i:02}.md": f"# Procedure {i}\n\nThe top management reviews clause "
        f"{4 + i % 7}.{1 + i % 3} each year.\n"
        for i in range(20)
    },
}


def _build(root: Path, site: str, read_ahead: bool) -> tuple[dict[str, bytes], int | None]:
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / site))
    plugin = config.plugins["qmsdocs"]
    plugin.config.read_ahead = read_ahead
    taken: list[int] = []
    original = SiteBuild.stop_reading_ahead

    def counting(self: SiteBuild, *, collect: bool = True) -> None:
        if self.read_ahead is not None:
            taken.append(self.read_ahead.taken)
        original(self, collect=collect)

    SiteBuild.stop_reading_ahead = counting  # type: ignore[method-assign]
    try:
        build(config)
    finally:
        SiteBuild.stop_reading_ahead = original  # type: ignore[method-assign]
    out = root / site
    files = {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.suffix != ".gz"
    }
    return files, (taken[0] if taken else None)


@needs_fork
def test_a_build_that_reads_ahead_makes_the_same_site(tmp_path: Path, plugin_log: Any) -> None:
    write_site(tmp_path, PAGES, plugins=["search", "macros", "qmsdocs"])
    ahead, taken = _build(tmp_path, "ahead", True)
    warned = [r.getMessage() for r in plugin_log.records]
    alone, none = _build(tmp_path, "alone", False)
    assert [r.getMessage() for r in plugin_log.records] == warned * 2
    assert any("clause 12.7" in message for message in warned)
    plugin_log.mark_all_checked()
    assert none is None
    assert taken == len(list((tmp_path / "docs").rglob("*.md")))  # every page, by the child
    assert ahead.keys() == alone.keys()
    different = [name for name in ahead if ahead[name] != alone[name]]
    assert different == []
