"""Is qmsdocs' text processing linear? Time it on 1 MB and 4 MB of prose and of hostile text.

Two measurements per text and size:

- `core`: the clause recogniser (`Recognizer.scan`) and the term matcher (`TermMatcher.find_all`)
  on the raw text, as one string;
- `pipeline`: the text as one Markdown page through Python-Markdown with the qmsdocs
  extension, counting only the time spent in qmsdocs' tree processors (walking the tree,
  recognising, inserting links); Python-Markdown's own time is reported beside it.

Linear work takes the same time per MB at 4 MB as at 1 MB: the report gives the ratio.

Usage:
    python benchmarks/adversarial.py [--sizes 1 4] [--json]
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import sys
import time
from collections.abc import Callable
from typing import Any

__all__ = ["KINDS", "make_text", "measure"]

MB = 1_000_000

KINDS = {
    "prose": "realistic paragraphs with terms and clause references",
    "one-paragraph": "the same prose as a single 1-line paragraph (one huge run)",
    "digits-and-dots": "long runs of digits and dots after clause keywords (1.1.1.1..., 9999...)",
    "section-signs": "thousands of § and §§, alone and before numbers",
    "clause-lists": "endless lists and ranges after one keyword (clauses 4.1, 4.2, 4.3 - 4.4, ...)",
    "legal-tails": "German legal citations (§ 8 Abs. 1 MPDG) that name the next word as the law",
    "term-walls": "terms back to back, no other words (documented information documented ...)",
    "unknown-clauses": "many references to clauses that do not exist, each a finding with a line",
    "designation-chains": "standard names with endless part numbers and amendments",
    "blank-runs": "long runs of spaces and tabs between keywords, numbers and separators",
}


def make_text(kind: str, size: int, seed: int = 1) -> str:
    """About `size` characters of one kind of text (deterministic)."""
    rng = random.Random(f"{seed}:{kind}")
    if kind in ("prose", "one-paragraph"):
        words = [
            "the",
            "team",
            "checks",
            "each",
            "order",
            "before",
            "release",
            "and",
            "records",
            "the",
            "result",
            "in",
            "the",
            "register",
            "so",
            "that",
            "the",
            "supervisor",
            "can",
            "review",
            "the",
            "trend",
            "every",
            "week",
        ]
        terms = [
            "documented information",
            "nonconformity",
            "corrective action",
            "interested parties",
            "top management",
            "quality management system",
            "customer",
            "process",
        ]
        refs = ["clause 7.5.3", "ISO 9001:2015 8.4", "§ 9.2", "§§ 7.5.2–7.5.3", "clauses 5.1 - 5.3"]
        out: list[str] = []
        length = 0
        while length < size:
            sentence = [rng.choice(words) for _ in range(rng.randrange(8, 16))]
            sentence.insert(rng.randrange(len(sentence)), rng.choice(terms))
            if rng.random() < 0.3:
                sentence.append("as required by " + rng.choice(refs))
            text = " ".join(sentence).capitalize() + "."
            out.append(text)
            length += len(text) + 1
            if kind == "prose" and rng.random() < 0.15:
                out.append("\n\n")
        return " ".join(out)[:size]
    if kind == "digits-and-dots":
        chunks = [
            "clause " + "1." * 500 + "1 ",
            "ISO 9001 " + "9" * 1000 + " ",
            "§ " + ".1" * 400 + " ",
            "clause 7.5.3." + "3." * 300 + " ",
            "1.2.3.4.5.6.7.8.9.10.11.12 " * 20,
        ]
    elif kind == "section-signs":
        chunks = ["§" * 1000 + " ", "§§ " * 300, "§ 4.1 " * 100, "§§§ 7.5.2–" * 50 + " "]
    elif kind == "clause-lists":
        items = ", ".join(f"{a}.{b}" for a in range(4, 11) for b in range(1, 8))
        chunks = ["clauses " + items + " - 10.3 and 4 " + ("and " + items) * 3 + " "]
    elif kind == "legal-tails":
        chunks = ["§ 8 Abs. 1 MPDG. ", "§ 257 HGB. ", "§§ 1 Satz 2 BGB. "]
    elif kind == "term-walls":
        chunks = [
            "documented information ",
            "quality management system ",
            "nonconformities ",
            "top management ",
            "interested parties ",
        ]
    elif kind == "unknown-clauses":
        chunks = ["See clause 7.9 here.\n", "ISO 9001 4.2.3 applies.\n", "Clause 11.2 too.\n"]
    elif kind == "designation-chains":
        chunks = [
            "ISO 9001" + "-1" * 400 + " ",
            "ISO 9001:2015" + " / Amd 1:2024" * 200 + "x ",
            "ISO 9001:2015" + " + Amd 1" * 200 + " 8.4 ",
            "DIN EN ISO 9001" + "-12" * 300 + ":2015 ",
        ]
    elif kind == "blank-runs":
        chunks = [
            "clause" + " " * 2000 + "x ",
            "ISO 9001" + " \t" * 1000 + ", clause" + " " * 1000 + "4.1 ",
            "clauses 4.1" + " " * 2000 + "- " + "\t" * 1000 + "x ",
            "§" + "\u00a0" * 2000 + "7.5 ",
        ]
    else:
        raise ValueError(f"unknown kind {kind!r}; choose from {', '.join(KINDS)}")
    out = []
    length = 0
    while length < size:
        chunk = rng.choice(chunks)
        out.append(chunk)
        length += len(chunk)
    return "".join(out)[:size]


def _core(text: str) -> float:
    from qmsdocs.references import Recognizer
    from qmsdocs.standards import load_builtin_catalogue
    from qmsdocs.terms import TermMatcher
    from qmsdocs.vocabulary import load_vocabulary

    recognizer = Recognizer([load_builtin_catalogue("iso9001-2015")])
    matcher = TermMatcher(load_vocabulary([])[0])
    start = time.perf_counter()
    recognizer.scan(text)
    matcher.find_all(text)
    return time.perf_counter() - start


def _pipeline(text: str) -> tuple[float, float, int]:
    """(seconds in qmsdocs' tree processors, seconds of the whole conversion, links made)."""
    import markdown

    import qmsdocs.markdown_ext as ext

    spent = [0.0]
    originals: dict[type, Callable[..., Any]] = {}
    for name in dir(ext):
        cls = getattr(ext, name)
        if isinstance(cls, type) and name.endswith("Treeprocessor") and "run" in vars(cls):
            originals[cls] = cls.run

            def timed(self: Any, root: Any, _run: Callable[..., Any] = cls.run) -> Any:
                start = time.perf_counter()
                try:
                    return _run(self, root)
                finally:
                    spent[0] += time.perf_counter() - start

            cls.run = functools.wraps(cls.run)(timed)
    try:
        md = markdown.Markdown(extensions=["qmsdocs", "tables", "admonition"])
        start = time.perf_counter()
        html = md.convert(text)
        total = time.perf_counter() - start
    finally:
        for cls, run in originals.items():
            cls.run = run  # type: ignore[method-assign]
    return spent[0], total, html.count("<a ")


def measure(sizes_mb: list[float], kinds: list[str] | None = None) -> list[dict[str, Any]]:
    """One row per kind: seconds and seconds per MB at each size, and the per-MB ratio."""
    rows = []
    for kind in kinds or list(KINDS):
        row: dict[str, Any] = {"kind": kind, "description": KINDS[kind], "sizes": {}}
        for mb in sizes_mb:
            text = make_text(kind, int(mb * MB))
            core = _core(text)
            ours, total, links = _pipeline(text)
            row["sizes"][str(mb)] = {
                "mb": mb,
                "core_seconds": core,
                "pipeline_seconds": ours,
                "markdown_seconds": total - ours,
                "links": links,
            }
        first, last = (row["sizes"][str(mb)] for mb in (sizes_mb[0], sizes_mb[-1]))
        for key in ("core_seconds", "pipeline_seconds"):
            per_first = first[key] / first["mb"]
            per_last = last[key] / last["mb"]
            row[key.replace("_seconds", "_ratio")] = per_last / per_first if per_first else 0.0
        rows.append(row)
    return rows


def markdown_table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    sizes = list(rows[0]["sizes"])
    head = ["Text"]
    for mb in sizes:
        head += [f"core s/MB @{mb} MB", f"qmsdocs s/MB @{mb} MB"]
    head += ["core per-MB ratio", "qmsdocs per-MB ratio", "Markdown itself s/MB (largest)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        cells = [row["kind"]]
        for mb in sizes:
            size = row["sizes"][mb]
            cells += [f"{size['core_seconds'] / size['mb']:.3f}"]
            cells += [f"{size['pipeline_seconds'] / size['mb']:.3f}"]
        last = row["sizes"][sizes[-1]]
        cells += [
            f"{row['core_ratio']:.2f}",
            f"{row['pipeline_ratio']:.2f}",
            f"{last['markdown_seconds'] / last['mb']:.2f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1.0, 4.0], help="MB")
    parser.add_argument("--kinds", nargs="+", choices=list(KINDS))
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    rows = measure(args.sizes, args.kinds)
    if args.json:
        json.dump(rows, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(markdown_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
