"""lstm_core: a small, exact, fully traced NumPy LSTM (and RNN, GRU) for teaching.

    import lstm_core as lc
    p = lc.LSTMParams.init(input_size=1, hidden_size=4, seed=0)
    trace = lc.lstm_forward(p, xs)            # every gate at every step
    grads = lc.lstm_backward(p, trace, dh)    # exact backprop through time
    step = lc.lstm_step(p, x_t, h_prev, c_prev)   # one step, one line per equation (reference.py)

Where things are: `reference.py` the readable one-step cells; `lstm.py`, `lstm_bptt.py`, `rnn.py`,
`gru.py` the fast cells; `cells.py` the registry of cell kinds; `model.py`, `model_pass.py`
stacked and bidirectional models (`init.py` Keras-style initialisers, `batching.py` mini-batches
and prediction); `losses.py`, `optim.py`, `training.py` training; `flow.py`,
`jacobian.py` gradient flow through time; `tasks.py`, `lab.py` the training lab; `series.py`,
`forecast.py` forecasting; `text.py`, `units.py` character-level text and reading its units;
`seq2seq.py` the encoder–decoder on digit strings; `sentiment.py` (with `sentiment_data.py`,
`sentiment_model.py`) the word-level sentiment LSTM, its bag-of-words baseline and padding check;
`costs.py` each kind's parameter count and multiply-adds per step.
"""
from . import flow, sentiment, seq2seq, text, units
from .cells import CELLS, KINDS, Cell, canonical
from .gru import GRUGrads, GRUParams, GRUTrace, gru_backward, gru_forward
from .jacobian import JacobianNorms, jacobian_norms
from .lab import LabConfig, run_lab, sweep
from .losses import accuracy, mse_loss, softmax_cross_entropy
from .lstm import LSTMGrads, LSTMParams, LSTMTrace, lstm_forward
from .lstm_bptt import lstm_backward
from .batching import batch_first, epoch_order, minibatches, predict, steps_per_epoch, time_major
from .init import INITS, glorot_uniform, orthogonal
from .model import READOUTS, Dense, Layer, Model
from .model_pass import ModelGrads, ModelTrace, length_mask, model_backward, model_forward, prediction
from .optim import SGD, Adam, clip_by_global_norm, global_norm
from .lstm import STEP_FIELDS
from .reference import LSTMStep, LSTMStepGrads, gru_step, lstm_step, lstm_step_backward, rnn_step
from .rnn import RNNGrads, RNNParams, RNNTrace, rnn_backward, rnn_forward
from .tasks import TASKS, TaskData, make_task, task_loss, task_metric
from .training import evaluate, train

__all__ = [
    "flow", "sentiment", "seq2seq", "text", "units",
    "CELLS", "KINDS", "Cell", "canonical",
    "LSTMParams", "LSTMTrace", "LSTMGrads", "STEP_FIELDS", "lstm_forward", "lstm_backward",
    "LSTMStep", "LSTMStepGrads", "lstm_step", "lstm_step_backward", "rnn_step", "gru_step",
    "RNNParams", "RNNTrace", "RNNGrads", "rnn_forward", "rnn_backward",
    "GRUParams", "GRUTrace", "GRUGrads", "gru_forward", "gru_backward",
    "JacobianNorms", "jacobian_norms",
    "Dense", "Layer", "Model", "READOUTS", "ModelTrace", "ModelGrads", "length_mask", "model_forward",
    "model_backward", "prediction",
    "INITS", "glorot_uniform", "orthogonal",
    "time_major", "batch_first", "steps_per_epoch", "epoch_order", "minibatches", "predict",
    "accuracy", "mse_loss", "softmax_cross_entropy",
    "SGD", "Adam", "clip_by_global_norm", "global_norm",
    "evaluate", "train",
    "TASKS", "TaskData", "make_task", "task_loss", "task_metric",
    "LabConfig", "run_lab", "sweep",
]
