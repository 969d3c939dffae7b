"""Settings read from the environment and `.env` (documented in `.env.example`)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.services.timezones import is_known_zone

TOKEN_PATTERN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")

# What to tell a person who set a field wrongly, by field name.
HOW_TO_FIX = {
    "bot_token": "set BOT_TOKEN in .env to the token @BotFather gave you",
    "database_url": "set DATABASE_URL, e.g. sqlite+aiosqlite:///nastavnik.sqlite3",
    "redis_url": "set REDIS_URL to redis://host:6379/0 or leave it empty",
    "bot_api_url": "set BOT_API_URL to your Bot API server's http(s) address or leave it empty",
    "default_timezone": "set DEFAULT_TIMEZONE to an IANA zone such as Europe/Moscow",
    "default_language": "set DEFAULT_LANGUAGE to ru or en",
    "admin_ids": "set ADMIN_IDS to Telegram user ids separated by commas, e.g. 12345,67890",
    "log_level": "set LOG_LEVEL to DEBUG, INFO, WARNING or ERROR",
    "webhook_url": "set WEBHOOK_URL to the public https address of the bot or leave it empty",
    "webhook_secret": (
        "WEBHOOK_URL needs it: set WEBHOOK_SECRET to 1-256 characters of A-Z a-z 0-9 _ -,"
        ' e.g. the output of python -c "import secrets; print(secrets.token_urlsafe(32))"'
    ),
    "webhook_listen": "set WEBHOOK_LISTEN to host:port, e.g. 0.0.0.0:8080",
    "invitation_days": "set INVITATION_DAYS to a whole number of days from 1 to 365",
    "delivery_rate": "set DELIVERY_RATE to messages per second, from 1 to 30",
    "retention_days": "set RETENTION_DAYS to a whole number of days from 30 to 36500",
    "delivery_chat_interval": "set DELIVERY_CHAT_INTERVAL to seconds, from 0.1 to 60",
}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        hide_input_in_errors=True,
    )

    bot_token: SecretStr
    database_url: str = "sqlite+aiosqlite:///nastavnik.sqlite3"
    redis_url: str | None = None
    bot_api_url: str | None = None
    default_timezone: str = "Europe/Moscow"
    default_language: Literal["ru", "en"] = "ru"
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    webhook_url: str | None = None
    # Validated even when not given: webhook mode refuses to start without it.
    webhook_secret: SecretStr | None = Field(default=None, validate_default=True)
    webhook_listen: str = "0.0.0.0:8080"
    invitation_days: int = Field(default=14, ge=1, le=365)
    # The delivery queue's pace: Telegram allows about 30 messages a second, 1 a second a chat.
    delivery_rate: float = Field(default=25, ge=1, le=30)
    delivery_chat_interval: float = Field(default=1.0, ge=0.1, le=60)
    # How long after a programme ends its free texts are kept (see README, Personal data).
    retention_days: int = Field(default=1095, ge=30, le=36500)

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        if not TOKEN_PATTERN.match(value.get_secret_value()):
            raise ValueError("not a bot token")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("use sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @field_validator("redis_url", "bot_api_url", "webhook_url", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("not a redis:// address")
        return value

    @field_validator("bot_api_url", "webhook_url")
    @classmethod
    def _http_address(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("not an http(s) address")
        return value.rstrip("/") if value else value

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _secret_shape(cls, value: object) -> object:
        if value in ("", None):
            return None
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(value)):
            raise ValueError("bad webhook secret")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _needed_for_webhook(
        cls, value: SecretStr | None, info: ValidationInfo
    ) -> SecretStr | None:
        # Without a secret anyone who finds the address could post forged updates.
        # webhook_url is declared above, so it is validated (and in info.data) by now.
        if value is None and info.data.get("webhook_url"):
            raise PydanticCustomError("missing", "needed in webhook mode")
        return value

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if not is_known_zone(value):
            raise ValueError("unknown time zone")
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            if not all(part.isdigit() for part in parts):
                raise ValueError("not a list of ids")
            return [int(part) for part in parts]
        return value

    @field_validator("webhook_listen")
    @classmethod
    def _host_port(cls, value: str) -> str:
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError("not host:port")
        return value

    @property
    def webhook_host(self) -> str:
        return self.webhook_listen.rpartition(":")[0]

    @property
    def webhook_port(self) -> int:
        return int(self.webhook_listen.rpartition(":")[2])


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line for the operator."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "settings"
        problem = "is missing" if first["type"] == "missing" else "is not valid"
        hint = HOW_TO_FIX.get(field, "see .env.example")
        raise SettingsError(f"Setting {field.upper()} {problem}: {hint}.") from None
