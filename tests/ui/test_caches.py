"""The server's caches: bounded, and a copy per caller, so sessions never share what they change."""
import importlib
import pkgutil
import re
from pathlib import Path

from streamlit.runtime.caching.cache_utils import CachedFunc

import ui
from ui.cell import panels as CP
from ui.cell.state import CellState
from ui.gradients import panels as GP
from ui.gradients.state import GradState

ROOT = Path(__file__).resolve().parents[2]


def cached_functions():
    """Every cached function defined in the ui package, by 'module.name'."""
    found = {}
    for info in pkgutil.walk_packages(ui.__path__, "ui."):
        module = importlib.import_module(info.name)
        found.update({f"{info.name}.{name}": value for name, value in vars(module).items()
                      if isinstance(value, CachedFunc)})
    return found


def test_every_cache_is_bounded_in_entries_and_in_bytes():
    caches = cached_functions()
    assert {"ui.cell.panels.figure", "ui.gradients.panels.gradient_flows"} <= set(caches)
    for name, func in caches.items():
        assert func._info.max_entries is not None and func._info.max_size_bytes is not None, name


def test_nothing_is_kept_in_cache_resource():
    sources = [p for folder in ("ui", "views") for p in (ROOT / folder).rglob("*.py")] + [ROOT / "app.py"]
    used = re.compile(r"st\.cache_resource\s*[(\n]|@st\.cache_resource")
    assert not [p.name for p in sources if used.search(p.read_text(encoding="utf-8"))]


def test_a_change_to_a_cached_figure_does_not_reach_the_next_caller():
    model = CP.model_of(CellState(forget_bias=2.5))
    first = CP.diagram(model, 3)
    first["layout"]["title"]["text"] = "changed by one session"
    first["data"].clear()
    second = CP.diagram(model, 3)
    assert second["layout"]["title"]["text"] != "changed by one session" and second["data"]


def test_a_change_to_cached_flows_does_not_reach_the_next_caller():
    model = GP.model_of(GradState(length=20, H=2))
    flows = GP.gradient_flows(model)
    kept = flows["lstm"].dh_norm.copy()
    flows["lstm"].dh_norm[:] = -1.0
    assert (GP.gradient_flows(model)["lstm"].dh_norm == kept).all()
