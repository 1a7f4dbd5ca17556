"""The corpora the Writing-text page trains on, all offline: the Zen of Python and a module's
source from the standard library, the app's own lesson texts, and the learner's text.

The Zen is read from the standard library's `this` module without importing it (importing prints
it): its source holds the poem ROT13-encoded in `s`, which is decoded here.
"""
import ast
import codecs
import functools
import importlib.util
import inspect
from pathlib import Path

ASSETS = Path(__file__).resolve().parents[2] / "assets"
CODE_MODULE = "colorsys"  # small, old and stable: brackets, quotes, indentation and docstrings
LESSON_FILES = ("home.md", "rnn.md", "gradients_primer.md", "gradients.md", "readout.md", "recap.md")


@functools.lru_cache(maxsize=1)
def zen():
    """The Zen of Python (856 characters, 45 distinct), from the standard library's `this.py`."""
    spec = importlib.util.find_spec("this")
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    encoded = next(node.value.value for node in tree.body if isinstance(node, ast.Assign)
                   and getattr(node.targets[0], "id", None) == "s")
    return codecs.decode(encoded, "rot13")


@functools.lru_cache(maxsize=1)
def stdlib_code():
    """The source of the standard library's colorsys module."""
    return inspect.getsource(importlib.import_module(CODE_MODULE))


@functools.lru_cache(maxsize=1)
def lessons():
    """The app's own lesson texts (Markdown from assets/), one after another."""
    return "\n\n".join((ASSETS / name).read_text(encoding="utf-8").strip() for name in LESSON_FILES) + "\n"


CORPORA = {"zen": ("The Zen of Python", zen), "code": (f"Python source: the {CODE_MODULE} module", stdlib_code),
           "lessons": ("This app's lesson texts", lessons)}
