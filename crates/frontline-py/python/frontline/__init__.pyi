"""Type stubs of the `frontline` package (the `frontline-events` wheel)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping, Sequence
from os import PathLike
from typing import Any, Literal, Union

import pandas
import pyarrow

__version__: str
SCHEMA_VERSION: str
CSV_COLUMNS: list[str]

Extraction = dict[str, Any]
"""One extraction: the JSON contract of `frontline extract` (docs/schema.md)."""

DateLike = Union[str, datetime.date, None]
Article = Union[str, Mapping[str, Any]]
"""A text, or a dict with "text" and optionally "published", "outlet", "url", "title", "author"."""

class FrontlineError(Exception):
    """A gazetteer, dictionary or database that cannot be loaded, opened or written."""

def extract(
    text: str,
    published: DateLike = None,
    outlet: str | None = None,
    url: str | None = None,
    title: str | None = None,
) -> Extraction:
    """Extracts one article with the default pipeline (embedded gazetteer)."""

class Pipeline:
    """An extraction pipeline, built once and reused; safe to share between threads."""

    def __init__(
        self,
        gazetteer: str | PathLike[str] | None = None,
        dictionary: str | PathLike[str] | None = None,
    ) -> None: ...
    def extract(
        self,
        text: str,
        published: DateLike = None,
        outlet: str | None = None,
        url: str | None = None,
        title: str | None = None,
    ) -> Extraction:
        """Extracts one article."""
    def extract_many(
        self, items: Iterable[Article], threads: int | None = None
    ) -> Extractions:
        """Extracts many articles in parallel (GIL released); a lazy iterator of results in
        input order (`list(...)` for a list)."""
    def extract_many_json(
        self, items: Iterable[Article], threads: int | None = None
    ) -> list[str]:
        """Like `extract_many`, each result as its JSON text (a line of `extract --format jsonl`)."""

class Extractions(Iterator[Extraction]):
    """The iterator `Pipeline.extract_many` returns: it reads its input a chunk at a time and
    extracts the next chunk while the current one is handed out."""

    def __iter__(self) -> Extractions: ...
    def __next__(self) -> Extraction: ...

class Store:
    """A Frontline database (SQLite); `":memory:"` for one that lives with the object."""

    def __init__(self, path: str | PathLike[str]) -> None: ...
    @property
    def path(self) -> str: ...
    def ingest(
        self, items: Iterable[Extraction | Article], pipeline: Pipeline | None = None
    ) -> dict[str, int]:
        """Stores extraction dicts as they are and extracts articles first; returns counts."""
    def event_batches(self, **filters: Any) -> Iterator[list[tuple[Any, ...]]]: ...
    def events(
        self,
        *,
        since: DateLike = None,
        until: DateLike = None,
        bbox: str | Sequence[float] | None = None,
        type: str | Sequence[str] | None = None,
        actor: str | None = None,
        country: str | Sequence[str] | None = None,
        text: str | None = None,
        min_sources: int | None = None,
        limit: int | None = None,
        offset: int | None = None,
        order: Literal["oldest", "newest"] = "oldest",
    ) -> pandas.DataFrame:
        """Fused events with the API's filters, in the CSV export's columns."""
    def events_arrow(
        self,
        *,
        since: DateLike = None,
        until: DateLike = None,
        bbox: str | Sequence[float] | None = None,
        type: str | Sequence[str] | None = None,
        actor: str | None = None,
        country: str | Sequence[str] | None = None,
        text: str | None = None,
        min_sources: int | None = None,
        limit: int | None = None,
        offset: int | None = None,
        order: Literal["oldest", "newest"] = "oldest",
    ) -> pyarrow.Table:
        """Like `events`, as a pyarrow Table."""
    def events_batches(
        self,
        *,
        since: DateLike = None,
        until: DateLike = None,
        bbox: str | Sequence[float] | None = None,
        type: str | Sequence[str] | None = None,
        actor: str | None = None,
        country: str | Sequence[str] | None = None,
        text: str | None = None,
        min_sources: int | None = None,
        limit: int | None = None,
        offset: int | None = None,
        order: Literal["oldest", "newest"] = "oldest",
    ) -> pyarrow.RecordBatchReader:
        """Like `events_arrow`, as batches read from the database a page at a time."""
    def counts(self) -> dict[str, int]:
        """Row counts: documents, stories, mentions, events, fused_events."""

def to_arrow(
    results: Iterable[Extraction] | Extraction,
    table: Literal["events", "mentions"] = "events",
) -> pyarrow.Table:
    """Extraction results as a pyarrow Table of events (CSV columns and more) or mentions."""

def events_frame(results: Iterable[Extraction] | Extraction) -> pandas.DataFrame:
    """Extraction results as a DataFrame of events (the columns of `to_arrow`)."""

def mentions_frame(results: Iterable[Extraction] | Extraction) -> pandas.DataFrame:
    """Extraction results as a DataFrame of mentions."""
