"""The Sentiment page's exploration reruns: server CPU per rerun in AppTest, and their parts outside Streamlit.

    python3 benchmarks/sentiment_page.py             # this checkout
    python3 benchmarks/sentiment_page.py --root DIR  # another checkout of the app (e.g. an older commit)

AppTest opens the page, trains at the defaults to the end, then times each step: a rerun that changes
nothing, a sentence new to the server (typed, a new word each time), a sentence already read (two
alternating), the order-pair buttons (alternating, both read before) and the large-fonts toggle (both
sizes drawn before). Each step's time is the lowest of --rounds medians over --repeats reruns (the
machine is shared, and load only ever adds time) of the process's CPU time (`time.process_time`: the
script thread and AppTest's own), with one BLAS thread as the server runs it. The parts: what the same
steps compute outside Streamlit, uncached. Target (docs/benchmarks.md, "A class at once"): a rerun
after a control change at most 40 ms of server CPU. Prints Markdown.
"""
import argparse
import os
import sys
from pathlib import Path

import timing  # benchmarks/, this script's folder

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
TARGET_MS = 40


def parse_args():
    """The flags in the docstring above."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1], help="the app's checkout")
    parser.add_argument("--repeats", type=int, default=15, help="reruns per step and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all the steps; each keeps its best")
    return parser.parse_args()


def steps(at):
    """{step: a function that makes one rerun of it} on a trained page `at`."""
    count, flip = [0], [0]

    def typed(text):
        at.text_input(key="se_sentence").set_value(text).run()

    def new_sentence():
        count[0] += 1
        typed(f"the film was good , said critic number {count[0]}")

    def cached_sentence():
        flip[0] ^= 1
        typed(("the film was bad", "not bad at all")[flip[0]])

    def order_pair():
        flip[0] ^= 1
        at.button(key=("se_pair_a", "se_pair_b")[flip[0]]).click().run()

    def large_fonts():
        at.toggle(key="sb_large").set_value(not at.toggle(key="sb_large").value).run()

    for warm in (cached_sentence, order_pair, large_fonts):  # both values of each drawn once
        warm()
        warm()
    return {"no change": at.run, "a new sentence": new_sentence, "a cached sentence": cached_sentence,
            "the order-pair button": order_pair, "large fonts on/off": large_fonts}


def app_rows(repeats, rounds):
    """[(step, lowest median CPU ms of the rounds)] of AppTest reruns after training at the defaults."""
    from pagekit import train_to_the_end
    from viewkit import open_link
    at = open_link("views/sentiment.py")
    run = train_to_the_end(at, "se_train", "sentiment_run", limit=500)
    assert run.status == "done", run.status
    best, named = {}, steps(at)
    for _ in range(rounds):
        for name, rerun in named.items():
            best[name] = min(best.get(name, float("inf")), timing.median_cpu_ms(rerun, repeats))
            assert not at.exception, [e.value for e in at.exception]
    home = open_link("views/home.py")  # for scale: the app's frame around a page that draws little
    best["(for scale) Home, no change"] = min(timing.median_cpu_ms(home.run, repeats) for _ in range(rounds))
    return list(best.items())


def trained():
    """The page's Trained at the defaults, as the page builds it after a run."""
    from lstm_core import sentiment as S
    from ui.sentiment import panels as P
    from ui.sentiment import state as SS
    cfg = SS.config(SS.SentimentState())
    train, held = SS.split(cfg.seed)
    model, _ = S.fit(list(train), list(held), cfg)
    vocab = S.Vocab.from_examples(train)
    bow = S.fit_bow(list(train), vocab, cfg)
    return P.Trained(model, vocab, bow, cfg, cfg.steps, P.digest(model, vocab, bow))


def _spec(value):
    """A figure dict whether the builder returned a dict or (an older checkout) a go.Figure."""
    return value if isinstance(value, dict) else value.to_dict()


def uncached_check(tr, rows):
    """The padding section's work for a new batch: its numbers (check_numbers, where the checkout has it)
    and its two grids."""
    from ui.sentiment import padding as PD
    if hasattr(PD, "check_numbers"):
        PD.check_numbers.__wrapped__(tr.digest, rows, tr)
    return PD.check_view.__wrapped__(tr.digest, rows, False, tr)


def part_rows(repeats, rounds):
    """[(part, lowest median CPU ms of the rounds)]: what the page computes outside Streamlit, uncached."""
    import plotly.graph_objects as go
    import plotly.io as pio

    from lstm_core import sentiment as S
    from ui.sentiment import padding as PD
    from ui.sentiment import panels as P
    from ui.sentiment import state as SS
    tr = trained()
    words = tuple(S.tokenize(SS.DEFAULT_SENTENCE))
    rows_words = PD.batch_words(SS.DEFAULT_SENTENCE)
    reading = P.reading_view.__wrapped__(tr.digest, words, False, tr)
    check = PD.check_view.__wrapped__(tr.digest, rows_words, False, tr)
    specs = [_spec(reading[k]) for k in ("running", "memory", "gates")] + [_spec(check[k]) for k in
                                                                             ("forward", "backward")]
    parts = {
        "the digest of a trained model (once per run)": lambda: P.digest(tr.model, tr.vocab, tr.bow),
        "read_sentence (the engine, one sentence)": lambda: S.read_sentence(tr.model, tr.vocab, words),
        "a new sentence: reading_view, uncached": lambda: P.reading_view.__wrapped__(tr.digest, words, False, tr),
        "a new sentence: the padding check and its grids, uncached": lambda: uncached_check(tr, rows_words),
        "the order pair: order_pair, uncached": lambda: P.order_pair.__wrapped__(tr.digest, tr),
        "large fonts: the category chart at the other size": lambda: P.category_view.__wrapped__(tr.digest, True, tr),
        "its 5 figures validated by go.Figure (what the server no longer does)":
            lambda: [go.Figure(s) for s in specs],
        "every rerun: its 5 figures' JSON (st.plotly_chart)": lambda: [pio.to_json(s, validate=False) for s in specs],
    }
    return [(name, min(timing.median_cpu_ms(fn, repeats) for _ in range(rounds))) for name, fn in parts.items()]


def main():
    """Both tables, in Markdown."""
    args = parse_args()
    root = args.root.resolve()
    sys.path[:0] = [str(root), str(root / "tests" / "pages")]
    os.chdir(root)
    print(f"Sentiment page, {root}: CPU ms per rerun, the best of {args.rounds} medians over {args.repeats}; "
          f"load average {os.getloadavg()[0]:.1f} (target ≤ {TARGET_MS} ms)\n")
    print("| step (AppTest, trained at the defaults) | CPU ms | met |\n| --- | --- | --- |")
    for name, ms in app_rows(args.repeats, args.rounds):
        print(f"| {name} | {ms:.1f} | {'yes' if ms <= TARGET_MS else '**no**'} |")
    print("\n| part (outside Streamlit) | CPU ms |\n| --- | --- |")
    for name, ms in part_rows(args.repeats, args.rounds):
        print(f"| {name} | {ms:.2f} |")


if __name__ == "__main__":
    main()
