"""Charts as PNG pictures, drawn with matplotlib's Agg canvas (no display, no pyplot state).

The caller gives every label already in the reader's language.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

LABEL_WIDTH = 28
BAR_LABEL_WIDTH = 14  # a bar's name, under it
BEFORE_COLOUR, AFTER_COLOUR, BAR_COLOUR = "#b0bec5", "#2e7d32", "#1565c0"


@dataclass(frozen=True)
class Series:
    label: str
    values: list[float]


def _wrap(label: str, width: int = LABEL_WIDTH) -> str:
    return "\n".join(textwrap.wrap(label, width, break_long_words=False)) or label


def _png(figure: object) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")  # type: ignore[attr-defined]
    return buffer.getvalue()


def before_after(
    title: str, items: list[str], before: Series, after: Series, scale_max: int
) -> bytes:
    """Horizontal bars: the mean before and after for each item."""
    from matplotlib.figure import Figure  # heavy: only when a chart is asked for

    height = 1.2 + 0.62 * len(items)
    figure = Figure(figsize=(7.5, height))
    axes = figure.add_subplot()
    positions = list(range(len(items)))
    bar = 0.38
    axes.barh(
        [p + bar / 2 for p in positions],
        before.values,
        bar,
        label=before.label,
        color=BEFORE_COLOUR,
    )
    axes.barh(
        [p - bar / 2 for p in positions], after.values, bar, label=after.label, color=AFTER_COLOUR
    )
    for position, was, now in zip(positions, before.values, after.values, strict=True):
        axes.text(now + 0.08, position - bar / 2, f"{now:.1f}", va="center", fontsize=8)
        axes.text(was + 0.08, position + bar / 2, f"{was:.1f}", va="center", fontsize=8)
    axes.set_yticks(positions, [_wrap(item) for item in items], fontsize=9)
    axes.invert_yaxis()
    axes.set_xlim(0, scale_max + 0.8)
    axes.set_title(title, fontsize=11)
    axes.legend(loc="lower right", fontsize=8)
    axes.grid(axis="x", alpha=0.3)
    return _png(figure)


@dataclass(frozen=True)
class Distribution:
    title: str
    points: Sequence[int | str]  # the scale's points, low to high; or the bars' names
    counts: list[int]
    note: str  # e.g. "mean 3.8 · median 4"


def distributions(title: str, charts: list[Distribution]) -> bytes:
    """One small bar chart per scale question (or per figure of /stats), two to a row."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    columns = 1 if len(charts) == 1 else 2
    rows = -(-len(charts) // columns)
    figure = Figure(figsize=(4.2 * columns, 2.9 * rows + 0.6))
    figure.suptitle(title, fontsize=11)
    for index, chart in enumerate(charts):
        axes = figure.add_subplot(rows, columns, index + 1)
        names = [_wrap(str(point), BAR_LABEL_WIDTH) for point in chart.points]
        axes.bar(names, chart.counts, color=BAR_COLOUR)
        axes.set_title(_wrap(chart.title), fontsize=9)
        axes.set_xlabel(chart.note, fontsize=8)
        axes.tick_params(labelsize=8)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        for point, count in enumerate(chart.counts):
            if count:
                axes.text(point, count, str(count), ha="center", va="bottom", fontsize=7)
    figure.tight_layout()
    return _png(figure)
