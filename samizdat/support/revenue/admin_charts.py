"""Geometry for the revenue team's bar charts, drawn as inline SVG by the report templates.

No charting library and no script: the admin must work behind a block without any CDN, and an
SVG with a title, a description and the table beside it is readable by a screen reader too.
Coordinates are floats (they are pixels); the values they stand for stay integers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    series: str  # the CSS modifier that colours it
    label: str  # spoken and shown as a tooltip: "March 2026, recurring: $1,200.00"


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    values: Sequence[int]


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    rects: list[Rect] = field(default_factory=list)
    value_ticks: list[Tick] = field(default_factory=list)
    category_ticks: list[Tick] = field(default_factory=list)
    value_labels: list[Label] = field(default_factory=list)  # horizontal bars: at the bar's end
    legend: list[Series] = field(default_factory=list)
    horizontal: bool = False

    @classmethod
    def framed(
        cls, width: int, height: int, margins: tuple[int, int, int, int], **fields
    ) -> BarChart:
        """An empty chart whose plot area is `width` x `height` less the margins (left, right,
        top, bottom) left for the labels."""
        left, right, top, bottom = margins
        return cls(
            width=width,
            height=height,
            plot_left=left,
            plot_right=width - right,
            plot_top=top,
            plot_bottom=height - bottom,
            **fields,
        )

    @property
    def axis_label_x(self) -> float:
        """Where value-axis labels (vertical charts) and row labels (horizontal) end."""
        return self.plot_left - 8

    @property
    def category_label_y(self) -> float:
        """The baseline of the category labels under a vertical chart."""
        return self.plot_bottom + 20


def nice_step(maximum: float, ticks: int = 4) -> float:
    """A round gridline step (1, 2, 2.5 or 5 times a power of ten) giving about `ticks` lines."""
    if maximum <= 0:
        return 1
    raw = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * magnitude:
            return multiple * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def stacked_columns(
    categories: Sequence[str],
    series: Sequence[Series],
    format_value: Callable[[float], str],
    *,
    axis_format: Callable[[float], str] | None = None,
    width: int = 760,
    height: int = 300,
    whole_steps: bool = True,
) -> BarChart:
    """Vertical bars, one per category, each stacking the series in order from the bottom."""
    axis_format = axis_format or format_value
    left, right, top, bottom = 84, 12, 16, 32
    plot_width = width - left - right
    plot_height = height - top - bottom
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    step = nice_step(max(totals, default=0))
    if whole_steps:
        step = max(1, math.ceil(step))
    top_value = step * max(1, math.ceil(max(totals, default=0) / step))

    def y_for(value: float) -> float:
        return top + plot_height - plot_height * value / top_value

    chart = BarChart.framed(width, height, (left, right, top, bottom), legend=list(series))
    ticks = round(top_value / step)
    for index in range(ticks + 1):
        value = step * index
        chart.value_ticks.append(Tick(round(y_for(value), 2), axis_format(value)))

    band = plot_width / max(1, len(categories))
    bar_width = band * 0.62
    for index, category in enumerate(categories):
        x = left + band * index + (band - bar_width) / 2
        chart.category_ticks.append(Tick(left + band * index + band / 2, category))
        stacked = 0
        for s in series:
            value = s.values[index]
            if value <= 0:
                continue
            y_top = y_for(stacked + value)
            chart.rects.append(
                Rect(
                    x=round(x, 2),
                    y=round(y_top, 2),
                    width=round(bar_width, 2),
                    height=round(y_for(stacked) - y_top, 2),
                    series=s.key,
                    label=f"{category}, {s.label}: {format_value(value)}",
                )
            )
            stacked += value
    return chart


# The widest a character of the charts' 12px system sans-serif gets, on average, in a label
# ("W" and "Ш" are wider, "i" narrower): 7.5 keeps a label of capitals and digits inside.
LABEL_CHAR_WIDTH = 7.5


def horizontal_bars(
    rows: Sequence[tuple[str, float | None]],
    format_value: Callable[[float | None], str],
    *,
    series_key: str = "primary",
    width: int = 760,
    row_height: int = 30,
) -> BarChart:
    """One horizontal bar per row, scaled to the largest value; None draws no bar."""
    left, right, top, bottom = 220, 72, 8, 8
    height = top + bottom + row_height * max(1, len(rows))
    plot_width = width - left - right
    maximum = max((value for _label, value in rows if value), default=0)
    chart = BarChart.framed(width, height, (left, right, top, bottom), horizontal=True)
    bar_height = row_height * 0.6
    # What fits left of the bars at the chart's 12px type, so that no row label is clipped.
    fits = int((left - 8) / LABEL_CHAR_WIDTH)
    for index, (label, value) in enumerate(rows):
        y_middle = top + row_height * index + row_height / 2
        chart.category_ticks.append(
            Tick(y_middle, label if len(label) <= fits else label[: fits - 1].rstrip() + "…")
        )
        bar_length = plot_width * value / maximum if value and maximum else 0
        if bar_length:
            chart.rects.append(
                Rect(
                    x=left,
                    y=round(y_middle - bar_height / 2, 2),
                    width=round(bar_length, 2),
                    height=round(bar_height, 2),
                    series=series_key,
                    label=f"{label}: {format_value(value)}",
                )
            )
        chart.value_labels.append(
            Label(round(left + bar_length + 6, 2), round(y_middle, 2), format_value(value))
        )
    return chart
