"""Charts for the nulägesanalys, one module for the web page and the report.

Each function returns a `Chart` with an SVG (inlined in HTML and PDF; text stays real text) and a PNG (for
DOCX), an accessible title and description, and the source line. matplotlib is imported lazily (it is slow
to import and most requests never draw) and always with the Agg backend; figures are built with the
object API, never pyplot, so no global figure state leaks between requests.

Output is deterministic (fixed SVG id salt, no dates in metadata): the same data gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from trygg.documents.model import Figure as DocumentFigure
from trygg.documents.svg import presentation_attributes

from .analysis import ShareEstimate, format_number, format_share

SOURCE_BRA = "Källa: Brå"
SOURCE_NTU = "Källa: Brå, Nationella trygghetsundersökningen (NTU)"

# Okabe–Ito: distinguishable with the common colour-vision deficiencies and in grey print.
PALETTE = ["#0072B2", "#000000", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9"]
BAR_PALETTE = [c for c in PALETTE if c != "#000000"]  # black bars would hide their error bars
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
LINESTYLES = ["-", "--", "-.", ":", "-", "--", "-."]

WIDTH_IN = 6.3  # 16 cm: the text width of an A4 page with normal margins
HEIGHT_IN = 3.6
PNG_DPI = 200  # 1 260 px wide: sharp in Word at full text width

_STYLE = {
    "svg.fonttype": "none",  # text as <text>: searchable, selectable, read by screen readers
    "svg.hashsalt": "trygg-charts",  # stable clip-path ids, so identical data gives identical SVG
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial"],
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "grid.color": "#d9d9d9",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "axes.unicode_minus": True,
}

SeriesPoint = tuple[int, float | None]


@dataclass(frozen=True)
class Chart:
    title: str
    description: str  # the accessible text alternative: what is shown and the latest values
    source: str
    svg: str
    png: bytes

    def to_figure(self, caption: str | None = None) -> DocumentFigure:
        """The chart as a block of the document model (caption defaults to the title).

        The source line is drawn inside the chart (it stays with the picture when it is copied), so the
        figure's own source is left empty, or the renderers would print it a second time; the text
        alternative ends with the source instead, for screen readers and the DOCX alt text."""
        return DocumentFigure(
            svg=self.svg,
            png=self.png,
            caption=caption or self.title,
            alt=f"{self.description} {self.source}".strip(),
            source="",
        )


# --- Public chart functions ---------------------------------------------------------------------------


def line_chart_rates(
    series: Mapping[str, Sequence[SeriesPoint]],
    title: str = "Anmälda brott per 100 000 invånare",
    ylabel: str = "Anmälda brott per 100 000 invånare",
    source: str = SOURCE_BRA,
    description: str | None = None,
) -> Chart:
    """Kommun against riket (or any regions) per 100 000 inhabitants over years; one line each."""
    data = _clean_series(series)
    description = description or _describe("Linjediagram", ylabel, data, joiner="jämfört med")

    def draw(ax, i: int, label: str, points) -> None:
        ax.plot(*_xy(points), label=label, **_line_style(i))

    return _chart(data, draw, title, ylabel, source, description)


def category_counts_chart(
    series: Mapping[str, Sequence[SeriesPoint]],
    title: str = "Anmälda brott per brottskategori",
    ylabel: str = "Antal anmälda brott",
    source: str = SOURCE_BRA,
    description: str | None = None,
) -> Chart:
    """Reported crimes per category over years; one line per category (lines stay readable for 5+)."""
    data = _clean_series(series)
    description = description or _describe("Linjediagram", ylabel, data, per="brottskategori")

    def draw(ax, i: int, label: str, points) -> None:
        ax.plot(*_xy(points), label=label, **_line_style(i, emphasise_first=False))

    return _chart(data, draw, title, ylabel, source, description, legend_columns=2 if len(data) > 3 else 0)


def ntu_chart(
    series: Mapping[str, Sequence[tuple]],
    title: str = "Otrygghet vid utevistelse sent på kvällen i det egna bostadsområdet",
    ylabel: str = "Andel (%)",
    source: str = SOURCE_NTU,
    description: str | None = None,
) -> Chart:
    """NTU shares over years for kommun / polisregion / riket, with confidence intervals as error bars.

    Points are (year, ShareEstimate), (year, value) or (year, value, low, high); None for a missing year.
    """
    data = _clean_shares(series)
    description = description or _describe_shares("Linjediagram med felmarginaler", ylabel, data)
    width = 0.5 / len(data)  # dodged, so that one region's interval never hides another's

    def draw(ax, i: int, label: str, points) -> None:
        xs, values = _dodged(points, i, len(data), width)
        style = _line_style(i)
        ax.errorbar(xs, values, yerr=_yerr(points), label=label, capsize=2.5, elinewidth=0.9, **style)

    return _chart(data, draw, title, ylabel, source, description, percent=True)


def ntu_gender_chart(
    series: Mapping[str, Sequence[tuple]],
    title: str = "Otrygghet vid utevistelse sent på kvällen, efter kön",
    ylabel: str = "Andel (%)",
    source: str = SOURCE_NTU,
    description: str | None = None,
) -> Chart:
    """NTU shares by gender (e.g. "Samtliga", "Kvinnor", "Män") as grouped bars per year with intervals."""
    data = _clean_shares(series)
    description = description or _describe_shares("Stapeldiagram med felmarginaler", ylabel, data)
    width = 0.8 / len(data)
    error_style = {"elinewidth": 0.8, "ecolor": "#333333"}

    def draw(ax, i: int, label: str, points) -> None:
        xs, values = _dodged(points, i, len(data), width)
        color = BAR_PALETTE[i % len(BAR_PALETTE)]
        ax.bar(
            xs,
            values,
            width=width * 0.92,
            yerr=_yerr(points),
            capsize=2,
            color=color,
            label=label,
            error_kw=error_style,
        )

    return _chart(data, draw, title, ylabel, source, description, percent=True)


def _chart(
    data,
    draw,
    title: str,
    ylabel: str,
    source: str,
    description: str,
    *,
    percent: bool = False,
    legend_columns: int = 0,
) -> Chart:
    with _rc():
        fig, ax = _new_figure(title)
        for i, (label, points) in enumerate(data.items()):
            draw(ax, i, label, points)
        _finish_axes(ax, _years(data), ylabel, percent=percent)
        return _render(fig, title, description, source, legend_columns=legend_columns or len(data))


# --- Data preparation ---------------------------------------------------------------------------------


def _check_not_empty(data: Mapping[str, Sequence]) -> None:
    if not data or not any(points for points in data.values()):
        raise ValueError("Diagrammet saknar data: ange minst en serie med minst ett år.")


def _clean_series(series: Mapping[str, Sequence[SeriesPoint]]) -> dict[str, list[tuple[int, float]]]:
    data = {
        label: sorted((int(year), math.nan if value is None else float(value)) for year, value in points)
        for label, points in series.items()
    }
    _check_not_empty(data)
    return data


def _clean_shares(series: Mapping[str, Sequence[tuple]]) -> dict[str, list[tuple[int, ShareEstimate | None]]]:
    data = {label: _share_points(points, label) for label, points in series.items()}
    _check_not_empty(data)
    return data


def _dodged(points: list[tuple[int, ShareEstimate | None]], i: int, n: int, width: float):
    offset = (i - (n - 1) / 2) * width
    return [year + offset for year, _ in points], [_value(share) for _, share in points]


def _share_points(points: Sequence[tuple], label: str) -> list[tuple[int, ShareEstimate | None]]:
    out = []
    for point in points:
        year, rest = int(point[0]), point[1:]
        if len(rest) == 1 and (rest[0] is None or isinstance(rest[0], ShareEstimate)):
            share = rest[0]
        elif len(rest) == 1:
            share = ShareEstimate(float(rest[0]), float(rest[0]), float(rest[0]))
        elif len(rest) == 3:
            share = None if rest[0] is None else ShareEstimate(*(float(x) for x in rest))
        else:
            raise ValueError(f"Ogiltig punkt i serien {label}: {point!r} (ange år, andel, nedre, övre).")
        out.append((year, share))
    return sorted(out, key=lambda item: item[0])


def _value(share: ShareEstimate | None) -> float:
    return math.nan if share is None else share.value


def _yerr(points: list[tuple[int, ShareEstimate | None]]) -> list[list[float]]:
    below = [0.0 if s is None else s.value - s.low for _, s in points]
    above = [0.0 if s is None else s.high - s.value for _, s in points]
    return [below, above]


def _xy(points: list[tuple[int, float]]) -> tuple[list[int], list[float]]:
    return [year for year, _ in points], [value for _, value in points]


def _years(data: Mapping[str, Sequence[tuple]]) -> list[int]:
    return sorted({point[0] for points in data.values() for point in points})


# --- Description (the accessible text alternative) ----------------------------------------------------


def _span(years: list[int]) -> str:
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"


def _join(labels: list[str], joiner: str = "och") -> str:
    if len(labels) <= 1:
        return "".join(labels)
    if joiner != "och" and len(labels) == 2:
        return f"{labels[0]} {joiner} {labels[1]}"
    return ", ".join(labels[:-1]) + f" och {labels[-1]}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _latest(points: Sequence[tuple[int, object]]) -> tuple[int, object] | None:
    present = [
        (year, v) for year, v in points if v is not None and not (isinstance(v, float) and math.isnan(v))
    ]
    return present[-1] if present else None


def _describe(
    kind: str, measure: str, data: Mapping[str, list[tuple[int, float]]], joiner: str = "och", per: str = ""
) -> str:
    what = _lower_first(measure) + (f" per {per}" if per else "")
    text = f"{kind}: {what} {_span(_years(data))}"
    if not per:
        text += f", {_join(list(data), joiner)}"
    latest = []
    for label, points in data.items():
        point = _latest(points)
        if point:
            decimals = 0 if abs(point[1]) >= 100 else 1
            latest.append(f"{label} {point[0]}: {format_number(point[1], decimals)}")
    return f"{text}. " + "; ".join(latest) + "." if latest else f"{text}."


def _describe_shares(
    kind: str, measure: str, data: Mapping[str, list[tuple[int, ShareEstimate | None]]]
) -> str:
    text = f"{kind}: {_lower_first(measure)} {_span(_years(data))}, {_join(list(data))}"
    latest = []
    for label, points in data.items():
        point = _latest(points)
        if point:
            share = point[1]
            interval = ""
            if share.high > share.low:
                interval = f" (felmarginal {format_share(share.low)}–{format_share(share.high)})"
            # A pooled value is read as its years ("2022–2023"), never as one year.
            latest.append(f"{label} {share.label(point[0])}: {format_share(share.value)} procent{interval}")
    return f"{text}. " + "; ".join(latest) + "." if latest else f"{text}."


# --- Drawing ------------------------------------------------------------------------------------------


def _matplotlib():
    import matplotlib

    matplotlib.use("Agg")
    return matplotlib


def _rc():
    """All drawing and saving happens inside this: matplotlib reads its settings when artists are made."""
    return _matplotlib().rc_context(_STYLE)


def _new_figure(title: str):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), layout="constrained")
    ax = fig.add_subplot()
    ax.set_title(title, wrap=True)
    return fig, ax


def _line_style(i: int, emphasise_first: bool = True) -> dict:
    return {
        "color": PALETTE[i % len(PALETTE)],
        "marker": MARKERS[i % len(MARKERS)],
        "linestyle": LINESTYLES[i % len(LINESTYLES)],
        "linewidth": 2.2 if emphasise_first and i == 0 else 1.5,
        "markersize": 4,
    }


def _finish_axes(ax, years: list[int], ylabel: str, percent: bool = False) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.set_ylabel(ylabel)
    if len(years) <= 12:
        ax.set_xticks(years, [str(y) for y in years])  # years are never written "2 023"
    else:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: str(int(x))))
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    high = ax.get_ylim()[1]
    # From zero, so that a change is never drawn bigger than it is.
    ax.set_ylim(0, min(100.0, high * 1.1) if percent and high <= 100 else (high * 1.05 if high > 0 else 1))

    def swedish(value: float, _pos) -> str:
        ticks = ax.yaxis.get_majorticklocs()
        step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1
        return format_number(value, 0 if step >= 1 else 1)

    ax.yaxis.set_major_formatter(FuncFormatter(swedish))
    ax.tick_params(axis="x", length=0)


def _render(fig, title: str, description: str, source: str, legend_columns: int) -> Chart:
    ax = fig.axes[0]
    handles, labels = ax.get_legend_handles_labels()
    if len(labels) > 1:
        # Below the axes (part of the axes' bounding box, so the layout keeps room for it).
        ax.legend(
            handles,
            labels,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.09),
            ncols=max(1, min(legend_columns, 4)),
        )
    # As the figure's x label, so that the layout engine keeps room for it below the legend.
    fig.supxlabel(source, x=0.005, ha="left", fontsize=8, color="#333333")
    svg_buffer = io.StringIO()
    fig.savefig(svg_buffer, format="svg", metadata={"Date": None, "Creator": None})
    fig.set_layout_engine("none")  # laid out once while saving the SVG; the PNG reuses that layout
    png_buffer = io.BytesIO()
    fig.savefig(png_buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
    svg = _accessible_svg(svg_buffer.getvalue(), title, description)
    return Chart(title=title, description=description, source=source, svg=svg, png=png_buffer.getvalue())


_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)  # XML declaration, DOCTYPE and comments
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


def _accessible_svg(svg: str, title: str, description: str) -> str:
    """A bare <svg> element (ready to inline) with <title>, <desc>, role="img" and aria-labelledby, and no
    CSS: matplotlib's style attributes and <style> element become presentation attributes, which a
    Content-Security-Policy without 'unsafe-inline' lets through."""
    svg = presentation_attributes(_METADATA.sub("", _PROLOGUE.sub("", svg, count=1), count=1))
    key = hashlib.sha256(f"{title}\n{description}".encode()).hexdigest()[:10]
    title_id, desc_id = f"chart-{key}-title", f"chart-{key}-desc"
    opening = _SVG_OPEN.search(svg)
    tag = opening.group(0)[:-1] + f' role="img" aria-labelledby="{title_id} {desc_id}">'
    accessible = (
        f'\n <title id="{title_id}">{escape(title, quote=False)}</title>'
        f'\n <desc id="{desc_id}">{escape(description, quote=False)}</desc>'
    )
    return svg[: opening.start()] + tag + accessible + svg[opening.end() :]
