"""Charts drawn on the server as SVG: the geometry here, the markup in ``templates/includes/``.

No JavaScript and no charting library: the numbers are written on the chart
(never colour alone), the SVG is an image with a title and a description,
and every chart has a table of the same figures next to it.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

# Sizes in CSS pixels. Text is at least 13px; a chart wider than the screen
# scrolls inside its own region rather than shrinking its text.
MARGIN = 8
COLUMN = 44  # one year
BAR_WIDTH = 26
BAR_MAX = 30  # the tallest bar (the largest count)
NUMBER_SPACE = 16  # above a bar, for its count
NAME_LINE = 19  # one line of a theme's name, above its bars
ROW_GAP = 14
AXIS = 26  # the years written above and below the chart
NAME_CHARACTERS_PER_PIXEL = 1 / 8.2  # Arial at 15px, bold: a safe average width


@dataclass
class Bar:
    year: int
    count: int
    x: float
    y: float
    height: float
    label_x: float
    label_y: float


@dataclass
class ChartRow:
    name_lines: list[tuple[float, str]]  # (y, text)
    top: float
    baseline: float
    bars: list[Bar]


@dataclass
class YearsChart:
    width: int
    height: int
    rows: list[ChartRow]
    axis_top: float
    axis_bottom: float
    columns: list[tuple[int, float, float]]  # (year, left x, centre x)
    column_width: int = COLUMN
    bar_width: int = BAR_WIDTH
    left: int = MARGIN
    right: float = 0


def years_chart(*, years: list[int], rows: list[tuple[str, list[int]]], peak: int, min_width: int = 343) -> YearsChart:
    """Small multiples: for each (name, counts per year) a row of bars, its name above it, each bar
    with its count written above it; the years along the top and the bottom. All rows share one
    scale (``peak``, the largest count), so bars compare across rows."""
    width = max(min_width, 2 * MARGIN + COLUMN * len(years))
    columns = [
        (year, MARGIN + index * COLUMN, MARGIN + index * COLUMN + COLUMN / 2) for index, year in enumerate(years)
    ]
    characters = max(20, int((width - 2 * MARGIN) * NAME_CHARACTERS_PER_PIXEL))
    y = AXIS + ROW_GAP / 2
    drawn = []
    for name, counts in rows:
        lines = textwrap.wrap(name, characters) or [name]
        top = y
        name_lines = []
        for line in lines:
            y += NAME_LINE
            name_lines.append((y - 5, line))
        baseline = y + NUMBER_SPACE + BAR_MAX
        bars = []
        for (year, _left, centre), count in zip(columns, counts, strict=True):
            if not count:
                continue
            height = max(2.0, BAR_MAX * count / peak) if peak else 0
            bars.append(
                Bar(
                    year=year,
                    count=count,
                    x=centre - BAR_WIDTH / 2,
                    y=baseline - height,
                    height=height,
                    label_x=centre,
                    label_y=baseline - height - 4,
                )
            )
        drawn.append(ChartRow(name_lines=name_lines, top=top, baseline=baseline, bars=bars))
        y = baseline + ROW_GAP
    height = int(y + AXIS)
    return YearsChart(
        width=width,
        height=height,
        rows=drawn,
        axis_top=AXIS - 8,
        axis_bottom=height - 8,
        columns=columns,
        right=width - MARGIN,
    )
