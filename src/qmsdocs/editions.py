"""The standards a manual is read against: the ones it claims, and editions it is moving to.

A manual claims one standard (`standard:`), or several in an integrated management system
(`standards:` - ISO 9001, ISO 14001 and ISO 45001 together): each claimed standard is gated.
Other editions (`editions:`) are loaded during a transition, gated only on request.
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
    """The manual's first standard, then the other loaded catalogues, and how they correspond.

    `correspondences` may involve an edition that is not loaded: it is then only used for
    hints ("10.3 was merged into 10.1 in ISO 9001:2026").
    `claimed`: ids of the catalogues in `others` that the manual claims as well (an
    integrated management system); they are gated like the first. The rest of `others` are
    editions loaded for a transition.
    """

    primary: Catalogue
    others: tuple[Catalogue, ...] = ()
    correspondences: tuple[Correspondence, ...] = ()
    claimed: tuple[str, ...] = ()

    @property
    def standards(self) -> tuple[Catalogue, ...]:
        """The catalogues the manual claims, the first one first."""
        return (self.primary, *(c for c in self.others if c.id in self.claimed))

    @property
    def several(self) -> bool:
        """The manual claims more than one standard (findings then name the standard)."""
        return bool(self.claimed)

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
    standard: str | Sequence[str],
    others: Sequence[str] = (),
    base_dir: Path | None = None,
    confirmed: Sequence[str] = (),
) -> Editions:
    """Load the manual's catalogues, the other editions, and the shipped correspondences.

    Arguments:
        standard: Built-in id or path of the manual's catalogue, or of each catalogue it
            claims, the first (the default for unqualified clause ids) first.
        others: Built-in ids or paths of other editions to load beside them.
        base_dir: Folder relative paths are resolved against (that of mkdocs.yml).
        confirmed: Ids of provisional catalogues the organisation has checked against the
            published text; they are no longer shown as provisional.

    Raises:
        QMSDataError: A catalogue or correspondence that cannot be used.
    """
    claimed = [standard] if isinstance(standard, str) else list(standard)
    primary = resolve_catalogue(claimed[0], base_dir)
    loaded = [primary]
    claimed_ids = []
    for index, spec in enumerate([*claimed[1:], *others]):
        catalogue = resolve_catalogue(spec, base_dir)
        if catalogue.id in {c.id for c in loaded}:
            raise QMSDataError(
                [
                    Finding(
                        "duplicate-catalogue",
                        f"the catalogue '{catalogue.id}' is loaded twice",
                        spec,
                        hint="list each standard and edition once (standards and editions)",
                    )
                ]
            )
        loaded.append(catalogue)
        if index < len(claimed) - 1:
            claimed_ids.append(catalogue.id)
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
    return Editions(loaded[0], tuple(loaded[1:]), tuple(correspondences), tuple(claimed_ids))


def _shares_correspondence(one: str, other: str) -> bool:
    folder = resources.files("qmsdocs.standards").joinpath("correspondence")
    return any(
        set(item.name[:-4].split("_")) == {one, other}
        for item in folder.iterdir()
        if item.name.endswith(".yml")
    )
