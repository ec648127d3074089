"""Typed tables of extraction results and fused events (pyarrow and pandas)."""

from __future__ import annotations

import json

from . import _frontline

# Columns that are never null: the schema of `frontline export --format parquet` (the other
# columns' types come with their buffers from the native module).
_NOT_NULL = {"event_id", "source", "notes", "plover_type", "n_sources", "contradictions",
             "n_documents", "n_outlets"}


def _pa():
    try:
        import pyarrow
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("this function needs pyarrow: pip install pyarrow") from e
    return pyarrow


def _record_batch(pa, columns: list):
    """A pyarrow RecordBatch from the native module's columns: ``(name, type, length,
    null_count, validity, buffers)``, the buffers already in Arrow's layout (wrapped, not
    copied), each column typed as the Parquet export types it."""
    fields, arrays = [], []
    for name, typ, length, nulls, validity, buffers in columns:
        t = getattr(pa, typ)()
        bufs = [None if validity is None else pa.py_buffer(validity)]
        bufs.extend(pa.py_buffer(b) for b in buffers)
        arrays.append(pa.Array.from_buffers(t, length, bufs, null_count=nulls))
        fields.append(pa.field(name, t, nullable=name not in _NOT_NULL))
    return pa.RecordBatch.from_arrays(arrays, schema=pa.schema(fields))


def _batch_reader(batches):
    """A ``pyarrow.RecordBatchReader`` over the native module's batches (an iterable of
    column lists; the first gives the schema, and there is always one)."""
    pa = _pa()
    it = iter(batches)
    first = _record_batch(pa, next(it))

    def rest():
        yield first
        for columns in it:
            yield _record_batch(pa, columns)

    return pa.RecordBatchReader.from_batches(first.schema, rest())


def _acled_table(batches):
    """A pyarrow Table of the native module's batches."""
    return _batch_reader(batches).read_all()


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
    """A pandas DataFrame of an Arrow table, with nullable integer columns, text in Arrow
    memory (``string[pyarrow]``) and datetime dates."""
    try:
        import pandas as pd
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("this function needs pandas: pip install pandas") from e
    pa = _pa()
    mapping = {
        pa.int32(): pd.Int32Dtype(),
        pa.int64(): pd.Int64Dtype(),
        pa.float64(): pd.Float64Dtype(),
        # Text stays in Arrow's buffers: no Python string per value.
        pa.string(): pd.StringDtype("pyarrow"),
    }
    # Dates become datetime64[s] straight from Arrow (no datetime.date per value).
    for i, field in enumerate(table.schema):
        if field.type == pa.date32():
            table = table.set_column(i, field.name, table.column(i).cast(pa.timestamp("s")))
    return table.to_pandas(types_mapper=mapping.get)


def events_frame(results):
    """Extraction results as a pandas DataFrame of events (the columns of ``to_arrow``).

    Integer columns are pandas' nullable ``Int32``/``Int64``, text ``string`` (kept in Arrow
    memory), ``event_date`` ``datetime64``.
    """
    return _frame(to_arrow(results, "events"))


def mentions_frame(results):
    """Extraction results as a pandas DataFrame of mentions (see ``to_arrow``)."""
    return _frame(to_arrow(results, "mentions"))
