"""``vir-bot demo``: its own Synapse, the real bot and the scripted conversation, end to end."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot import demo
from bot.cli import main

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def processes_mentioning(folder: Path) -> list[int]:
    """Pids whose command line names ``folder`` (Synapse runs with ``-c folder/…``)."""
    needle = str(folder.resolve()).encode()
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if needle in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue  # exited meanwhile
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find leftover Synapses")
def test_demo_script_plays_the_conversation(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    try:
        result = subprocess.run(
            [sys.executable, "-m", "bot", "demo", "--script", "--dir", str(folder)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        leftovers = processes_mentioning(folder)
        for pid in leftovers:  # only so a failure does not leak a Synapse into other tests
            os.kill(pid, signal.SIGKILL)
    output = result.stdout
    assert result.returncode == 0, output + result.stderr
    assert leftovers == [], "Synapse still running after the demo ended"
    assert "mitglied> !hilfe" in output
    assert "!hilfe [<befehl>]" in output  # the help reply
    assert "Meinten Sie: !hilfe?" in output
    assert "Dieser Befehl ist der Koordination vorbehalten." in output
    assert "koordination> !status" in output and "ViR-Bot läuft" in output
    assert "@mitglied:localhost" in (folder / "logins.txt").read_text()
    assert main(["check-config", "--config", str(folder / "config.toml")]) == 0


def test_demo_without_synapse_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(demo, "_synapse_installed", lambda: False)
    assert demo.run_demo(tmp_path / "demo", script=True) == 1
    assert 'pip install -e ".[demo]"' in capsys.readouterr().err


def test_demo_refuses_to_wipe_a_foreign_folder(tmp_path: Path) -> None:
    precious = tmp_path / "notes.txt"
    precious.write_text("keep me")
    assert demo.run_demo(tmp_path, script=True) == 2
    assert precious.read_text() == "keep me"
