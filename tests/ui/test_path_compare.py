"""The guided path's Compare checkpoints on the engine's numbers, and the settings they load."""
import re
from pathlib import Path

from lstm_core.model import Model
from ui.path import checkpoints_compare as V
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
