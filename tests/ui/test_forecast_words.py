"""ui.forecast.words: the sentences built from the engine's numbers say what those numbers say."""
import numpy as np
import pytest

from lstm_core import forecast as F
from lstm_core import series as S
from ui.forecast import words as W
from ui.forecast.data import Series
from ui.forecast.figures import METHOD_NAMES


def _errors(lstm, persistence, moving_average=50.0, linear_ar=40.0):
    """Errors as evaluate_forecast gives them; train errors half the test ones."""
    test = {"lstm": lstm, "persistence": persistence, "moving_average": moving_average, "linear_ar": linear_ar}
    return {m: {"train_rmse": v / 2, "train_mae": v / 3, "test_rmse": v, "test_mae": v * 0.8}
            for m, v in test.items()}


def _series(values):
    values = np.asarray(values, dtype=np.float64)
    dates = np.datetime64("2020-01-01") + np.arange(values.size).astype("timedelta64[D]")
    return Series(key="t", name="test", unit="°C", dates=dates, values=values, note="")


def test_verdict_when_the_lstm_loses_names_the_winner_and_the_ratio():
    text = W.verdict(_errors(lstm=36.1, persistence=13.0, linear_ar=17.4), "USD")
    assert text.startswith(f"**Best on the test windows: {METHOD_NAMES['persistence']}.**")
    assert "The LSTM loses to *tomorrow = today*: test RMSE 36.1 USD against 13.0 USD, 2.78× the error" in text


def test_verdict_when_the_lstm_wins_says_by_how_much_lower():
    text = W.verdict(_errors(lstm=2.87, persistence=3.10), "°C")
    assert text.startswith("**Best on the test windows: LSTM.**")
    assert "The LSTM beats *tomorrow = today*: test RMSE 2.87 °C against 3.10 °C (7.4 % lower)." in text
    big = W.verdict(_errors(lstm=1.0, persistence=4.0), "")
    assert "test RMSE 1.00 against 4.00 (75 % lower)" in big  # no unit: no trailing space


def test_verdict_never_rounds_a_win_to_0_percent_or_a_loss_to_1x():
    assert "(0.4 % lower)" in W.verdict(_errors(lstm=0.996, persistence=1.0), "")
    assert "1.02× the error" in W.verdict(_errors(lstm=1.02, persistence=1.0), "")


def test_verdict_best_can_be_a_baseline_while_the_lstm_beats_persistence():
    text = W.verdict(_errors(lstm=2.9, persistence=3.1, linear_ar=2.8), "°C")
    assert text.startswith("**Best on the test windows: linear autoregression.**") and "beats" in text


def test_verdict_on_a_tie_and_on_an_exact_persistence():
    tie = W.verdict(_errors(lstm=2.0, persistence=2.0), "")
    assert "persistence" in tie.split("**")[1] and "ties with *tomorrow = today*" in tie
    exact = W.verdict(_errors(lstm=0.5, persistence=0.0), "")
    assert "exact on these test windows" in exact and "inf" not in exact


def test_error_rows_one_row_per_method_three_decimals_with_the_unit():
    errors = _errors(lstm=36.10981, persistence=12.999)
    rows = W.error_rows(errors, "USD")
    assert [r["method"] for r in rows] == [METHOD_NAMES[m] for m in errors]
    assert rows[0] == {"method": "LSTM", "train RMSE (USD)": "18.055", "train MAE (USD)": "12.037",
                       "test RMSE (USD)": "36.110", "test MAE (USD)": "28.888"}
    assert rows[1]["test RMSE (USD)"] == "12.999"
    assert set(W.error_rows(errors, "")[0]) == {"method", "train RMSE", "train MAE", "test RMSE", "test MAE"}


def test_horizon_words_give_the_first_and_last_step_and_the_windows_scored():
    horizon = {"lstm": np.array([2.5, 3.0, 4.25]), "persistence": np.array([3.1, 4.0, 5.0])}
    text = W.horizon_words(horizon, 1234, "°C")
    assert "the LSTM's RMSE goes from 2.50 °C one step ahead to 4.25 °C 3 steps ahead" in text
    assert "persistence's from 3.10 °C to 5.00 °C" in text
    assert "Scored over the 1,234 test windows that have 3 true values after them" in text


def test_horizon_words_on_a_real_report():
    values = 20 + 5 * np.sin(np.arange(100) / 6)
    cfg = F.ForecastConfig(look_back=5, layers=1, units=3, epochs=1, horizon=4)
    report = F.evaluate_forecast(values, cfg, F.fit(values, cfg))
    text = W.horizon_words(report.horizon, report.origins, "")
    assert f"over the {report.origins} test windows that have 4 true values" in text
    assert report.origins == 100 - 4 - (80 + 5) + 1  # origins n_train + L .. n - horizon


def test_leak_words_inside_the_training_range():
    values = np.r_[0.0, 10.0, np.linspace(2, 8, 48), np.linspace(3, 7, 50)]  # extremes in the training part
    n_train = 50
    text = W.leak_words(_series(values), n_train)
    assert "the test values span 0.30 to 0.70" in text
    assert "the leak changes nothing: the training part already holds the extremes" in text
    assert S.fit_scaler(values, n_train, leak=True) == S.fit_scaler(values, n_train, leak=False)


def test_leak_words_outside_the_training_range():
    values = np.r_[np.linspace(0, 10, 50), np.linspace(-1, 15, 50)]
    text = W.leak_words(_series(values), 50)
    fair = (np.linspace(-1, 15, 50) - 0) / 10
    out = int(np.sum((fair < 0) | (fair > 1)))
    assert "the test values span −0.10 to 1.50" in text
    assert f"the leaky scaler hides that {out} of the 50 test values leave the training range" in text
    below = W.leak_words(_series(np.r_[np.linspace(0, 10, 50), np.linspace(-2, 5, 50)]), 50)
    assert "span −0.20 to 0.50" in below and "of the 50 test values leave the training range" in below


def test_outside_range_names_the_span_and_counts_the_values_outside():
    text = W.outside_range(np.array([-0.072, 0.2, 0.496, 1.01]))
    assert "span −0.07 to 1.01: 2 of 4 lie outside 0..1" in text


def test_few_test_windows_and_too_few_origins_are_said():
    assert W.few_test_words(W.FEW_TEST) == ""
    assert "Only 1 test window: a score over so few is mostly luck" in W.few_test_words(1)
    assert "only 6 test windows have 10 true values after them" in W.no_horizon_words(6, 10)
    assert "only 1 test window has 10 true values after it" in W.no_horizon_words(1, 10)


def test_too_big_names_the_limits_and_the_experiment_that_fits():
    text = W.too_big(4, 3)
    assert "up to H = 4 units and I = 3 inputs" in text and "at most 4 units" in text
    assert "*A real sequence: look_back steps*" in text
    from ui.forecast.lessons import PRESETS
    assert "A real sequence: look_back steps" in [p.name for p in PRESETS]


def test_split_and_data_size_words_count_the_windows():
    values = np.arange(123.0)
    cfg = F.ForecastConfig()
    w = S.make_windows(values, 98, 10)
    text = W.split_words(_series(values), 98, len(w.y_train), len(w.y_test), cfg)
    assert text.startswith("123 values: the first 98 (80%) train, the last 25 test.")
    assert "give 87 training examples and 14 test examples" in text
    assert "the first 10 values of each part get no prediction" in text
    assert W.data_size_words(123, 87, cfg) == ("This series: 123 values, 87 training windows, 3 batches an "
                                               "epoch, 300 Adam steps in 100 epochs.")


@pytest.mark.parametrize("x, shown", [(13.0, "13.0 USD"), (2.8686, "2.87 USD"), (105.2, "105 USD"),
                                      (0.001234, "0.00123 USD")])
def test_numbers_keep_three_significant_figures(x, shown):
    assert W._number(x, "USD") == shown
