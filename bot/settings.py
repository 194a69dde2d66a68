"""The bot's one settings object, from the environment and ``.env``."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DISCORD_API = "https://discord.com/api/v10"
DISCORD_GATEWAY = "wss://gateway.discord.gg"


class Settings(BaseSettings):
    """Only ``DISCORD_TOKEN`` is required. Tests build ``Settings(_env_file=None, ...)``."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="forbid", frozen=True)

    discord_token: SecretStr
    database_url: str = "sqlite+aiosqlite:///data/fourth-pillar.db"
    data_key: SecretStr | None = None
    dev_guild_id: int | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    discord_api_base: str = DISCORD_API
    discord_gateway_url: str = DISCORD_GATEWAY
    database_busy_timeout_ms: int = Field(default=5000, ge=0, le=60_000)
    shutdown_grace_seconds: float = Field(default=10.0, ge=0, le=60)
    evaluate_cooldown_uses: int = Field(default=5, ge=1)
    evaluate_cooldown_seconds: float = Field(default=30.0, gt=0)

    @field_validator("discord_token")
    @classmethod
    def _token_given(cls, token: SecretStr) -> SecretStr:
        """``DISCORD_TOKEN=`` (what copying .env.example gives) is refused at once, not sent to Discord."""
        if not token.get_secret_value().strip():
            raise ValueError("empty")
        return token
