"""Names holding the characters LIKE treats specially, and what searching them must find."""

from collections.abc import Callable

import httpx

# "%", "_", and "\" and "/" (escape characters), and one name without: each search finds
# the names holding its text literally.
LIKE_NAMES = ["Lê Văn_An", "Lê Văn%An", "Lê Văn\\An", "Lê Văn/An", "Lê Văn An"]
LIKE_SEARCHES = [
    ("n_a", ["Lê Văn_An"]),
    ("n%a", ["Lê Văn%An"]),
    ("n\\a", ["Lê Văn\\An"]),
    ("n/a", ["Lê Văn/An"]),
    ("__", []),
    ("%%", []),
    ("\\\\", []),
    ("n\\", ["Lê Văn\\An"]),
]


async def assert_searches_are_literal(
    client: httpx.AsyncClient, path: str, headers: dict, name_of: Callable[[dict], str]
) -> None:
    """Each of LIKE_SEARCHES on `path` finds exactly its names."""
    for query, expected in LIKE_SEARCHES:
        response = await client.get(path, params={"q": query}, headers=headers)
        assert response.status_code == 200, (query, response.text)
        assert [name_of(item) for item in response.json()["items"]] == expected, query
