"""HTML fragments for the generated pages, from Jinja templates a site can override.

The fragments live in `qmsdocs/templates/qmsdocs/*.html`. They are looked up through the
theme's own loader first, so a site overrides one by putting a file of the same name under
`qmsdocs/` in its `custom_dir`. Output is autoescaped: text from front matter, catalogues and
glossaries can never inject markup.
"""

from __future__ import annotations

from typing import Any

import jinja2

from qmsdocs.standards import Clause

__all__ = ["Renderer"]


class Renderer:
    """Renders the fragments with the theme's Jinja environment (or a plain one in tests)."""

    def __init__(self, env: jinja2.Environment | None = None) -> None:
        package = jinja2.PackageLoader("qmsdocs", "templates")
        if env is None:
            self.env = jinja2.Environment(loader=package, autoescape=True)
        else:
            loaders: list[jinja2.BaseLoader] = [package]
            if env.loader is not None:
                loaders.insert(0, env.loader)
            self.env = env.overlay(loader=jinja2.ChoiceLoader(loaders), autoescape=True)

    def render(self, name: str, **context: Any) -> str:
        return self.env.get_template(f"qmsdocs/{name}").render(**context).strip()

    def clause_status(self, clause: Clause, referenced_by: list[dict[str, str]]) -> str:
        """What the manual says about one clause, under its heading on the clause page."""
        return self.render("clause-status.html", clause=clause, referenced_by=referenced_by)
