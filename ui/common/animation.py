"""The controls every client-side animation shares: which steps get a frame, Play/Pause, a slider.

Animations are Plotly frames played by the browser, never a server loop: the page sends the
frames once and the student's browser plays them.
"""
import numpy as np

from ui.common.palette import CLEAR, INK


def frame_steps(T, max_frames):
    """0-based steps that get a frame: all of them, or evenly spaced ones from the first to the last."""
    if T <= max_frames:
        return np.arange(T)
    return np.unique(np.round(np.linspace(0, T - 1, max_frames)).astype(int))


def play_controls(names, size, y, *, frame_ms, transition_ms, prefix="time step t = "):
    """A Play/Pause button and, under it, a slider over the frames labelled with real time steps."""
    play = dict(frame=dict(duration=frame_ms, redraw=False), fromcurrent=True, mode="immediate",
                transition=dict(duration=transition_ms, easing="cubic-in-out"))
    jump = dict(frame=dict(duration=0, redraw=False), mode="immediate", transition=dict(duration=0))
    menu = dict(type="buttons", direction="left", showactive=False, x=0, y=y, xanchor="left",
                yanchor="top", pad=dict(t=0, r=10), font=dict(size=size),
                buttons=[dict(label="▶ Play", method="animate", args=[None, play]),
                         dict(label="❚❚ Pause", method="animate", args=[[None], jump])])
    show_ticks = len(names) <= 25  # more labels than that would overlap: the current value says t
    slider = dict(active=0, x=0, len=1, y=y, yanchor="top", pad=dict(t=round(size * 1.2)),
                  currentvalue=dict(prefix=prefix, xanchor="right",
                                    font=dict(size=round(size * 1.1), color=INK)),
                  font=dict(size=size, color=INK if show_ticks else CLEAR),
                  ticklen=6 if show_ticks else 0, minorticklen=4 if show_ticks else 0,
                  transition=dict(duration=0),
                  steps=[dict(label=n, method="animate", args=[[n], jump]) for n in names])
    return [menu], [slider]
