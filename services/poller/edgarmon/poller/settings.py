"""The poller's settings: ``EDGARMON_*`` variables, loaded once in ``main``."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field, field_validator, model_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from edgarmon.core.settings import ENV_PREFIX, EdgarClientSettings, ServiceSettings


class PollerSettings(ServiceSettings, EdgarClientSettings):
    """What the poller reads on top of the service and EDGAR client settings."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, extra="ignore", frozen=True, case_sensitive=False
    )

    latest_feed_interval_seconds: Annotated[
        float, Field(gt=0, description="How often the latest-filings feed is polled")
    ] = 1.0
    latest_feed_page_size: Annotated[
        int, Field(description="Entries per latest-feed page: 10, 20, 40, 80 or 100")
    ] = 100
    latest_feed_depth: Annotated[
        int,
        Field(
            gt=0,
            description="Entries EDGAR serves before answering 503 (start=5100 did, in 2026)",
        ),
    ] = 5100

    watchlist_ciks: Annotated[
        tuple[int, ...],
        NoDecode,
        Field(
            description="CIKs whose company feeds are polled: EDGARMON_WATCHLIST_CIKS=320193,..."
        ),
    ] = ()
    company_feed_interval_seconds: Annotated[
        float,
        Field(gt=0, description="How often each watchlist company feed is polled, per CIK"),
    ] = 60.0
    company_feed_count: Annotated[
        int, Field(ge=10, le=100, description="Entries read from each company feed (newest first)")
    ] = 40
    company_letter_feed_pages: Annotated[
        int,
        Field(
            ge=0,
            le=20,
            description="Pages of each watched company's CORRESP and UPLOAD feeds read per "
            "cycle, back to a known letter (0: the letters come from the company feed only)",
        ),
    ] = 3

    daily_index_hour: Annotated[
        int,
        Field(
            ge=22,
            le=23,
            description="US Eastern hour after which a day's index is read; SEC starts "
            "publishing at about 10 pm and is usually done within a few hours",
        ),
    ] = 23
    reconciliation_max_days: Annotated[
        int, Field(ge=1, le=30, description="How many business days back a restart reconciles")
    ] = 5

    daily_index_retry_seconds: Annotated[
        float,
        Field(gt=0, description="Wait before reading a daily index again after a failure"),
    ] = 60.0

    seen_capacity: Annotated[
        int, Field(ge=10_000, description="Accession numbers the poller remembers")
    ] = 200_000
    seen_lookback_days: Annotated[
        float,
        Field(
            ge=1,
            le=30,
            description="How far back the memory is rebuilt from the discovered topic at "
            "start-up; must cover the reconciled days and stay within the topic's retention",
        ),
    ] = 10.0
    first_start_backfill_minutes: Annotated[
        float,
        Field(
            ge=0,
            description="On a first start (nothing published within the lookback), filings "
            "accepted this long before start-up are published; older ones are not",
        ),
    ] = 60.0

    poller_transactional_id: Annotated[
        str,
        Field(
            min_length=1,
            description="Stable Kafka transactional id: a restart fences the previous "
            "instance and aborts its open transaction. One poller per id (Recreate)",
        ),
    ] = "edgarmon-poller"

    @model_validator(mode="after")
    def _lookback_covers_reconciliation(self) -> PollerSettings:
        # business days to calendar days, weekends included, and the day in progress
        needed = self.reconciliation_max_days * 7 / 5 + 1
        if self.seen_lookback_days < needed:
            raise ValueError(
                f"EDGARMON_SEEN_LOOKBACK_DAYS must be at least {needed:.1f} to cover "
                f"{self.reconciliation_max_days} reconciled business days"
            )
        return self

    @field_validator("watchlist_ciks", mode="before")
    @classmethod
    def _split_ciks(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
            if bad := [part for part in parts if not re.fullmatch(r"\d{1,10}", part)]:
                raise ValueError(f"CIKs are numbers of up to 10 digits, comma-separated: {bad!r}")
            return tuple(int(part) for part in parts)
        if isinstance(value, int):
            return (value,)
        return value

    @field_validator("latest_feed_page_size")
    @classmethod
    def _page_size(cls, value: int) -> int:
        if value not in {10, 20, 40, 80, 100}:
            raise ValueError("EDGAR serves pages of 10, 20, 40, 80 or 100 entries")
        return value
