"""Write sentences.tsv: short labelled sentences for the Sentiment page, from word lists and templates.

    python3 assets/sentiment/make_sentences.py      # rewrites assets/sentiment/sentences.tsv

Every sentence is built from a template whose label follows from its parts (a positive or negative
adjective, a negation flipping it, the clause after "but" deciding, ...), so every label is right
by construction. Seeded: the same script writes the same file (a test checks it does).
Columns: label (1 positive, 0 negative), category, sentence (lower-case words and , . ! as tokens).
"""
import pathlib
import random

SEED = 13
SUBJECTS = ("film", "movie", "plot", "acting", "soundtrack", "ending", "story", "script", "cast",
            "food", "service", "hotel", "book", "restaurant", "room", "staff", "music", "show",
            "game", "meal", "coffee", "trip", "concert", "album", "play", "dialogue", "menu")
POSITIVE = ("good", "great", "wonderful", "excellent", "amazing", "brilliant", "lovely", "fantastic",
            "superb", "delightful", "enjoyable", "charming", "fun", "beautiful", "pleasant",
            "perfect", "clever", "moving", "gripping", "nice")
NEGATIVE = ("bad", "terrible", "awful", "boring", "dull", "poor", "horrible", "dreadful",
            "disappointing", "weak", "bland", "annoying", "ugly", "mediocre", "slow", "messy",
            "painful", "tedious", "lame", "awkward")
INTENSIFIERS = ("very", "really", "extremely", "so", "quite", "truly")  # with either polarity
SOFTENERS = ("a bit", "rather", "slightly")  # with a negative adjective only: "a bit dull"
VERBS = ("was", "is", "seemed", "felt")
NEGATED = ("was not", "is not", "isn't", "wasn't", "was never", "is never", "did not seem",
           "never felt", "was not at all")
OPENERS = ("although we watched it", "even though we went there", "while we were there",
           "when we tried it", "though we saw it")  # a far tail's neutral start
TAIL_PIECES = (  # neutral words: where, when and with whom, none of them a judgement
    "on a small screen", "at home", "on a rainy sunday", "with two friends",
    "after a long day", "in the old town", "last week", "near the station", "with my sister",
    "during the holidays", "in the evening", "on the way back", "before the train left",
    "at the end of march", "with the whole family", "on a quiet tuesday", "in a hurry")
COUNTS = {"plain": 160, "negation": 140, "contrast": 60, "intensifier": 80, "far": 80, "order": 80}
MAX_WORDS = 30


def polarity(adjective):
    """1 for a positive adjective, 0 for a negative one."""
    return 1 if adjective in POSITIVE else 0


def adjective(rng, label=None):
    """A random adjective, of the given polarity if one is given."""
    if label is None:
        label = rng.randrange(2)
    return rng.choice(POSITIVE if label else NEGATIVE)


def article(word):
    """The article for `word`: "an" before a vowel."""
    return "an" if word[0] in "aeiou" else "a"


def plain(rng):
    """'the film was good': the adjective decides."""
    s, a = rng.choice(SUBJECTS), adjective(rng)
    text = rng.choice((f"the {s} {rng.choice(VERBS)} {a}", f"what {article(a)} {a} {s} !", f"i found the {s} {a}",
                       f"{article(a)} {a} {s} .", f"we thought the {s} was {a}", f"the {s} was {a} .",
                       f"{a} !", f"{a} {s} .", f"it was {a}"))
    return polarity(a), text


def negation(rng):
    """'the film was not good' -> 0, 'the food wasn't bad' -> 1: the negation flips the adjective."""
    s, a = rng.choice(SUBJECTS), adjective(rng)
    text = rng.choice((f"the {s} {rng.choice(NEGATED)} {a}", f"it was not {article(a)} {a} {s}",
                       f"not {article(a)} {a} {s} at all", f"the {s} was not {a} .", f"i did not find the {s} {a}",
                       f"not {a}", f"never {a}", f"it isn't {a}", f"it wasn't {a}", f"not {a} at all"))
    return 1 - polarity(a), text


def contrast(rng):
    """'the acting was bad but the story was great' -> 1: the clause after 'but' decides."""
    first = rng.randrange(2)
    a1, a2 = adjective(rng, first), adjective(rng, 1 - first)
    s1, s2 = rng.sample(SUBJECTS, 2)
    text = rng.choice((f"the {s1} was {a1} but the {s2} was {a2}", f"the {s1} was {a1} , but the {s2} was {a2}",
                       f"{article(a1)} {a1} {s1} but {article(a2)} {a2} {s2}", f"the {s1} {rng.choice(VERBS)} {a1} but {a2} overall"))
    return polarity(a2), text


def intensifier(rng):
    """'the food was very good', 'a bit dull': the adjective decides, the intensifier only scales it."""
    s, a = rng.choice(SUBJECTS), adjective(rng)
    w = rng.choice(INTENSIFIERS + (() if polarity(a) else SOFTENERS))
    text = rng.choice((f"the {s} was {w} {a}", f"the {s} {rng.choice(VERBS)} {w} {a}", f"{article(w)} {w} {a} {s}",
                       f"{w} {a}", f"{w} {a} !"))
    return polarity(a), text


def tail(rng):
    """A neutral tail of 6 to 12 words, made of TAIL_PIECES."""
    words = rng.choice(OPENERS).split()
    for piece in rng.sample(TAIL_PIECES, len(TAIL_PIECES)):
        if len(words) + len(piece.split()) <= 12:
            words += piece.split()
        if len(words) >= 6 and rng.random() < 0.5:
            break
    return " ".join(words)


def far(rng):
    """'good , although we watched it on a small screen at home' -> 1: the deciding word comes early."""
    s, a = rng.choice(SUBJECTS), adjective(rng)
    head = rng.choice((f"{a}", f"the {s} was {a}", f"{article(a)} {a} {s}"))
    return polarity(a), f"{head} , {tail(rng)}"


def order_pair(rng):
    """'good , not bad' -> 1 and 'bad , not good' -> 0: the same words, the order decides."""
    p, n, s = adjective(rng, 1), adjective(rng, 0), rng.choice(SUBJECTS)
    lead = rng.choice(("", f"the {s} was ", "it was ", f"this {s} is "))
    return [(1, f"{lead}{p} , not {n}"), (0, f"{lead}{n} , not {p}")]


MAKERS = {"plain": plain, "negation": negation, "contrast": contrast, "intensifier": intensifier, "far": far}


def sentences(seed=SEED):
    """[(label, category, sentence)]: COUNTS[category] distinct sentences of each category."""
    rng = random.Random(seed)
    rows, seen = [], set()
    for category, count in COUNTS.items():
        made = 0
        while made < count:
            pairs = order_pair(rng) if category == "order" else [MAKERS[category](rng)]
            if any(text in seen for _, text in pairs):
                continue
            for label, text in pairs:
                assert len(text.split()) <= MAX_WORDS, text
                seen.add(text)
                rows.append((label, category, text))
                made += 1
    return rows


def sentences_tsv(seed=SEED):
    """The file's text: a header line, then one tab-separated row per sentence."""
    lines = ["label\tcategory\tsentence"] + [f"{label}\t{category}\t{text}" for label, category, text in sentences(seed)]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    path = pathlib.Path(__file__).with_name("sentences.tsv")
    path.write_text(sentences_tsv(), encoding="utf-8")
    print(f"wrote {path} ({len(sentences())} sentences)")
