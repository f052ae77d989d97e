from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import ConfigError, load_config

GOOD = """
[matrix]
homeserver = "https://matrix.example.org"
user_id = "@vir-bot:example.org"
password = "secret"
device_name = "ViR-Bot"
[bot]
prefix = "!"
data_dir = "data"
timezone = "Europe/Berlin"
language = "de"
[access]
coordinators = ["@alice:example.org"]
coordination_room = ""
invite_from = ["@*:example.org", "@*:other-municipality.de"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text), environ={})
    return info.value.problems


def test_good_config_and_relative_data_dir(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD), environ={})
    assert config.matrix.user_id == "@vir-bot:example.org"
    assert config.bot.data_dir == tmp_path.resolve() / "data"
    assert config.access.invite_from == ("@*:example.org", "@*:other-municipality.de")
    assert config.bot.language == "de"


def test_environment_overrides_password(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD), environ={"VIRBOT_PASSWORD": "from-env"})
    assert config.matrix.password == "from-env"


def test_misspelt_key_gets_did_you_mean(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD.replace("timezone =", "timezon ="))
    assert found == ['bot.timezon: unknown key (did you mean "timezone"?)']


def test_unknown_section(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD + "\n[acces]\nx = 1\n")
    assert found == ['[acces]: unknown section (did you mean "access"?)']


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('language = "de"', 'language = "fr"', 'bot.language: expected "de" or "en", got \'fr\''),
        ('prefix = "!"', "prefix = 1", "bot.prefix: expected one or two non-space characters"),
        (
            'timezone = "Europe/Berlin"',
            'timezone = "Mars/Olympus"',
            "bot.timezone: expected an IANA",
        ),
        ('user_id = "@vir-bot:example.org"', 'user_id = "vir-bot"', "matrix.user_id: expected"),
        ('homeserver = "https://matrix.example.org"', 'homeserver = "matrix"', "matrix.homeserver"),
        ('coordinators = ["@alice:example.org"]', 'coordinators = "@alice"', "access.coordinators"),
        ('coordination_room = ""', 'coordination_room = "coord"', "access.coordination_room"),
    ],
)
def test_bad_values_name_key_and_expectation(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    found = problems(tmp_path, GOOD.replace(old, new))
    assert len(found) == 1 and found[0].startswith(expected), found


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    text = GOOD.replace('language = "de"', 'language = "fr"').replace("prefix =", "prefx =")
    assert len(problems(tmp_path, text)) == 2


def test_invalid_toml_and_missing_file(tmp_path: Path) -> None:
    assert "not valid TOML" in problems(tmp_path, "[matrix\n")[0]
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.toml")


def test_check_config_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path, GOOD)
    assert main(["check-config", "--config", str(good)]) == 0
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD.replace("timezone =", "timezon ="), encoding="utf-8")
    assert main(["check-config", "--config", str(bad)]) == 2
    assert 'did you mean "timezone"' in capsys.readouterr().err


def test_example_config_is_valid() -> None:
    example = Path(__file__).resolve().parents[2] / "config.example.toml"
    config = load_config(example, environ={})
    assert config.bot.prefix == "!"


# --- what an operator gets wrong first: the file itself, missing keys, secrets in logs ---------

COMMANDS_WITH_CONFIG = [
    ["check-config"],
    ["run"],
    ["backup", "--out", "backup-folder"],
    ["ask", "Was ist die 115?"],
    ["kb", "export", "--out", "export-folder"],
]


@pytest.mark.parametrize("command", COMMANDS_WITH_CONFIG, ids=lambda c: c[0])
@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda d: d, "is a folder; pass the configuration file itself"),
        (
            lambda d: write_bytes(d, GOOD.replace("ViR-Bot", "Büro").encode("latin-1")),
            "not UTF-8 text (byte 0xfc in line 6, e.g. an umlaut saved by an old editor as "
            "Latin-1); save the file as UTF-8",
        ),
        (lambda d: d / "nope.toml", "file not found"),
    ],
    ids=["folder", "latin-1", "missing-file"],
)
def test_unusable_config_file_exits_2_with_a_plain_message(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    make: Callable[[Path], Path],
    expected: str,
) -> None:
    path = make(tmp_path)
    assert main([*command, "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}: {expected}" in err
    assert "Traceback" not in err and "line 1, column 1" not in err


def write_bytes(folder: Path, data: bytes) -> Path:
    path = folder / "config.toml"
    path.write_bytes(data)
    return path


def test_utf8_with_bom_is_accepted(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "\ufeff".encode() + GOOD.replace("ViR-Bot", "Büro").encode())
    assert load_config(path, environ={}).matrix.device_name == "Büro"


@pytest.mark.parametrize("key", ["homeserver", "user_id"])
def test_missing_required_key_says_missing(tmp_path: Path, key: str) -> None:
    line = next(line for line in GOOD.splitlines() if line.startswith(f"{key} ="))
    found = problems(tmp_path, GOOD.replace(line, ""))
    assert len(found) == 1 and found[0].startswith(f"matrix.{key}: missing; expected "), found
    found = problems(tmp_path, GOOD.replace(line, f'{key} = ""'))
    assert found[0].startswith(f"matrix.{key}: missing"), found


def test_missing_matrix_section_is_reported_once(tmp_path: Path) -> None:
    assert problems(tmp_path, "[bot]\n") == [
        "[matrix]: missing section (homeserver and user_id are required)"
    ]


def test_repr_and_logs_hide_the_password_and_pickle_key(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = load_config(
        write(tmp_path, GOOD),
        environ={"VIRBOT_PASSWORD": "pw-8d1f", "VIRBOT_PICKLE_KEY": "pk-3c9a"},
    )
    assert (config.matrix.password, config.matrix.pickle_key) == ("pw-8d1f", "pk-3c9a")
    logging.getLogger("test").warning("config: %s / %r", config, config.matrix)
    for text in (repr(config), str(config), f"{config.matrix}", caplog.text):
        assert "pw-8d1f" not in text and "pk-3c9a" not in text
        assert "password=<hidden>" in text and "pickle_key=<hidden>" in text
