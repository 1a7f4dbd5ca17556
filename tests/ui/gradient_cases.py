"""Readers shared by the gradient-page figure tests: seeded flows, and small helpers that find a
figure's traces, shapes and line heights. The seeded cases themselves are fixtures in conftest.py."""
import numpy as np

from lstm_core.flow import KINDS, gradient_flow, make_cells
from ui.gradients import figures as gf


def flows_of(xs, kinds=KINDS, **settings):
    """Exact gradient flows of `kinds` on xs (T, 1); settings go to make_cells (H defaults to 4)."""
    params = make_cells(settings.pop("H", 4), **settings)
    return {k: gradient_flow(k, params[k], xs) for k in kinds}


def by_meta(fig):
    """The figure's traces by their meta tag."""
    return {tr.meta: tr for tr in fig.data}


def shape_named(fig, name):
    """The one layout shape called `name`."""
    (shape,) = [s for s in fig.layout.shapes if s.name == name]
    return shape


def expected_drawn(norms):
    """What a log axis can show: the norm where finite, FLOOR where exactly 0, NaN where overflowed."""
    return np.where(np.isfinite(norms), np.where(norms == 0, gf.FLOOR, norms), np.nan)


def line_fraction(fig):
    """A lower bound of one line of words as a fraction of the y axis: the plot is shorter than this."""
    plot_px = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    return gf.NOTE_ROOM * fig.layout.font.size / plot_px


def domain(fig, value):
    """Where `value` sits on the log y axis, as a fraction of it."""
    lo, hi = fig.layout.yaxis.range
    return (np.log10(value) - lo) / (hi - lo)
