"""Running the real `policywatch` console script (the one pip installed beside this Python) in a
subprocess, the way a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(sys.executable).parent / "policywatch"


def policywatch(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
                stdin: str = "", timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`policywatch ARGS...` with no terminal; stdout and stderr captured as text."""
    assert SCRIPT.exists(), f"{SCRIPT} is missing: install the project (pip install -e .)"
    environment = {**os.environ, "NO_COLOR": "1", **(env or {})}
    environment.pop("POLICYWATCH_CONFIG", None)
    return subprocess.run([str(SCRIPT), *args], cwd=cwd, env=environment, input=stdin,
                          capture_output=True, text=True, timeout=timeout, check=False)
