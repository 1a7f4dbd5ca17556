"""The words of the Writing-text page's "Reading the units" section (pure, no Streamlit).

The fixed sentences, and the ones built from a ranking's numbers, kept apart from the glue
(units_panel.py) and the drawing (units_figures.py).
"""
from lstm_core import units as U

INTRO = ("Each character is coloured by one unit's value just after the model has read it, having read "
         "the window of characters up to it from a zero state — exactly what the model computes when it "
         "predicts the next character there. Hover a character for its value.")
READ_R = ("**How to read r:** r is the correlation between a unit's value and the feature over every "
          "character of this text: near +1 the unit rises with the feature (for *position in the line*: "
          "it grows as the line gets longer), near −1 it falls as the feature rises, near 0 it does not "
          "move with the feature in a straight line.")
NOT_PROOF = ("A high |r| says that the unit moves with the feature in this text, not that it computes it: "
             "it may follow something that comes with the feature (the letters that happen to stand inside "
             "quotes), and a feature this text shows only a few times can line up with a unit by chance.")
NO_GENERATED = "Nothing has been generated yet: the corpus is coloured. Generate a text above to colour it."
ABSENT = {"quotes": "it has no quotes", "brackets": "it has no brackets", "space": "it has no spaces",
          "newline": "it has no newlines", "vowel": "it has no vowels",
          "line_position": "every character is a newline"}  # why a feature that is 0 everywhere is


def signed(r, digits=2):
    """r with its sign always shown, and a true minus sign: +0.83, −0.41."""
    return f"{r:+.{digits}f}".replace("-", "−")


def cut_notice(total):
    """The sentence saying a text was cut to the characters one pass reads (None if it was not)."""
    if total <= U.MAX_CHARS:
        return None
    return (f"The text has {total:,} characters; its first {U.MAX_CHARS:,} are read and coloured "
            "(one pass of the model over at most that many).")


def constant_message(feature, values):
    """Why a feature that is the same at every character has no unit that follows it."""
    name = U.FEATURE_NAMES[feature]
    why = f" ({ABSENT[feature]})" if len(values) and not values.any() else ""
    return (f"“{name}” is the same at every character of this text{why}: no unit can follow it, so nothing "
            "is ranked. Pick another feature: the table gives each one's best unit.")
