"""Server-side SVG bar charts for printed reports (no JavaScript). Pure Python."""

from __future__ import annotations

from html import escape

from yurd.core.formatting import format_number

WIDTH = 640
BAR_HEIGHT = 22
GAP = 6
LABEL_WIDTH = 220
VALUE_WIDTH = 70


def bar_chart_svg(labels: list[str], values: list[int | None], *, title: str, hidden_mark: str = "x") -> str:
    """Horizontal bars, one per label; a hidden (suppressed) value shows as its mark."""
    largest = max([value for value in values if value is not None] or [1]) or 1
    height = max(1, len(labels)) * (BAR_HEIGHT + GAP) + GAP
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        top = GAP + index * (BAR_HEIGHT + GAP)
        middle = top + BAR_HEIGHT / 2 + 4
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end" font-size="12">{escape(label)}</text>'
        )
        length = 0 if value is None else max(1, round(span * value / largest)) if value else 0
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{top}" width="{length}" height="{BAR_HEIGHT}" fill="#0b5cad"/>')
        shown = hidden_mark if value is None else format_number(value)
        parts.append(f'<text x="{LABEL_WIDTH + length + 6}" y="{middle}" font-size="12">{escape(shown)}</text>')
    parts.append("</svg>")
    return "".join(parts)
