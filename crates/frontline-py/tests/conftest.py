"""Shared fixtures: the repository's own article fixtures and the CLI binary, when built."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
ARTICLES = REPO / "crates" / "frontline" / "tests" / "fixtures" / "articles"


@pytest.fixture(scope="session")
def articles() -> dict[str, str]:
    """The project's own article fixtures, by file name."""
    files = sorted(ARTICLES.glob("*.txt"))
    if not files:
        pytest.skip(f"no article fixtures under {ARTICLES}")
    return {f.name: f.read_text(encoding="utf-8") for f in files}


@pytest.fixture(scope="session")
def cli() -> str:
    """The `frontline` binary: $FRONTLINE_BIN, else target/{debug,release}/frontline."""
    env = os.environ.get("FRONTLINE_BIN")
    candidates = [env] if env else []
    candidates += [str(REPO / "target" / p / "frontline") for p in ("debug", "release")]
    candidates.append(shutil.which("frontline") or "")
    for c in candidates:
        if c and Path(c).is_file() and os.access(c, os.X_OK):
            return c
    pytest.skip("no frontline binary (set FRONTLINE_BIN or cargo build -p frontline)")
