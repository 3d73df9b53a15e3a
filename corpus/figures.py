"""The card's figures, drawn from the published rows and the run statistics: PNG files beside the card.

Each figure is written only when its bytes change (PNG metadata carries no timestamp), so a publish
re-uploads a figure only when what it shows changed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from corpus.files import atomic_path

FIGURES_DIR = "figures"


@dataclass
class CardFigures:
    """What the figures show: counted once by the card, drawn here."""

    by_site: Counter[str] = field(default_factory=Counter)
    by_day: Counter[str] = field(default_factory=Counter)  # published_at's date; undated rows left out
    lengths: Counter[int] = field(default_factory=Counter)  # length bin's start (characters) → documents
    removals: Counter[str] = field(default_factory=Counter)  # "<step>: <reason>" → documents
    growth: list[tuple[str, int]] = field(default_factory=list)  # (built at, rows in the dataset), per change

# past two years of publication dates, days are too thin to see: the figure counts months instead
DAYS_SHOWN_AS_DAYS = 731


def continuous_days(by_day: Counter[str]) -> list[tuple[date, int]]:
    """Documents per day from the first day to the last, days without any included (as 0), so that the
    axis is time and a gap shows; by month (the 1st standing for it) over a longer span."""
    days = sorted(date.fromisoformat(day) for day in by_day if _is_day(day))
    if not days:
        return []
    counts = Counter({date.fromisoformat(day): n for day, n in by_day.items() if _is_day(day)})
    if (days[-1] - days[0]).days < DAYS_SHOWN_AS_DAYS:
        return [(days[0] + timedelta(n), counts[days[0] + timedelta(n)]) for n in range((days[-1] - days[0]).days + 1)]
    months: Counter[date] = Counter()
    for day, n in counts.items():
        months[day.replace(day=1)] += n
    first, last = min(months), max(months)
    shown, month = [], first
    while month <= last:
        shown.append((month, months[month]))
        month = (month + timedelta(days=32)).replace(day=1)
    return shown


def _is_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


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
    from matplotlib.ticker import MaxNLocator

    drawn: dict[str, str] = {}

    def figure(name: str, title: str, draw_into: object) -> None:
        fig, axes = plt.subplots(figsize=(7, 3.6))
        draw_into(axes)  # type: ignore[operator]
        axes.set_title(title)
        fig.tight_layout()
        _save(fig, folder / FIGURES_DIR / f"{name}.png")
        plt.close(fig)
        drawn[title] = f"{FIGURES_DIR}/{name}.png"

    def counts_on(axis: object) -> None:  # documents are whole: no tick at 2.5
        axis.set_major_locator(MaxNLocator(integer=True))  # type: ignore[attr-defined]

    def sites(axes: object) -> None:
        names = sorted(figures.by_site, key=lambda site: figures.by_site[site])
        axes.barh(names, [figures.by_site[name] for name in names], color="#4c72b0")  # type: ignore[attr-defined]
        axes.set_xlabel("documents")  # type: ignore[attr-defined]
        counts_on(axes.xaxis)  # type: ignore[attr-defined]

    def days(axes: object) -> None:
        shown = continuous_days(figures.by_day)
        monthly = len(shown) > 1 and (shown[1][0] - shown[0][0]).days > 1
        axes.bar([day for day, _ in shown], [n for _, n in shown], width=27 if monthly else 1,  # type: ignore[attr-defined]
                 align="edge", color="#55a868")
        axes.set_ylabel("documents a month" if monthly else "documents a day")  # type: ignore[attr-defined]
        counts_on(axes.yaxis)  # type: ignore[attr-defined]
        axes.figure.autofmt_xdate()  # type: ignore[attr-defined]

    def growth(axes: object) -> None:
        moments = [date.fromisoformat(at[:10]) for at, _ in figures.growth]
        axes.step(moments, [rows for _, rows in figures.growth], where="post", color="#4c72b0")  # type: ignore[attr-defined]
        axes.set_ylabel("documents in the dataset")  # type: ignore[attr-defined]
        axes.set_ylim(bottom=0)  # type: ignore[attr-defined]
        counts_on(axes.yaxis)  # type: ignore[attr-defined]
        axes.figure.autofmt_xdate()  # type: ignore[attr-defined]

    def lengths(axes: object) -> None:
        starts = sorted(figures.lengths)
        axes.hist(starts, bins=40, weights=[figures.lengths[start] for start in starts],  # type: ignore[attr-defined]
                  color="#8172b2")
        axes.set_xlabel("characters of text")  # type: ignore[attr-defined]
        axes.set_ylabel("documents")  # type: ignore[attr-defined]

    def removals(axes: object) -> None:
        reasons = sorted(figures.removals, key=lambda reason: figures.removals[reason])
        axes.barh(reasons, [figures.removals[r] for r in reasons], color="#c44e52")  # type: ignore[attr-defined]
        axes.set_xlabel("documents removed")  # type: ignore[attr-defined]
        counts_on(axes.xaxis)  # type: ignore[attr-defined]

    figure("documents_per_site", "Documents per site", sites)
    figure("documents_per_day", "Documents by date of publication", days)
    figure("size_over_time", "Size of the dataset over time", growth)
    figure("length_distribution", "Length of the documents", lengths)
    figure("removals_per_step", "Removals per step and reason", removals)
    return drawn
