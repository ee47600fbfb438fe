"""Clauses that several management-system standards share.

ISO's management-system standards follow one harmonized structure: ISO 9001, ISO 14001 and
ISO 45001 all have "7.5 Documented information" and "9.2 Internal audit", and an integrated
manual addresses such a clause once for all of them. Shared means more than the same number:
ISO 45001's 5 is "Leadership and worker participation", and its 6.1.2 is about hazards where
ISO 14001's is about environmental aspects.
"""

from __future__ import annotations

from qmsdocs.standards import Catalogue

__all__ = ["same_clause", "title_key"]


def title_key(catalogue: Catalogue, clause_id: str) -> tuple[str | None, ...]:
    """A clause's title and its parents', as compared across standards: a paragraph without
    a title of its own is the same paragraph only under the same headings."""
    chain = [catalogue[clause_id], *catalogue.ancestors(clause_id)]
    return tuple(" ".join(c.title.casefold().split()) if c.title else None for c in chain)


def same_clause(one: Catalogue, other: Catalogue, clause_id: str) -> bool:
    """Both standards have the clause, under the same title and the same headings above it."""
    return (
        clause_id in one
        and clause_id in other
        and title_key(one, clause_id) == title_key(other, clause_id)
    )
