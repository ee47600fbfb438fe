"""The README's set-up commands are the ones CI runs."""

from __future__ import annotations

import re

from .conftest import REPO


def test_ci_runs_the_readme_test_command_word_for_word() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    match = re.search(r"^TEST_COMMAND='([^']+)'$", ci, re.MULTILINE)
    assert match, ".ci/run must name the README's test command in TEST_COMMAND"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:bash|sh|console)?\n(.*?)```", readme, re.DOTALL)
    assert any(match.group(1) in block.splitlines() for block in blocks)
