"""The "Reading the units" section in a running script (AppTest) on the hand-wired quote model:
it draws the coloured text and finds unit 0, its widgets write the state (and the link), the
best-unit button colours by it, and bad input gets a message, never a traceback."""
from streamlit.testing.v1 import AppTest

from tests.engine.test_units import TEXT


def script(generated):
    """A page of one section, bound to the Writing-text page's Store: the quote model of
    tests/engine/test_units.py on its quoted text."""
    import streamlit as st

    from lstm_core import text as tx
    from tests.engine.test_units import TEXT, quote_model
    from ui.text import units_panel
    from ui.text.controls import TEXT as STORE

    vocab = tx.vocabulary(TEXT)
    model, config = quote_model(vocab)
    if "model" not in st.session_state:  # one model object for the session, as a run keeps it
        st.session_state["model"] = model
    units_panel.section(st.session_state["model"], vocab, config, TEXT, generated, STORE.current(), False)


def run(generated="", **query):
    at = AppTest.from_function(script, default_timeout=60, args=(generated,))
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def html_of(at):
    return "".join(e.proto.body for e in at.get("html"))


def state(at):
    return at.session_state["text_state"]


def test_the_section_colours_the_text_and_finds_the_quote_unit():
    at = run(unit="3", feature="quotes")
    assert "Reading the units" in [h.value for h in at.subheader]
    assert html_of(at).count("<span class=") == len(TEXT)
    table = next(m.value for m in at.markdown if m.value.startswith("| Feature"))
    row = next(line for line in table.splitlines() if line.startswith("| inside quotes"))
    assert row.split("|")[2].strip() == "1" and float(row.split("|")[3]) > 0.95  # unit 0, counted from 1
    assert at.get("plotly_chart")
    button = at.button(key="tu_best")
    assert button.label == "Colour the text by unit 1" and not button.disabled
    button.click().run()
    assert state(at).unit == 0 and at.number_input(key="tu_unit").value == 1
    assert at.button(key="tu_best").disabled


def test_the_widgets_write_the_state_and_the_link():
    at = run()
    at.selectbox(key="tu_signal").set_value("f").run()
    at.number_input(key="tu_unit").set_value(5).run()  # unit 5 counted from 1: index 4
    at.selectbox(key="tu_feature").set_value("space").run()
    assert (state(at).signal, state(at).unit, state(at).feature) == ("f", 4, "space")
    assert at.query_params["signal"] == "f" and at.query_params["unit"] == "4"
    assert "fₜ = " in html_of(at) and "0 closed" in html_of(at)


def test_a_feature_the_text_lacks_gets_a_sentence_instead_of_a_chart():
    at = run(feature="brackets")
    assert any("it has no brackets" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_the_generated_text_is_coloured_and_its_absence_said():
    at = run(colour="generated")
    assert any("Nothing has been generated yet" in c.value for c in at.caption)
    at = run('She said "yes".', colour="generated")
    assert html_of(at).count("<span class=") == len('She said "yes".')


def test_characters_the_model_does_not_know_get_a_message():
    at = run("Zebra!", colour="generated")
    assert any("cannot be read" in w.value and "'Z'" in w.value for w in at.warning)


def test_a_unit_or_layer_beyond_the_model_is_shown_at_its_last():
    at = run(unit="200", layer="2")
    assert at.number_input(key="tu_unit").value == 128  # the quote model: one layer of 128 units
