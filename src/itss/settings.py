"""Settings from the environment (ITSS_*), read once on first use, never at import."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ITSS_", extra="ignore")

    database_url: str = "sqlite:///itss.sqlite3"
    lang: Literal["ja", "en"] = "ja"
    framework_files: list[Path] = []
    policy_file: Path | None = None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
