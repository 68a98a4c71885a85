"""The README's tour, run as written on a fresh store: every command that shows output gives it.

Commands run in a fresh folder with `../shared` and `src/` pointing at the real ones; a command
shown without output (eval, serve, extract) is not run here (each has its own tests).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, SEEDS, SHARED

pytestmark = pytest.mark.slow


def tour() -> list[tuple[str, list[str]]]:
    """(command, the lines shown under it) for each `$ storyline …` line of the tour."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("## A short tour", 1)[1].split("```console", 1)[1].split("```", 1)[0]
    steps: list[tuple[str, list[str]]] = []
    for line in block.strip("\n").splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            steps[-1][1].append(line)
    return [(command, shown) for command, shown in steps if command.startswith("storyline ") and shown]


def test_the_tour_shows_what_it_gives(tmp_path):
    if not SEEDS.exists():
        pytest.skip(f"the shared data is not at {SHARED}")
    steps = tour()
    assert len(steps) >= 6
    environment = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    for command, shown in steps:
        runnable = command.replace("../shared", str(SHARED)).replace("src/storyline", str(REPO / "src" / "storyline"))
        done = subprocess.run(["bash", "-c", runnable], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=600)
        printed = done.stdout.splitlines() + done.stderr.splitlines()
        missing = [line for line in shown if line not in printed]
        assert not missing, f"{command}\nshown but not printed: {missing}\nprinted: {printed[:12]}"
