"""``vir-bot demo``: its own Synapse, the real bot and the scripted conversation, end to end."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import IO

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
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,  # as on a terminal: logs would show between the lines
            text=True,
            timeout=180,
        )
    finally:
        leftovers = processes_mentioning(folder)
        for pid in leftovers:  # only so a failure does not leak a Synapse into other tests
            os.kill(pid, signal.SIGKILL)
    output = result.stdout
    assert result.returncode == 0, output
    assert leftovers == [], "Synapse still running after the demo ended"
    # Nothing but the start line before the transcript: no log lines.
    before, transcript = output.split("\n--- ViR-Nordwest Plenum ---\n", 1)
    assert before.strip().splitlines() == [before.strip().splitlines()[0]], before
    assert before.startswith("Starte Synapse / starting Synapse on http://127.0.0.1:")
    assert " WARNING " not in output and " INFO " not in output and "Traceback" not in output
    assert "mitglied> !hilfe" in transcript
    assert "!hilfe [<befehl>]" in transcript  # the help reply
    assert "Meinten Sie: !hilfe?" in transcript
    assert "Dieser Befehl ist der Koordination vorbehalten." in transcript
    assert "koordination> !status" in transcript and "ViR-Bot läuft" in transcript
    # What sets the bot apart: a question it declines goes to the coordination, ...
    declined = f"mitglied> !frage {demo.DECLINED}"
    assert "Dazu weiß ich leider nichts Sicheres." in transcript.split(declined, 2)[1]
    match = re.search(r"\[ViR-Nordwest Koordination\] ViR-Bot:\n    Offene Frage (\S+) von", output)
    assert match, transcript
    # ... whose answer (!antworten) reaches the member and becomes a FAQ entry ...
    assert f"koordination> !antworten {match.group(1)} Ja, beim Plenum" in transcript
    assert "Gespeichert als FAQ-Eintrag" in transcript
    assert f"@mitglied:localhost, Ihre Frage „{demo.DECLINED}“ wurde beantwortet:" in transcript
    asked_again = transcript.split(declined, 2)[2]
    assert "Quelle: Chat-Eintrag von @koordination:localhost" in asked_again
    # ... and in a direct message every message is a question.
    dm = transcript.split("--- Direktnachricht / direct message: mitglied ↔ ViR-Bot ---", 1)[1]
    assert "mitglied> Was ist eine Leitweg-ID?" in dm and "BT-10" in dm
    assert "@mitglied:localhost" in (folder / "logins.txt").read_text()
    assert main(["check-config", "--config", str(folder / "config.toml")]) == 0


def test_script_never_touches_a_running_demo(tmp_path: Path) -> None:
    """A demo holds its folder's lock: a second demo there stops before touching anything."""
    folder = tmp_path / "vir-bot-demo"
    running = demo._lock_folder(folder)  # what `vir-bot demo` holds while it runs
    try:
        (folder / demo.STATE_NAME).write_text("{}")
        (folder / "synapse").mkdir()
        (folder / "synapse" / "homeserver.db").write_text("the running demo's server")
        result = subprocess.run(
            [sys.executable, "-m", "bot", "demo", "--script", "--dir", str(folder)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        running.close()
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"a demo is already running in {folder} (process {os.getpid()})" in result.stderr
    assert (folder / "synapse" / "homeserver.db").read_text() == "the running demo's server"
    assert "Starte Synapse" not in result.stdout


def test_script_without_dir_uses_a_folder_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen: list[Path] = []

    def record(directory: Path) -> IO[str]:
        chosen.append(directory)
        raise demo.DemoError("recorded")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(demo, "_synapse_installed", lambda: True)
    monkeypatch.setattr(demo, "_lock_folder", record)
    assert demo.run_demo(None, script=True) == 2
    assert demo.run_demo(None) == 2
    script_folder, interactive_folder = chosen
    assert script_folder.name.startswith("vir-bot-demo-script-")
    assert not script_folder.exists()  # temporary, removed afterwards
    assert interactive_folder == tmp_path.resolve() / "vir-bot-demo"


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
