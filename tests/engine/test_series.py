"""lstm_core.series: the seed's data preparation, reproduced exactly, and the baselines it must beat."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_core import series as S


def seed_create_dataset(dataset, look_back):
    """The source notes' function, verbatim apart from names (dataset is (n, 1))."""
    X, Y = [], []
    for i in range(len(dataset) - look_back - 1):
        X.append(dataset[i:i + look_back, 0])
        Y.append(dataset[i + look_back, 0])
    return np.array(X), np.array(Y)


def ramp(n, slope=2.0, start=5.0):
    """start, start + slope, ...: a series whose persistence error is known exactly."""
    return start + slope * np.arange(n, dtype=np.float64)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(2, 60), look_back=st.integers(1, 12), seed=st.integers(0, 2**16))
def test_create_dataset_equals_the_seeds_loop_including_its_minus_one(n, look_back, seed):
    values = np.random.default_rng(seed).normal(size=(n, 1))
    X, Y = S.create_dataset(values, look_back)
    X_seed, Y_seed = seed_create_dataset(values, look_back)
    assert len(X) == len(Y) == max(n - look_back - 1, 0)
    if len(X_seed):
        np.testing.assert_array_equal(X, X_seed)
        np.testing.assert_array_equal(Y, Y_seed)
    assert X.shape == (len(Y), look_back)


def test_create_dataset_accepts_a_vector_like_the_seeds_one_column_array():
    v = np.arange(20.0)
    for a, b in zip(S.create_dataset(v, 4), S.create_dataset(v[:, None], 4)):
        np.testing.assert_array_equal(a, b)


def test_split_point_is_the_seeds_int_of_n_times_fraction():
    assert S.split_point(1461, 0.8, 10) == int(1461 * 0.8) == 1168
    assert S.split_point(123, 0.8, 10) == 98


@pytest.mark.parametrize("n, fraction, look_back", [(30, 0.8, 10), (30, 0.2, 10), (11, 0.5, 4)])
def test_split_point_refuses_a_part_too_short_for_one_window(n, fraction, look_back):
    with pytest.raises(ValueError, match=f"needs at least {look_back + 2} values in each part"):
        S.split_point(n, fraction, look_back)


def test_split_point_says_what_would_fit():
    with pytest.raises(ValueError, match="allows a window of at most 23, or keep this window with a training "
                                         "part nearer 50 %"):
        S.split_point(123, 0.8, 24)
    with pytest.raises(ValueError, match="no split of 123 values fits this window"):
        S.split_point(123, 0.5, 60)


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.1, 1.5])
def test_split_point_refuses_a_fraction_outside_zero_one(fraction):
    with pytest.raises(ValueError, match="between 0 and 1"):
        S.split_point(100, fraction)


def test_scaler_maps_min_and_max_to_0_and_1_and_inverts_exactly():
    v = np.array([3.0, -1.0, 7.0, 2.5])
    sc = S.MinMaxScaler.fit(v)
    z = sc.transform(v)
    assert (z.min(), z.max()) == (0.0, 1.0)
    np.testing.assert_allclose(sc.inverse(z), v, rtol=0, atol=1e-12)


def test_scaler_refuses_a_constant_series_with_a_readable_message():
    with pytest.raises(ValueError, match="constant series"):
        S.MinMaxScaler.fit(np.full(10, 4.2))


def test_scaler_refuses_nan():
    with pytest.raises(ValueError, match="finite"):
        S.MinMaxScaler.fit(np.array([1.0, np.nan, 2.0]))


def test_leaky_scaler_keeps_test_in_0_1_and_leak_free_lets_a_rising_test_part_exceed_1():
    v = ramp(50)
    n_train = S.split_point(50, 0.8, 3)
    leaky = S.fit_scaler(v, n_train, leak=True).transform(v[n_train:])
    free = S.fit_scaler(v, n_train, leak=False).transform(v[n_train:])
    assert leaky.max() == 1.0
    assert free.min() > 1.0  # every test value lies above the training maximum
    assert S.fit_scaler(v, n_train, leak=False) == S.MinMaxScaler.fit(v[:n_train])


def test_make_windows_splits_first_then_windows_each_part_like_the_seed():
    v = np.random.default_rng(0).normal(size=57)
    n_train, L = S.split_point(57, 0.8, 5), 5
    w = S.make_windows(v, n_train, L)
    for X, y, ref in ((w.X_train, w.y_train, v[:n_train]), (w.X_test, w.y_test, v[n_train:])):
        X_seed, y_seed = seed_create_dataset(ref[:, None], L)
        np.testing.assert_array_equal(X, X_seed)
        np.testing.assert_array_equal(y, y_seed)


def test_window_targets_are_the_documented_series_rows():
    n, L = 40, 4
    v = np.arange(n, dtype=np.float64)  # each value is its own row number
    n_train = S.split_point(n, 0.75, L)
    w = S.make_windows(v, n_train, L)
    np.testing.assert_array_equal(w.t_train, np.arange(L, n_train - 1))
    np.testing.assert_array_equal(w.t_test, np.arange(n_train + L, n - 1))
    np.testing.assert_array_equal(w.y_train, w.t_train)
    np.testing.assert_array_equal(w.y_test, w.t_test)
    assert w.X_test.min() >= n_train  # no test window reaches back into the training part
    for X, t in ((w.X_train, w.t_train), (w.X_test, w.t_test)):
        np.testing.assert_array_equal(X, t[:, None] - L + np.arange(L))
    never = set(range(n)) - set(w.t_train) - set(w.t_test)
    assert {n_train - 1, n - 1} <= never


def test_layout_one_step_is_one_step_of_look_back_features_and_steps_is_look_back_steps():
    X = np.arange(12.0).reshape(3, 4)
    assert S.layout(X, "one_step").shape == (3, 1, 4)
    assert S.layout(X, "steps").shape == (3, 4, 1)
    np.testing.assert_array_equal(S.layout(X, "one_step")[:, 0, :], X)
    np.testing.assert_array_equal(S.layout(X, "steps")[:, :, 0], X)
    assert set(S.LAYOUTS) == {"one_step", "steps"}
    with pytest.raises(ValueError, match="layout"):
        S.layout(X, "sideways")


def test_persistence_is_the_last_value_and_moving_average_the_mean_of_the_last_k():
    X = np.array([[1.0, 2.0, 6.0], [4.0, 0.0, 2.0]])
    np.testing.assert_array_equal(S.persistence(X), [6.0, 2.0])
    np.testing.assert_array_equal(S.moving_average(X, 1), S.persistence(X))
    np.testing.assert_array_equal(S.moving_average(X, 2), [4.0, 1.0])
    np.testing.assert_array_equal(S.moving_average(X, 3), [3.0, 2.0])
    for k in (0, 4):
        with pytest.raises(ValueError, match="1 <= k"):
            S.moving_average(X, k)


def test_linear_ar_recovers_known_coefficients_by_least_squares():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 3))
    truth = np.array([0.7, -0.2, 0.1, 0.9])  # intercept, then oldest .. newest
    y = truth[0] + X @ truth[1:]
    coef = S.fit_linear_ar(X, y)
    np.testing.assert_allclose(coef, truth, atol=1e-12)
    np.testing.assert_allclose(S.linear_ar(coef, X), y, atol=1e-12)


def test_rmse_and_mae_on_known_errors():
    pred, true = np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.0, 0.0, 3.0, 8.0])
    assert S.rmse(pred, true) == pytest.approx(np.sqrt((4 + 16) / 4))
    assert S.mae(pred, true) == pytest.approx(6 / 4)
    with pytest.raises(ValueError, match="shape"):
        S.rmse(pred, true[:3])


def test_recursive_forecast_with_persistence_repeats_the_last_value():
    windows = np.array([[1.0, 2.0, 3.0], [5.0, 4.0, 7.0]])
    out = S.recursive_forecast(S.persistence, windows, 4)
    np.testing.assert_array_equal(out, [[3.0] * 4, [7.0] * 4])
    np.testing.assert_array_equal(windows, [[1.0, 2.0, 3.0], [5.0, 4.0, 7.0]])  # input untouched


def test_recursive_forecast_feeds_predictions_back_so_an_exact_model_continues_the_series():
    x = np.arange(30.0) * 3 + 1
    L = 4
    coef = S.fit_linear_ar(*S.create_dataset(x, L))
    out = S.recursive_forecast(lambda w: S.linear_ar(coef, w), x[None, :L], 20)
    np.testing.assert_allclose(out[0], x[L:L + 20], atol=1e-8)


def test_recursive_forecast_horizon_one_is_one_prediction():
    W = np.random.default_rng(2).normal(size=(6, 5))
    np.testing.assert_array_equal(S.recursive_forecast(lambda w: S.moving_average(w, 2), W, 1)[:, 0],
                                  S.moving_average(W, 2))


def test_horizon_errors_of_persistence_on_a_ramp_grow_by_the_slope_in_original_units():
    v = ramp(60, slope=2.0)
    sc = S.MinMaxScaler.fit(v)
    L, horizon = 5, 6
    origins = S.forecast_origins(60, 48, L, horizon)
    err = S.horizon_errors(S.persistence, sc.transform(v), origins, L, horizon, sc)
    np.testing.assert_allclose(err, 2.0 * np.arange(1, horizon + 1), rtol=1e-12)
    raw = S.horizon_errors(S.persistence, v, origins, L, horizon, None)
    np.testing.assert_allclose(raw, err, rtol=1e-12)


def test_forecast_origins_keep_window_and_horizon_inside_the_test_part():
    origins = S.forecast_origins(100, 80, 10, 5)
    assert origins[0] == 90 and origins[-1] == 95
    with pytest.raises(ValueError, match="full window"):
        S.horizon_errors(S.persistence, np.arange(20.0), [3], 5, 2, None)
    with pytest.raises(ValueError, match="rows after"):
        S.horizon_errors(S.persistence, np.arange(20.0), [19], 5, 2, None)
