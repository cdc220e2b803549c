"""The development signing key: made once under var/, shared by the three services and the CLI."""

import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def load_or_create_private_key(path: Path) -> Ed25519PrivateKey:
    if not path.exists():
        _create(path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 key")
    return key


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # Written whole under a name of its own, then linked into place: link fails when the
    # key exists, so when three services start together one key wins, and none of them
    # ever reads a file another is still writing (an O_EXCL create is seen empty).
    fd, written = tempfile.mkstemp(dir=path.parent, prefix=".dev-key-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        os.link(written, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(written)
