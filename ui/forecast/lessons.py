"""The Forecasting page's words: what each setting is and why it matters, and the one-click experiments.

Each experiment's sentence is a claim about what a seeded run shows; tests/ui/test_forecast_lessons.py
trains each one and checks every number and comparison in it.
"""
from ui.common.lessons import Lesson
from ui.forecast.state import ForecastState

SCALER_NAMES = {"whole": "the whole series (the notes)", "train": "the training part only"}
LAYOUT_NAMES = {"one_step": "(samples, 1, look_back): 1 step (the notes)",
                "steps": "(samples, look_back, 1): look_back steps"}
INIT_NAMES = {"keras": "Keras (Glorot, orthogonal)", "torch": "PyTorch (uniform)"}

WHY = {  # one sentence per setting: why it matters (each widget's help)
    "series": "Daily weather repeats with the seasons and has 1,461 days to learn from; monthly stock "
              "prices have at most 123 values (Google's, from 2004, 68), and Apple's, Amazon's and IBM's "
              "climb past the range the model trained on.",
    "look_back": "How many past values each input window holds: the model sees nothing older.",
    "train_pct": "The first part of the series trains the model and the rest tests it, never shuffled: "
                 "shuffling would let the model see the future it is tested on.",
    "scaler": "MinMax scaling maps the series to 0..1. Fitted on the whole series it reads the test "
              "part's minimum and maximum, which a real forecaster cannot know (a leak); fitted on the "
              "training part only, test values may fall outside 0..1.",
    "layout": "The notes reshape each window to (samples, 1, look_back): the LSTM then sees one time "
              "step with look_back features, so its recurrence and forget gate are never used. "
              "(samples, look_back, 1) feeds it the window one value per step.",
    "layers": "Stacked LSTMs: every layer but the last returns its whole sequence "
              "(return_sequences=True) so the next layer has a sequence to read.",
    "units": "The hidden size H of each layer: more units, more parameters (4·H·(I + H + 1) per layer) "
             "and more to fit from the same data.",
    "epochs": "Passes over the training windows, each in a fresh shuffled order of batches.",
    "batch": "Windows per Adam step; the last, partial batch of an epoch is kept, as Keras does.",
    "lr": "Adam's step size: Keras's default is 0.001; too large and the loss jumps or diverges.",
    "init": "Where training starts. Keras: Glorot-uniform input weights, orthogonal recurrent weights, "
            "forget bias 1. PyTorch: every weight and bias uniform in ±1/√H, but the forget bias 1 here "
            "too (the app's choice: memory starts long).",
    "horizon": "The multi-step forecast feeds each prediction back as the newest value, so an error made "
               "early is read again by every later step; it is scored only where at least 30 test windows "
               "have that many true values after them.",
    "seed": "Seeds the initial weights and the order of the batches: the same seed trains the same model.",
}

PRESETS = (  # each sentence's claims: tests/ui/test_forecast_lessons.py
    Lesson("The notes' recipe",
           "The notes' program, every setting as written, on the notes' kind of data: a stock price "
           "(Apple's monthly close). Before you press Train, guess: will the LSTM beat *tomorrow = "
           "today*, repeating last month's price? The sentence under the results table gives the "
           "verdict, and *The recipe's traps* below explain it.",
           ForecastState, {}),
    Lesson("Leak-free",
           "The same run with the scaler fitted on the training part only, as a real forecaster must. "
           "The test error barely moves (within 5 %), but the scaling chart shows what the notes' leaky "
           "scaler hid: Apple's test prices climb above 1.1, beyond anything the model was trained on.",
           ForecastState, {"scaler": "train"}),
    Lesson("A real sequence: look_back steps",
           "Daily weather, read as a sequence: the window's 10 values go in one per step, so the gates "
           "and the cell state work across the window (the notes' layout gives the LSTM a single step). "
           "One small layer of 4 units beats *tomorrow = today* on test RMSE, though not a straight "
           "line through the window (linear autoregression), and it is small enough to open in the "
           "cell pages after training: watch its forget gate over the last test window. (*Daily "
           "weather* fits the notes' 2 × 50 one-step model to the same data.)",
           ForecastState, {"series": "seattle_temp_max", "layout": "steps", "layers": 1, "units": 4}),
    Lesson("Daily weather",
           "The notes' recipe on Seattle's daily maximum temperature: 1,157 training windows and a "
           "seasonal pattern that repeats inside the training years. Here the LSTM beats *tomorrow = "
           "today*, but only by a few per cent, and a straight line through the window (linear "
           "autoregression) does as well (within 2 %). It is the slowest experiment here: 100 epochs of 37 "
           "batches.",
           ForecastState, {"series": "seattle_temp_max"}),
    Lesson("Monthly stocks: beat tomorrow = today?",
           "Microsoft's monthly close, whose test prices stay mostly inside the range of the training "
           "years: fitted on the training part only, the scaler puts just 2 of the 25 test months below "
           "0, the lowest by 7 % of the range. The LSTM still loses to *tomorrow = today*: a stock "
           "price is close to a random walk, whose best forecast is the last value.",
           ForecastState, {"series": "msft"}),
)
