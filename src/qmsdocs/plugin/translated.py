"""Translated sites: which language version of the site this build makes.

mkdocs-static-i18n builds a translated site as one MkDocs build per language, one after the
other, with the same plugins and the same config object: the default language at the site's
root, every other language under `<language>/`. Before its `on_files` runs (late, at priority
-100) it replaces each file of the docs folder by its own kind of file, which knows its
language and its translations ("alternates"); a file it cannot place in the docs folder, as
every generated file is, breaks it.

So qmsdocs adds its generated pages after that plugin has sorted the manual's files: in each
language's build, under that language's folder, carrying the same language details as the
files the plugin made. Every language version then has its own clause pages, coverage,
register and glossary, its pages link to those, and each version is assessed on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mkdocs.structure.files import File, InclusionLevel

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

__all__ = ["SiteVersion"]

# The name mkdocs-static-i18n registers under.
I18N_PLUGIN = "i18n"


@dataclass(frozen=True)
class SiteVersion:
    """The language version a build makes.

    Attributes:
        language: This build's language; None on a site that is not translated.
        default: The default language (built at the site's root).
        languages: Every language the site is built in, the default first.
    """

    language: str | None = None
    default: str | None = None
    languages: tuple[str, ...] = ()

    @classmethod
    def of(cls, config: MkDocsConfig) -> SiteVersion:
        plugin = config.plugins.get(I18N_PLUGIN)
        if plugin is None:
            return cls()
        default = getattr(plugin, "default_language", None)
        # None before that plugin's own on_config has run in the first build.
        current = getattr(plugin, "current_language", None) or default
        built = [str(lang) for lang in getattr(plugin, "build_languages", ()) or ()]
        languages = tuple(dict.fromkeys([str(default), *built])) if default else ()
        return cls(current, default, languages)

    @property
    def translated(self) -> bool:
        return self.language is not None

    @property
    def folder(self) -> str:
        """Where this version's files go in the site: "" for the default language."""
        if self.language is None or self.language == self.default:
            return ""
        return self.language + "/"

    @property
    def name(self) -> str:
        """How a finding names this version ("" on a site that is not translated)."""
        return f"the '{self.language}' version of the site" if self.translated else ""

    def generated(
        self,
        config: MkDocsConfig,
        src_uri: str,
        content: str,
        inclusion: InclusionLevel = InclusionLevel.UNDEFINED,
    ) -> File:
        """A generated file of this version, placed and described as the translated site's
        own files are."""
        file = File.generated(config, src_uri, content=content, inclusion=inclusion)
        if not self.translated:
            return file
        file.dest_uri = self.folder + file.dest_uri
        alternates = {}
        for language in self.languages:
            if language == self.language:
                alternates[language] = file
                continue
            other = File.generated(config, src_uri, content="")
            if language != self.default:
                other.dest_uri = f"{language}/{other.dest_uri}"
            alternates[language] = other
        # The attributes mkdocs-static-i18n gives its files and reads back (language
        # switcher, sitemap, search): a generated page exists in every language.
        details = {
            "alternates": alternates,
            "locale": self.language,
            "locale_alternate_of": self.language,
            "localization": None,
            "norm_src_uri": src_uri,
        }
        for attribute, value in details.items():
            setattr(file, attribute, value)
        return file
