"""The guided path's progress as the link's `path` value: which checkpoints the learner answered.

`path=rnn.1,cell.2` means: on the checkpoint of step "rnn" the learner committed to option 1, on
"cell" to option 2. Kept in the link, it survives a reload and travels with the path's own links.
Pure: no Streamlit.
"""
import re

_ITEM = re.compile(r"([a-z][a-z0-9]{0,19})\.([0-9]{1,2})")  # a step key (seq2seq has digits), an option


def encode(progress):
    """The link value of {step key: committed option}, in the path's order of `progress`."""
    return ",".join(f"{key}.{choice}" for key, choice in progress.items())


def decode(text, steps):
    """{step key: option} from a link value; ValueError naming what is wrong.

    `steps` maps each step key to its number of options.
    """
    progress = {}
    for item in filter(None, str(text).split(",")):
        match = _ITEM.fullmatch(item.strip())
        if not match:
            raise ValueError(f"'{item[:40]}' is not a step and an answer, like 'cell.1'")
        key, choice = match.group(1), int(match.group(2))
        if key not in steps:
            raise ValueError(f"'{key}' is not a step of the path ({', '.join(steps)})")
        if key in progress:
            raise ValueError(f"it answers '{key}' twice")
        if choice >= steps[key]:
            raise ValueError(f"step '{key}' has {steps[key]} answers, not an answer {choice}")
        progress[key] = choice
    return {key: progress[key] for key in steps if key in progress}
