"""Text normalisation for search: "Nguyen Van Duc" must find "Nguyễn Văn Đức"."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Đ/đ is a letter of its own, not D with a combining mark, so NFD alone leaves it.
_D_STROKE = str.maketrans({"đ": "d", "Đ": "d"})


# The combining marks of Latin scripts, Vietnamese's among them; U+034F (the grapheme
# joiner) is in the block but is not a combining mark.
_LATIN_MARKS = re.compile("[\u0300-\u034e\u0350-\u036f]")


def search_key(text: str) -> str:
    """Lower-case, diacritic-free, single-spaced: the form names are indexed and searched in."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_STROKE))
    # A bulk import folds hundreds of thousands of names: one regular expression does what
    # the character loop does whenever all that is left is ASCII, as Vietnamese is.
    bare = _LATIN_MARKS.sub("", decomposed)
    if not bare.isascii():
        bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare).strip().lower()


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
