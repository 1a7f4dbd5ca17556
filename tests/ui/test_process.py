"""The server's once-per-process set-up (ui/common/process.py) takes effect when it is imported."""
import gc

import plotly.io
from threadpoolctl import threadpool_info

import ui.common.process as process


def test_blas_runs_one_thread():
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == process.BLAS_THREADS == 1 for pool in blas)


def test_the_libraries_objects_are_frozen_out_of_the_collector():
    assert gc.get_freeze_count() > 10_000


def test_plotly_writes_figures_with_the_json_engine():
    assert plotly.io.json.config.default_engine == "json"
