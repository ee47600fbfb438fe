"""Term links only where the ISO 9000 sense is meant (`qmsdocs.senses`).

Each case is a sentence of the kind real manuals hold; what is linked is pinned, the ISO-sense
occurrences that must stay linked as much as the everyday ones that must not.
"""

from __future__ import annotations

import logging
import re
import textwrap
import time

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from qmsdocs.markdown_ext import QMSExtension
from qmsdocs.senses import TermSenses
from qmsdocs.terms import TermMatcher
from qmsdocs.vocabulary import load_vocabulary

from .conftest import write_site

VOCABULARY, _ = load_vocabulary([])
MATCHER = TermMatcher(VOCABULARY)
SENSES = TermSenses(VOCABULARY)
TERM_LINK = re.compile(r'<a class="qms-term"[^>]*>([^<]*)</a>')


def kept(text: str, senses: TermSenses = SENSES) -> list[str]:
    return [text[m.start : m.end] for m in senses.find(text, MATCHER)]


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # Verbs
        ("This page documents how we work.", []),
        ("The note taker records all questions.", []),
        ("Review each clause section before the meeting.", []),
        ("Good metrics guide us.", []),
        ("Managers must document their reasoning.", []),
        ("We audit every supplier once a year.", ["supplier"]),
        ("The aim is to review the risk.", ["risk"]),
        ("Internal auditors test awareness by asking questions.", ["auditors"]),
        ("the people who assemble, service and finally use that product", ["product"]),
        ("Record actual values, not OK.", []),
        ("Release everything together.", []),
        ("The Metrology Lead quarantines it at once.", []),
        # ... and nouns stay linked
        ("Records of training are kept for six years.", ["Records"]),
        ("The audit the team held found two gaps.", ["audit"]),
        ("Audit findings are closed within a month.", ["Audit findings"]),
        ("Parts are held until release by an inspector.", ["release"]),
        ("Items are changed only subject to review by the owner.", ["review"]),
        # Role titles and bodies
        ("Ask the Quality Manager.", []),
        ("Ask the Quality\nManager.", []),
        ("The process owner signs it.", []),
        ("The Product Owner and the Project Manager agree.", []),
        ("The Change Control Coordinator logs it.", []),
        ("Our Quality Management Representative reports.", []),
        ("The Architecture Review Board meets monthly.", []),
        # Names and titles
        ("Advanced Driver Assistance Systems are tested.", []),
        ("the Freedom of Information and Protection of Privacy Act", []),
        ("We run Information Security Management Systems (ISMS) too.", []),
        ("The Data Driven Development department owns it.", []),
        ("See ISO 9001:2015 — Quality Management Systems — Requirements.", []),
        ("Follow SOP-004 Document Control for this.", []),
        ("See the Identification and Traceability SOP.", []),
        ("Our Quality Management System covers all sites.", ["Quality Management System"]),
        ("The Quality Policy is on the wall.", ["Quality Policy"]),
        # Interface text
        ("Open Settings → General → Releases to see it.", []),
        ("Open Settings → Logs → Audit Log.", []),
        ('Set the status "In Test" when you start.', []),
        # Everyday phrases
        ("A good record with our largest customers helps.", ["customers"]),
        ("the machining strategy changed", []),
        ("The real test of a policy comes on a Friday.", ["policy"]),
        ("Likelihood times consequence: the product gives a score.", []),
        ("It is kept in the document management system.", []),
        # Terms off by default
        ("Read this guide first.", []),
        ("Close the action items and covered entities.", []),
        # Metadata block
        ("Document Owner: J. Smith\nLast Review: 2025-03-01", []),
        ("Quality policy: we make parts that fit.", ["Quality policy"]),
        # German
        ("Leitet das Management Review und prüft die Audit Ergebnisse.", []),
        # Verbs after an adverb, before "who"; -s forms are never infinitives or after "we"
        ("The committee jointly reviews the budget.", []),
        ("Supervisors formally audit the line.", []),
        ("The log records who approved it.", []),
        ("Apply it to processes in the plant and to records abroad.", ["processes", "records"]),
        ("We outsource heat treatment.", ["outsource"]),
        # Departments, offices and desks
        ("Send the form to the quality department.", []),
        ("Call the service desk if the scanner fails.", []),
        ("Engineering and quality agree the drawing.", []),
        ("Production or Quality may stop the line.", []),
        ("Quality and delivery are both scored.", ["Quality"]),
        ("The audit team meets the auditee.", ["audit team", "auditee"]),
        # Interface text: buttons, quoted titles
        ("Click Review to open the checklist.", []),
        ("The Audit tab lists every finding.", []),
        ('Take the course "Quality in the Warehouse" first.', []),
        ("The word “Quality” is used in its ISO sense.", ["Quality"]),
        ("Nothing ships before release.", ["release"]),
        ("The press release went out on Monday.", []),
        # Everyday senses
        ("Auditors must be objective and impartial.", ["Auditors"]),
        ("Each objective has an owner and a date.", ["objective"]),
        ("The camera vision system checks labels.", []),
        ("Our vision is to be the first choice of growers.", ["vision"]),
        ("Email validation rejects addresses without a domain.", []),
        ("Validation of the sterilisation process is repeated yearly.", ["Validation", "process"]),
        ("The minutes are sent for information.", []),
        ("Information is classified before it is shared.", ["Information"]),
        ("There is a strong association between late orders and complaints.", ["complaints"]),
        ("Our insurance policy covers stock in transit.", []),
        ("The colour management system drives the press.", []),
        ("Open data from the city is used for routing.", []),
        ("The night audit balances the tills.", []),
        ("Guest reviews mention the breakfast.", []),
        ("For the record, the vote was unanimous.", []),
        ("Raise a problem record in the ticket tool.", []),
        ("Data protection law applies; the data centre is in Leeds.", []),
        ("A facilities management firm cleans the offices.", []),
        ("Spray the release agent on the mould.", []),
        ("The carrier's details sit in the supplier module.", []),
        ("Ask the Quality &\nSafety Manager.", []),
        ("Open Cases › Case type: Complaint.", []),
        ("Case type: Complaint is chosen by the agent.", ["Complaint"]),
        ("- QP-12 Handling returns and product recalls", []),
        ("- QP-12 covers every product we make.", ["product"]),
        # Blocks in French and Spanish, as in German
        ("Le service à la clientèle vérifie la date et répond au client.", []),
        ("El servicio de atención revisa la queja y responde al cliente.", []),
        # A block that alternates languages sentence by sentence: only the English ones
        (
            "Notre mission est de servir nos clients avec une qualité constante. "
            "Our mission is to serve our customers with consistent quality.",
            ["mission", "customers", "quality"],
        ),
        (
            "Das Audit prüft die Wirksamkeit der Prozesse — the audit checks the processes.",
            ["audit", "processes"],
        ),
        ("Notre engagement / Our commitment", []),
        # Imperatives before an adjective, verbs before "again", after "each X"
        ("Record objective evidence for every finding.", ["objective evidence"]),
        ("Do not adjust the program and test again.", []),
        ("Each NCR records, at minimum:", []),
        ("Every supplier documents its own controls.", ["supplier"]),
        ("Each of the records is signed.", ["records"]),
        # "Quality" inside a sentence, capitalised, is the department or a name
        ("The technician raises an NC in the Quality log.", []),
        ("Parts wait for Quality to sign them off.", []),
        ("Quality is everyone's job.", ["Quality"]),
        ("The monthly quality meeting looks at every NC.", []),
        ("The visit is made by our quality technician.", []),
        ("We rate suppliers on price and quality.", ["suppliers", "quality"]),
        ('They name a department: "I\'m in inspection", "I work in quality".', []),
        ("Defects found in inspection are recorded.", ["Defects", "inspection"]),
        ("It is backed by management.", []),
        ("It is an input to the management review.", ["management", "review"]),
        # Capability is ISO's where measured
        ("Two new capabilities are switched off by default.", []),
        ("Process capability is calculated from stable data.", ["Process", "capability", "data"]),
        ("The capability study showed a Cpk of 1.67.", ["capability"]),
        # Everyday data and reviews
        ("No data loss, and the data sheet is attached.", []),
        ("App Store reviews are not complaints.", ["complaints"]),
        # Metadata: labels and short values, a label before a date
        (
            "Owner: Production Manager\nProcess: Production and service provision\n"
            "Last Review: 2026-02-03",
            [],
        ),
        ("Version 3.1 · Owner: Superintendent Pharmacist ·\nReview due: 1 September", []),
        ("Next review: 11 March 2026, 10:00.", []),
        (
            "Owner: QA\nScope: every supplier of parts, and the records we keep of them.",
            ["supplier", "records"],
        ),
        # A name that wraps onto the next line
        ("using the\nBranch Review template.", []),
        # Imperatives before a number, a service centre, traffic management, scrap metal,
        # information security
        ("Sensor mats: test two at random.", []),
        ("Units are repaired only at our service centre.", []),
        ("The traffic management procedure still applies.", ["procedure"]),
        ("The scrap metal bin is emptied weekly.", []),
        ("We talk to an information security firm.", []),
        ("Information is shared on a need-to-know basis.", ["Information"]),
    ],
)
def test_what_is_linked(text: str, linked: list[str]) -> None:
    assert kept(text) == linked


def test_a_site_switches_terms_on_and_off() -> None:
    senses = TermSenses(VOCABULARY, {"guide": True, "audit": False})
    assert kept("The guide accompanies the audit team.", senses) == ["guide", "audit team"]
    assert kept("The audit was short.", senses) == []


def test_a_site_never_links_its_phrases() -> None:
    senses = TermSenses(VOCABULARY, never=["Quality Circle", "release train"])
    assert kept("The quality circle and the Release Train met; quality matters.", senses) == [
        "quality"
    ]


def test_the_vocabulary_says_why_a_term_is_off() -> None:
    off = {t.key: t.link_note for t in VOCABULARY if not t.link}
    assert set(off) == {"activity", "guide", "object", "grade", "system"}
    assert all(note and len(note) > 40 for note in off.values())


def render(text: str) -> str:
    extension = QMSExtension(page_path="p.md")
    return markdown.markdown(textwrap.dedent(text), extensions=[extension, "attr_list"])


def test_an_author_marks_a_word_or_a_block_as_no_term() -> None:
    html = render(
        """
        The [process](not-term:) of care matters to our process.

        Quality and audit here are not terms.
        {: .qms-no-terms }

        The audit was short.
        """
    )
    assert TERM_LINK.findall(html) == ["process", "audit"]
    assert '<span class="qms-not-term">process</span>' in html


def test_a_forced_link_still_links() -> None:
    html = render("Read [this guide](term:guide) first.")
    assert TERM_LINK.findall(html) == ["this guide"]


def test_site_options_and_page_language(site) -> None:
    built = site(
        {
            "index.md": "# Home\n\nThe Quality Circle meets. Our guide shows the audit.\n",
            "page.md": "---\nqmsdocs:\n  not_terms: [audit]\n---\n\n# P\n\nThe audit ends.\n",
            "de/seite.md": "# Seite\n\nThe audit of the process.\n",
            "other.de.md": "# Andere\n\nThe audit of the process.\n",
        },
        plugins=[
            "search",
            {"qmsdocs": {"term_links": {"guide": True}, "not_terms": ["Quality Circle"]}},
        ],
    )
    assert TERM_LINK.findall(built.page("index.md")) == ["guide", "audit"]
    assert TERM_LINK.findall(built.page("page.md")) == []
    assert TERM_LINK.findall(built.page("de/seite.md")) == []
    assert TERM_LINK.findall(built.page("other.de.md")) == []
    glossary = built.page("glossary.md")
    entries = {
        m.group(1): m.group(2)
        for m in re.finditer(r'data-term="([^"]+)">(.*?)</div>', glossary, re.DOTALL)
    }
    assert "Not linked" not in entries["guide"]  # switched on by the site
    assert "Not linked</span> Not linked in prose by default" in entries["object"]


def test_an_unknown_term_in_term_links_stops_the_build(tmp_path, caplog) -> None:
    config = write_site(
        tmp_path,
        {"index.md": "# Home\n"},
        plugins=[{"qmsdocs": {"term_links": {"guidance": True}}}],
    )
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build(load_config(str(config)))
    assert "term_links: 'guidance' is no term of the glossary (did you mean 'guide'?)" in (
        caplog.text
    )


def test_a_glossary_in_another_language_links_on_pages_in_it(tmp_path) -> None:
    glossary = tmp_path / "glossary"
    glossary.mkdir()
    (glossary / "de.yml").write_text(
        "language: de\nterms:\n"
        "  - term: Prozesslandkarte\n"
        "    explanation: Unsere Übersicht aller Prozesse und wie sie zusammenhängen.\n",
        encoding="utf-8",
    )
    config = write_site(
        tmp_path,
        {
            "index.md": "# Home\n\nThe audit uses the Prozesslandkarte.\n",
            "de/index.md": "# Start\n\nDas Audit nutzt die Prozesslandkarte.\n",
        },
    )
    build(load_config(str(config)))
    site = tmp_path / "site"
    english = (site / "index.html").read_text(encoding="utf-8")
    german = (site / "de" / "index.html").read_text(encoding="utf-8")
    assert TERM_LINK.findall(english[english.index("<article") :]) == ["audit"]
    assert TERM_LINK.findall(german[german.index("<article") :]) == ["Prozesslandkarte"]


def test_a_bad_glossary_language_is_reported_with_its_line(tmp_path) -> None:
    path = tmp_path / "g.yml"
    path.write_text("language: German\nterms: []\n", encoding="utf-8")
    _vocabulary, findings = load_vocabulary([path])
    assert [(f.code, f.line) for f in findings] == [("bad-field", 1)]


_PIECES = [
    "the",
    "Quality",
    "Manager",
    "records",
    "all",
    "audit",
    "→",
    "Settings",
    ":",
    "\n",
    "ISO 9001:2015 —",
    "SOP-004",
    "Review",
    "of",
    "and",
    ",",
    "guide",
    "we",
    "to",
    "release",
    "Release",
    "die",
    "und",
    "Data",
    "process",
    "owner",
    '"In',
    'Test"',
    "status",
    "  ",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40), st.text(max_size=40))
def test_any_text_gives_ordered_separate_occurrences(pieces: list[str], noise: str) -> None:
    text = " ".join(pieces) + noise
    found = SENSES.find(text, MATCHER)
    bare = {(m.start, m.end, m.key) for m in MATCHER.find_all(text)}
    for previous, match in zip([None, *found], found, strict=False):
        assert 0 <= match.start < match.end <= len(text)
        assert previous is None or previous.end <= match.start
        assert (match.start, match.end, match.key) in bare


def test_long_hostile_text_is_read_in_one_pass() -> None:
    text = ("Quality Manager → Audit Log: " * 20_000) + ("records all " * 20_000)
    started = time.perf_counter()
    SENSES.find(text, MATCHER)
    # Generous: a quadratic reading of this megabyte would take minutes.
    assert time.perf_counter() - started < 10
