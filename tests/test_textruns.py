"""Unit tests of the text runs: what a recogniser reads, and where links can go."""

from __future__ import annotations

import xml.etree.ElementTree as etree

from qmsdocs.textruns import OPAQUE, Link, insert_links, iter_runs


def tree(html: str) -> etree.Element:
    return etree.fromstring(f"<div>{html}</div>")


def test_a_run_is_the_prose_of_one_block_with_code_and_links_masked() -> None:
    root = tree('<h2 id="s">T</h2><p>See <code>8.4</code> and <a href="x">9.2</a> now.</p>')
    (run,) = list(iter_runs(root))
    assert run.text == f"See {OPAQUE * 3} and {OPAQUE * 3} now."
    assert run.section == "s"


def test_abbreviations_and_readable_links_read_as_text_but_take_no_link() -> None:
    root = tree(
        '<p><abbr title="x">ISO</abbr> 9001 <a class="ours" href="g">audit</a>'
        ' <a class="theirs" href="h">plan</a>.</p>'
    )
    (run,) = list(iter_runs(root, readable_links=frozenset({"ours"})))
    assert run.text == f"ISO 9001 audit {OPAQUE * 4}."
    assert run.segment_for(3, 8) == 0  # " 9001": the tail after the abbreviation
    assert run.segment_for(0, 3) is None  # "ISO" is inside the abbreviation
    assert run.segment_for(9, 14) is None  # "audit" is inside a link already
    assert run.segment_for(3, 12) is None  # across two segments
    assert run.segment_for(14, 15) == 1  # the space after our link


def test_insert_links_keeps_every_character() -> None:
    root = tree("<p>Audits follow <em>clause 9.2</em> and clause 9.3.</p>")
    (run,) = list(iter_runs(root))
    start = run.text.index("9.3")
    inserted = insert_links(
        run, [Link(start, start + 3, "c.md#9-3", "t", "qms-clause"), Link(0, 6, "g.md", "", "")]
    )
    assert inserted == 2
    assert "".join(root.itertext()) == "Audits follow clause 9.2 and clause 9.3."
    assert [a.get("href") for a in root.iter("a")] == ["g.md", "c.md#9-3"]
