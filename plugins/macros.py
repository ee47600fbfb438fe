"""The example site's mkdocs-macros module: qmsdocs' authoring macros.

`mkdocs.yml` names this file (`module_name: plugins/macros`); the macros themselves live in the
installed package (`qmsdocs.macros`), so every site gets the same ones. Add macros of your own
below, in `define_env`, after calling qmsdocs' own.
"""

from __future__ import annotations

from qmsdocs.macros import QMSMacroError, define_env

__all__ = ["QMSMacroError", "define_env"]
