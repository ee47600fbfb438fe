"""Everything one MkDocs build knows, made afresh in `on_config` (`mkdocs serve` reuses the
plugin).

The build's state is the core's `qmsdocs.sitebuild.SiteBuild`, the same that `qmsdocs generate`
and the Markdown extension without the plugin use; `Build` adds what is MkDocs' own: the
language version of a translated site, the search index's text, and reading a page from
MkDocs' `Page`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from qmsdocs.glossary import load_site_vocabulary
from qmsdocs.markdown_ext import PageContext
from qmsdocs.plugin.config import QMSConfig
from qmsdocs.plugin.search import SearchText
from qmsdocs.plugin.sitepages import SitePages
from qmsdocs.plugin.translated import SiteVersion
from qmsdocs.sitebuild import (
    VOCABULARY_LANGUAGE,
    SetupError,
    SiteBuild,
    data_error_message,
    page_language,
    untranslated,
)

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

    from qmsdocs.readcache import ReadCache
    from qmsdocs.render import CompiledTemplates

__all__ = [
    "VOCABULARY_LANGUAGE",
    "Build",
    "data_error_message",
    "load_site_vocabulary",
    "page_language",
    "untranslated",
]


@dataclass
class Build(SiteBuild):
    """One MkDocs build's data, what it has read of the manual so far, and its verdict (see
    `SiteBuild`).

    Attributes:
        version: The language version of a translated site this build makes.
        search_text: What the search plugin indexes of the pages qmsdocs changed.
    """

    version: SiteVersion = field(default_factory=SiteVersion)
    search_text: SearchText = field(default_factory=SearchText)

    @classmethod
    def start(
        cls,
        options: QMSConfig,
        config: MkDocsConfig,
        compiled: CompiledTemplates | None = None,
        read_cache: ReadCache | None = None,
    ) -> Build:
        """Load the catalogues and the glossary, once per build; unusable data stops here.

        `compiled`, `read_cache`: the templates an earlier build of `mkdocs serve` compiled,
        and the pages it read."""
        base_dir = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        version = SiteVersion.of(config)
        language = str(version.language or config.theme.get("language") or VOCABULARY_LANGUAGE)
        try:
            build: Build = cls.create(
                options,
                base_dir=base_dir,
                docs_dir=Path(config.docs_dir),
                language=language,
                env=config.theme.get_env(),
                version=version,
                compiled=compiled,
                read_cache=read_cache,
            )
        except SetupError as error:
            raise PluginError(str(error)) from None
        return build

    def read_page(self, page: Page, files: Files) -> PageContext:
        """Read a page of the manual from its own source (another plugin may have rewritten
        the Markdown MkDocs hands over) and say how the extension renders it."""
        file = page.file
        return self.read_source(
            file.src_uri,
            lambda: file.content_string,
            meta=page.meta,
            resolve=SitePages(files).resolver(file),
            file=file,
        )
