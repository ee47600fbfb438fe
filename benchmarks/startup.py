"""Start-up: what qmsdocs adds before a small manual's first page is rendered, and after.

Each round is a fresh Python process that imports MkDocs and Material first (their cost is the
same with or without qmsdocs), then times:

- `imports`: importing the plugin (`qmsdocs.plugin`, and through it the core);
- `data`: the plugin's `on_config` (catalogues, glossary, labels, compiled recognisers);
- `templates`: compiling the generated pages' templates in the build's own process (the child
  that reads ahead compiles them where it can, `qmsdocs.readahead`);
- `build`: the whole `mkdocs build` of the manual, in the same process, for scale.

Usage:
    python benchmarks/startup.py [--pages 3] [--rounds 7]

Prints one JSON object: the median of each figure in seconds, and every round's figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate import generate

__all__ = ["startup"]

_ROUND = r"""
import json, sys, time
import jinja2, material, mkdocs.commands.build, mkdocs.config, mkdocs.plugins
import material.plugins.search.plugin
from mkdocs.config.config_options import Plugins

start = time.perf_counter()
import qmsdocs.plugin
figures = {"imports": time.perf_counter() - start, "data": 0.0, "templates": 0.0}

on_config = qmsdocs.plugin.QMSPlugin.on_config
def timed_on_config(self, config):
    start = time.perf_counter()
    try:
        return on_config(self, config)
    finally:
        figures["data"] += time.perf_counter() - start
qmsdocs.plugin.QMSPlugin.on_config = timed_on_config

compile_template = jinja2.Environment.compile
def timed_compile(self, source, name=None, *args, **kwargs):
    start = time.perf_counter()
    try:
        return compile_template(self, source, name, *args, **kwargs)
    finally:
        if name and name.startswith("qmsdocs/"):
            figures["templates"] += time.perf_counter() - start
jinja2.Environment.compile = timed_compile

config = mkdocs.config.load_config(sys.argv[1], site_dir=sys.argv[2])
start = time.perf_counter()
mkdocs.commands.build.build(config)
figures["build"] = time.perf_counter() - start
print(json.dumps(figures))
"""


def startup(config_file: Path, rounds: int) -> dict[str, object]:
    """Time `rounds` fresh processes building `config_file`; medians and every round."""
    runs: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(rounds):
            out = subprocess.run(
                [sys.executable, "-c", _ROUND, str(config_file), str(Path(tmp) / "site")],
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    medians = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    medians["startup"] = statistics.median(
        run["imports"] + run["data"] + run["templates"] for run in runs
    )
    return {"median": medians, "rounds": runs}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args(argv)
    from run import _compile_bytecode  # as `pip install` would have: not part of start-up

    _compile_bytecode(lambda message: print(message, file=sys.stderr))
    config_file = generate(args.out / f"n{args.pages}", args.pages, ["qmsdocs"]).variants["qmsdocs"]
    result = startup(config_file, args.rounds)
    print(json.dumps({"pages": args.pages, **result}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
