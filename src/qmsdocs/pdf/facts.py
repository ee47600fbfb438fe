"""What the copy says about the manual as a whole: who, what, which revision, when.

- The organisation and the title: the plugin's `pdf:` options `organisation` and `title`;
  without them, a `site_name` of the form "Organisation - Title" (also "–", "—", "|")
  gives both, and any other `site_name` is the title.
- Revision, status and approval: the home page's `document:` block (the page at the site's
  root, `index.md`), which stands for the manual. Pages without a block of their own carry the
  manual's document id and revision in their running header.
- The date: the build's date, `SOURCE_DATE_EPOCH` when set (as the register's), else today.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from qmsdocs.pdf.site import BuiltSite

__all__ = ["CONTROLLED", "UNCONTROLLED", "Manual", "manual_facts"]

CONTROLLED = "Controlled copy"
UNCONTROLLED = "Uncontrolled when printed"

_SEPARATOR = re.compile(r"\s+[-–—|]\s+")


@dataclass(frozen=True)
class Manual:
    """The manual as the cover and the running headers name it.

    Attributes:
        organisation: Whose manual it is, if known.
        title: The manual's title.
        document: The home page's row of the document register, if it is controlled.
        date: The copy's date.
        controlled: Whether this is a controlled copy.
        site_url: The published manual, if mkdocs.yml says where it is.
        copyright: mkdocs.yml's `copyright` (HTML, as MkDocs shows it).
    """

    organisation: str | None
    title: str
    document: dict[str, Any] | None
    date: dt.date
    controlled: bool
    site_url: str | None = None
    copyright: str | None = None

    @property
    def copy_label(self) -> str:
        return CONTROLLED if self.controlled else UNCONTROLLED

    @property
    def running(self) -> str:
        """The running header of a page without a document block of its own."""
        if self.document is None:
            return self.title
        return running_header(self.document)


def running_header(row: dict[str, Any]) -> str:
    """ "QM-08-04 · Revision 5"."""
    return f"{row['id']} · Revision {row['revision']}"


def _split(site_name: str) -> tuple[str | None, str]:
    parts = _SEPARATOR.split(site_name.strip(), maxsplit=1)
    if len(parts) == 2 and all(part.strip() for part in parts):
        return parts[0].strip(), parts[1].strip()
    return None, site_name.strip()


def manual_facts(site: BuiltSite, controlled: bool) -> Manual:
    """The manual's facts from mkdocs.yml, the plugin's `pdf:` options and the home page."""
    organisation, title = _split(site.site_name)
    home = site.home
    document = next((row for row in site.register if home and row["page"] == home), None)
    return Manual(
        organisation=site.options.organisation or organisation,
        title=site.options.title or title or "Quality manual",
        document=document,
        date=site.today,
        controlled=controlled,
        site_url=site.site_url,
        copyright=site.copyright,
    )
