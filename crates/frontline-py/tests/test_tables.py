"""`events_frame`, `mentions_frame`, `to_arrow`: columns, dtypes, Arrow schema."""

from __future__ import annotations

import pytest

import frontline

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")

EXTRA = ["document_id", "event", "modality", "confidence"]


@pytest.fixture(scope="module")
def results(articles):
    return list(frontline.Pipeline().extract_many(
        {"text": t, "published": "2022-05-10", "outlet": "Fixture Wire"} for t in articles.values()
    ))


def test_tables_take_the_extract_many_iterator_as_it_is(articles, results):
    it = frontline.Pipeline().extract_many(
        {"text": t, "published": "2022-05-10", "outlet": "Fixture Wire"} for t in articles.values()
    )
    assert frontline.events_frame(it).equals(frontline.events_frame(results))


def test_events_frame_has_the_csv_columns_and_one_row_per_event(results):
    df = frontline.events_frame(results)
    assert list(df.columns) == list(frontline.CSV_COLUMNS) + EXTRA
    n = sum(len(r["events"]) for r in results)
    assert n > 0 and len(df) == n
    assert list(df["event_id"]) == list(range(n))
    assert list(df["event"]) == [e["id"] for r in results for e in r["events"]]
    assert list(df["plover_type"]) == [e["plover_type"] for r in results for e in r["events"]]
    assert set(df["source"]) == {"Fixture Wire"}


def test_events_frame_dtypes(results):
    df = frontline.events_frame(results)
    assert str(df["event_id"].dtype) == "Int64"
    assert str(df["year"].dtype) == "Int32"
    assert str(df["fatalities"].dtype) == "Int64"
    assert str(df["latitude"].dtype) == "Float64"
    assert str(df["event_date"].dtype).startswith("datetime64")
    assert isinstance(df["plover_type"].dtype, pd.StringDtype)
    dated = df[df["event_date"].notna()]
    assert (dated["year"] == dated["event_date"].dt.year).all()


def test_to_arrow_schema_matches_the_parquet_export(results):
    t = frontline.to_arrow(results)
    s = t.schema
    assert s.field("event_id").type == pa.int64() and not s.field("event_id").nullable
    assert s.field("event_date").type == pa.date32()
    assert s.field("year").type == pa.int32()
    assert s.field("latitude").type == pa.float64()
    assert s.field("notes").type == pa.string() and not s.field("notes").nullable
    assert s.field("n_sources").type == pa.int32()
    assert t.num_rows == sum(len(r["events"]) for r in results)


def test_mentions_table(results):
    t = frontline.to_arrow(results, table="mentions")
    assert t.column_names == ["document_id", "mention_id", "kind", "text", "start", "end",
                              "sentence", "value"]
    assert t.num_rows == sum(len(r["mentions"]) for r in results)
    m = results[0]["mentions"][0]
    row = t.slice(0, 1).to_pylist()[0]
    assert (row["text"], row["start"], row["end"]) == (m["text"], m["span"]["start"],
                                                       m["span"]["end"])
    df = frontline.mentions_frame(results)
    assert set(df["kind"]) <= {"actor", "place", "time", "quantity", "speaker"}


def test_empty_results_give_empty_tables():
    df = frontline.events_frame([])
    assert len(df) == 0 and list(df.columns) == list(frontline.CSV_COLUMNS) + EXTRA


def test_bad_results_raise():
    with pytest.raises(ValueError, match=r"results\[0\]: not an extraction"):
        frontline.to_arrow([{"events": []}])
    with pytest.raises(TypeError, match="expected a list of extraction dicts"):
        frontline.to_arrow([object()])
    with pytest.raises(ValueError, match="table: 'sentences' is not one of"):
        frontline.to_arrow([], table="sentences")


def test_tables_take_json_texts_as_they_are(articles, results):
    texts = frontline.Pipeline().extract_many_json(
        {"text": t, "published": "2022-05-10", "outlet": "Fixture Wire"} for t in articles.values()
    )
    for table in ("events", "mentions"):
        assert frontline.to_arrow(texts, table).equals(frontline.to_arrow(results, table))
    with pytest.raises(ValueError, match="not a list of extractions"):
        frontline.to_arrow(["{not json"])
