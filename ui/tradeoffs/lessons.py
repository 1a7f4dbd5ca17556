"""The Trade-offs page's words: the experiments and what each shows, why each setting matters, and the
one-click presets.

Each preset's sentence is a claim about the engine's numbers at its settings; tests/ui/test_tradeoffs_lessons.py
(Helper D's short-term and limited-context ones: tests/ui/test_tradeoffs_context.py) computes them
(multiply-adds from lstm_core.costs, seeded training runs) and checks every number and comparison in it.
The measured times are never claimed: the page words them from each measurement (ui/tradeoffs/words.py).
A percentage is written "90 %", with a no-break space (U+00A0) before the sign, so no line starts with it.
"""
from ui.common.lessons import Lesson
from ui.tradeoffs.context_words import CONTEXT_PRESETS, SHORT_TERM_PRESETS
from ui.tradeoffs.state import TradeoffsState

CAPTION = ("Our notes list the disadvantages of LSTMs: computational complexity, difficulty learning short-term "
           "dependencies, overfitting on small data without regularisation, training difficulty and limited "
           "context understanding. Here each one is an experiment on the app's engine, with its numbers, "
           "including where a claim does not hold as stated.")
EXPERIMENT_NAMES = {"cost": "Computational cost", "overfit": "Overfitting on small data",
                    "lr": "Training difficulty", "short_term": "Short-term dependencies",
                    "context": "Limited context"}
EXPERIMENT_WHY = {  # the one sentence under the picker: what the experiment shows (Helper D's two sections,
    # short_term and context, write their own: ui/tradeoffs/short_term.py, context.py)
    "cost": "Step $t$ needs $h_{t-1}$, so the $T$ steps of a sequence run one after another and the time grows "
            "with T; only the input part of each step can be computed for all steps at once.",
    "overfit": "Trained on a few sequences, a model can learn them by heart: its training loss falls towards "
               "zero while its loss on new sequences climbs. Dropout, weight decay and early stopping hold it back.",
    "lr": "The same models, data and start, trained at learning rates a factor of about 3 apart: each cell "
          "learns at only some of the rates, and which ones differs from cell to cell.",
}

WHY = {  # one sentence per setting: each widget's help
    "experiment": "Each of the notes' disadvantages of LSTMs, shown by an experiment on the engine.",
    "cost_H": "Units H of every cell timed: each gate's product hₜ₋₁ Wʰ does H·H multiply-adds a step.",
    "cost_B": "Sequences per forward pass: a batch adds rows to each step's products, never steps.",
    "fit_n": "Training sequences; the validation set is 256 other sequences.",
    "fit_dropout": "Drop rate of the inputs and of the features the head reads, in training only.",
    "fit_decay": "An L2 penalty on every weight, added to its gradient (torch's weight_decay).",
    "fit_patience": "Stop after this many evaluations (every 10 steps) without a lower validation loss, and "
                    "keep the best model; 0: never stop early.",
    "fit_steps": "Adam steps of the whole run.",
    "fit_seed": "Seeds the data, the initial weights, the batch order and the dropout masks.",
    "lr_optimizer": "Adam scales each weight's step by its gradients' recent size; plain SGD steps by the "
                    "gradient itself, so it needs larger rates.",
    "lr_clip": "Largest global gradient norm; a larger gradient is scaled down to it. 0: no clipping.",
    "lr_T": "The memory task's delay: the bit shown at step 1 is asked at step T.",
    "lr_steps": "Optimizer steps of every model at every rate.",
    "lr_seed": "Seeds the data, the initial weights and the batch order (the same for every rate).",
}

PRESETS = {  # each sentence's claims: tests/ui/test_tradeoffs_lessons.py
    "cost": (
        Lesson("What a step costs (H = 32)",
               "Per step and sequence an LSTM does 4,352 multiply-adds, a GRU 3,264 and a tanh RNN 1,088: "
               "four, three and one H × (H + I) matrix products. Only their input part, 6\u00a0% of them "
               "(I / (H + I) = 2 / 34), can run for all T steps at once; the rest waits for $h_{t-1}$. Press "
               "Measure to see what the engine's time makes of it.",
               TradeoffsState, {"experiment": "cost"}),
        Lesson("Wide cells (H = 128)",
               "Four times the units, over fifteen times the work: 66,560 multiply-adds per LSTM step (4,352 at "
               "H = 32), and the input part that can run at once shrinks to 1.5\u00a0%. Measure, and compare the "
               "time per step with the H = 32 one.",
               TradeoffsState, {"experiment": "cost", "cost_H": 128}),
        Lesson("Small cells (H = 8)",
               "320 multiply-adds per LSTM step, 80 per RNN step: about a two-hundredth of the work at H = 128, "
               "and the input part is 20\u00a0% of it. Measure: is a step here that much faster than at H = 128?",
               TradeoffsState, {"experiment": "cost", "cost_H": 8}),
    ),
    "overfit": (
        Lesson("32 examples, no defence",
               "The training lab's LSTM learns parity of 8 bits from only 32 sequences. It gets all 32 right "
               "(training accuracy 100\u00a0%) while its validation accuracy stays at chance, near 50\u00a0%; its "
               "validation loss is lowest at step 30 and ends over five times higher: it learned the 32 by "
               "heart, not parity.",
               TradeoffsState, {"experiment": "overfit"}),
        Lesson("Dropout 0.3",
               "The same run, dropping 30\u00a0% of the inputs and features in training. The validation loss ends "
               "at under a quarter of the undefended run's and training accuracy stays below 90\u00a0%: the "
               "memorising is held back. The validation accuracy is still near chance: 32 examples do not "
               "teach parity, with or without dropout.",
               TradeoffsState, {"experiment": "overfit", "fit_dropout": 0.3}),
        Lesson("Weight decay 0.01",
               "An L2 penalty on every weight: the validation loss ends at under a third of the undefended "
               "run's, and training accuracy stays below 90\u00a0%. As with dropout, the validation accuracy stays "
               "near chance.",
               TradeoffsState, {"experiment": "overfit", "fit_decay": 0.01}),
        Lesson("Early stopping",
               "Stop once 5 evaluations in a row (50 steps) bring no lower validation loss, and keep the best "
               "model: training ends before step 100 and keeps the model of step 30, before the memorising "
               "showed in the validation loss.",
               TradeoffsState, {"experiment": "overfit", "fit_patience": 5}),
        Lesson("4,096 examples",
               "With 4,096 training sequences there is nothing to learn by heart: training and validation "
               "loss end together, within 0.01 of a coin toss's ln 2 = 0.693. More data cures the "
               "overfitting; it does not make parity easy: 600 steps do not learn it.",
               TradeoffsState, {"experiment": "overfit", "fit_n": 4096}),
    ),
    "lr": (
        Lesson("Adam, no clipping",
               "Remember a bit for 20 steps, 150 Adam steps at each of 9 rates from 0.0001 to 1. The LSTM "
               "learns (90\u00a0% or more right) at 8 of them, from 0.0003 to 1; the GRU at 5, from 0.003 to 0.3; the "
               "tanh RNN at only 2, 0.01 and 0.1, and not at 0.03 between them. At 0.0001 none learns in "
               "150 steps.",
               TradeoffsState, {"experiment": "lr"}),
        Lesson("Adam, clipped at 1",
               "Clip the gradient norm at 1, as the training lab does: the tanh RNN now learns at 4 of the 9 "
               "rates, twice as many as without clipping, and the GRU at 6, one more (1 now works too); the "
               "LSTM still learns at the most, 7.",
               TradeoffsState, {"experiment": "lr", "lr_clip": 1.0}),
        Lesson("Plain SGD, clipped at 1",
               "Without Adam's scaling the rates that work move up: each model's lowest is at least 100 times "
               "its lowest with Adam. The LSTM learns from 0.03 to 1, the GRU only at 1 and 3, the tanh RNN only "
               "at 3; at 10 all three fail.",
               TradeoffsState, {"experiment": "lr", "lr_optimizer": "sgd", "lr_clip": 1.0}),
    ),
}
PRESETS["short_term"] = tuple(Lesson(name, text, TradeoffsState, {"experiment": "short_term", **settings})
                              for name, text, settings in SHORT_TERM_PRESETS)  # Helper D's, checked in
PRESETS["context"] = tuple(Lesson(name, text, TradeoffsState, {"experiment": "context", **settings})
                           for name, text, settings in CONTEXT_PRESETS)  # tests/ui/test_tradeoffs_context.py
RECIPES = {  # the settings each experiment's presets set (and compare, to name the preset in use)
    "cost": ("experiment", "cost_H", "cost_B"),
    "overfit": ("experiment", "fit_n", "fit_dropout", "fit_decay", "fit_patience", "fit_steps", "fit_seed"),
    "lr": ("experiment", "lr_optimizer", "lr_clip", "lr_T", "lr_steps", "lr_seed"),
    "short_term": ("experiment", "k", "st_steps", "st_seed"),
    "context": ("experiment", "ctx", "ctx_delay", "ctx_H", "ctx_seed"),
}

SEQUENTIAL = ("**Why the steps cannot run in parallel.** Each gate's pre-activation is $W \\cdot [h_{t-1}, x_t] + b$ "
              "$= W^x x_t + W^h h_{t-1} + b$. The input part $W^x x_t + b$ needs only the input, so the engine "
              "computes it for all $T$ steps before the loop, as one matrix product over $T \\cdot B$ rows "
              "(`lstm_core/numerics.project_inputs`). The recurrent part needs $h_{t-1}$, which exists only once "
              "step $t - 1$ is done: the loop runs $T$ times, one step after another, however many cores the "
              "machine has. The $B$ sequences of a batch share each step, the $T$ steps of a sequence cannot.")
MEASURE = ("**Measure** runs each cell's forward pass (the engine's own code, as training runs it) on random inputs "
           "of I = 2 features at T = {lengths}, {repeats} times each after a warm-up, and keeps the median CPU "
           "time of the server's thread: a few seconds. The times are this machine's, now: they vary from run to "
           "run, the multiply-adds above do not.")
PRESS_TRAIN_FIT = ("Press **Train** to train the LSTM on these settings: its training loss against its validation "
                   "loss fills in as it learns.")
PRESS_SWEEP = ("Press **Run the sweep** to train the three models once at every learning rate: {n} trainings "
               "of {steps} steps, each from the same start on the same batches.")
LAB_LINK = ("This is the training lab's run (at the defaults, its experiment *Overfitting on 32 examples*): [open "
            "these settings in the training lab]({link}) to see it there, with its accuracy curve and results table.")
