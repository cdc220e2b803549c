"""README.md and docs/*.md as a Markdown renderer reads them: a fence left open swallows
every heading after it into one code block, which no text check of the source shows."""

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from shared.paths import PROJECT_ROOT

DOCUMENTS = sorted([PROJECT_ROOT / "README.md", *(PROJECT_ROOT / "docs").glob("*.md")])
# A line that opens or closes a fenced code block (CommonMark: up to three spaces of indent).
FENCE = re.compile(r"^ {0,3}(```|~~~)")
# Sections a newcomer looks for in the README, each of which must render as a heading.
README_HEADINGS = [
    "Set up and run",
    "Get a token",
    "Configuration",
    "Run in production",
    "Where things live",
    "Commands",
]


def _tokens(path: Path) -> list[Token]:
    return MarkdownIt("commonmark").enable("table").parse(path.read_text(encoding="utf-8"))


def headings(tokens: list[Token]) -> list[str]:
    """The text of each heading, in order."""
    return [tokens[i + 1].content for i, token in enumerate(tokens) if token.type == "heading_open"]


def fence_problems(text: str, tokens: list[Token]) -> list[int]:
    """Lines (1-based) where fences do not pair up: a block that runs to the end of the
    document without its closing fence, or a fence line the parser took as code (one with
    text after it cannot close a block, so the blocks after it pair up wrongly)."""
    lines = text.splitlines()
    bounds: set[int] = set()
    problems = []
    for token in tokens:
        if token.type != "fence" or token.map is None:
            continue
        first, last = token.map[0], token.map[1] - 1
        bounds |= {first, last}
        if last == first or not FENCE.match(lines[last]):
            problems.append(first + 1)
    problems += [n + 1 for n, line in enumerate(lines) if FENCE.match(line) and n not in bounds]
    return sorted(problems)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_every_code_fence_is_closed(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert fence_problems(text, _tokens(path)) == []


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_no_heading_is_swallowed_by_a_code_block(path: Path) -> None:
    """A `## ` line inside a fence is fine in a shell example but never in prose docs."""
    for token in _tokens(path):
        if token.type == "fence" and token.info.strip() in ("", "sh", "bash", "console"):
            swallowed = [line for line in token.content.splitlines() if line.startswith("## ")]
            assert swallowed == [], f"{path.name}:{token.map}: {swallowed}"


def test_the_readme_sections_are_headings() -> None:
    found = headings(_tokens(PROJECT_ROOT / "README.md"))
    missing = [name for name in README_HEADINGS if name not in found]
    assert missing == [], f"not rendered as headings: {missing}"


def test_a_fence_left_open_is_caught() -> None:
    """The checks above can fail: the README's old mistake, in small."""
    text = "# Run\n\n```sh\nmake dev\n``` then\n\n## Get a token\n\nText.\n"
    tokens = MarkdownIt("commonmark").parse(text)
    assert "Get a token" not in headings(tokens)
    assert fence_problems(text, tokens) == [3, 5]
    unclosed = "# Run\n\n```sh\nmake dev\n"
    assert fence_problems(unclosed, MarkdownIt("commonmark").parse(unclosed)) == [3]
