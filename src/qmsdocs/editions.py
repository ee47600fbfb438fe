"""The editions a manual is read against: its own (`standard`), and others it is moving to.

The plugin and the command line both load them here, so that they agree on which clause a
front matter id, a heading or a prose reference means, and on what is required.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from qmsdocs.findings import Finding, QMSDataError
from qmsdocs.standards import (
    Catalogue,
    builtin_catalogue_ids,
    load_builtin_catalogue,
    resolve_catalogue,
)
from qmsdocs.transition import Correspondence, builtin_correspondences

__all__ = ["Editions", "load_editions"]


@dataclass(frozen=True)
class Editions:
    """The manual's edition first, then the other loaded editions, and how they correspond.

    `correspondences` may involve an edition that is not loaded: it is then only used for
    hints ("10.3 was merged into 10.1 in ISO 9001:2026").
    """

    primary: Catalogue
    others: tuple[Catalogue, ...] = ()
    correspondences: tuple[Correspondence, ...] = ()

    @property
    def catalogues(self) -> tuple[Catalogue, ...]:
        return (self.primary, *self.others)

    def loaded_correspondences(self) -> list[Correspondence]:
        """Correspondences between two loaded editions (those that carry coverage)."""
        ids = {c.id for c in self.catalogues}
        return [c for c in self.correspondences if c.source.id in ids and c.target.id in ids]

    def transition(self) -> Correspondence | None:
        """The correspondence between the manual's edition and a loaded other one, if any."""
        for correspondence in self.loaded_correspondences():
            if self.primary.id in (correspondence.source.id, correspondence.target.id):
                return correspondence
        return None


def load_editions(
    standard: str,
    others: Sequence[str] = (),
    base_dir: Path | None = None,
    confirmed: Sequence[str] = (),
) -> Editions:
    """Load the manual's catalogue, the other editions, and the shipped correspondences.

    Arguments:
        standard: Built-in id or path of the manual's catalogue.
        others: Built-in ids or paths of other editions to load beside it.
        base_dir: Folder relative paths are resolved against (that of mkdocs.yml).
        confirmed: Ids of provisional catalogues the organisation has checked against the
            published text; they are no longer shown as provisional.

    Raises:
        QMSDataError: A catalogue or correspondence that cannot be used.
    """
    primary = resolve_catalogue(standard, base_dir)
    loaded = [primary]
    for spec in others:
        catalogue = resolve_catalogue(spec, base_dir)
        if catalogue.id in {c.id for c in loaded}:
            raise QMSDataError(
                [
                    Finding(
                        "duplicate-catalogue",
                        f"the catalogue '{catalogue.id}' is loaded twice",
                        spec,
                        hint="list each edition once (standard and editions)",
                    )
                ]
            )
        loaded.append(catalogue)
    loaded = [
        replace(c, provisional=False) if c.provisional and c.id in confirmed else c for c in loaded
    ]
    # For hints, an edition with a shipped correspondence may be needed even if not loaded.
    hint_only = [
        load_builtin_catalogue(i)
        for i in builtin_catalogue_ids()
        if i not in {c.id for c in loaded} and _shares_correspondence(i, primary.id)
    ]
    correspondences = builtin_correspondences([*loaded, *hint_only])
    return Editions(loaded[0], tuple(loaded[1:]), tuple(correspondences))


def _shares_correspondence(one: str, other: str) -> bool:
    folder = resources.files("qmsdocs.standards").joinpath("correspondence")
    return any(
        set(item.name[:-4].split("_")) == {one, other}
        for item in folder.iterdir()
        if item.name.endswith(".yml")
    )
