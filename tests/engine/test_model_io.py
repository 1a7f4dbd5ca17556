"""A model's parameters: seeded init, torch state_dicts and JSON in and out, replacing arrays by name."""
import json

import numpy as np
import pytest

import lstm_core as lc
from modelkit import H, I, O, make_data, make_model


def test_init_is_seeded_and_shaped_like_torch():
    a = lc.Model.init("lstm", I, H, O, num_layers=2, bidirectional=True, seed=4, forget_bias=2.0)
    b = lc.Model.init("lstm", I, H, O, num_layers=2, bidirectional=True, seed=4, forget_bias=2.0)
    c = lc.Model.init("lstm", I, H, O, num_layers=2, bidirectional=True, seed=5, forget_bias=2.0)
    arrays = a.arrays()
    assert all(np.array_equal(v, b.arrays()[k]) for k, v in arrays.items())
    assert not np.array_equal(arrays["layers.0.fwd.W_f"], c.arrays()["layers.0.fwd.W_f"])
    assert not np.array_equal(arrays["layers.0.fwd.W_f"], arrays["layers.0.bwd.W_f"])
    assert arrays["layers.1.fwd.W_f"].shape == (H, H + 2 * H)  # layer 1 reads [fwd, bwd] of layer 0
    assert arrays["head.W"].shape == (O, 2 * H)
    assert np.all(arrays["layers.1.bwd.b_f"] == 2.0)
    assert list(arrays)[:2] == ["layers.0.fwd.W_f", "layers.0.fwd.W_i"]


def test_from_torch_puts_each_torch_name_in_its_layer_and_direction():
    rng = np.random.default_rng(2)
    gates = {"lstm": 4, "gru": 3, "rnn": 1}
    for kind, G in gates.items():
        sd = {}
        for l, size in enumerate([I, 2 * H]):
            for s in ("", "_reverse"):
                sd.update({f"weight_ih_l{l}{s}": rng.normal(size=(G * H, size)),
                           f"weight_hh_l{l}{s}": rng.normal(size=(G * H, H)),
                           f"bias_ih_l{l}{s}": rng.normal(size=G * H),
                           f"bias_hh_l{l}{s}": rng.normal(size=G * H)})
        head = {"weight": rng.normal(size=(O, 2 * H)), "bias": rng.normal(size=O)}
        model = lc.Model.from_torch(kind, sd, num_layers=2, bidirectional=True, head=head)
        cls = lc.CELLS[lc.canonical(kind)].params_cls
        for l, layer in enumerate(model.layers):
            for direction, s in (("fwd", ""), ("bwd", "_reverse")):
                want = cls.from_torch(*(sd[f"{n}_l{l}{s}"] for n in lc.model.TORCH_NAMES))
                got = getattr(layer, direction)
                assert all(np.array_equal(got.arrays()[k], v) for k, v in want.arrays().items())
        assert np.array_equal(model.head.W, head["weight"]) and np.array_equal(model.head.b, head["bias"])


def test_from_torch_rejects_a_state_dict_of_another_shape_by_name():
    model = lc.Model.init("rnn", I, H, num_layers=1)
    sd = {f"{k}_l0": v for k, v in model.layers[0].fwd.to_torch().items()}
    assert lc.Model.from_torch("rnn", sd, 1, False).layers[0].bwd is None
    with pytest.raises(ValueError, match="missing.*weight_ih_l1"):
        lc.Model.from_torch("rnn", sd, 2, False)
    with pytest.raises(ValueError, match="unexpected.*bias_hh_l0"):
        lc.Model.from_torch("rnn", sd, 0, False)
    with pytest.raises(ValueError, match="kind"):
        lc.Model.from_torch("transformer", sd, 1, False)
    with pytest.raises(ValueError, match="weight and bias"):
        lc.Model.from_torch("rnn", sd, 1, False, head={"W": np.ones((1, H))})


def test_to_dict_survives_json_and_gives_the_same_outputs():
    model = make_model("gru", num_layers=2, bidirectional=True)
    xs, _ = make_data(model)
    back = lc.Model.from_dict(json.loads(json.dumps(model.to_dict())))
    assert all(np.array_equal(back.arrays()[k], v) for k, v in model.arrays().items())
    np.testing.assert_array_equal(lc.model_forward(back, xs).y, lc.model_forward(model, xs).y)


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(kind="LSTMParams"), "kind 'Model'"),
    (lambda d: d.update(layers=[]), "non-empty"),
    (lambda d: d["layers"][0].update(kind="cnn"), "layer 0"),
    (lambda d: d["layers"].__setitem__(1, d["layers"][0]), "layer 1 reads 2 features"),
    (lambda d: d["head"].update(W=[[0.5] * H] * O), "head reads"),
    (lambda d: d["layers"][0].update(bwd=d["layers"][1]["bwd"]), "same shapes"),
    (lambda d: d["layers"][0]["fwd"].update(b_f=["x"] * H), "b_f must be numbers"),
])
def test_from_dict_explains_what_is_wrong(change, message):
    d = make_model(num_layers=2, bidirectional=True).to_dict()
    change(d)
    with pytest.raises(ValueError, match=message):
        lc.Model.from_dict(d)


def test_replace_arrays_returns_a_new_model_and_checks_names_and_shapes():
    model = make_model()
    new = model.replace_arrays({"head.b": np.array([1.0, -1.0])})
    assert np.array_equal(new.head.b, [1.0, -1.0]) and not np.array_equal(model.head.b, [1.0, -1.0])
    assert new.layers[0].fwd is model.layers[0].fwd  # untouched parts are shared, never copied
    with pytest.raises(ValueError, match="unknown parameter names"):
        model.replace_arrays({"head.c": np.zeros(O)})
    with pytest.raises(ValueError, match=r"head.b must have shape \(2,\)"):
        model.replace_arrays({"head.b": np.zeros(3)})
