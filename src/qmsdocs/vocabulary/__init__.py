"""The vocabulary: ISO 9000:2015 terms with our own explanations, plus an organisation's terms.

qmsdocs ships the complete term list of ISO 9000:2015 clause 3 (`iso9000-2015.yml` beside this
module): for each of the 138 entries its number, preferred term, admitted terms and group, which
are facts, and an explanation in qmsdocs' own plain words. ISO's definitions are copyrighted and
are not shipped. `load_vocabulary` loads that list and merges the organisation's glossary files.

Glossary file format
--------------------
A YAML list of entries, or a mapping with the list under `terms:` (and optionally `title:`)::

    - term: CAPA                         # required for a new term
      admitted: [corrective and preventive action]
      forms: [CAPAs]                     # extra surface forms; plurals come by default
      explanation: >                     # required for a new term; plain text
        Our register of corrective and preventive actions ...
      see: [corrective action, preventive action]

    - term: documented information       # names an ISO entry: overrides it
      ref: "ISO 9000:2015 3.8.6"         # or "3.8.6"; optional when the name is ISO's
      wording: official                  # the explanation is licensed official text
      explanation: "..."

Fields: `term` (preferred term), `ref` (citation "ISO 9000:2015 3.8.6", "3.8.6", or another
standard's term such as "ISO 19011:2018 3.1"), `admitted` (synonyms), `forms` (surface forms the
default English plural rules miss, taken literally), `explanation`, `see` (names of related
entries), `wording` (`own`, the default, or `official`). A field set to null counts as absent;
`admitted: []` clears the shipped synonyms.

Overrides
---------
An entry *overrides* a shipped ISO entry when its `ref` cites ISO 9000 (with or without
":2015") and a number of the shipped list, or, without such a `ref`, when its term or one of its
admitted terms is a preferred or admitted term of exactly one ISO entry (case-insensitive). The
fields it gives replace the shipped ones; the others, the explanation included, are inherited.
The ISO entry keeps its key (the anchor) and number; renaming it (`term: supplier` for
"provider") keeps the standard's term as an admitted term, so text using it still links.
`wording: official` marks the explanation as the licensed official definition (origin
`official`); an override in the organisation's own words keeps origin `standard`. An ISO entry
can be overridden once across all glossary files.

Any other entry *extends* the vocabulary with an organisation term (origin `organisation`, or
`official` with `wording: official`; `number`/`standard` set when `ref` cites another standard).

With `include_standard=False` the vocabulary holds only the entries the glossary files name, so a
glossary can select the ISO terms a manual uses (`- term: audit` alone inherits everything).

Findings
--------
All problems are returned together as `Finding`s with file and line: `bad-yaml`, `not-utf8`,
`file-not-found`, `empty-file` (from `qmsdocs.yamlio`), `bad-glossary` (a file or entry of the
wrong shape), `missing-field`, `bad-field` (wrong type or value), `unknown-field` (warning),
`duplicate-term` (a name, or an anchor, defined twice, across files too), `unknown-see`
(warning), `bad-term-ref`, `unknown-term-ref`, `ambiguous-override`.
"""

from __future__ import annotations

from qmsdocs.vocabulary.loader import SHIPPED_SOURCE, STANDARD, load_vocabulary
from qmsdocs.vocabulary.model import Group, Origin, Term, Vocabulary, normalise_name, slugify

__all__ = [
    "SHIPPED_SOURCE",
    "STANDARD",
    "Group",
    "Origin",
    "Term",
    "Vocabulary",
    "load_vocabulary",
    "normalise_name",
    "slugify",
]
