"""qmsdocs authoring macros for mkdocs-macros (`modules: [qmsdocs.macros]` in mkdocs.yml).

The macros live in `qmsdocs.plugin.macros`, beside the plugin they work with; this module is
the name sites use to load them.
"""

from qmsdocs.plugin.macros import QMSMacroError, define_env

__all__ = ["QMSMacroError", "define_env"]
