"""The one plot style: fonts, titles, margins and legends of every figure, at normal and projector size.

Every figure builder gets its look from here: `style` for figures built with Plotly's objects,
`figure` for live charts built from plain dicts, and `vega_style` for the Altair (Vega-Lite)
charts: the same fonts, sizes, title and grid. The Plotly look is Plotly's "plotly_white"
template written out (`WHITE`, `AXIS`) rather than named: validating the template cost ~20 ms
a chart on every build, and it added ~8 kB of JSON to every chart sent to every browser.
"""
import re

import plotly.graph_objects as go

from ui.common.palette import GRID, INK, TEXT

FONT_FAMILY = '"Source Sans", Inter, Segoe UI, Helvetica, Arial, sans-serif'  # Streamlit's own text font first
LEGEND_ROOM = 2.5  # extra top margin for a legend row, in font sizes
NOTE_ROOM = 1.6  # the height of one line of words on a chart, in font sizes
AXIS = dict(automargin=True, gridcolor=GRID, linecolor=GRID, zerolinecolor=GRID, zerolinewidth=2,
            title_standoff=15)  # plotly_white's axes, in the palette's grey
WHITE = dict(template={}, paper_bgcolor="white", plot_bgcolor="white", hovermode="closest",
             autotypenumbers="strict", hoverlabel_align="left", shapedefaults_line_color=TEXT,
             annotationdefaults=dict(arrowcolor=TEXT, arrowhead=0, arrowwidth=1))  # plotly_white's page
COLORBAR = dict(outlinewidth=0, ticks="")  # plotly_white's colour bars


def font_size(large):
    """Base font size for figures: larger when the projector toggle is on."""
    return 20 if large else 14


def top_margin(size):
    """Room (px) at the top of a figure for its title and one-line subtitle."""
    return round(size * 6.5)


def frame(title, subtitle, size, height, top=0, right=20):
    """The layout every chart shares: font, a title and subtitle at the top left, margins, hovers.

    `top` is extra room (px) under the subtitle, e.g. for a legend above the plot; `right` the
    right margin (px).
    """
    return dict(
        height=height, font=dict(family=FONT_FAMILY, size=size),
        title=dict(text=title, subtitle=dict(text=subtitle, font=dict(size=round(size * 0.9))),
                   font=dict(size=round(size * 1.3), color=INK, weight=600), x=0.01, xanchor="left", yref="container",
                   y=1, yanchor="top", pad=dict(t=10)),
        margin=dict(l=20, r=right, t=top_margin(size) + top, b=20),
        hoverlabel=dict(font=dict(size=size, family=FONT_FAMILY)))


def style(fig, title, subtitle, large, height, top=0, right=20):
    """Style a go.Figure: the white look, the shared frame, subplot titles, rich labels."""
    size = font_size(large)
    base = frame(title, subtitle, size, height, top, right)
    base["font"]["color"] = TEXT
    fig.update_layout(**WHITE, **base)
    _white_axes(fig)
    fig.update_annotations(font_size=round(size * 1.05))  # subplot titles
    return rich_labels(fig)


def _white_axes(fig):
    """plotly_white's axis and colour-bar look wherever the builder left a setting unset."""
    axes = {k for k in fig.layout if k.startswith(("xaxis", "yaxis"))}
    axes |= {f"{side}axis{trace[side + 'axis'][1:] or ''}" for trace in fig.data for side in "xy"
             if trace["type"] not in ("pie",) and trace[side + "axis"]}
    for name in axes | {"xaxis", "yaxis"}:
        axis = fig.layout[name]
        for key, value in AXIS.items():
            if axis[key.replace("_", ".")] is None:
                axis[key.replace("_", ".")] = value
    for name in (k for k in fig.layout if k.startswith("coloraxis")):
        for key, value in COLORBAR.items():
            if fig.layout[name].colorbar[key] is None:
                fig.layout[name].colorbar[key] = value


def figure(traces, layout, title, subtitle, large, height, top=0, right=20):
    """A go.Figure from plain dicts with `style`'s look."""
    size = font_size(large)
    base = frame(title, subtitle, size, height, top, right)
    base["font"]["color"] = TEXT
    return go.Figure(traces, dict(layout, **WHITE, **base))


def top_legend(size, height, **extra):
    """A one-row legend under the subtitle, above the plot and any subplot titles."""
    return dict(orientation="h", yref="container", y=1 - 5.4 * size / height, yanchor="top", x=0,
                xanchor="left", font=dict(size=size), **extra)


def plot_px(height, size, top=0):
    """About how tall the plot area of a styled figure is, in px, under one row of x tick labels."""
    return height - top_margin(size) - top - 20 - 3.5 * size


def nice_dtick(n, max_ticks=10):
    """A tick step from 1, 2, 5, 10, 20, 50, ... that puts at most `max_ticks` ticks on 1..n."""
    step = 1
    while n / step > max_ticks:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    return step


def integer_axis(n, title, max_ticks=10):
    """Axis settings for the integers 1..n: whole-number ticks, a little room at each end."""
    dtick = nice_dtick(n, max_ticks)
    return dict(title=title, range=[0.5, n + 0.5], tickmode="linear", dtick=dtick,
                tick0=1 if dtick == 1 else 0, zeroline=False)


def rich(text):
    """Subscripts as HTML for Plotly labels: "f_t" -> f<sub>t</sub>, "C_{t−1}" -> C<sub>t−1</sub>."""
    return re.sub(r"_\{([^}]*)\}|_(\w+)", lambda m: f"<sub>{m.group(1) or m.group(2)}</sub>", text)


SUBSCRIPTS = str.maketrans("t0123456789-−+", "ₜ₀₁₂₃₄₅₆₇₈₉₋₋₊")


def plain_subscripts(text):
    """Subscripts as Unicode for charts that draw text without HTML (Vega-Lite): "f_t" -> "fₜ"."""
    return re.sub(r"_\{([^}]*)\}|_(\w+)", lambda m: (m.group(1) or m.group(2)).translate(SUBSCRIPTS), text)


def rich_labels(fig):
    """Apply `rich` to every label a reader sees: titles, axis and colour-bar titles, names, hovers."""
    fig.layout.title.text = rich(fig.layout.title.text)
    fig.layout.title.subtitle.text = rich(fig.layout.title.subtitle.text)
    for trace in fig.data:
        trace.name = rich(trace.name) if trace.name else trace.name
        trace.hovertemplate = rich(trace.hovertemplate) if trace.hovertemplate else None
    for ann in fig.layout.annotations:
        ann.text = rich(ann.text)
    axes = [fig.layout[k] for k in fig.layout if k.startswith(("xaxis", "yaxis"))]
    bars = [fig.layout[k].colorbar for k in fig.layout if k.startswith("coloraxis")]
    legends = [fig.layout[k] for k in fig.layout if k.startswith("legend")]
    for title in [a.title for a in axes + bars + legends]:
        title.text = rich(title.text) if title.text else title.text
    return fig


def vega_style(chart, title, subtitle, large):
    """Style an Altair chart like the Plotly ones: font, title and subtitle at the top left, sizes."""
    size = font_size(large)
    return (chart.properties(title=dict(text=title, subtitle=subtitle, anchor="start", fontSize=round(size * 1.3),
                                        fontWeight="bold",
                                        subtitleFontSize=round(size * 0.9), subtitleColor=TEXT, color=INK,
                                        font=FONT_FAMILY, subtitleFont=FONT_FAMILY, offset=size))
            .configure(font=FONT_FAMILY, background="white")
            .configure_axis(labelFontSize=size, titleFontSize=size, gridColor=GRID, domainColor=GRID,
                            labelColor=TEXT, titleColor=TEXT, titleFontWeight="normal")
            .configure_legend(labelFontSize=size, labelLimit=0, symbolStrokeWidth=3)
            .configure_title(fontSize=round(size * 1.05), fontWeight="normal", color=TEXT, anchor="start")
            .configure_view(stroke=None))
