"""The card's figures, drawn from the published rows and the run statistics: PNG files beside the card.

Each figure is written only when its bytes change (PNG metadata carries no timestamp), so a publish
re-uploads a figure only when what it shows changed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from corpus.files import atomic_path

FIGURES_DIR = "figures"


@dataclass
class CardFigures:
    """What the figures show: counted once by the card, drawn here."""

    by_site: Counter[str] = field(default_factory=Counter)
    by_day: Counter[str] = field(default_factory=Counter)  # published_at's date; undated rows left out
    lengths: list[int] = field(default_factory=list)
    removals: Counter[str] = field(default_factory=Counter)  # "<step>: <reason>" → documents


def _save(figure: object, path: Path) -> bool:
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, metadata={"Software": None})  # type: ignore[attr-defined]
    data = buffer.getvalue()
    if path.exists() and path.read_bytes() == data:
        return False
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return True


def draw(figures: CardFigures, folder: Path) -> dict[str, str]:
    """Draw every figure into `folder`/figures/; return title → path relative to `folder`."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    drawn: dict[str, str] = {}

    def figure(name: str, title: str, draw_into: object) -> None:
        fig, axes = plt.subplots(figsize=(7, 3.6))
        draw_into(axes)  # type: ignore[operator]
        axes.set_title(title)
        fig.tight_layout()
        _save(fig, folder / FIGURES_DIR / f"{name}.png")
        plt.close(fig)
        drawn[title] = f"{FIGURES_DIR}/{name}.png"

    def sites(axes: object) -> None:
        names = sorted(figures.by_site, key=lambda site: figures.by_site[site])
        axes.barh(names, [figures.by_site[name] for name in names], color="#4c72b0")  # type: ignore[attr-defined]
        axes.set_xlabel("documents")  # type: ignore[attr-defined]

    def days(axes: object) -> None:
        dates = sorted(figures.by_day)
        axes.bar(range(len(dates)), [figures.by_day[d] for d in dates], color="#55a868")  # type: ignore[attr-defined]
        step = max(1, len(dates) // 8)
        axes.set_xticks(range(0, len(dates), step), dates[::step], rotation=30, ha="right")  # type: ignore[attr-defined]
        axes.set_ylabel("documents")  # type: ignore[attr-defined]

    def lengths(axes: object) -> None:
        axes.hist(figures.lengths, bins=40, color="#8172b2")  # type: ignore[attr-defined]
        axes.set_xlabel("characters of text")  # type: ignore[attr-defined]
        axes.set_ylabel("documents")  # type: ignore[attr-defined]

    def removals(axes: object) -> None:
        reasons = sorted(figures.removals, key=lambda reason: figures.removals[reason])
        axes.barh(reasons, [figures.removals[r] for r in reasons], color="#c44e52")  # type: ignore[attr-defined]
        axes.set_xlabel("documents removed")  # type: ignore[attr-defined]

    figure("documents_per_site", "Documents per site", sites)
    figure("documents_per_day", "Documents per day of publication", days)
    figure("length_distribution", "Length of the documents", lengths)
    figure("removals_per_step", "Removals per step and reason", removals)
    return drawn
