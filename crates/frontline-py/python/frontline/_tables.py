"""Typed tables of extraction results and fused events (pyarrow and pandas)."""

from __future__ import annotations

import json

from . import _frontline

# Arrow types of the CSV export's columns: the schema of `frontline export --format parquet`.
_ACLED_TYPES = {
    "event_id": "int64",
    "event_date": "date32",
    "year": "int32",
    "time_precision": "int32",
    "latitude": "float64",
    "longitude": "float64",
    "geo_precision": "int32",
    "fatalities": "int64",
    "n_sources": "int32",
    "fatalities_low": "int64",
    "fatalities_best": "int64",
    "fatalities_high": "int64",
    "n_documents": "int32",
    "n_outlets": "int32",
    "confidence": "float64",
    "mention_id": "int64",
    "start": "int64",
    "end": "int64",
    "sentence": "int64",
}

_NOT_NULL = {"event_id", "source", "notes", "plover_type", "n_sources", "contradictions",
             "n_documents", "n_outlets"}


def _pa():
    try:
        import pyarrow
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("this function needs pyarrow: pip install pyarrow") from e
    return pyarrow


def _arrow_type(pa, name: str):
    t = _ACLED_TYPES.get(name, "string")
    return getattr(pa, t)()


def _acled_table(columns: dict):
    """A pyarrow Table from `{name: list}`, each column typed as the Parquet export types it."""
    pa = _pa()
    fields, arrays = [], []
    for name, values in columns.items():
        typ = _arrow_type(pa, name)
        if typ == pa.date32():
            arr = pa.array(values, type=pa.string()).cast(pa.date32())
        else:
            arr = pa.array(values, type=typ)
        fields.append(pa.field(name, typ, nullable=name not in _NOT_NULL))
        arrays.append(arr)
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def _results_json(results) -> str:
    """One JSON array of the results: dicts are written with ``json``; JSON texts (from
    ``extract_many_json`` or a Parquet column of them) are joined as they are."""
    if isinstance(results, (dict, str)):
        results = [results]
    results = list(results)
    if results and all(isinstance(r, str) for r in results):
        return "[" + ",".join(results) + "]"
    try:
        return json.dumps(results)
    except TypeError as e:
        raise TypeError(f"results: expected a list of extraction dicts ({e})") from None


def to_arrow(results, table: str = "events"):
    """Extraction results (dicts from ``extract``/``extract_many``, or their JSON texts from
    ``extract_many_json``, which skip a JSON round trip) as a pyarrow Table.

    ``table="events"``: one row per coded event with the CSV export's columns (``event_id``
    is the row number: events of single documents are not fused; ``n_sources``,
    ``n_documents`` and ``n_outlets`` are those of the one report), then ``document_id``,
    ``event`` (the event's id in its document), ``modality`` and ``confidence``.
    ``table="mentions"``: one row per mention (``document_id``, ``mention_id``, ``kind``,
    ``text``, ``start``, ``end``, ``sentence``, ``value`` as JSON).
    """
    if table == "events":
        columns = _frontline.event_columns(_results_json(results))
    elif table == "mentions":
        columns = _frontline.mention_columns(_results_json(results))
    else:
        raise ValueError(f"table: {table!r} is not one of 'events', 'mentions'")
    return _acled_table(columns)


def _frame(table):
    """A pandas DataFrame of an Arrow table, with nullable integer columns and datetime dates."""
    try:
        import pandas as pd
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("this function needs pandas: pip install pandas") from e
    pa = _pa()
    mapping = {
        pa.int32(): pd.Int32Dtype(),
        pa.int64(): pd.Int64Dtype(),
        pa.float64(): pd.Float64Dtype(),
        pa.string(): pd.StringDtype(),
    }
    frame = table.to_pandas(types_mapper=mapping.get)
    for field in table.schema:
        if field.type == pa.date32():
            frame[field.name] = pd.to_datetime(frame[field.name])
    return frame


def events_frame(results):
    """Extraction results as a pandas DataFrame of events (the columns of ``to_arrow``).

    Integer columns are pandas' nullable ``Int32``/``Int64``, text ``string``, ``event_date``
    ``datetime64``.
    """
    return _frame(to_arrow(results, "events"))


def mentions_frame(results):
    """Extraction results as a pandas DataFrame of mentions (see ``to_arrow``)."""
    return _frame(to_arrow(results, "mentions"))
