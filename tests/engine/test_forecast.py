"""lstm_core.forecast: the notes' recipe as a generator, checked against hand-built loops and formulas.

Small seeded configs on a short synthetic series keep every test fast; the recipe's own sizes are
exercised by tests/ui/test_forecast_lessons.py.
"""
import dataclasses

import numpy as np
import pytest

from lstm_core import forecast as F
from lstm_core import series as S
from lstm_core.batching import minibatches, predict, steps_per_epoch
from lstm_core.losses import mse_loss
from lstm_core.model import Model
from lstm_core.optim import Adam
from lstm_core.training import train

SMALL = F.ForecastConfig(look_back=5, layers=2, units=4, epochs=3, batch_size=16, horizon=4)


@pytest.fixture(scope="module")
def values():
    """A noisy sine of 100 values: 80 train (74 windows, 5 batches of 16), 20 test (14 windows)."""
    t = np.arange(100, dtype=np.float64)
    return 20 + 5 * np.sin(t / 6) + np.random.default_rng(3).normal(0, 0.5, t.size)


def _items(values, config, model=None):
    return list(F.run_forecast(values, config, model))


def _arrays_equal(a, b):
    return a.arrays().keys() == b.arrays().keys() and all(
        np.array_equal(x, b.arrays()[k]) for k, x in a.arrays().items())


@pytest.mark.parametrize("change, words", [
    ({"look_back": 0}, "look back must be a whole number in 1..60, got 0"),
    ({"look_back": 2.5}, "look back must be a whole number"),
    ({"layers": 4}, "layers must be a whole number in 1..3"),
    ({"units": 0}, "units must be a whole number in 1..128"),
    ({"epochs": True}, "epochs must be a whole number"),
    ({"batch_size": 5000}, "batch size must be a whole number in 1..4096"),
    ({"horizon": 61}, "horizon must be a whole number in 1..60"),
    ({"seed": -1}, "seed must be a whole number"),
    ({"train_fraction": 1.0}, "train fraction"),
    ({"train_fraction": 0.0}, "train fraction"),
    ({"lr": 0.0}, "learning rate"),
    ({"lr": float("nan")}, "learning rate"),
    ({"eps": -1e-7}, "epsilon"),
    ({"layout": "sideways"}, "layout must be one of"),
    ({"init": "xavier"}, "init must be one of"),
])
def test_validate_refuses_each_bad_setting_with_a_readable_message(change, words):
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(".", r"\.")):
        F.validate(dataclasses.replace(F.ForecastConfig(), **change))


def test_validate_accepts_the_notes_recipe_and_refuses_what_is_not_a_config():
    cfg = F.ForecastConfig()
    assert F.validate(cfg, 1461) is cfg
    with pytest.raises(ValueError, match="needs a ForecastConfig, got dict"):
        F.validate({"look_back": 10})


def test_validate_refuses_a_series_too_short_for_the_split_and_window():
    cfg = F.ForecastConfig(look_back=10)  # each part needs 12 rows: 56 values split 44 / 12
    assert F.validate(cfg, 56) is cfg
    with pytest.raises(ValueError, match=r"at least 12 values in each part, but the 55 values split 44 for "
                                         r"training and 11 for testing") as err:
        F.validate(cfg, 55)
    assert "allows a window of at most 9" in str(err.value)
    with pytest.raises(ValueError, match="needs at least 12 values in each part"):
        F.prepare(np.arange(55.0), cfg)


def test_validate_refuses_more_values_than_max_values():
    cfg = F.ForecastConfig()
    assert F.validate(cfg, F.MAX_VALUES) is cfg
    with pytest.raises(ValueError, match="20,001 values; a forecast reads at most 20,000"):
        F.validate(cfg, F.MAX_VALUES + 1)


def test_run_forecast_refuses_a_bad_config_before_training(values):
    with pytest.raises(ValueError, match="units"):
        F.run_forecast(values, dataclasses.replace(SMALL, units=500))


@pytest.mark.parametrize("layout", ["one_step", "steps"])
def test_each_epoch_is_steps_per_epoch_adam_steps_and_reports_their_mean_loss(values, layout):
    cfg = dataclasses.replace(SMALL, layout=layout)
    items = _items(values, cfg)
    assert [i["epoch"] for i in items] == [1, 2, 3] == [i["step"] for i in items]
    assert [i["done"] for i in items] == [False, False, True]

    # the same fit by hand: the engine's minibatches fed to train, one epoch's steps at a time
    prep = F.prepare(values, cfg)
    w = prep.windows
    X, Y = S.layout(w.X_train, layout), w.y_train[:, None]
    per_epoch = steps_per_epoch(len(Y), cfg.batch_size)
    assert per_epoch == 5 and len(Y) == 74  # 4 full batches of 16 and the partial one of 10
    batches = minibatches(X, Y, batch_size=cfg.batch_size, epochs=cfg.epochs, seed=cfg.seed)
    steps = list(train(F.build_model(cfg), batches, lambda y, t, lengths: mse_loss(y, t),
                       Adam(lr=cfg.lr, eps=cfg.eps, eps_placement="keras"), steps=10 ** 6))  # runs until the batches run out
    assert len(steps) == cfg.epochs * per_epoch == F.total_steps(len(Y), cfg)
    X_test, y_test = S.layout(w.X_test, layout), w.y_test
    for epoch, item in enumerate(items):
        mine = steps[epoch * per_epoch:(epoch + 1) * per_epoch]
        assert item["loss"] == pytest.approx(np.mean([s["loss"] for s in mine]), rel=1e-12)
        assert _arrays_equal(item["model"], mine[-1]["model"])  # the model after exactly these steps
        test_mse = np.mean((predict(item["model"], X_test)[:, 0] - y_test) ** 2)
        assert item["test_loss"] == pytest.approx(test_mse, rel=1e-12)
    assert not _arrays_equal(items[-1]["model"], steps[-2]["model"])  # one step fewer is another model


def test_same_seed_gives_the_same_fit_and_another_seed_another(values):
    a, b = _items(values, SMALL), _items(values, SMALL)
    c = _items(values, dataclasses.replace(SMALL, seed=1))
    assert [i["loss"] for i in a] == [i["loss"] for i in b]
    assert [i["test_loss"] for i in a] == [i["test_loss"] for i in b]
    assert _arrays_equal(a[-1]["model"], b[-1]["model"])
    assert [i["loss"] for i in a] != [i["loss"] for i in c]
    assert not _arrays_equal(a[-1]["model"], c[-1]["model"])


def test_the_kept_model_is_the_last_epochs_and_training_can_resume_from_a_given_model(values):
    items = _items(values, SMALL)
    assert all(i["best_step"] == i["epoch"] for i in items)
    again = _items(values, dataclasses.replace(SMALL, epochs=1), model=items[-1]["model"])
    assert not _arrays_equal(again[-1]["model"], items[-1]["model"])  # it trained on from there
    assert again[-1]["test_loss"] != _items(values, dataclasses.replace(SMALL, epochs=1))[-1]["test_loss"]


def _without(model, layers, part):
    """The model with, in the given layers, the forget gate (W_f, b_f) or the recurrent weights (every
    gate's columns on h_{t-1}) set to zero."""
    def cut(cell):
        if part == "forget gate":
            return cell.replace(W_f=np.zeros_like(cell.W_f), b_f=np.zeros_like(cell.b_f))
        H = cell.hidden_size
        return cell.replace(**{f"W_{g}": np.hstack([np.zeros((H, H)), getattr(cell, f"W_{g}")[:, H:]])
                               for g in "fico"})
    new = tuple(dataclasses.replace(layer, fwd=cut(layer.fwd)) if k in layers else layer
                for k, layer in enumerate(model.layers))
    return dataclasses.replace(model, layers=new)


@pytest.mark.parametrize("part", ["forget gate", "recurrence"])
def test_one_step_layout_never_uses_the_forget_gate_or_recurrence_and_steps_layout_does(values, part):
    """The page's claim: with (samples, 1, look_back) each LSTM runs one step from h = C = 0, so f_t * C_{t-1}
    and the recurrent weights' W . h_{t-1} are 0 whatever those weights are; with (samples, look_back, 1)
    they shape the answer."""
    preds = {}
    for layout in ("one_step", "steps"):
        cfg = dataclasses.replace(SMALL, layout=layout)
        model = _items(values, cfg)[-1]["model"]
        X = S.layout(F.prepare(values, cfg).windows.X_test, layout)
        assert X.shape[1] == (1 if layout == "one_step" else cfg.look_back)  # T, the steps the LSTM runs
        preds[layout] = [predict(m, X) for m in
                         (model, _without(model, {0}, part), _without(model, {0, 1}, part))]
    full, layer0, both = preds["one_step"]
    np.testing.assert_allclose(layer0, full, rtol=0, atol=1e-14)
    np.testing.assert_allclose(both, full, rtol=0, atol=1e-14)
    full, layer0, both = preds["steps"]
    assert np.abs(layer0 - full).max() > 1e-3 and np.abs(both - full).max() > 1e-3


def test_build_model_is_the_notes_stack_with_keras_init_by_default():
    cfg = F.ForecastConfig()
    model = F.build_model(cfg)
    assert cfg.init == "keras" and model.readout == "last" and len(model.layers) == 2
    assert model.layers[0].fwd.input_size == 10 and model.layers[1].fwd.input_size == 50
    assert model.head.W.shape == (1, 50)
    keras = Model.init("lstm", 10, 50, 1, num_layers=2, seed=0, init="keras", readout="last")
    torch = Model.init("lstm", 10, 50, 1, num_layers=2, seed=0, init="torch", readout="last")
    assert _arrays_equal(model, keras) and not _arrays_equal(model, torch)
    cell = model.layers[0].fwd
    assert np.all(cell.b_f == 1.0) and not cell.b_i.any() and not model.head.b.any()  # unit forget bias
    steps = F.build_model(dataclasses.replace(cfg, layout="steps"))
    assert steps.layers[0].fwd.input_size == 1


@pytest.fixture(scope="module")
def fitted(values):
    cfg = dataclasses.replace(SMALL, epochs=5)
    return cfg, F.fit(values, cfg)


@pytest.mark.parametrize("leak", [True, False])
def test_evaluate_forecast_errors_are_rmse_and_mae_of_the_inverse_transformed_predictions(values, fitted, leak):
    cfg, model = fitted
    cfg = dataclasses.replace(cfg, leak=leak)
    report = F.evaluate_forecast(values, cfg, model)
    n_train = int(values.size * 0.8)
    part = values if leak else values[:n_train]
    lo, hi = part.min(), part.max()
    scaled = (values - lo) / (hi - lo)
    L = cfg.look_back
    # the notes' windows by hand: targets at rows L .. n_train - 2 and n_train + L .. n - 2
    t_train, t_test = np.arange(L, n_train - 1), np.arange(n_train + L, values.size - 1)
    np.testing.assert_array_equal(report.t_train, t_train)
    np.testing.assert_array_equal(report.t_test, t_test)
    for t, pred, key in ((t_train, report.pred_train, "train"), (t_test, report.pred_test, "test")):
        X = np.stack([scaled[r - L:r] for r in t])[:, None, :]
        mine = predict(model, X)[:, 0] * (hi - lo) + lo
        np.testing.assert_allclose(pred, mine, rtol=1e-12)
        err = mine - values[t]
        assert report.errors["lstm"][f"{key}_rmse"] == pytest.approx(np.sqrt(np.mean(err ** 2)), rel=1e-10)
        assert report.errors["lstm"][f"{key}_mae"] == pytest.approx(np.mean(np.abs(err)), rel=1e-10)
    test_scaled = scaled[n_train:]
    assert report.scaled_test_range == pytest.approx((test_scaled.min(), test_scaled.max()))


def test_baselines_in_the_report_are_the_series_functions_on_the_same_windows(values, fitted):
    cfg, model = fitted
    report = F.evaluate_forecast(values, cfg, model)
    prep = F.prepare(values, cfg)
    w, sc = prep.windows, prep.scaler
    coef = S.fit_linear_ar(w.X_train, w.y_train)
    expected = {"persistence": S.persistence(w.X_test), "moving_average": S.moving_average(w.X_test, cfg.look_back),
                "linear_ar": S.linear_ar(coef, w.X_test)}
    assert set(report.baseline_test) == set(expected) and set(report.errors) == set(F.METHODS)
    truth = sc.inverse(w.y_test)
    for method, scaled_pred in expected.items():
        np.testing.assert_allclose(report.baseline_test[method], sc.inverse(scaled_pred), rtol=1e-12)
        assert report.errors[method]["test_rmse"] == pytest.approx(S.rmse(sc.inverse(scaled_pred), truth))
        assert report.errors[method]["test_mae"] == pytest.approx(S.mae(sc.inverse(scaled_pred), truth))
    # persistence on the original values: each test window's last value against its target
    np.testing.assert_allclose(report.baseline_test["persistence"], values[w.t_test - 1], rtol=1e-12)
    scaled = sc.transform(values)
    origins = S.forecast_origins(values.size, prep.n_train, cfg.look_back, cfg.horizon)
    np.testing.assert_allclose(report.horizon["persistence"],
                               S.horizon_errors(S.persistence, scaled, origins, cfg.look_back, cfg.horizon, sc))
    assert all(len(h) == cfg.horizon for h in report.horizon.values())


def _errors(**test_rmse):
    return {m: {"test_rmse": test_rmse[m], "train_rmse": 0.0} for m in F.METHODS}


def test_winner_is_the_lowest_test_rmse_and_a_tie_goes_to_the_simpler_method():
    assert F.winner(_errors(lstm=1.0, persistence=2.0, moving_average=3.0, linear_ar=1.5)) == "lstm"
    assert F.winner(_errors(lstm=2.0, persistence=2.5, moving_average=3.0, linear_ar=1.5)) == "linear_ar"
    assert F.winner(_errors(lstm=1.0, persistence=1.0, moving_average=1.0, linear_ar=1.0)) == "persistence"
    assert F.winner(_errors(lstm=1.0, persistence=2.0, moving_average=3.0, linear_ar=1.0)) == "linear_ar"
    assert F.winner(_errors(lstm=1.0, persistence=2.0, moving_average=1.0, linear_ar=1.0)) == "moving_average"
    assert F.winner(_errors(lstm=3.0, persistence=2.0, moving_average=1.0, linear_ar=3.0),
                    metric="train_rmse") == "persistence"


def test_a_diverged_fit_raises_floating_point_error_with_a_message(values):
    cfg = dataclasses.replace(SMALL, layers=1)
    model = F.build_model(cfg)
    huge = model.replace_arrays({k: a * 1e300 if k.startswith("head") else a for k, a in model.arrays().items()})
    with np.errstate(all="ignore"), pytest.raises(FloatingPointError, match="diverged at epoch 1.*learning rate"):
        _items(values, cfg, model=huge)


def test_check_refuses_a_constant_training_part_which_the_leak_free_scaler_cannot_scale():
    values = np.r_[np.ones(80), np.arange(20.0)]
    with pytest.raises(ValueError, match="training part .* is constant"):
        F.check(values, F.ForecastConfig())
    assert F.check(np.r_[np.arange(80.0), np.ones(20)], F.ForecastConfig()) == F.ForecastConfig()
