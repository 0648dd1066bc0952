"""Settings from the environment (ITSS_*), read once on first use, never at import."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ITSS_", extra="ignore")

    database_url: str = "sqlite:///itss.sqlite3"
    lang: Literal["ja", "en"] = "ja"
    framework_files: list[Path] = []
    policy_file: Path | None = None
    # The server (`itss serve`).
    host: str = "127.0.0.1"
    port: int = 8000
    # Requests worked on at once; the others wait their turn. Python runs one thread at a
    # time, so forty requests at once only shared it (and a writer holding the database's
    # write lock got a fortieth of it): with 4, 50 busy users got 125 answers/s, not 91.
    threads: int = Field(default=4, ge=1, le=200)
    session_hours: int = 12  # a login in the pages lasts this long
    login_attempts: int = 5  # failed logins in a row before the account waits
    lockout_minutes: int = 15
    # argon2id's cost (RFC 9106's second recommendation by default): lower only where logins
    # must be cheap and the hashes are worthless, as in the test suite.
    password_memory_kib: int = 65536
    password_time_cost: int = 3


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
