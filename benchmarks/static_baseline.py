"""What qmsdocs costs against a manual that already has its generated pages as static files.

Round 2's baseline (the plain manual with its handwritten glossary) leaves MkDocs' own work on
qmsdocs' generated pages on qmsdocs' side of the ratio. This measures the other reading, for
those who set the targets: a `static` variant, the plain manual with the pages `qmsdocs
generate` writes (clause pages, coverage page, register, glossary, exports, stylesheet) put in
its docs folder as ordinary files, built without qmsdocs. Builds alternate plain, static,
qmsdocs in fresh processes, one warm-up round and then `--repeat` rounds; medians.

Usage:
    python benchmarks/static_baseline.py [--pages 100 500] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate import DEFAULT_SEED
from run import HERE, _build, _compile_bytecode, _manual, _median

__all__ = ["static_variant"]


def static_variant(plain: Path, qmsdocs: Path, target: Path) -> Path:
    """Make the `static` site at `target` from the plain and qmsdocs variants' mkdocs.yml;
    returns its mkdocs.yml."""
    with tempfile.TemporaryDirectory() as tmp:
        written = Path(tmp) / "qmsdocs"
        shutil.copytree(qmsdocs.parent, written)
        subprocess.run(
            [sys.executable, "-m", "qmsdocs.cli", "generate", str(written / "mkdocs.yml")],
            check=True,
            capture_output=True,
        )
        record = json.loads((written / "docs" / ".qmsdocs-generated.json").read_text())
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(plain.parent, target)
        for name in record["files"]:  # the generated glossary takes the handwritten one's place
            (target / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(written / "docs" / name, target / "docs" / name)
    config = target / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(", plain)", ", static)", 1)
    config.write_text(text + "extra_css:\n  - assets/qmsdocs/qmsdocs.css\n", encoding="utf-8")
    return config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[100, 500])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    _compile_bytecode(log)
    rows = []
    for n in args.pages:
        configs = _manual(args.out, n, ["plain", "qmsdocs"], args.seed, log)["configs"]
        configs["static"] = static_variant(
            configs["plain"], configs["qmsdocs"], args.out / f"n{n}" / "static"
        )
        samples: dict[str, list[dict]] = {v: [] for v in ("plain", "static", "qmsdocs")}
        for round_ in range(args.repeat + 1):
            for variant, config in ((v, configs[v]) for v in samples):
                sample = _build(config, args.out / f"n{n}" / f"site-{variant}")
                if sample["returncode"] != 0:
                    raise SystemExit(f"the {variant} build failed:\n{sample['stderr']}")
                if round_:
                    samples[variant].append(sample)
                log(f"  {n} pages, round {round_} {variant:<8} {sample['wall']:6.2f} s")
        wall = {v: _median(s, "wall") for v, s in samples.items()}
        memory = {v: _median(s, "maxrss_mb") for v, s in samples.items()}
        rows.append(
            f"| {n} | {wall['plain']:.2f} | {wall['static']:.2f} | {wall['qmsdocs']:.2f} | "
            f"{wall['static'] / wall['plain']:.2f}x | {wall['qmsdocs'] / wall['static']:.2f}x | "
            f"{memory['qmsdocs'] / memory['static']:.2f}x |"
        )
    print(
        "| Pages | plain (s) | static (s) | qmsdocs (s) | static / plain | qmsdocs / static "
        "| memory: qmsdocs / static |"
    )
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
