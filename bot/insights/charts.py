"""Server-side SVG charts as plain data: the template draws the shapes (autoescaped, no script,
no style attribute: the console's CSP allows neither). Every chart repeats a table of the page,
which stays the accessible and exact reading."""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Sequence

WIDTH = 480  # user units; the console's CSS caps a chart at 40rem, so 14px text reads at 10-19 px
TIME_HEIGHT = 200
ROW_HEIGHT = 40
LEFT = 48
BOTTOM = 28
TOP = 12
MAX_TIME_LABELS = 5


def _nice(value: float) -> float:
    """A round number at least `value` for the top of a count scale, its half a whole number too."""
    if value <= 0:
        return 2.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (2, 4, 6, 8, 10):
        if step * magnitude >= value:
            return float(step * magnitude)
    return float(10 * magnitude)


def time_bars(title: str, labels: Sequence[str], values: Sequence[float],
              fmt: Callable[[float], str]) -> Dict[str, Any]:
    """Vertical bars over time (days or weeks), a scale on the left, some labels below."""
    top = _nice(max(values, default=0))
    plot_w, plot_h = WIDTH - LEFT - 8, TIME_HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(values))
    bars: List[Dict[str, Any]] = []
    texts: List[Dict[str, Any]] = []
    every = max(1, -(-len(values) // MAX_TIME_LABELS))
    for n, (label, value) in enumerate(zip(labels, values)):
        height = plot_h * (value / top) if top else 0
        x = LEFT + n * step
        bars.append({"x": round(x + step * 0.1, 1), "y": round(TOP + plot_h - height, 1),
                     "w": round(max(1.0, step * 0.8), 1), "h": round(height, 1), "title": f"{label}: {fmt(value)}"})
        if n % every == 0:
            texts.append({"x": round(x + step / 2, 1), "y": TIME_HEIGHT - 8, "text": label, "anchor": "middle"})
    for share in (0, 0.5, 1):
        y = round(TOP + plot_h * (1 - share), 1)
        texts.append({"x": LEFT - 6, "y": y + 4, "text": fmt(top * share), "anchor": "end"})
    lines = [{"x1": LEFT, "y1": TOP + plot_h * (1 - s), "x2": WIDTH - 8, "y2": TOP + plot_h * (1 - s)}
             for s in (0, 0.5, 1)]
    return {"title": title, "width": WIDTH, "height": TIME_HEIGHT, "bars": bars, "texts": texts, "lines": lines}


def category_bars(title: str, labels: Sequence[str], values: Sequence[float],
                  fmt: Callable[[float], str]) -> Dict[str, Any]:
    """Horizontal bars, one row per category: its label above the bar, the value at its end."""
    top = max(values, default=0) or 1
    height = TOP + ROW_HEIGHT * len(values) + 4
    usable = WIDTH - 8 - 70
    bars: List[Dict[str, Any]] = []
    texts: List[Dict[str, Any]] = []
    for n, (label, value) in enumerate(zip(labels, values)):
        y = TOP + n * ROW_HEIGHT
        length = usable * value / top
        bars.append({"x": 8, "y": y + 19, "w": round(max(1.0, length), 1), "h": 14, "title": f"{label}: {fmt(value)}"})
        texts.append({"x": 8, "y": y + 14, "text": label, "anchor": "start"})
        texts.append({"x": round(8 + length + 6, 1), "y": y + 31, "text": fmt(value), "anchor": "start"})
    return {"title": title, "width": WIDTH, "height": height, "bars": bars, "texts": texts, "lines": []}
