"""A small SVG line chart for the dashboards, with no dependency.

    line_chart([("2023/24-Q1", Decimal(312)), ("2023/24-Q2", None), ...],
               targets=[Decimal(300), None, ...], title="Reported incidents",
               chart_id="m12", period_name="Quarterly", fmt=str)

The chart is an image to assistive technology (role="img") named by its <title>
and described in words by its <desc>; the page puts the full figures in a table
beside it. Missing values leave a gap in the line; the target is a dashed step
line. Every text is escaped. No inline style: colours and fonts are SVG
presentation attributes, sizing comes from site.css (.saferhub-chart__svg), and
the viewBox lets it scale to its column.
"""

from collections.abc import Callable, Sequence
from decimal import Decimal
from math import floor, log10

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

Number = Decimal | float | int

# GOV.UK Frontend palette. The line and its points are blue (5.2:1 on white),
# the target near-black (19:1), labels near-black; gridlines are decoration.
LINE = "#1d70b8"
TARGET = "#0b0c0c"
TEXT = "#0b0c0c"
AXIS = "#505a5f"
GRID = "#b1b4b6"
WHITE = "#ffffff"

WIDTH, HEIGHT = 480, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 28, 40
FONT_SIZE = 14
FONT = f'font-family="arial, sans-serif" font-size="{FONT_SIZE}"'
MAX_X_LABELS = 6


def _default_format(value: Number) -> str:
    return f"{value:,}"


def nice_ticks(low: float, high: float, count: int = 5, whole: bool = False) -> list[float]:
    """Round tick values spanning low..high: steps of 1, 2, 2.5 or 5 times a power of
    ten (whole numbers only if `whole`)."""
    if high < low:
        low, high = high, low
    if high == low:
        spread = abs(high) / 10 or 1
        low, high = low - spread, high + spread
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** floor(log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if whole:
        step = max(1, round(step)) if step != 2.5 else 2
    first = floor(low / step) * step
    ticks: list[float] = []
    while True:
        tick = round(first + step * len(ticks), 10)
        ticks.append(tick)
        if tick >= high - step * 1e-9:
            return ticks


def _tick_text(value: float, fmt: Callable[[Number], str]) -> str:
    number = Decimal(str(value)).normalize()
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return fmt(number)


def _text_width(text: str) -> float:
    return len(text) * FONT_SIZE * 0.56


def _label_indexes(labels: Sequence[str], plot_width: float) -> list[int]:
    """Which periods get an x label: evenly spaced, always the latest, never overlapping."""
    count = len(labels)
    if not count:
        return []
    widest = max(_text_width(label) for label in labels) + 12
    fits = max(1, min(MAX_X_LABELS, int(plot_width // widest)))
    step = -(-count // fits)  # ceiling division
    return sorted(range(count - 1, -1, -step))


def describe(
    points: Sequence[tuple[str, Number | None]],
    targets: Sequence[Number | None] | None,
    period_name: str,
    fmt: Callable[[Number], str],
) -> str:
    """The chart in a few sentences, for people who cannot see it."""
    if not points:
        return "No periods to show yet."
    first, last = points[0][0], points[-1][0]
    if len(points) > 1:
        span = f"{period_name} figures from {first} to {last}"
    else:
        span = f"{period_name} figure for {first}"
    reported = [(label, value) for label, value in points if value is not None]
    if not reported:
        return f"{span}: none reported yet."
    index = max(i for i, (_, value) in enumerate(points) if value is not None)
    latest_label, latest = points[index]
    sentence = f"{span}; latest {fmt(latest)} ({latest_label})"
    target = targets[index] if targets and index < len(targets) else None
    sentence += f", target {fmt(target)}." if target is not None else ", no target."
    if len(reported) > 1:
        high = max(reported, key=lambda item: item[1])
        low = min(reported, key=lambda item: item[1])
        sentence += f" Highest {fmt(high[1])} in {high[0]}; lowest {fmt(low[1])} in {low[0]}."
    missing = len(points) - len(reported)
    if missing:
        sentence += f" {missing} period{'s have' if missing != 1 else ' has'} no figure."
    return sentence


def line_chart(
    points: Sequence[tuple[str, Number | None]],
    targets: Sequence[Number | None] | None = None,
    *,
    title: str,
    chart_id: str,
    period_name: str = "",
    fmt: Callable[[Number], str] = _default_format,
    axis_fmt: Callable[[Number], str] | None = None,
    description: str | None = None,
    whole_numbers: bool = False,
) -> SafeString:
    """SVG markup of a line chart of `points` (label, value or None), with an optional
    target per point. `chart_id` makes the title and desc ids unique on the page; `fmt`
    writes a value in the description, `axis_fmt` (default `fmt`) on the y axis;
    `whole_numbers` keeps the y axis to whole numbers (for counts)."""
    axis_fmt = axis_fmt or fmt
    targets = list(targets) if targets is not None else [None] * len(points)
    desc = description if description is not None else describe(points, targets, period_name, fmt)
    ident = escape(chart_id)
    numbers = [float(v) for _, v in points if v is not None]
    numbers += [float(t) for t in targets if t is not None]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg class="saferhub-chart__svg" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" focusable="false" '
        f'aria-labelledby="{ident}-title" aria-describedby="{ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{WHITE}"/>',
    ]
    if not numbers:
        parts.append(
            f'<text x="{WIDTH / 2:.0f}" y="{HEIGHT / 2:.0f}" text-anchor="middle" '
            f'fill="{TEXT}" {FONT}>No figures reported yet</text></svg>'
        )
        return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped

    low, high = min(numbers), max(numbers)
    if low >= 0 and low <= high * 0.5:
        low = 0.0  # counts and rates read best from zero when the data allows
    ticks = nice_ticks(low, high, whole=whole_numbers)
    y_min, y_max = ticks[0], ticks[-1]
    y_span = (y_max - y_min) or 1.0

    def y(value: Number) -> float:
        return TOP + plot_h - (float(value) - y_min) / y_span * plot_h

    count = len(points)
    step = plot_w / count
    xs = [LEFT + step * (i + 0.5) for i in range(count)]

    # Gridlines and y labels.
    for tick in ticks:
        ty = y(tick)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end" fill="{TEXT}" {FONT}>'
            f"{escape(_tick_text(tick, axis_fmt))}</text>"
        )
    # Axes.
    base = TOP + plot_h
    parts.append(
        f'<path d="M{LEFT} {TOP}V{base:.1f}H{WIDTH - RIGHT}" fill="none" '
        f'stroke="{AXIS}" stroke-width="1"/>'
    )
    # X labels: a few, evenly spaced, the latest always; kept inside the picture.
    for i in _label_indexes([label for label, _ in points], plot_w):
        half = _text_width(points[i][0]) / 2
        x = min(max(xs[i], half + 2), WIDTH - half - 2)
        parts.append(
            f'<line x1="{xs[i]:.1f}" x2="{xs[i]:.1f}" y1="{base:.1f}" y2="{base + 5:.1f}" '
            f'stroke="{AXIS}" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{base + 21:.1f}" text-anchor="middle" fill="{TEXT}" {FONT}>'
            f"{escape(points[i][0])}</text>"
        )

    # Target: a dashed step line, one step per period that has a target.
    target_path, joined = [], False
    for i, target in enumerate(targets):
        if target is None:
            joined = False
            continue
        ty = y(target)
        left, right = xs[i] - step / 2, xs[i] + step / 2
        target_path.append(f"{'L' if joined else 'M'}{left:.1f} {ty:.1f}H{right:.1f}")
        joined = True
    if target_path:
        parts.append(
            f'<path d="{"".join(target_path)}" fill="none" stroke="{TARGET}" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
        )

    # The figures: a line broken where a period has no value, and a dot on each value.
    line_path, joined, dots = [], False, []
    for i, (_, value) in enumerate(points):
        if value is None:
            joined = False
            continue
        vy = y(value)
        line_path.append(f"{'L' if joined else 'M'}{xs[i]:.1f} {vy:.1f}")
        dots.append(f'<circle cx="{xs[i]:.1f}" cy="{vy:.1f}" r="3"/>')
        joined = True
    parts.append(
        f'<path d="{"".join(line_path)}" fill="none" stroke="{LINE}" stroke-width="2.5" '
        f'stroke-linejoin="round"/><g fill="{LINE}">{"".join(dots)}</g>'
    )

    # Legend, top right.
    legend_x = WIDTH - RIGHT
    parts.append(
        f'<g {FONT} fill="{TEXT}">'
        f'<line x1="{legend_x - 150}" x2="{legend_x - 126}" y1="12" y2="12" stroke="{LINE}" '
        f'stroke-width="2.5"/><text x="{legend_x - 120}" y="16">Figure</text>'
    )
    if target_path:
        parts.append(
            f'<line x1="{legend_x - 66}" x2="{legend_x - 42}" y1="12" y2="12" stroke="{TARGET}" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{legend_x - 36}" y="16">Target</text>'
        )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
