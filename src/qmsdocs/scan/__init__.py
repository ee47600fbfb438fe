"""Adopt an existing manual: which clauses does each page address? (`qmsdocs scan`)

A manual written before qmsdocs (in Markdown, or exported from Word) cites clauses in its own
way and has no `clauses:` front matter. `scan_manual` reads its pages with the recogniser the
plugin uses (`Recognizer.scan`, `cite_heading`, `iter_source_headings`) and sorts what it finds
into clauses a page appears to **address** and clauses it merely **mentions**. `write_suggestions`
then adds the addressed clauses to each page's front matter, so that `qmsdocs check` and the
build count them.

A page addresses a clause (evidence kinds, in the order the report gives them):

- **declared**: its front matter already says so (`clauses:`).
- **heading**: a heading cites the clause by the plugin's own rule (`cite_heading`):
  `## 7.5.3 Control of documented information`, `## General Requirements (9.1.1)`,
  `## Allgemeine Anforderungen (9.1.1)`, `## Clause 9.2: Internal audit`.
- **statement**: a sentence near the top of the page says what the page is for and cites the
  clause, e.g. "This template documents ... according to ISO 9001:2015 Clause 4.4",
  "Dieses Dokument ... gemäß ISO 9001:2015 Kapitel 6.2", or a labelled line
  "Reference: ISO 9001:2015, Clause 8.5" / "Referenz: ...". Near the top means before the
  first second-level heading (HTML comments included: templates keep their notes there) or in
  a section headed Purpose, Scope, Introduction, Overview, References, Zweck,
  Geltungsbereich, Anwendungsbereich, Einleitung, Überblick, Referenzen (and similar). The
  sentence must be labelled, or name the page itself ("This document/procedure/template ...",
  "Dieses Dokument/Verfahren/Template ...") and either say "according to / in accordance with
  / as required by / gemäß / entsprechend / nach ..." or name the standard. A citation of
  whole top-level clauses ("Clause 6", "clauses 4-10") is a mention: it describes the
  standard, not the page.
- **devoted**: the page is devoted to one clause: its title or its opening (what comes before
  the first heading after the title) names that clause and no other, as a reference and nothing
  more: "ISO 9001 Clause 6.2", "**ISO 9001:2015 reference:** 9.3", "> Clause 8.4 — Control of
  externally provided processes", "| Normbezug | ISO 9001:2015 Kapitel 7.5 |", an admonition
  titled "ISO 9001:2015 Clause 7.5", a front matter `title: "Clause 9.2: Internal audit"`; or
  it cites the clause in passing and the page's title is the clause's ("# Management review"
  ... "as clause 9.3 requires"). Not when the opening names several clauses, a top-level
  clause only, or another standard's clause, nor when a first- or second-level heading, a
  banner, a statement or a table row further down deals with another clause (a checklist,
  an overview); a number before the title ("7.1 Human resources") counts only when the words
  are the clause's own title and the page does not number its sections its own way
  ("1. Attendees"). To-do lines are left out. A line that a heading or a statement already
  accounts for is not counted again (see `qmsdocs.scan.devoted`).
- **table**: a row of a table on the page whose first cell is a clause number
  (`| 4.1 | Understanding the organization ... | ... |`), when the table belongs to the
  manual's standard: its header or the text above it names the standard, or it names no
  standard and its header says "Clause"/"Section"/"Kapitel"/"Requirement"... or most rows give
  the clause's own title.
- **mapping**: such a row on another page that names this page as where the clause is dealt
  with: a link to it, its number prefix (`| 4.1 | ... | 0010 | Context |` and a file
  `0010_Context_of_Organization.md`) or, when the row names no link or number, its title or
  file name (if that names one page only). A page with at least three such rows is a
  *mapping page*: it points elsewhere, so its own clause-citing headings
  ("### Clause 4: Context of the Organization") are mentions, not coverage.

Everything else that cites a clause is a **mention**: prose references anywhere, statements
that do not name the page, and headings that cite a clause but sit inside a section about
another one: a heading citing X nested under a heading citing Y, where X is neither Y, nor
above or below it, nor beside it under the same parent ("#### Customer Satisfaction (9.1.2)"
under "## Management Review Inputs (9.3.2)" is a mention, "### Customer property (8.5.3)"
under "## Identification and traceability (8.5.2)" is not), or a third-level or deeper
heading outside (neither at, above nor below) every clause the page's statements and front
matter name ("### Quality Policy (5.2)" on a page about 5.1).

Other standards. The recogniser binds a number to the standard named with it, so
"ISO 13485:2016 7.3" and rows of a table headed "ISO 13485:2016 Section" never count. A page
that names other standards (ISO 13485, IEC 62304, ...) and never the manual's own takes its
bare numbers ("clause 7.3", "(7.3)", "## Clause 7.3") to be those standards': they are neither
coverage nor mentions. Only a heading that gives the number with the manual's own clause title
("## 7.2 Competence") still counts there, as the title says which standard is meant.

How the modules share the work: `read` reads each page into `facts` (`tables` its clause
tables, `statements` its prose citations, `devoted` whether it is devoted to one clause, `text`
the helpers they share), `mapping` resolves the rows that name other pages, `headings` sorts
clause-citing headings into addresses and mentions, `suggest` works out the front matter the
build needs (its docstring gives the rule), `evidence` puts it all together into the results
of `model` (`scan_sources`), `discover` finds a manual on disk (`scan_manual`), `write` merges
the front matter into the pages (its docstring says what it keeps), and `report` prints the
result.
"""

from __future__ import annotations

from qmsdocs.scan.discover import ManualLocation, locate_manual, scan_manual
from qmsdocs.scan.evidence import scan_sources
from qmsdocs.scan.model import Evidence, PageScan, ScanResult, Suggestion
from qmsdocs.scan.report import format_report
from qmsdocs.scan.write import FrontMatterError, add_front_matter, write_suggestions
from qmsdocs.sourcefiles import PageSource, read_page

__all__ = [
    "Evidence",
    "FrontMatterError",
    "ManualLocation",
    "PageScan",
    "PageSource",
    "ScanResult",
    "Suggestion",
    "add_front_matter",
    "format_report",
    "locate_manual",
    "read_page",
    "scan_manual",
    "scan_sources",
    "write_suggestions",
]
