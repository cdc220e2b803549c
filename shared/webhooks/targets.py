"""Where a subscriber's URL may point. A webhook makes our server send requests to a URL
a caller chose, so by default the URL must be https and every address its host resolves to
must be public: loopback, private, link-local (cloud metadata), shared and reserved ranges
are refused (server-side request forgery). The check runs when the URL is saved and again
before each attempt, and the attempt connects to the very address that was checked, so a
name that resolves elsewhere a moment later (DNS rebinding) does not get through.
"""

import asyncio
import ipaddress
import socket
from dataclasses import dataclass

import httpx


class TargetRefused(Exception):
    """The URL is not one we send to; `code` says why, for the API's answer."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class PinnedTarget:
    """A URL with its host replaced by a checked address, and what restores the name."""

    url: httpx.URL
    headers: dict[str, str]
    extensions: dict[str, str]


def check_form(url: str, *, allow_private: bool) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
        host = parsed.host  # decoded on first use: a malformed IDNA name fails here
    except (httpx.InvalidURL, UnicodeError) as error:
        raise TargetRefused("webhook_url_invalid", f"not a URL: {error}") from None
    schemes = {"https", "http"} if allow_private else {"https"}
    if parsed.scheme not in schemes:
        raise TargetRefused("webhook_url_invalid", "the URL must start with https://")
    if not host:
        raise TargetRefused("webhook_url_invalid", "the URL has no host")
    if parsed.userinfo:
        raise TargetRefused("webhook_url_invalid", "put no user or password in the URL")
    if parsed.fragment:
        raise TargetRefused("webhook_url_invalid", "a URL sent to has no #fragment")
    return parsed


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


async def resolve(url: httpx.URL, *, allow_private: bool) -> list[str]:
    """The addresses the URL's host has now, every one of them allowed, or TargetRefused."""
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        found = await asyncio.get_running_loop().getaddrinfo(
            url.host, port, type=socket.SOCK_STREAM
        )
    except (socket.gaierror, UnicodeError):
        raise TargetRefused(
            "webhook_url_unresolvable", f"{url.host} does not resolve to an address"
        ) from None
    # IPv4 first: a receiver listening on 127.0.0.1 only is reached as "localhost" too.
    addresses = sorted(dict.fromkeys(str(info[4][0]) for info in found), key=lambda a: ":" in a)
    if not allow_private:
        refused = [a for a in addresses if not _is_public(ipaddress.ip_address(a))]
        if refused:
            raise TargetRefused(
                "webhook_url_not_public",
                f"{url.host} resolves to {refused[0]}, which is not a public address",
            )
    return addresses


async def pinned(url: str, *, allow_private: bool) -> PinnedTarget:
    parsed = check_form(url, allow_private=allow_private)
    address = (await resolve(parsed, allow_private=allow_private))[0]
    host = parsed.host
    extensions = {"sni_hostname": host} if parsed.scheme == "https" else {}
    netloc = parsed.netloc.decode("ascii")
    return PinnedTarget(parsed.copy_with(host=address), {"Host": netloc}, extensions)
