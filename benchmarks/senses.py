"""What sense-aware term linking costs: the bare term matcher against qmsdocs' linking.

Reads the prose of every page of a generated manual (`benchmarks/generate.py`) as the linking
tree processor does (`qmsdocs.textruns`, tables left out), then times, alternating, over all
blocks:

- `bare`: `TermMatcher.find_all` with no judge (every occurrence of every term);
- `judge`: the same pass with the sense rules judging each occurrence (`TermSenses`' judge);
- `linking`: `TermSenses.find`, what a build runs: the judged pass, and the checks made once
  per block (another language, metadata lines, phrases never to link).

Usage:
    python benchmarks/senses.py [DOCS_DIR] [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import markdown

from qmsdocs.senses import TermSenses
from qmsdocs.terms import TermMatcher
from qmsdocs.textruns import iter_runs
from qmsdocs.vocabulary import load_vocabulary

DEFAULT_DOCS = Path(__file__).parent / "out" / "n100" / "qmsdocs" / "docs"


def blocks(docs: Path) -> list[str]:
    """The prose blocks of every page under `docs`, as the linking reads them."""
    texts = []
    for path in sorted(docs.rglob("*.md")):
        root = _tree(path.read_text(encoding="utf-8"))
        texts += [run.text for run in iter_runs(root, skip=frozenset({"table"}))]
    return texts


def _tree(text: str) -> Any:
    """The element tree Python-Markdown hands its tree processors."""
    md = markdown.Markdown(extensions=["tables", "admonition", "attr_list", "md_in_html"])
    roots: list[Any] = []

    class Keep(markdown.treeprocessors.Treeprocessor):
        def run(self, root: Any) -> None:
            roots.append(root)

    md.treeprocessors.register(Keep(md), "keep", 0)
    md.convert(text)
    return roots[0]


def measure(texts: list[str], repeat: int) -> dict[str, float]:
    """Median seconds of each way over all `texts`, the three ways alternating."""
    vocabulary, _findings = load_vocabulary([])
    matcher, senses = TermMatcher(vocabulary), TermSenses(vocabulary)
    judge = senses._judge  # the rules inside the matcher's pass
    ways: dict[str, Callable[[str], object]] = {
        "bare": matcher.find_all,
        "judge": lambda text: matcher.find_all(text, judge),
        "linking": lambda text: senses.find(text, matcher),
    }
    times: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(repeat):
        for name, way in ways.items():
            start = time.perf_counter()
            for text in texts:
                way(text)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("docs", nargs="?", type=Path, default=DEFAULT_DOCS)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    if not args.docs.is_dir():
        print(f"{args.docs}: no such folder; generate it: python benchmarks/generate.py")
        return 2
    texts = blocks(args.docs)
    result = measure(texts, args.repeat)
    bare = result["bare"]
    print(f"{len(texts)} blocks of prose from {args.docs}")
    for name, seconds in result.items():
        print(f"{name:>8}: {seconds * 1000:7.1f} ms  {seconds / bare:.2f} x bare")
    return 0


if __name__ == "__main__":
    sys.exit(main())
