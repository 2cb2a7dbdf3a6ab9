"""Services built once per process and passed to every stage."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING

from pipeline.config import Config
from pipeline.register import Register

if TYPE_CHECKING:
    from pipeline.extract import Extractor
    from pipeline.search import SearchIndex


def utc_clock() -> datetime:
    return datetime.now(UTC)


class Context:
    """The config plus the long-lived services. Heavy ones are built on first use, once."""

    def __init__(self, config: Config, clock: Callable[[], datetime] = utc_clock,
                 actor: str = "courrier") -> None:
        self.config = config
        self.clock = clock
        self.actor = actor
        self.register = Register(config.paths.database_url)

    @cached_property
    def extractor(self) -> Extractor:
        # Loading spaCy takes seconds: once per process, and only when a letter needs it.
        from pipeline.extract import Extractor

        return Extractor(self.config.extract, models_dir=self.config.paths.models)

    @cached_property
    def index(self) -> SearchIndex:
        from pipeline.search import SearchIndex

        return SearchIndex(self.config.paths.index, self.config.index)

    def close(self) -> None:
        self.register.close()
