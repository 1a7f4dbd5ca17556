"""Sentences for the sentiment model: reading the labelled file, words, a vocabulary, padded batches.

    examples = read_sentences(tsv_text)                 # [Example(words, label, category)]
    train, val = split(examples, holdout=0.2, seed=0)   # stratified by category and label
    vocab = Vocab.from_examples(train)                  # PAD 0, UNK 1, then the training words
    ids, lengths = pad_batch([vocab.encode(e.words)[0] for e in train[:4]])   # (T, B), (B,)

A batch of sentences of different lengths is padded with PAD at the END to the longest one:
ids (T, B) and lengths (B,); the model masks every step t >= length (model_pass.length_mask).
"""
import dataclasses
import re

import numpy as np

PAD, UNK = 0, 1  # ids of the padding and the unknown-word tokens
PAD_WORD, UNK_WORD = "⟨pad⟩", "⟨unk⟩"
MAX_WORDS = 30  # tokens (words and , . ! ?) a sentence may have
CATEGORIES = ("plain", "negation", "contrast", "intensifier", "far", "order")
_TOKEN = re.compile(r"\w+(?:'\w+)*|[,.!?]")  # a word (apostrophes inside kept: isn't) or , . ! ?


@dataclasses.dataclass(frozen=True)
class Example:
    """One labelled sentence: its words (tuple of str), label (1 positive, 0 negative), category."""

    words: tuple
    label: int
    category: str


def tokenize(text):
    """The tokens of `text`, lower-case: words (apostrophes kept inside: "isn't") and , . ! ? each
    its own token; any other character separates words and is dropped."""
    text = str(text).lower().replace("\u2019", "'")  # a typographic apostrophe is an apostrophe
    return _TOKEN.findall(text)


def check_sentence(text):
    """None if `text` can be read, else a message saying why not (empty, nothing the tokenizer reads,
    only punctuation, too long)."""
    if not str(text).strip():
        return "The sentence is empty: type a few words."
    words = tokenize(text)
    if not words:
        return ("The sentence has no word the tokenizer can read: it reads letters, digits, apostrophes inside "
                "words (isn't) and , . ! ?; anything else, an emoji or a symbol, is dropped.")
    if not any(w not in ",.!?" for w in words):
        return "The sentence has no word to read, only punctuation."
    if len(words) > MAX_WORDS:
        return (f"The sentence has {len(words)} tokens (words and punctuation); "
                f"at most {MAX_WORDS} fit. Shorten it.")
    return None


def read_sentences(tsv_text):
    """[Example] from the file's text: a header, then rows label<TAB>category<TAB>sentence.
    ValueError naming the line of a malformed row."""
    lines = [line for line in str(tsv_text).splitlines() if line.strip()]
    if not lines or lines[0].split("\t") != ["label", "category", "sentence"]:
        raise ValueError("the sentences file must start with the header label, category, sentence")
    examples = []
    for number, line in enumerate(lines[1:], start=2):
        parts = line.split("\t")
        if len(parts) != 3 or parts[0] not in ("0", "1") or parts[1] not in CATEGORIES:
            raise ValueError(f"line {number} is not label (0 or 1), a category of {CATEGORIES}, a sentence")
        words = tuple(tokenize(parts[2]))
        if not words or len(words) > MAX_WORDS:
            raise ValueError(f"line {number} must have 1..{MAX_WORDS} tokens, has {len(words)}")
        examples.append(Example(words=words, label=int(parts[0]), category=parts[1]))
    return examples


def split(examples, holdout, seed):
    """(train, held out): round(holdout * n) of each (category, label) group held out, chosen
    with `seed`; both lists keep the file's order. An order pair ("good , not bad" and "bad ,
    not good": the same words) goes to one side whole, so a held-out pair was never seen in
    either order."""
    rng = np.random.default_rng(seed)
    groups = {}  # (category, label) -> {unit key: [indices]}; a unit is a sentence or an order pair
    for k, e in enumerate(examples):
        key = (e.category, -1 if e.category == "order" else e.label)
        unit = tuple(sorted(e.words)) if e.category == "order" else k
        groups.setdefault(key, {}).setdefault(unit, []).append(k)
    held = set()
    for key in sorted(groups):
        units = list(groups[key].values())
        for u in rng.permutation(len(units))[:round(holdout * len(units))]:
            held.update(units[u])
    return ([e for k, e in enumerate(examples) if k not in held],
            [e for k, e in enumerate(examples) if k in held])


@dataclasses.dataclass(frozen=True)
class Vocab:
    """Words by id: words[0] is PAD_WORD, words[1] UNK_WORD, then the training words, sorted."""

    words: tuple

    @classmethod
    def from_examples(cls, examples):
        """The vocabulary of the examples' words (the training split's: held-out words may be unknown)."""
        return cls((PAD_WORD, UNK_WORD) + tuple(sorted({w for e in examples for w in e.words})))

    @property
    def size(self):
        return len(self.words)

    def encode(self, words):
        """(ids (n,) intp, unknown (n,) bool): each word's id, UNK for a word not in the vocabulary."""
        index = self._index()
        ids = np.fromiter((index.get(w, UNK) for w in words), dtype=np.intp, count=len(words))
        unknown = np.array([w not in index for w in words], dtype=bool)
        return ids, unknown

    def decode(self, ids):
        """The words of ids (PAD and UNK shown as ⟨pad⟩, ⟨unk⟩)."""
        return [self.words[int(k)] for k in ids]

    def _index(self):
        """word -> id, built once per vocabulary (a frozen dataclass holds it in its __dict__)."""
        index = self.__dict__.get("_word_index")
        if index is None:
            index = {w: k for k, w in enumerate(self.words) if k not in (PAD, UNK)}
            object.__setattr__(self, "_word_index", index)
        return index


def pad_batch(id_lists):
    """(ids (T, B) intp padded with PAD at the end, lengths (B,) intp); T is the longest length.
    ValueError for an empty batch or an empty sentence (the readout needs one real step)."""
    lengths = np.array([len(ids) for ids in id_lists], dtype=np.intp)
    if not lengths.size or lengths.min() < 1:
        raise ValueError("a batch needs at least one sentence, and every sentence at least one token")
    ids = np.full((int(lengths.max()), lengths.size), PAD, dtype=np.intp)
    for b, row in enumerate(id_lists):
        ids[:len(row), b] = row
    return ids, lengths
