"""The Forecasting page's settings as plain data that travels in a link, and what they ask the engine.

`ForecastState` holds what a student sets (the notes' recipe by default); `config(state)` turns it
into the engine's ForecastConfig, which validates it. The series is a built-in key or "upload",
the learner's own CSV, which lives in the session only (a link cannot carry a file).
"""
import dataclasses

from lstm_core import forecast as F

from ui.common import link
from ui.forecast.data import BUILT_IN

UPLOAD = "upload"
SERIES_CHOICES = tuple(BUILT_IN) + (UPLOAD,)
SCALERS = {"whole": True, "train": False}  # the scaler's choice -> ForecastConfig.leak


@dataclasses.dataclass(frozen=True)
class ForecastState:
    """What the Forecasting page shows; each ranged field's range is its widget's range too."""

    series: str = link.choice("aapl", SERIES_CHOICES)  # the notes forecast a stock price
    look_back: int = link.ranged(10, *F.LIMITS["look_back"])
    train_pct: int = link.ranged(80, 50, 95, step=5)  # per cent of the series that trains
    scaler: str = link.choice("whole", tuple(SCALERS))  # "whole": the notes (leaks), "train": leak-free
    layout: str = link.choice("one_step", ("one_step", "steps"))
    layers: int = link.ranged(2, *F.LIMITS["layers"])
    units: int = link.ranged(50, *F.LIMITS["units"])
    epochs: int = link.ranged(100, 1, 300, step=10)
    batch: int = link.ranged(32, 1, 1024, step=1)
    lr: float = link.ranged(0.001, 0.0, 1.0, step=0.0005)  # the widget's floor 0: the engine refuses it
    init: str = link.choice("keras", F.INITS)
    horizon: int = link.ranged(10, *F.LIMITS["horizon"])
    seed: int = link.ranged(0, *F.LIMITS["seed"], step=1)
    preset: str = ""  # the lesson last picked ("" when none, OWN once the student picked their own settings)
    large: int = link.ranged(0, 0, 1)

RECIPE = tuple(f.name for f in dataclasses.fields(ForecastState) if f.name not in ("preset", "large"))  # an experiment's settings


def config(state):
    """The engine's ForecastConfig for these settings (ValueError if the engine rejects them)."""
    link.check(state)
    cfg = F.ForecastConfig(look_back=state.look_back, train_fraction=state.train_pct / 100,
                           leak=SCALERS[state.scaler], layout=state.layout, layers=state.layers,
                           units=state.units, epochs=state.epochs, batch_size=state.batch, lr=state.lr,
                           init=state.init, horizon=state.horizon, seed=state.seed)
    return F.validate(cfg)


def from_query(query):
    """A ForecastState from a link (ValueError with a readable reason if it is not valid)."""
    state = link.from_query(ForecastState, query)
    try:
        config(state)
    except ValueError as err:
        raise ValueError(f"the link's settings are not valid: {err}") from None
    return state
