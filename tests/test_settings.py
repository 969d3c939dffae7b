"""Settings: defaults, parsing, and one-line errors that never leak the token."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Settings, SettingsError, load_settings
from bot.services.errors import UserFacingError
from bot.services.organisations import parse_timezone
from tests.conftest import ADMIN_ID
from tests.harness import Harness

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
    assert "SECRET" not in message.replace("WEBHOOK_SECRET", "")  # the name may be shown
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


def test_webhook_mode_without_a_secret_does_not_start() -> None:
    message = settings_error(webhook_url="https://bot.example.org")
    assert message.startswith("Setting WEBHOOK_SECRET is missing")
    assert "secrets.token_urlsafe(32)" in message  # how to make one
    assert "1-256 characters of A-Z a-z 0-9 _ -" in message  # what Telegram accepts
    message = settings_error(webhook_url="https://bot.example.org", webhook_secret="")
    assert message.startswith("Setting WEBHOOK_SECRET is missing")


def test_webhook_mode_with_a_secret_starts() -> None:
    settings = load_settings(
        _env_file=None,
        bot_token=TOKEN,
        webhook_url="https://bot.example.org/",
        webhook_secret="hook_SECRET-42",
    )
    assert settings.webhook_url == "https://bot.example.org"
    assert settings.webhook_secret is not None
    assert settings.webhook_secret.get_secret_value() == "hook_SECRET-42"


def test_webhook_secret_outside_telegrams_alphabet_is_refused() -> None:
    message = settings_error(webhook_url="https://bot.example.org", webhook_secret="SECRET b!")
    assert message.startswith("Setting WEBHOOK_SECRET is not valid")


@pytest.mark.parametrize(
    "zone",
    ["Europe", "Europe/../etc/passwd", "Asia/" + "x" * 295, "", "UTC", "Mars/Olympus_Mons"],
    ids=["folder", "path", "300-chars", "empty", "no-area", "unknown"],
)
def test_default_timezone_must_be_a_zone(zone: str) -> None:
    message = settings_error(default_timezone=zone)
    assert message.startswith("Setting DEFAULT_TIMEZONE is not valid: ")
    assert "Europe/Moscow" in message


@pytest.mark.parametrize(
    "zone",
    ["Europe", "Europe/../etc/passwd", "Asia/" + "x" * 295, "", "  ", "UTC", "Mars/Olympus_Mons"],
)
def test_typed_timezone_follows_the_same_rule(zone: str) -> None:
    with pytest.raises(UserFacingError) as caught:
        parse_timezone(zone)
    assert caught.value.key == "error-timezone"


@pytest.mark.parametrize("zone", ["Europe/Moscow", "Asia/Yekaterinburg", " Asia/Omsk "])
def test_typed_timezone_accepts_real_zones(zone: str) -> None:
    assert parse_timezone(zone) == zone.strip()


async def test_new_organisation_with_a_folder_for_a_zone_is_told_politely(app: Harness) -> None:
    admin = app.person(ADMIN_ID, name="Админ")
    await admin.sends("/neworg")
    await admin.sends("МБДОУ «Детский сад № 5»")
    await admin.sends("Д/с № 5")
    await admin.sends("Europe")
    texts = admin.texts()
    assert "Не знаю такого часового пояса" in texts[-2]
    assert "Часовой пояс организации?" in texts[-1]  # asked again, with the buttons
    reply = await admin.sends("Asia/Yekaterinburg")  # and the dialog goes on
    assert reply is not None and "Кто будет куратором" in reply.text


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
