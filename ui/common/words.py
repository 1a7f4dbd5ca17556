"""Pure helpers for the pages' sentences (no Streamlit)."""


def sentence(err):
    """An engine's or reader's message as a sentence: a capital first letter and a full stop."""
    text = str(err).strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
