"""The big parts of an insights page as HTML, made in Python for speed (a year by day is thousands
of cells): every text that goes in is escaped here (markupsafe.escape), numbers are ours."""
from __future__ import annotations

from typing import Any, Dict

from markupsafe import Markup, escape

from bot.insights.tables import Table, shown


def table_body(table: Table, language: str) -> Markup:
    """The <tr> rows of `table`, each cell labelled with its column (the cards of a narrow screen)."""
    heads = [(str(escape(column.title)), str(escape(column.kind))) for column in table.columns if column.page]
    rows = []
    for row in shown(table, language):
        cells = "".join(f'<td data-label="{title}" class="k-{kind}">{escape(value)}</td>'
                        for (title, kind), value in zip(heads, row))
        rows.append(f"<tr>{cells}</tr>")
    return Markup("\n".join(rows))


def chart(spec: Dict[str, Any], table_id: str, see_table: str) -> Markup:
    """The SVG of a chart (bot/insights/charts.py) in a figure; its title says the table has the figures."""
    title_id = f"chart-{escape(table_id)}-title"
    parts = [f'<figure class="chart"><svg viewBox="0 0 {spec["width"]:g} {spec["height"]:g}" role="img" '
             f'aria-labelledby="{title_id}" focusable="false">',
             f'<title id="{title_id}">{escape(spec["title"])} ({escape(see_table)})</title>']
    parts.extend(f'<line class="grid" x1="{l["x1"]:g}" y1="{l["y1"]:g}" x2="{l["x2"]:g}" y2="{l["y2"]:g}"></line>'
                 for l in spec["lines"])
    parts.extend(f'<rect class="bar" x="{b["x"]:g}" y="{b["y"]:g}" width="{b["w"]:g}" height="{b["h"]:g}">'
                 f'<title>{escape(b["title"])}</title></rect>' for b in spec["bars"])
    parts.extend(f'<text x="{t["x"]:g}" y="{t["y"]:g}" text-anchor="{escape(t["anchor"])}">{escape(t["text"])}</text>'
                 for t in spec["texts"])
    parts.append(f'</svg><figcaption>{escape(spec["title"])}</figcaption></figure>')
    return Markup("".join(parts))
