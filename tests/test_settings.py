"""Settings: defaults, parsing, and one-line errors that never leak the token."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Settings, SettingsError, load_settings

PROJECT_ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456:SECRET-token-abcdefghijklmnopqrstuvwxyz"
GARBAGE_TOKEN = "oops-SECRET-garbage-value"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The settings come only from what each test gives, not from the machine running it."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
        monkeypatch.delenv(name, raising=False)


def settings_error(**overrides: object) -> str:
    values: dict[str, object] = {"bot_token": TOKEN, **overrides}
    with pytest.raises(SettingsError) as caught:
        load_settings(_env_file=None, **values)
    message = str(caught.value)
    assert "\n" not in message, message
    assert TOKEN not in message
    assert "SECRET" not in message
    return message


def test_defaults() -> None:
    settings = Settings(_env_file=None, bot_token=TOKEN)
    assert settings.database_url == "sqlite+aiosqlite:///nastavnik.sqlite3"
    assert settings.default_timezone == "Europe/Moscow"
    assert settings.default_language == "ru"
    assert settings.invitation_days == 14
    assert settings.admin_ids == []
    assert settings.redis_url is None
    assert settings.webhook_url is None
    assert (settings.webhook_host, settings.webhook_port) == ("0.0.0.0", 8080)
    assert settings.bot_token.get_secret_value() == TOKEN


def test_load_settings_forwards_overrides() -> None:
    settings = load_settings(
        _env_file=None,
        bot_token=TOKEN,
        default_language="en",
        default_timezone="Asia/Yekaterinburg",
        webhook_listen="127.0.0.1:8443",
        redis_url="",
    )
    assert settings.default_language == "en"
    assert settings.default_timezone == "Asia/Yekaterinburg"
    assert (settings.webhook_host, settings.webhook_port) == ("127.0.0.1", 8443)
    assert settings.redis_url is None  # an empty value in .env means "not used"


def test_values_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("ADMIN_IDS", "12345, 67890,")
    monkeypatch.setenv("INVITATION_DAYS", "30")
    settings = load_settings(_env_file=None)
    assert settings.admin_ids == [12345, 67890]
    assert settings.invitation_days == 30


def test_values_come_from_the_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"BOT_TOKEN={TOKEN}\nADMIN_IDS=42\nLOG_LEVEL=DEBUG\n", encoding="utf-8")
    settings = load_settings(_env_file=env_file)
    assert settings.bot_token.get_secret_value() == TOKEN
    assert settings.admin_ids == [42]
    assert settings.log_level == "DEBUG"


def test_token_is_hidden_from_repr() -> None:
    settings = Settings(_env_file=None, bot_token=TOKEN, webhook_secret="hook-SECRET")
    for shown in (repr(settings), str(settings), repr(settings.model_dump())):
        assert TOKEN not in shown
        assert "SECRET" not in shown


def test_missing_token() -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(_env_file=None)
    message = str(caught.value)
    assert "BOT_TOKEN" in message
    assert "missing" in message
    assert "\n" not in message


def test_malformed_token() -> None:
    message = settings_error(bot_token=GARBAGE_TOKEN)
    assert "BOT_TOKEN" in message
    assert GARBAGE_TOKEN not in message


@pytest.mark.parametrize(
    ("overrides", "setting"),
    [
        ({"default_timezone": "Mars/Olympus_Mons"}, "DEFAULT_TIMEZONE"),
        ({"database_url": "mysql://root@localhost/bot"}, "DATABASE_URL"),
        ({"database_url": "sqlite:///nastavnik.sqlite3"}, "DATABASE_URL"),
        ({"admin_ids": "12345,abc"}, "ADMIN_IDS"),
        ({"admin_ids": "-5"}, "ADMIN_IDS"),
        ({"webhook_listen": "8080"}, "WEBHOOK_LISTEN"),
        ({"webhook_listen": "0.0.0.0:99999"}, "WEBHOOK_LISTEN"),
        ({"webhook_listen": "0.0.0.0:http"}, "WEBHOOK_LISTEN"),
        ({"invitation_days": 0}, "INVITATION_DAYS"),
        ({"default_language": "de"}, "DEFAULT_LANGUAGE"),
    ],
)
def test_bad_setting_is_named(overrides: dict[str, object], setting: str) -> None:
    message = settings_error(**overrides)
    assert message.startswith(f"Setting {setting} ")


def test_bad_admin_ids_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("ADMIN_IDS", "12345;67890")
    with pytest.raises(SettingsError, match="ADMIN_IDS"):
        load_settings(_env_file=None)


def run_entry_point(tmp_path: Path, token: str | None) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key.lower() not in Settings.model_fields and not key.startswith("PYTHON")
    }
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    if token is not None:
        env["BOT_TOKEN"] = token
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,  # no .env here
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("token", [None, GARBAGE_TOKEN], ids=["missing", "garbage"])
def test_entry_point_reports_bad_token_in_one_line(tmp_path: Path, token: str | None) -> None:
    result = run_entry_point(tmp_path, token)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "BOT_TOKEN" in lines[0]
    assert "Traceback" not in result.stderr
    assert GARBAGE_TOKEN not in result.stderr + result.stdout
    assert not (tmp_path / "nastavnik.sqlite3").exists()  # stopped before touching a database
