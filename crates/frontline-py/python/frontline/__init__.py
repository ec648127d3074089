"""Frontline: structured, geolocated, sourced event records from news reports about armed
conflict.

>>> import frontline
>>> result = frontline.extract("An air strike killed 9 people in Idlib on Sunday.",
...                            published="2017-06-18", outlet="Wire")
>>> [e["plover_type"] for e in result["events"]]
['ASSAULT']

``extract`` and ``Pipeline.extract_many`` (a lazy iterator) return the versioned JSON
contract of ``frontline extract`` (docs/schema.md) as dicts, built in Rust; ``events_frame`` and ``to_arrow`` turn
results into a pandas DataFrame or a pyarrow Table with the CSV export's columns; ``Store``
ingests into a Frontline database and reads fused events back with the API's filters.
pandas and pyarrow are needed only by the functions that return their objects.
"""

from __future__ import annotations

from ._frontline import (
    CSV_COLUMNS,
    SCHEMA_VERSION,
    Extractions,
    FrontlineError,
    Pipeline,
    __version__,
    extract,
)
from ._frontline import Store as _NativeStore
from ._tables import events_frame, mentions_frame, to_arrow

__all__ = [
    "CSV_COLUMNS",
    "SCHEMA_VERSION",
    "Extractions",
    "FrontlineError",
    "Pipeline",
    "Store",
    "__version__",
    "events_frame",
    "extract",
    "mentions_frame",
    "to_arrow",
]


class Store(_NativeStore):
    """A Frontline database (SQLite): ``Store(path)`` opens it, creating it when missing.

    ``ingest(items, pipeline=None)`` stores extraction dicts as they are and extracts
    articles first; ``events(...)`` returns fused events as a DataFrame with the CSV export's
    columns, ``events_arrow(...)`` as a pyarrow Table, ``events_batches(...)`` as a
    ``pyarrow.RecordBatchReader`` read a page at a time. All take the filters of the HTTP API's
    ``/api/events``: ``since``/``until`` (``YYYY-MM-DD``), ``bbox``
    (``"minlon,minlat,maxlon,maxlat"`` or a 4-tuple), ``type`` (PLOVER or ACLED types,
    comma-separated or a list), ``actor``, ``country`` (ISO codes or names, comma-separated or
    a list), ``text``, ``min_sources``, ``limit``, ``offset`` and ``order``
    (``"oldest"`` or ``"newest"``). Unlike the API, no limit applies by default.
    """

    def events_batches(self, **filters):
        """Fused events matching ``filters`` as a ``pyarrow.RecordBatchReader`` (the CSV
        export's columns): read from the database a page (32,768 events) at a time, each page
        built into Arrow arrays in Rust, for streaming a store larger than memory."""
        from ._tables import _batch_reader

        return _batch_reader(self.event_batches(**_api_filters(filters)))

    def events_arrow(self, **filters):
        """Fused events matching ``filters`` as a pyarrow Table (the CSV export's columns)."""
        return self.events_batches(**filters).read_all()

    def events(self, **filters):
        """Fused events matching ``filters`` as a pandas DataFrame (the CSV export's columns)."""
        from ._tables import _frame

        return _frame(self.events_arrow(**filters))


def _api_filters(filters: dict) -> dict:
    """Filters as the native method takes them: lists joined with commas, a bbox tuple as text."""
    out = {}
    for key, value in filters.items():
        if value is None:
            continue
        if key == "bbox" and not isinstance(value, str):
            value = ",".join(str(v) for v in value)
        elif key in ("type", "country") and not isinstance(value, str):
            value = ",".join(value)
        elif key in ("since", "until") and hasattr(value, "isoformat"):
            value = value.isoformat()[:10]
        out[key] = value
    return out
