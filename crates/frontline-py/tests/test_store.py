"""`frontline.Store`: ingest (extractions and articles), fused events with the API's filters."""

from __future__ import annotations

import pytest

import frontline

pd = pytest.importorskip("pandas")

# Two outlets report one strike; a third article reports a protest elsewhere.
REPORTS = [
    {"text": "An air strike killed 12 civilians in Saraqib in Idlib province on Sunday, "
             "medics said.", "published": "2020-02-04", "outlet": "Wire One"},
    {"text": "Twelve civilians were killed on Sunday when an air strike hit Saraqib, in "
             "Idlib province, a monitoring group said.", "published": "2020-02-04",
     "outlet": "Wire Two"},
    {"text": "Hundreds of students protested in Baghdad on Monday against power cuts.",
     "published": "2020-02-05", "outlet": "Wire One"},
]


def test_store_round_trip(tmp_path):
    path = tmp_path / "events.db"
    store = frontline.Store(path)
    results = list(frontline.Pipeline().extract_many(REPORTS))
    counts = store.ingest(results)
    assert counts["read"] == 3 and counts["new"] == 3 and counts["known"] == 0
    assert counts["events"] == sum(len(r["events"]) for r in results)
    # The same documents again: known, nothing written.
    again = store.ingest(REPORTS)
    assert again["new"] == 0 and again["known"] == 3
    assert store.counts()["documents"] == 3

    df = store.events()
    assert list(df.columns) == list(frontline.CSV_COLUMNS)
    assert len(df) == store.counts()["fused_events"] > 0
    strikes = df[df["plover_type"] == "ASSAULT"]
    assert len(strikes) >= 1
    # Reopened from the file, the same rows.
    del store
    reopened = frontline.Store(str(path))
    pd.testing.assert_frame_equal(reopened.events(), df)


def test_filters(tmp_path):
    store = frontline.Store(tmp_path / "f.db")
    store.ingest(REPORTS)
    every = store.events()
    assert len(store.events(type="ASSAULT")) == (every["plover_type"] == "ASSAULT").sum()
    assert len(store.events(type=["PROTEST"])) == (every["plover_type"] == "PROTEST").sum()
    syria = store.events(country="Syria")
    assert len(syria) == (every["iso"] == "SY").sum()
    assert len(store.events(country=["SY", "IQ"])) == every["iso"].isin(["SY", "IQ"]).sum()
    assert len(store.events(limit=1)) == min(1, len(every))
    assert len(store.events(since="2030-01-01")) == 0
    assert len(store.events(bbox=(35.0, 35.0, 37.5, 37.0))) == (
        (every["latitude"].between(35.0, 37.0)) & (every["longitude"].between(35.0, 37.5))
    ).sum()
    newest = store.events(order="newest")
    assert sorted(newest["event_id"]) == sorted(every["event_id"])
    t = store.events_arrow(type="ASSAULT")
    assert t.num_rows == (every["plover_type"] == "ASSAULT").sum()


def test_events_batches_stream_the_table(tmp_path):
    pa = pytest.importorskip("pyarrow")
    store = frontline.Store(tmp_path / "b.db")
    store.ingest(REPORTS)
    table = store.events_arrow()
    reader = store.events_batches()
    assert isinstance(reader, pa.RecordBatchReader)
    assert reader.schema == table.schema
    assert pa.Table.from_batches(list(reader), table.schema).equals(table)
    # Limit and offset page through the same rows; nothing matching still gives the schema.
    n = table.num_rows
    assert store.events_arrow(offset=1).equals(table.slice(1))
    assert store.events_arrow(limit=1, offset=n - 1).equals(table.slice(n - 1, 1))
    assert store.events_arrow(limit=0).num_rows == 0
    empty = store.events_arrow(since="2030-01-01")
    assert empty.num_rows == 0 and empty.schema == table.schema
    # Dates reach pandas as datetime64 without a Python object per value.
    df = store.events()
    assert str(df["event_date"].dtype).startswith("datetime64")
    assert list(df["event_date"].dt.date) == table.column("event_date").to_pylist()


@pytest.mark.parametrize(
    "filters, message",
    [
        ({"since": "yesterday"}, "since: \"yesterday\" is not a date"),
        ({"since": "2020-02-05", "until": "2020-02-01"}, "since 2020-02-05 is after until"),
        ({"bbox": "1,2,3"}, "must be four numbers"),
        ({"country": "Atlantis"}, "is not an ISO 3166-1 code"),
        ({"order": "random"}, "order: \"random\" is not one of oldest, newest"),
    ],
)
def test_bad_filters_raise(tmp_path, filters, message):
    store = frontline.Store(":memory:")
    with pytest.raises(ValueError) as info:
        store.events(**filters)
    assert message in str(info.value)


def test_bad_items_and_paths_raise(tmp_path):
    store = frontline.Store(":memory:")
    with pytest.raises(ValueError, match="item 0: not an extraction of the JSON contract"):
        store.ingest([{"document": {"id": 3}}])
    with pytest.raises(TypeError, match="item 1: expected a str or a dict"):
        store.ingest(["fine", None])
    with pytest.raises(frontline.FrontlineError, match="cannot open database"):
        (tmp_path / "not-a.db").write_bytes(b"this is not a database" * 100)
        frontline.Store(tmp_path / "not-a.db")
    # Nothing already stored is lost by a failed call.
    store.ingest(REPORTS[:1])
    with pytest.raises(TypeError):
        store.ingest([REPORTS[1], 5])
    assert store.counts()["documents"] >= 1
