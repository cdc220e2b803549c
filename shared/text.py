"""Text normalisation for search: "Nguyen Van Duc" must find "Nguyễn Văn Đức"."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Đ/đ is a letter of its own, not D with a combining mark, so NFD alone leaves it.
_D_STROKE = str.maketrans({"đ": "d", "Đ": "d"})


def search_key(text: str) -> str:
    """Lower-case, diacritic-free, single-spaced: the form names are indexed and searched in."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_STROKE))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare).strip().lower()


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
