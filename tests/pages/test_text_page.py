"""The Writing-text page under AppTest: it renders at defaults and from every preset's link, trains live
to the end and generates, Stop keeps the steps trained, bad seed texts, uploads, pastes and links say
why and keep the last good state, a rerun that changes nothing runs no forward pass, and teacher mode
hides the editing controls."""
import dataclasses
import functools

import numpy as np
import pytest

from lstm_core import text as T
from ui.common import shared_runs
from ui.common import lessons
from ui.common.link import to_query
from ui.text import controls as C
from ui.text import panels as P
from ui.text import words as W
from ui.text.corpora import zen
from ui.text.lessons import PRESETS
from ui.text.state import OWN, TextState

from pagekit import assert_clean, errors, outside_values, input_count, input_keys, run_of, train_to_the_end, warnings
from viewkit import link_value, open_link

PAGE = "views/text.py"
STATE = "text_state"
RUN = "text_run"
SMALL = {"units": "16", "steps": "20", "window": "20"}  # trains in about a second
LONG = {"steps": "3000"}  # still running after a slice or two
WIDGETS = ["button", "slider", "number_input", "toggle", "selectbox", "radio", "select_slider", "text_area",
           "file_uploader"]
OWN_TEXT = "the cat sat on the mat. " * 20  # 480 characters, 11 distinct


_run = functools.partial(run_of, key=RUN)
_train_to_the_end = functools.partial(train_to_the_end, button="tx_train", key=RUN)
_keys = functools.partial(input_keys, kinds=WIDGETS)
_controls = functools.partial(input_count, kinds=WIDGETS)
_errors, _warnings = errors, warnings


def _html(at):
    return [h.proto.body for h in at.get("html")]


def test_renders_clean_at_defaults_on_the_zen_with_the_one_hot_preset():
    at = open_link(PAGE)
    assert_clean(at)
    assert at.title[0].value == "Writing text"
    assert not _errors(at) and not _warnings(at)
    assert at.session_state[STATE] == TextState()
    assert any(W.PRESS_TRAIN == i.value for i in at.info)
    assert any(i.value.startswith(f"**{PRESETS[0].name}.**") for i in at.info)
    assert at.button(key="tx_stop").disabled and "tx_seed_text" not in _keys(at)
    assert any(W.corpus_words(zen(), T.TextConfig()) in m.value for m in at.markdown)
    assert any("text-chip" in h for h in _html(at))


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.name)
def test_each_presets_link_opens_clean_with_its_lesson(preset):
    at = open_link(PAGE, to_query(preset.state()))
    assert_clean(at)
    assert not _errors(at) and not _warnings(at)
    assert at.session_state[STATE] == preset.state()
    assert at.selectbox(key="tx_preset").value == preset.name
    assert any(i.value == f"**{preset.name}.** {preset.lesson}" for i in at.info)


def test_train_from_a_small_link_runs_to_the_end_prints_samples_and_generates():
    at = open_link(PAGE, SMALL)
    run = _train_to_the_end(at)
    assert_clean(at)
    assert run.status == "done" and run.items[-1]["step"] == 20
    bar = at.get("progress")[0].proto
    assert bar.text == "step 20 of 20 — finished" and bar.value == 100
    assert any(W.samples_html(run.items) == h for h in _html(at))
    assert "Generate" in [s.value for s in at.subheader]
    model, job = run.models["lstm"], run.config
    state = at.session_state[STATE]
    seed_text = zen()[:20]
    assert at.text_area(key="tx_seed_text").value == seed_text
    gen = T.generate(model, job.vocab, job.config, seed_text, state.length, temperatures=(state.temperature,),
                     seed=state.seed)
    assert any(W.generation_html(gen, 0) == h for h in _html(at))
    side = T.generate(model, job.vocab, job.config, seed_text, state.length, temperatures=W.SIDE_BY_SIDE,
                      seed=state.seed)
    for text in side.texts:
        assert W.generated_html("", text) in _html(at)
    assert not any(c.value == W.STALE for c in at.caption)


def test_two_sessions_training_the_same_settings_and_corpus_share_one_fit():
    shared_runs.forget_all()
    first = _train_to_the_end(open_link(PAGE, SMALL))
    second = _train_to_the_end(open_link(PAGE, SMALL))
    assert len(shared_runs._FITS) == 1 and second.items == first.items
    assert second.models["lstm"] is first.models["lstm"]
    other = _train_to_the_end(_use(open_link(PAGE, SMALL), pasted=OWN_TEXT))  # another corpus: its own fit
    assert len(shared_runs._FITS) == 2 and other.config.corpus_text == OWN_TEXT


def test_training_settings_that_already_ran_here_says_the_run_is_replayed():
    shared_runs.forget_all()
    at = open_link(PAGE, SMALL)
    assert not _train_to_the_end(at).config.replayed
    assert W.REPLAYED not in [c.value for c in at.caption]
    again = _train_to_the_end(at)  # the same settings again: the shared fit has finished
    assert again.config.replayed and W.REPLAYED in [c.value for c in at.caption]


def test_a_rerun_that_changes_nothing_runs_no_forward_pass(monkeypatch):
    at = open_link(PAGE, SMALL)
    _train_to_the_end(at)
    calls = []
    monkeypatch.setattr(T, "model_forward", lambda *a, **k: calls.append(1))  # would break a real pass
    at.run()
    assert_clean(at)
    assert not calls and "Generate" in [s.value for s in at.subheader]


def _bars(at):
    """The next-character bars' two traces, {meta: trace dict}, from the chart the page drew."""
    import json
    chart = next(c for c in at.get("plotly_chart") if c.proto.id and "tx_topk" in c.proto.id)
    return {t["meta"]: t for t in json.loads(chart.proto.spec)["data"]}


def test_moving_the_cursor_draws_that_steps_distribution_beside_t_1():
    at = open_link(PAGE, {**SMALL, "greedy": "1"})  # greedy: the engine's rows at T and at 1 read one text
    run = _train_to_the_end(at)
    at.slider(key="tx_cursor").set_value(5).run()
    assert_clean(at)
    assert at.session_state[STATE].cursor == 4
    job, state = run.config, at.session_state[STATE]
    gen = T.generate(run.models["lstm"], job.vocab, job.config, zen()[:20], state.length,
                     temperatures=(state.temperature, 1.0), greedy=True, seed=state.seed)
    bars = _bars(at)
    top = T.top_k(gen.probs[0, 4], job.vocab, P.TOP_K)
    assert bars["t"]["y"] == [T.show_char(ch) for ch, _ in top]
    # the engine's own numbers at T and at T = 1 (two rows in one batch: float32 rounding apart)
    np.testing.assert_allclose(bars["t"]["x"], [p for _, p in top], rtol=1e-5)
    np.testing.assert_allclose(bars["t1"]["x"], [gen.probs[1, 4, job.vocab.chars.index(ch)] for ch, _ in top],
                               rtol=1e-5)
    assert any(W.cursor_words(gen, 4, job.vocab) == c.value for c in at.caption)


def test_the_t_1_distribution_is_recovered_exactly_from_the_one_at_t():
    z = np.random.default_rng(0).normal(0, 3, 45)
    for temperature in (0.1, 0.5, 1.5, 2.0):
        np.testing.assert_allclose(P.at_temperature_one(T.softmax(z, temperature), temperature), T.softmax(z),
                                   rtol=1e-9)


def test_stop_keeps_the_steps_trained_and_opens_generation():
    at = open_link(PAGE, LONG)
    at.button(key="tx_train").click().run()
    at.run()
    run = _run(at)
    assert run.status == "running" and 0 < len(run.items)
    assert not at.button(key="tx_stop").disabled
    at.button(key="tx_stop").click().run()
    stopped = len(_run(at).items)
    at.run()
    run = _run(at)
    assert run.status == "stopped" and len(run.items) == stopped
    assert_clean(at)
    step = run.items[-1]["step"]
    assert at.get("progress")[0].proto.text == f"step {step} of 3000 — stopped"
    assert at.button(key="tx_stop").disabled and "Generate" in [s.value for s in at.subheader]


@pytest.mark.parametrize("seed_text, words", [
    ("Beautiful é", "'é'"),
    ("Straße ∑", "2 character(s) are not in the model's vocabulary of 45"),
    ("", "the seed text is empty"),
])
def test_a_seed_text_with_characters_outside_the_vocabulary_says_which_and_keeps_the_last_good(seed_text, words):
    at = open_link(PAGE, SMALL)
    _train_to_the_end(at)
    at.text_area(key="tx_seed_text").set_value("Beautiful").run()
    assert at.session_state[STATE].seed_text == "Beautiful"
    at.text_area(key="tx_seed_text").set_value(seed_text).run()
    assert_clean(at)
    errors = _errors(at)
    assert len(errors) == 1 and words.lower() in errors[0].lower() and "last good seed text" in errors[0]
    assert at.session_state[STATE].seed_text == "Beautiful"
    assert at.text_area(key="tx_seed_text").value == "Beautiful"


def test_a_link_with_a_seed_text_outside_the_vocabulary_warns_and_uses_the_corpus_start():
    at = open_link(PAGE, {**SMALL, "seed_text": "ü"})
    _train_to_the_end(at)
    assert_clean(at)
    assert any("'ü'" in w and zen()[:20] in w for w in _warnings(at))


# --- the learner's own text -----------------------------------------------------------------

def _use(at, *, raw=None, name="mine.txt", pasted=None):
    if raw is not None:
        at.file_uploader(key="tx_upload").set_value((name, raw, "text/plain")).run()
    if pasted is not None:
        at.text_area(key="tx_paste").set_value(pasted).run()
    at.button(key="tx_use").click().run()
    return at


def test_pasting_a_text_switches_the_corpus_to_it_and_trains():
    at = _use(open_link(PAGE, SMALL), pasted=OWN_TEXT)
    assert_clean(at)
    assert not _errors(at)
    assert at.session_state[STATE].corpus == OWN and link_value(at, "corpus") == OWN
    assert at.session_state[C.OWN_KEY] == ("pasted text", OWN_TEXT)
    run = _train_to_the_end(at)
    assert run.status == "done" and run.config.corpus_text == OWN_TEXT and run.config.vocab.size == 11


def test_an_uploaded_file_becomes_the_corpus():
    at = _use(open_link(PAGE, SMALL), raw=OWN_TEXT.encode("utf-8"), name="cat.txt")
    assert_clean(at)
    assert at.session_state[C.OWN_KEY] == ("cat.txt", OWN_TEXT) and at.session_state[STATE].corpus == OWN


@pytest.mark.parametrize("kind, value, words", [
    ("raw", b"x" * (C.MAX_BYTES + 1), "at most 200,000 (200 kB) fit"),
    ("raw", bytes(range(256)), "binary file"),
    ("raw", "caf\u00e9 ".encode("latin-1") * 20, "not UTF-8 text"),
    ("pasted", "ab" * 10, "too short for windows of 20"),
    ("pasted", "".join(chr(0x100 + k) for k in range(120)) * 2, "120 distinct characters; at most 100 fit"),
    ("pasted", "a" * 500, "repeats one character"),
], ids=["too_big", "binary", "not_utf8", "too_short", "too_many_characters", "one_character"])
def test_a_bad_text_says_why_and_the_last_good_corpus_stays(kind, value, words):
    at = _use(open_link(PAGE, SMALL), pasted=OWN_TEXT)
    if kind == "raw":
        _use(at, raw=value, name="bad.txt")
    else:
        _use(at, pasted=value)
    assert_clean(at)
    errors = _errors(at)
    assert len(errors) == 1 and words in errors[0] and errors[0].endswith("The last good corpus is kept."), errors
    assert at.session_state[C.OWN_KEY] == ("pasted text", OWN_TEXT) and at.session_state[STATE].corpus == OWN


def test_a_bad_first_text_keeps_the_built_in_corpus():
    at = _use(open_link(PAGE), pasted="a" * 500)
    assert_clean(at)
    assert any("repeats one character" in e for e in _errors(at))
    assert C.OWN_KEY not in at.session_state and at.session_state[STATE] == TextState()


def test_a_link_to_an_own_text_in_a_new_session_says_so_and_shows_the_zen():
    at = open_link(PAGE, {"corpus": OWN, "units": "64"})
    assert_clean(at)
    assert any("text of your own" in w for w in _warnings(at))
    assert at.session_state[STATE] == dataclasses.replace(TextState(), units=64) and "corpus" not in at.query_params


# --- links and settings ----------------------------------------------------------------------

@pytest.mark.parametrize("query", [
    {"window": "forty"}, {"units": "1000"}, {"lr": "0.3"}, {"temperature": "nan"}, {"corpus": "shakespeare"},
    {"encoding": "bytes"}, {"bogus": "1"}, {"seed_text": "x" * 201},
    {"window": "100"},  # the Zen's held-out 85 characters are too short for windows of 100
], ids=lambda q: "&".join(f"{k}={v[:12]}" for k, v in q.items()))
def test_a_bad_hand_edited_link_says_why_and_shows_the_defaults(query):
    at = open_link(PAGE, query)
    assert_clean(at)
    assert any("could not be opened" in w for w in _warnings(at)), _warnings(at)
    assert at.session_state[STATE] == TextState()


@pytest.mark.parametrize("query", [{f.name: v} for f in dataclasses.fields(TextState) for v in outside_values(f)],
                         ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()))
def test_a_value_outside_any_fields_range_says_why_and_shows_the_defaults(query):
    at = open_link(PAGE, query)
    assert_clean(at)
    assert any("could not be opened" in w for w in _warnings(at)), _warnings(at)
    assert at.session_state[STATE] == TextState()


def _extreme(end, **fixes):
    """The state with every ranged number at one end of its range (0: low, 1: high), then `fixes`."""
    ends = {f.name: f.type(f.metadata["range"][end]) for f in dataclasses.fields(TextState)
            if "range" in f.metadata and f.type in (int, float)}
    return dataclasses.replace(TextState(), **{**ends, **fixes})


def test_a_link_at_the_low_end_of_every_range_trains_and_generates_clean():
    state = _extreme(0)
    at = open_link(PAGE, to_query(state))
    assert not _warnings(at) and at.session_state[STATE] == state
    assert _train_to_the_end(at).status == "done"
    assert_clean(at)
    assert at.slider(key="tx_cursor").value == 1 and "Generate" in [s.value for s in at.subheader]


def test_a_link_at_the_high_end_of_every_range_renders_clean():
    state = _extreme(1, corpus="code", seed_text="<b>&amp;</b>")  # the code corpus fits windows of 100
    at = open_link(PAGE, to_query(state))
    assert_clean(at)
    assert not _warnings(at) and at.session_state[STATE] == state


def test_a_window_the_corpus_allows_opens_from_a_link():
    at = open_link(PAGE, {"corpus": "code", "window": "100"})  # the code corpus is long enough
    assert_clean(at)
    assert not _warnings(at) and at.session_state[STATE].window == 100


def test_a_refused_setting_snaps_back_with_the_reason():
    at = open_link(PAGE)
    at.slider(key="tx_window").set_value(100).run()
    assert_clean(at)
    errors = _errors(at)
    assert len(errors) == 1 and "too short for windows of 100" in errors[0]
    assert errors[0].endswith("The last good setting is kept.")
    assert at.session_state[STATE] == TextState() and at.slider(key="tx_window").value == 40
    at.run()
    assert not _errors(at), "the reason is said once"


def test_an_accepted_change_is_kept_written_to_the_link_and_marks_the_model_stale():
    at = open_link(PAGE, SMALL)
    _train_to_the_end(at)
    at.number_input(key="tx_seed").set_value(3).run()
    assert_clean(at)
    assert at.session_state[STATE].seed == 3 and link_value(at, "seed") == "3"
    assert any(c.value == W.STALE for c in at.caption) and "Generate" in [s.value for s in at.subheader]


# --- teacher mode -----------------------------------------------------------------------------

def test_present_gives_fewer_controls_no_sidebar_large_fonts_and_keeps_presets_and_train():
    normal, shown = open_link(PAGE), open_link(PAGE, {"present": "1"})
    assert_clean(shown)
    assert _controls(shown) < _controls(normal)
    assert not shown.sidebar.children and normal.sidebar.children
    assert shown.session_state[STATE].large == 1 and normal.session_state[STATE].large == 0
    assert {"tx_preset", "tx_corpus", "tx_train", "tx_stop"} <= _keys(shown)
    assert not _keys(shown) & {"tx_window", "tx_lr", "tx_seed", "tx_upload", "tx_paste"}


def test_large_fonts_from_a_link_train_and_generate_clean():
    at = open_link(PAGE, {**SMALL, "large": "1"})
    assert _train_to_the_end(at).status == "done"
    assert_clean(at)
    assert at.session_state[STATE].large == 1


# --- a model loaded by the files section ------------------------------------------------------

@dataclasses.dataclass(frozen=True, eq=False)
class Loaded:  # the interface the files section hands the page: model, vocab, config, name
    model: object
    vocab: object
    config: object
    name: str


def test_a_model_loaded_after_the_run_is_the_one_generated_with_until_the_next_run():
    at = open_link(PAGE, SMALL)
    run = _train_to_the_end(at)
    cfg = dataclasses.replace(run.config.config, units=8)
    other = T.build_model(cfg, run.config.vocab.size)
    at.session_state[P.LOADED_KEY] = Loaded(other, run.config.vocab, cfg, "mine.json")
    at.run()
    assert_clean(at)
    assert any("**mine.json**" in i.value for i in at.info)
    assert _shown_text(at) == _generated(other, run.config.vocab, cfg, at.session_state[STATE])
    run = _train_to_the_end(at)  # a newer run: its model again
    assert_clean(at)
    assert not any("**mine.json**" in i.value for i in at.info)
    assert _shown_text(at) == _generated(run.models["lstm"], run.config.vocab, cfg, at.session_state[STATE])


def _generated(model, vocab, cfg, state):
    """The generated text's block as the page draws it, from the engine."""
    gen = T.generate(model, vocab, cfg, zen()[:cfg.window], state.length, temperatures=(state.temperature,),
                     seed=state.seed)
    return W.generation_html(gen, 0)


def _shown_text(at):
    """The page's generated-text block (the one with the cursor)."""
    return next(h for h in _html(at) if ' class="at"' in h)


def test_picking_your_own_settings_drops_the_experiment_and_keeps_the_settings():
    at = open_link(PAGE)  # the defaults are the first experiment's
    assert at.selectbox(key="tx_preset").value == PRESETS[0].name
    at.selectbox(key="tx_preset").set_value("(your own settings)").run()
    assert_clean(at)
    assert at.session_state[STATE] == TextState(preset=lessons.OWN)
    assert at.selectbox(key="tx_preset").value == "(your own settings)"
    assert not any(i.value.startswith(f"**{p.name}") for p in PRESETS for i in at.info)
    again = open_link(PAGE, dict(at.query_params))  # the link opens the same view
    assert again.selectbox(key="tx_preset").value == "(your own settings)"
    at.number_input(key="tx_seed").set_value(3).run()  # a changed setting is matched against the experiments again
    assert at.session_state[STATE].preset == ""
    at.selectbox(key="tx_preset").set_value(PRESETS[3].name).run()  # an experiment can be picked again
    assert at.session_state[STATE].preset == PRESETS[3].name
    assert any(i.value.startswith(f"**{PRESETS[3].name}.**") for i in at.info)
