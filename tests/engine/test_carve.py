"""carve reuses a large block only once nothing holds it, so reuse can never change a number."""
import numpy as np

from lstm_core import numerics

BIG = (512, 1024)  # 2 MiB of float32: above REUSE_BYTES


def test_a_block_still_held_by_a_view_is_never_handed_out_again():
    a, _ = numerics.carve(np.float32, BIG, (3,))
    a[...] = 7.0
    kept = a[10:12]  # a view keeps the whole block busy
    del a
    b, _ = numerics.carve(np.float32, BIG, (3,))
    b[...] = -1.0
    assert not np.shares_memory(b, kept) and np.all(kept == 7.0)


def test_an_idle_block_is_reused_and_small_ones_are_not_kept():
    a, _ = numerics.carve(np.float32, BIG, (3,))
    del a
    before = len(numerics._blocks)
    b, _ = numerics.carve(np.float32, BIG, (3,))
    assert len(numerics._blocks) == before  # an idle block of that size came back, already mapped
    assert any(b.base is block for block in numerics._blocks)
    numerics.carve(np.float32, (4, 4))
    assert len(numerics._blocks) == before


def test_idle_blocks_beyond_the_budget_are_dropped():
    for k in range(4):
        numerics.carve(np.float64, (1 << 17, 2 + k))  # four different sizes, each idle at once
    numerics._drop_idle(0)
    assert all(not numerics._idle(numerics._blocks, k) for k in range(len(numerics._blocks)))
