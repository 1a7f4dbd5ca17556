"""A text model's first layer opened in the cell pages (ui/text/cell_open.py and the cell pages'
character inputs, ui/cell/state.py, held.py, panels.py): the cell computes the model's own numbers on
the window ending at the chosen character, names each input by its character, travels in a link
while the server holds it, and says so when it does not."""
import dataclasses
import functools
import json

import numpy as np
import pytest

import lstm_core as lc
from lstm_core import text as lt
from lstm_core.model_pass import model_forward
from ui.cell import held
from ui.cell import panels as P
from ui.cell import state as S
from ui.cell.lessons import TEXT_SOURCE
from ui.text import cell_open
from ui.text import files
from ui.text import files_format as FF
from ui.text.corpora import CORPORA

ZEN = CORPORA["zen"][1]()
VOCAB = lt.vocabulary(ZEN)


@functools.lru_cache(maxsize=None)
def fitted(encoding):
    """(model, config): 20 seeded steps of a 16-unit model with this input, trained once."""
    config = lt.TextConfig(encoding=encoding, units=16, steps=20, report_every=20)
    return lt.fit(ZEN, config)[0], config


@pytest.fixture(scope="module", params=lt.ENCODINGS)
def trained(request):
    return fitted(request.param)


@pytest.mark.parametrize("end", [0, 7, 120, len(ZEN) - 1])
def test_the_cell_computes_the_models_first_layer_on_the_window_ending_there(trained, end):
    model, config = trained
    cell = cell_open.text_cell(model, VOCAB, config, ZEN, end, unit=5)
    window = ZEN[max(0, end - config.window + 1):end + 1]
    ref = model_forward(model, lt.encode_inputs(VOCAB.encode(window), config, VOCAB.size))
    trace = lc.lstm_forward(cell.params(), cell.sequence())
    for name in ("h", "c", "f", "i", "o"):  # float32 engine against the float64 cell page
        np.testing.assert_allclose(getattr(trace, name), getattr(ref.layers[0][0], name)[:, 0],
                                   rtol=2e-6, atol=2e-6)
    assert "".join(cell.step_chars()) == window and cell.t == len(window) - 1 and cell.unit == 5
    assert cell.source == TEXT_SOURCE and cell.weights is None and cell.held


def test_a_one_hot_cell_keeps_exactly_the_columns_of_the_windows_characters():
    model, config = fitted("onehot")
    cell = cell_open.text_cell(model, VOCAB, config, ZEN, 200)
    window = ZEN[161:201]
    assert cell.chars == "".join(sorted(set(window))) and cell.I == len(set(window)) < VOCAB.size
    assert cell.input_labels() == [lt.show_char(ch) for ch in cell.chars]
    W = model.layers[0].fwd.W_f
    H = cell.H
    for j, ch in enumerate(cell.chars):  # each kept column is that character's column of the model
        np.testing.assert_array_equal(cell.params().W_f[:, H + j], W[:, H + VOCAB.chars.index(ch)])


def test_an_integer_cell_names_its_one_input_and_the_character_of_every_step():
    model, config = fitted("integer")
    cell = cell_open.text_cell(model, VOCAB, config, ZEN, 60)
    assert cell.I == 1 and cell.chars == VOCAB.chars and cell.input_labels() == [f"id / {VOCAB.size}"]
    names = P.x_names(cell)
    ch = ZEN[60]
    assert names[-1] == f"{cell.sequence()[-1, 0]:.3f} = id of {lt.show_char(ch)} ÷ {VOCAB.size}"


def test_the_diagram_the_lines_and_the_zoom_name_the_character_read(trained):
    model, config = trained
    cell = cell_open.text_cell(model, VOCAB, config, ZEN, 120)
    model_state = P.model_of(cell)
    diagram = P.diagram(model_state, cell.t, cell.unit)
    x_text = next(a["text"] for a in diagram["layout"]["annotations"] if a.get("name") == "x")
    assert lt.show_char(ZEN[120]) in x_text
    lines = P.figure("lines", model_state)
    row = next(d for d in lines["data"] if d.get("meta") == "input chars")
    assert len(row["text"]) == config.window and row["customdata"][-1] == repr(ZEN[120])
    zoom = P.figure("zoom", model_state, unit=0)
    assert "char" in json.dumps(zoom)
    frames = P.figure("animation", model_state, unit=0)["frames"]
    assert len(frames) == config.window


def test_a_held_cell_travels_in_a_link_and_a_link_to_a_cell_not_held_is_refused(trained):
    model, config = trained
    cell = cell_open.text_cell(model, VOCAB, config, ZEN, 120)
    query = S.to_query(cell)
    assert "weights" not in query and len("&".join(f"{k}={v}" for k, v in query.items())) < 6000
    assert S.from_query(query) == cell
    with pytest.raises(ValueError, match="link.*no longer held"):
        S.from_query({**query, "held": "0" * 16})
    assert "H" not in query and "I" not in query  # the held weights say them
    with pytest.raises(ValueError, match="link gives 'H' or 'I' beside 'held'"):
        S.from_query({**query, "H": "4"})


def test_the_held_store_lets_the_oldest_cells_go_first(monkeypatch):
    monkeypatch.setattr(held, "MAX_BYTES", 3 * 8 * 4 * 6 * 8)  # about two cells of H = 6, I = 2
    keys = [held.hold(lc.LSTMParams.init(2, 6, seed=s)) for s in (101, 102, 103)]
    assert not held.holds(keys[0]) and held.holds(keys[2])
    with pytest.raises(ValueError, match="no longer held"):
        held.get(keys[0])
    with pytest.raises(ValueError):
        held.get(keys[2]).W_f[0, 0] = 1.0  # read-only: no session changes what another sees


def test_editing_a_held_cell_holds_the_edit_and_it_is_no_longer_the_trained_model(trained):
    model, config = trained
    cell = cell_open.text_cell(model, VOCAB, config, ZEN, 120)
    scaled = S.rescale(cell, 2.0)
    assert scaled.held and scaled.held != cell.held and scaled.source == ""
    np.testing.assert_allclose(scaled.params().W_f, 2.0 * cell.params().W_f)
    assert S.from_query(S.to_query(scaled)) == scaled


def test_a_small_cell_again_drops_the_held_model_and_keeps_an_input_that_still_fits(trained):
    """A one-hot input of many characters goes; the integer feature (I = 1) fits the small cell."""
    model, config = trained
    cell = cell_open.text_cell(model, VOCAB, config, ZEN, 120)
    for small in (S.reset(cell), S.reseed(cell, 4)):
        assert (small.H, small.I) == (S.CellState().H, S.CellState().I)
        assert not small.held and S.from_query(S.to_query(small)) == small
        kept = config.encoding == "integer"
        assert bool(small.chars) == kept and (small.step_chars() == cell.step_chars() if kept else True)


def test_typed_characters_become_the_input_and_unknown_ones_are_named(trained):
    model, config = trained
    cell = cell_open.text_cell(model, VOCAB, config, ZEN, 120)
    typed = cell.with_sequence(S.chars_sequence(cell, cell.chars[::-1]))
    assert "".join(typed.step_chars()) == cell.chars[::-1]
    with pytest.raises(ValueError, match="'~' is not among"):
        S.chars_sequence(cell, "a~")
    with pytest.raises(ValueError, match="type 1 to"):
        S.chars_sequence(cell, "")


@pytest.mark.parametrize("query", [{"chars": "aa", "I": "2"}, {"chars": "abc", "I": "2"},
                                   {"chars": "a", "I": "1", "H": "1", "gen": "typed", "xs": "1", "length": "1"}])
def test_a_links_characters_must_fit_its_input(query):
    if query["chars"] == "a":  # one character, one input: a one-hot of one character is valid
        assert S.from_query(query).input_labels() == ["'a'"]
        return
    with pytest.raises(ValueError, match="link's 'chars'"):
        S.from_query(query)


def test_a_window_with_characters_outside_the_vocabulary_is_named(trained):
    model, config = trained
    with pytest.raises(ValueError, match="'~'"):
        cell_open.text_cell(model, VOCAB, config, ZEN[:50] + "~" + ZEN[50:], 60)
    with pytest.raises(ValueError, match="position must be in 1.."):
        cell_open.text_cell(model, VOCAB, config, ZEN, len(ZEN))


def test_the_loader_gives_a_loaded_model_or_a_message(trained):
    model, config = trained
    loaded, message = files.read_upload("m.npz", FF.to_npz(model, VOCAB, config))
    assert message is None and loaded.name == "m.npz" and loaded.config == config
    assert dataclasses.is_dataclass(loaded) and type(loaded).__dataclass_params__.frozen
    loaded, message = files.read_upload("m.json", b"{nope")
    assert loaded is None and "m.json could not be loaded" in message and "keeps the model it had" in message
