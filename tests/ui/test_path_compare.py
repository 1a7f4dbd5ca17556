"""The guided path's Compare checkpoints on the engine's numbers, and the settings they load."""
import re
from pathlib import Path

import pytest

from lstm_core import context as C
from lstm_core.context import DelayConfig
from lstm_core.model import Model
from ui.path import checkpoints_compare as V
from ui.tradeoffs.context import config as context_config
from ui.tradeoffs.state import TradeoffsState
from ui.variants.state import VariantsState

ROOT = Path(__file__).resolve().parents[2]


def test_variants_checkpoint_the_gru_has_fewer_parameters_than_the_lstm_at_h8_i1():
    n = V.VARIANTS.outcome()
    assert (n["gru"], n["lstm"], n["coupled"]) == (248, 320, 240)
    assert V.VARIANTS.options[V.VARIANTS.verdict(n)] == "The GRU"
    assert V.VARIANTS.verdict({**n, "gru": 400}) == 0 and V.VARIANTS.verdict({**n, "gru": 320}) == 2
    reveal = V.VARIANTS.reveal(n)
    assert "248" in reveal and "320" in reveal and "216" in reveal and "288" in reveal


def test_variants_checkpoint_counts_are_what_a_model_of_the_page_holds():
    """The page's models are Model.init of the same sizes, without a head."""
    for kind in ("lstm", "gru"):
        model = Model.init(kind, V.I, V.H)
        assert sum(a.size for a in model.arrays().values()) == V.VARIANTS.outcome()[kind]


def test_variants_checkpoint_loads_the_gru_beside_the_lstm_at_its_sizes():
    state = V.VARIANTS.settings(1)
    assert (state.variant, state.H, state.I, state.large) == ("gru", 8, 1, 1)
    assert state == VariantsState(variant="gru", H=8, I=1, large=1)


def test_recap_item_10_says_what_the_checkpoint_counted():
    recap = " ".join((ROOT / "assets" / "recap.md").read_text(encoding="utf-8").split())
    n = V.VARIANTS.outcome()
    assert re.search(rf"GRU holds {n['gru']} numbers to the LSTM's {n['lstm']}", recap)


@pytest.fixture(scope="module")
def tradeoffs():
    """The trade-offs checkpoint's outcome: the page's default delay run (a second or two)."""
    return V.TRADEOFFS.outcome()


def test_tradeoffs_checkpoint_the_lstm_trained_at_5_still_recalls_the_bit_500_steps_back(tradeoffs):
    n = tradeoffs
    assert (n["trained"], n["far"]) == (5, 500)
    assert n["lstm_trained"] > 0.9 and n["lstm_far"] > 0.9 and n["lstm_worst"] > 0.9
    assert n["rnn_far"] < n["lstm_far"]  # the RNN beside it does worse far out
    assert n["rnn_trained"] > 0.9 and n["rnn_next"] < 0.1 and 0.4 <= n["rnn_far"] <= 0.65  # flips; a coin toss
    assert V.TRADEOFFS.options[V.TRADEOFFS.verdict(n)].startswith("Almost always")
    assert V.TRADEOFFS.verdict({**n, "lstm_far": 0.5}) == 1 and V.TRADEOFFS.verdict({**n, "lstm_far": 0.05}) == 2
    assert V.TRADEOFFS.verdict({**n, "lstm_far": 0.75}) is None
    reveal = V.TRADEOFFS.reveal(n)
    assert f"at {n['far']} {n['lstm_far']:.0%}" in reveal and f"land ({n['rnn_far']:.0%})" in reveal
    assert "as at every delay tested" in reveal and "at least" in V.TRADEOFFS.reveal({**n, "lstm_worst": 0.95})


def test_tradeoffs_checkpoint_loads_the_pages_delay_run():
    state = V.TRADEOFFS.settings(1)
    assert (state.experiment, state.ctx, state.large) == ("context", "delay", 1)
    assert state == TradeoffsState(experiment="context", ctx="delay", large=1)
    cfg = context_config(state)
    assert cfg == DelayConfig() and cfg.hidden_size == 8 and cfg.train_delay == 5


def test_the_room_claim_of_the_reveal_and_of_recap_item_11_is_the_items_run():
    """"8 units recall 4 bits perfectly, 8 bits only in part": the items run at H = 8."""
    by_n = C.items_summary(list(C.run_items(C.ItemsConfig(hidden_size=8, counts=(4, 8)))))
    assert by_n[4] == 1.0 and 0.5 < by_n[8] < 0.95
    recap = " ".join((ROOT / "assets" / "recap.md").read_text(encoding="utf-8").split())
    assert "Trained with the bit 5 steps back, the LSTM still recalls it 500 steps back" in recap
    assert "8 units recall 4 bits perfectly, 8 bits only in part" in recap
