"""The fragments' templates are compiled once, and compiled anew when they change."""

from __future__ import annotations

from typing import Any

import jinja2

from qmsdocs.render import CompiledTemplates, Renderer

STATUS = "coverage-status.html"
CONTEXT: dict[str, Any] = {
    "complete": True,
    "missing": [],
    "summary": {"covered": 3, "drafted": 0, "required": 3, "not_applicable": 0, "percent": 100},
    "publish_drafts": False,
}


def _counting(renderer: Renderer) -> list[str]:
    """The names of the templates `renderer`'s environment compiles from now on."""
    compiled: list[str] = []
    original = renderer.env.compile

    def compile_(source: str, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        compiled.append(str(name))
        return original(source, name, *args, **kwargs)

    renderer.env.compile = compile_  # type: ignore[method-assign]
    return compiled


def test_a_second_environment_reuses_the_compiled_templates() -> None:
    compiled = CompiledTemplates()
    first = Renderer(jinja2.Environment(), compiled=compiled)
    first_compiles = _counting(first)
    first.render(STATUS, **CONTEXT)
    assert first_compiles == [f"qmsdocs/{STATUS}"]
    # A build makes a second environment for the generated pages, `mkdocs serve` more.
    second = Renderer(jinja2.Environment(), compiled=compiled)
    second_compiles = _counting(second)
    assert second.render(STATUS, **CONTEXT) == first.render(STATUS, **CONTEXT)
    assert second_compiles == []


def test_a_changed_template_is_compiled_anew() -> None:
    compiled = CompiledTemplates()
    for text in ("Before: {{ complete }}", "After: {{ complete }}"):
        # A site's theme overrides a fragment, and the author edits it while serving.
        theme = jinja2.Environment(loader=jinja2.DictLoader({f"qmsdocs/{STATUS}": text}))
        renderer = Renderer(theme, compiled=compiled)
        assert renderer.render(STATUS, **CONTEXT) == text.replace("{{ complete }}", "True")
