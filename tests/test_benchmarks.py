"""The benchmark suite keeps working: a small smoke run of the generator and the runner.

No timing is asserted here (timings belong to `python benchmarks/run.py`); only that the
generated manual builds with and without qmsdocs, passes qmsdocs' gate, and that the report
has the rows it should. A second test keeps the recogniser's fast trigger search equal to the
plain one it replaces.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import random
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from qmsdocs import references
from qmsdocs.references import Recognizer
from qmsdocs.standards import builtin_catalogue_ids, load_builtin_catalogue

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _load(name: str) -> ModuleType:
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))  # run.py imports its siblings by name
    spec = importlib.util.spec_from_file_location(f"qmsdocs_benchmarks_{name}", BENCHMARKS / name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_generator_is_deterministic_and_realistic(tmp_path: Path) -> None:
    generate = _load("generate.py")
    first = generate.generate(tmp_path / "a", 10, ["plain", "qmsdocs"])
    second = generate.generate(tmp_path / "b", 10, ["plain", "qmsdocs"])
    pages = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.md"))
    assert len(pages) == 21  # 10 pages in each variant, and the plain manual's own glossary
    for page in pages:
        assert (tmp_path / "a" / page).read_text() == (tmp_path / "b" / page).read_text()
    assert first.words_per_page == second.words_per_page
    assert 1000 <= first.words_per_page <= 1500
    assert 30 <= first.term_occurrences_per_page <= 50
    assert first.clause_references_per_page >= 5
    # The baseline: the same manual with a glossary page of its own, written by hand.
    glossary = (tmp_path / "a" / "plain" / "docs" / "glossary.md").read_text()
    assert glossary.startswith("# Glossary") and glossary.count("\n:   ") >= 130
    assert not (tmp_path / "a" / "qmsdocs" / "docs" / "glossary.md").exists()
    scope = (tmp_path / "a" / "qmsdocs" / "docs" / "manual" / "scope.md").read_text()
    assert 'not_applicable:\n  "8.3":' in scope
    config = (tmp_path / "a" / "qmsdocs" / "mkdocs.yml").read_text()
    assert "  - qmsdocs" in config and "content.tooltips" in config
    assert (
        "qmsdocs" not in (tmp_path / "a" / "plain" / "mkdocs.yml").read_text().split("plugins:")[1]
    )


def test_runner_smoke(tmp_path: Path) -> None:
    run = _load("run.py")
    results = run.run(
        pages=[10],
        repeat=1,
        variants=["plain", "qmsdocs"],
        check_pages=[10],
        phase_pages=[10],
        adversarial_mb=[0.01, 0.02],
        serve_pages=[10],
        serve_rebuilds=1,
        startup_pages=3,
        startup_rounds=1,
        out=tmp_path / "out",
        log=lambda _message: None,
    )
    serve = results["serve"]["10"]
    assert len(serve["plain"]["samples"]) == 2 and serve["qmsdocs"]["median"] > 0
    builds = results["builds"]["10"]
    assert set(builds) == {"plain", "qmsdocs"}
    for figures in builds.values():
        assert figures["wall"] > 0 and figures["cpu"] > 0 and figures["maxrss_mb"] > 0
        assert len(figures["samples"]) == 1
    assert builds["plain"]["wall_ratio"] == 1.0
    # The qmsdocs build passed the gate and generated its pages and exports.
    site = tmp_path / "out" / "n10" / "site-qmsdocs"
    assert (site / "coverage.json").exists() and (site / "glossary" / "index.html").exists()
    page = (site / "part-01" / "page-0005" / "index.html").read_text()
    assert 'class="qms-term"' in page and 'class="qms-clause"' in page
    assert not (tmp_path / "out" / "n10" / "site-plain" / "coverage.json").exists()
    assert results["check"]["10"]["wall"] > 0
    phases = results["phases"]["10"]
    assert phases["manual_pages"] == 10 and phases["generated_pages"] > 0
    assert phases["phases"]["link.prose"] > 0 and phases["phases"]["link.targets"] > 0
    assert {row["kind"] for row in results["adversarial"]} >= {"prose", "section-signs"}
    startup = results["startup"]["median"]
    assert 0 < startup["imports"] < startup["startup"] < startup["build"]
    assert startup["data"] > 0

    text = run.report(results)
    assert "/tmp" not in text and str(tmp_path) not in text  # no machine paths
    for heading in (
        "## Builds",
        "## `qmsdocs check`",
        "## qmsdocs' own phases",
        "## Linear time on hostile text",
        "## Start-up on a 3-page manual",
        "## Targets",
    ):
        assert heading in text
    plain_row = r"^\| 10 \| plain \| [\d.]+ \| [\d.]+ \| \d+ \| 1\.00x \| 1\.00x \|"
    assert re.search(plain_row, text, re.M)
    assert re.search(r"^\| 10 \| qmsdocs \| [\d.]+ \| [\d.]+ \| \d+ \| [\d.]+x \|", text, re.M)
    assert re.search(r"^\| linking: clause references and terms \(", text, re.M)
    assert re.search(r"^\| section-signs \|", text, re.M)
    assert re.search(r"^\| `mkdocs serve` rebuild after saving a page, 10 pages", text, re.M)
    assert re.search(r"^\| start-up on a 3-page manual .* \| [\d.]+ s \| (met|NOT met)", text, re.M)
    # The report can be written again from the JSON, without measuring.
    saved, again = tmp_path / "results.json", tmp_path / "again.md"
    saved.write_text(json.dumps(results), encoding="utf-8")
    assert run.main(["--from-json", str(saved), "--results", str(again)]) == 0
    assert again.read_text(encoding="utf-8") == text


def test_static_baseline_builds_the_generated_pages_without_qmsdocs(tmp_path: Path) -> None:
    generate = _load("generate.py")
    static = _load("static_baseline.py")
    manual = generate.generate(tmp_path / "n10", 10, ["plain", "qmsdocs"])
    config = static.static_variant(
        manual.variants["plain"], manual.variants["qmsdocs"], tmp_path / "n10" / "static"
    )
    docs = config.parent / "docs"
    assert (docs / "clauses" / "iso9001-2015" / "8.md").exists()
    assert "qmsdocs" not in config.read_text().split("plugins:")[1].split("markdown_extensions")[0]
    # qmsdocs' glossary takes the place of the handwritten one.
    assert "qmsdocs_generated: glossary" in (docs / "glossary.md").read_text()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (config.parent / "site" / "coverage" / "index.html").exists()


# The recogniser looks for triggers only where `_CANDIDATE_RE` says one can start. This checks
# that the shortcut finds exactly what searching with `_TRIGGER_RE` at every position finds, on
# text made of every word of the trigger patterns, so that a keyword or designation added to
# them without a matching candidate character fails here.


def _reference_scan(recognizer: Recognizer, text: str) -> list[references.Citation]:
    """Recognizer.scan trying _TRIGGER_RE at every position (sentence ends aside)."""
    shortcut = references._CANDIDATE_RE
    try:
        references._CANDIDATE_RE = re.compile(r"[^.!?;:\n]")
        return recognizer.scan(text)
    finally:
        references._CANDIDATE_RE = shortcut


def _corpus(rng: random.Random) -> list[str]:
    sources = " ".join(
        [
            references._DESIGNATION,
            references._REGULATION,
            references._EXPLICIT_KEYWORDS,
            references._TENTATIVE_KEYWORDS,
            references._AFTER_DESIGNATION_KEYWORDS,
        ]
    )
    words = sorted(set(re.findall(r"[A-Za-zÄÖÜäöüß]+", sources)))
    pieces = [
        *words,
        *(w.lower() for w in words),
        *(w.upper() for w in words),
        *(w.title() for w in words),
    ]
    pieces += ["ISO 9001:2015", "ISO 13485:2016", "EN ISO 9001", "21 CFR", "(EU) 2017/745"]
    pieces += [
        "§",
        "§§",
        "sub-clause",
        "ſub-clause",
        "ſubclauses",
        "7.5.3",
        "8.4",
        "4",
        "10",
        "A.4",
        "A",
        "4.2.1 b)",
    ]
    pieces += ["5.1 - 5.3", "7.5.2–7.5.3", "and", "to", "of the", "Abs. 1", ". ", "; ", "\n", ","]
    # Each piece right before a clause number, then random mixtures.
    texts = [f"{piece} {number}" for piece in pieces for number in ("7.5.3", "4", "A.4")]
    texts += [f"{piece} requires, in clause 7.5.3, more" for piece in pieces]
    texts += [f"{piece} EN ISO 9001 7.5.3" for piece in pieces]
    for _ in range(3000):
        count = rng.randrange(1, 12)
        texts.append(
            "".join(rng.choice(pieces) + rng.choice([" ", "", "\n", ", "]) for _ in range(count))
        )
    return texts


@pytest.mark.parametrize("seed", [1, 2])
def test_fast_trigger_search_finds_what_the_plain_search_finds(seed: int) -> None:
    recognizer = Recognizer([load_builtin_catalogue(i) for i in builtin_catalogue_ids()])
    for text in _corpus(random.Random(seed)):
        fast = [dataclasses.astuple(c) for c in recognizer.scan(text)]
        plain = [dataclasses.astuple(c) for c in _reference_scan(recognizer, text)]
        assert fast == plain, text
