"""The cell pages' cached parts: the engine's run, the cell diagram, and figures of the sequence.

Everything here is a pure function of the state, so it is cached by the state: a class that
moves the same slider to the same value computes each answer once. Figures are cached as the
dicts of validated figures (see ui/common/render.py) by everything they show, the sequence
figures without cursor, unit and fonts (`model_of`); the cursor is drawn afterwards on the
cached dict, which is cheap. The animation's frames are plain dicts (its tests have Plotly
validate them), and its start at the cursor is composed on the cached parts, also cheaply.
"""
import dataclasses

import lstm_core as lc
from lstm_core.text import show_char
from ui.cell.conveyor import cell_animation, start_at
from ui.cell.diagram import cell_diagram
from ui.cell.equations import num
from ui.cell.time_figures import MANY_UNITS, gate_heatmaps, ledger, state_heatmaps, state_lines
from ui.cell.zoom import zoom_chart
from ui.common.caching import by_settings

BUILDERS = {"gates": gate_heatmaps, "states": state_heatmaps}


def x_names(cell):
    """What each step's x_t is, in words for the diagram, when the input stands for characters
    ("one-hot of 'e'", "0.622 = id of 'e' ÷ 45"); None otherwise (the diagram shows the numbers)."""
    chars = cell.step_chars()
    if chars is None:
        return None
    onehot, V, xs = len(cell.chars) == cell.I, len(cell.chars), cell.sequence()
    return tuple(None if ch is None else f"one-hot of {show_char(ch)}" if onehot
                 else f"{num(x[0])} = id of {show_char(ch)} ÷ {V}" for ch, x in zip(chars, xs))


def model_of(cell):
    """What the numbers depend on: the state without cursor, unit, preset and source names and fonts."""
    return dataclasses.replace(cell, t=0, unit=0, preset="", source="", large=0)


@by_settings(max_entries=128, max_size="16MiB")
def run(model):
    """The engine's (params, trace) for a model (`model_of` a state): the numbers every view shows."""
    params = model.params()
    return params, lc.lstm_forward(params, model.sequence())


@by_settings(max_entries=256, max_size="16MiB")
def diagram(model, t, unit=0, large=False):
    """The cell diagram at step t for `unit`, as a figure dict."""
    params, trace = run(model)
    names = x_names(model)
    return cell_diagram(params, trace, t, unit=unit, large=large, x_name=names and names[t]).to_dict()


@by_settings(max_entries=128, max_size="64MiB")
def figure(name, model, unit=None, large=False):
    """A figure (Plotly, or Vega-Lite for "zoom") as a plain dict, cached by everything it shows;
    the cursor is added afterwards."""
    _, trace = run(model)
    if name == "animation":
        return cell_animation(*run(model), unit=unit, large=large, x_names=x_names(model))
    if name == "ledger":
        return ledger(trace, unit=unit, large=large).to_dict()
    if name == "zoom":
        return zoom_chart(trace, unit=unit, large=large, chars=model.step_chars()).to_dict()
    if name == "lines":
        return state_lines(trace, large=large, chars=model.step_chars(), unit=unit).to_dict()
    return BUILDERS[name](trace, large=large, chars=model.step_chars()).to_dict()


def lines_figure(model, unit, large=False):
    """The state lines: with many units (a text model's) the chosen one drawn in full over the
    faint rest; a small cell draws every unit alike, so it is cached once for all its units."""
    return figure("lines", model, unit=unit if model.H > MANY_UNITS else None, large=large)


def animation(model, t, unit=0, large=False):
    """The cell diagram in motion for `unit`, starting at step t: the cached frames (`figure`) on
    the cached still diagram of step t (`diagram`), composed without rebuilding either."""
    return start_at(figure("animation", model, unit=unit, large=large), diagram(model, t, unit, large), t, large)
