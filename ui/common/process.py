"""Process-wide set-up of the server, done once, by the first session to import it.

Streamlit runs every session's script as a thread of one Python process, so what a module does
at import time happens once for the whole class, and the import lock makes every other session
wait until it is finished:

- pandas is imported completely before any figure is built. Plotly's validators look pandas up
  with `sys.modules.get("pandas")`, without importing it; while another session thread was still
  importing pandas they found a half-initialised module and raised "partially initialized module
  'pandas' has no attribute 'Series'" on a cold server.
- NumPy's BLAS uses one thread. The engine's matrices are small (H ≤ 32), so BLAS threads gain
  nothing, and with several sessions computing at once they only fight over the cores.
- The objects of the libraries every page loads are moved out of the garbage collector's sight
  (`gc.freeze()`): they live as long as the process. A full collection walked the ~150,000
  objects of pandas, Plotly and Altair each time, 0.15 s on a busy machine; after the freeze it
  walks only what sessions made since, and still frees their garbage. (Streamlit's own full
  collection after every run is off as well: `runner.postScriptGC` in .streamlit/config.toml.)
- Plotly writes figures with the standard library's json encoder: for the app's figures (lists
  of floats from `to_dict()`) it is several times faster than Plotly's orjson path, which first
  walks the whole figure in Python (benchmarks/figures.py measures both).
"""
import gc

import altair  # noqa: F401  (imported for its side effects: see above)
import pandas  # noqa: F401
import plotly.graph_objects  # noqa: F401
import plotly.io
from threadpoolctl import threadpool_limits

BLAS_THREADS = 1

threadpool_limits(limits=BLAS_THREADS, user_api="blas")
plotly.io.json.config.default_engine = "json"
gc.collect()
gc.freeze()
