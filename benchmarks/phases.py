"""Time qmsdocs' own phases in one in-process `mkdocs build`, without changing what it does.

The plugin's methods, its Markdown tree processors and the core functions they call are
wrapped from outside (monkeypatching, nothing in qmsdocs is edited), and so are MkDocs' two
per-page steps, so that the MkDocs work spent on the pages qmsdocs generates can be told
apart from the manual's own pages.

Usage:
    python benchmarks/phases.py path/to/mkdocs.yml [--site-dir DIR] [--profile FILE] [--rebuild]

Prints one JSON object: seconds per phase, call counts, pages, and the build's total.
With `--profile FILE`, the build also runs under cProfile and the stats go to FILE (the
phase times are then inflated by the profiler and only good as proportions).
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import logging
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

__all__ = ["PHASES", "measure"]

# Reported phases, in order: (key, label). Keys ending in "*" are totals that contain others.
PHASES = [
    ("setup", "setup: catalogue, glossary, matcher and recogniser build (on_config)"),
    ("setup.matcher", "  of which term matcher build"),
    ("setup.recognizer", "  of which clause recogniser build"),
    ("setup.glossary", "  of which glossary loading"),
    ("front_matter", "reading each page's source for the verdict (on_page_markdown)"),
    ("assessment.prose", "  of which prose citations in the source"),
    ("link.prose", "linking: clause references and terms (tree processor, one walk)"),
    ("link.targets", "linking: final URLs of the links (tree processor)"),
    ("link.headings", "linking: heading anchors (tree processor)"),
    ("link.explicit", "linking: explicit references (tree processor)"),
    ("link.anchors", "linking: anchors of generated pages (tree processor)"),
    ("link.scan", "  in linking: recogniser scan"),
    ("link.find_all", "  in linking: term matcher find_all"),
    ("link.iter_runs", "  in linking: walking the tree (iter_runs)"),
    ("link.insert_links", "  in linking: inserting links (insert_links)"),
    ("panels", "document control panels (on_page_content)"),
    ("generated.files", "generated pages: sources (on_files)"),
    ("generated.nav", "generated pages: navigation (on_nav)"),
    ("coverage", "coverage (compute_coverage)"),
    ("generated.fill", "generated pages: filling placeholders (on_env)"),
    ("documents", "document register and checks (on_env)"),
    ("exports", "exports: coverage and register JSON/CSV (on_env)"),
    ("report", "findings report and gate (on_env)"),
    ("on_env", "on_env total"),
    ("mkdocs.generated", "MkDocs rendering the generated pages (Markdown, theme, search)"),
    ("mkdocs.manual", "MkDocs rendering the manual's own pages (Markdown, theme, search)"),
    ("mkdocs.search_generated", "  of which search indexing of generated pages"),
    ("mkdocs.search_manual", "  of which search indexing of manual pages"),
    ("gc.gen0", "Python garbage collector, young generation (whole build)"),
    ("gc.gen1", "Python garbage collector, middle generation (whole build)"),
    ("gc.gen2", "Python garbage collector, full collections (whole build)"),
]


class _Timers:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def add(self, key: str, seconds: float) -> None:
        self.seconds[key] += seconds
        self.calls[key] += 1


def _wrap(owner: Any, attr: str, timers: _Timers, key: str | Callable[..., str | None]) -> None:
    """Replace `owner.attr` by a timed version; `key` may depend on the call's arguments."""
    original = getattr(owner, attr)

    @functools.wraps(original)
    def timed(*args: Any, **kwargs: Any) -> Any:
        name = key(*args, **kwargs) if callable(key) else key
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            if name:
                timers.add(name, time.perf_counter() - start)

    setattr(owner, attr, timed)


def _wrap_generator(owner: Any, attr: str, timers: _Timers, key: str) -> None:
    """Time the work done inside a generator function, not the consumer's work between items."""
    original = getattr(owner, attr)

    @functools.wraps(original)
    def timed(*args: Any, **kwargs: Any) -> Iterator[Any]:
        iterator = original(*args, **kwargs)
        while True:
            start = time.perf_counter()
            try:
                item = next(iterator)
            except StopIteration:
                timers.add(key, time.perf_counter() - start)
                return
            timers.add(key, time.perf_counter() - start)
            yield item

    setattr(owner, attr, timed)


def _install(timers: _Timers) -> dict[str, Any]:
    import mkdocs.commands.build as mkbuild
    from material.plugins.search.plugin import SearchPlugin

    import qmsdocs.assessment as assessment
    import qmsdocs.markdown_ext as ext
    import qmsdocs.plugin as plugin_module
    import qmsdocs.plugin.fillers as fillers
    import qmsdocs.sitebuild as build_module
    from qmsdocs.plugin import QMSPlugin
    from qmsdocs.plugin.build import Build
    from qmsdocs.references import Recognizer
    from qmsdocs.terms import TermMatcher

    state: dict[str, Any] = {"generated": set(), "manual_pages": 0, "generated_pages": 0}

    _wrap(QMSPlugin, "on_config", timers, "setup")
    _wrap(TermMatcher, "__init__", timers, "setup.matcher")
    _wrap(Recognizer, "__init__", timers, "setup.recognizer")
    _wrap(build_module, "load_site_vocabulary", timers, "setup.glossary")
    _wrap(Build, "read_page", timers, "front_matter")
    _wrap(assessment.Assessor, "_read_prose", timers, "assessment.prose")
    _wrap(QMSPlugin, "on_page_content", timers, "panels")
    _wrap(QMSPlugin, "on_files", timers, "generated.files")
    _wrap(QMSPlugin, "on_nav", timers, "generated.nav")
    _wrap(QMSPlugin, "on_env", timers, "on_env")
    _wrap(plugin_module, "fill_pages", timers, "generated.fill")
    _wrap(plugin_module, "register_rows", timers, "documents")
    _wrap(assessment, "check_documents", timers, "documents")
    _wrap(assessment, "compute_coverage", timers, "coverage")
    _wrap(plugin_module, "write_exports", timers, "exports")
    _wrap(plugin_module, "report", timers, "report")
    del fillers
    processors = {
        "ProseLinkTreeprocessor": "link.prose",
        "LinkTargetTreeprocessor": "link.targets",
        "HeadingAnchorTreeprocessor": "link.headings",
        "ExplicitReferenceTreeprocessor": "link.explicit",
        "ClauseAnchorTreeprocessor": "link.anchors",
    }
    for name, key in processors.items():
        cls = getattr(ext, name, None)
        if cls is not None:
            _wrap(cls, "run", timers, key)
    _wrap(Recognizer, "scan", timers, "link.scan.raw")
    _wrap(TermMatcher, "find_all", timers, "link.find_all")
    _wrap_generator(ext, "iter_runs", timers, "link.iter_runs")
    _wrap(ext, "insert_links", timers, "link.insert_links")

    def page_class(page: Any, *_args: Any, **_kwargs: Any) -> str:
        generated = getattr(page.file, "generated_by", None) is not None
        return "mkdocs.generated" if generated else "mkdocs.manual"

    def count_page(original: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(original)
        def counted(page: Any, *args: Any, **kwargs: Any) -> Any:
            if getattr(page.file, "generated_by", None) is not None:
                state["generated_pages"] += 1
            else:
                state["manual_pages"] += 1
            return original(page, *args, **kwargs)

        return counted

    _wrap(mkbuild, "_populate_page", timers, page_class)
    mkbuild._populate_page = count_page(mkbuild._populate_page)
    _wrap(mkbuild, "_build_page", timers, page_class)

    def search_class(_self: Any, _context: Any, *args: Any, **kwargs: Any) -> str:
        page = kwargs.get("page") or (args[0] if args else None)
        generated = page is not None and getattr(page.file, "generated_by", None) is not None
        return "mkdocs.search_generated" if generated else "mkdocs.search_manual"

    _wrap(SearchPlugin, "on_page_context", timers, search_class)
    return state


def measure(
    config_file: Path,
    site_dir: Path | None = None,
    profile: Path | None = None,
    rebuild: bool = False,
) -> dict:
    """Build the site in this process with the timers installed; return the figures.

    With `rebuild`, build as `mkdocs serve` does, save one page, and report the rebuild."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    timers = _Timers()
    state = _install(timers)
    serve_url = "http://127.0.0.1:8000/" if rebuild else None

    def configured(site: str) -> Any:
        config = load_config(str(config_file), site_dir=site)
        if rebuild:
            config.plugins.on_startup(command="serve", dirty=False)
        return config

    edited: tuple[Path, str] | None = None
    if rebuild:
        with tempfile.TemporaryDirectory() as tmp:
            build(configured(str(site_dir or Path(tmp) / "site")), serve_url=serve_url)
        page = sorted((config_file.parent / "docs").rglob("page-*.md"))[0]
        edited = (page, page.read_text(encoding="utf-8"))
        page.write_text(edited[1] + "\n<!-- saved again -->\n", encoding="utf-8")
        timers.seconds.clear()
        timers.calls.clear()
        state.update(manual_pages=0, generated_pages=0)
    gc_start: list[float] = []

    def gc_callback(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            gc_start.append(time.perf_counter())
        elif gc_start:
            timers.add(f"gc.gen{info.get('generation', 0)}", time.perf_counter() - gc_start.pop())

    gc.callbacks.append(gc_callback)
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            config = configured(str(site_dir or Path(tmp) / "site"))
            start = time.perf_counter()
            cpu = time.process_time()
            if profile is not None:
                import cProfile

                profiler = cProfile.Profile()
                profiler.runcall(build, config, serve_url=serve_url)
                profiler.dump_stats(str(profile))
            else:
                build(config, serve_url=serve_url)
            total = time.perf_counter() - start
            total_cpu = time.process_time() - cpu
    finally:
        if edited is not None:
            edited[0].write_text(edited[1], encoding="utf-8")
    gc.callbacks.remove(gc_callback)
    seconds = dict(timers.seconds)
    # Scans made by the prose tree processor (headings and front matter scan too).
    seconds["link.scan"] = seconds.pop("link.scan.raw", 0.0)
    qmsdocs_own = sum(
        seconds.get(k, 0.0)
        for k in (
            "setup",
            "front_matter",
            "link.prose",
            "link.targets",
            "link.headings",
            "link.explicit",
            "link.anchors",
            "panels",
            "generated.files",
            "generated.nav",
            "on_env",
        )
    )
    linking = sum(
        seconds.get(k, 0.0)
        for k in (
            "front_matter",
            "link.prose",
            "link.targets",
            "link.headings",
            "link.explicit",
            "link.anchors",
            "panels",
        )
    )
    manual_pages = state["manual_pages"]
    return {
        # Relative to the repository: results are committed, machine paths are not.
        "config": _relative(config_file),
        "manual_pages": manual_pages,
        "generated_pages": state["generated_pages"],
        "build_seconds": total,
        "build_cpu_seconds": total_cpu,
        "qmsdocs_seconds": qmsdocs_own,
        "per_page_seconds": linking / manual_pages if manual_pages else 0.0,
        "qmsdocs_per_page_seconds": qmsdocs_own / manual_pages if manual_pages else 0.0,
        "phases": {key: seconds.get(key, 0.0) for key, _label in PHASES},
        "calls": {key: timers.calls.get(key, 0) for key, _label in PHASES},
    }


def _relative(path: Path) -> str:
    root = Path(__file__).resolve().parents[1]
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("config", type=Path)
    parser.add_argument("--site-dir", type=Path)
    parser.add_argument("--profile", type=Path, help="also write cProfile stats to this file")
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="time the rebuild `mkdocs serve` makes after a page is saved (one page is edited "
        "and restored)",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    result = measure(args.config, args.site_dir, args.profile, args.rebuild)
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
