"""lstm_core: a small, exact, fully traced NumPy LSTM (and RNN, GRU) for teaching.

    import lstm_core as lc
    p = lc.LSTMParams.init(input_size=1, hidden_size=4, seed=0)
    trace = lc.lstm_forward(p, xs)            # every gate at every step
    grads = lc.lstm_backward(p, trace, dh)    # exact backprop through time
"""
from .lstm import LSTMGrads, LSTMParams, LSTMTrace, lstm_backward, lstm_forward
from .rnn import RNNGrads, RNNParams, RNNTrace, rnn_backward, rnn_forward
from .gru import GRUGrads, GRUParams, GRUTrace, gru_backward, gru_forward
from .jacobian import JacobianNorms, jacobian_norms
from .model import Dense, Layer, Model, ModelGrads, ModelTrace, length_mask, model_backward, model_forward
from .losses import accuracy, mse_loss, softmax_cross_entropy
from .optim import SGD, Adam, clip_by_global_norm, global_norm
from .train import evaluate, train
from .tasks import TASKS, TaskData, make_task, task_loss, task_metric
from .lab import LabConfig, run_lab, sweep
