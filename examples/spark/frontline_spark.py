"""Frontline on Spark: extracts events from a corpus of JSON Lines shards and writes Parquet of
extractions, events and mentions.

    spark-submit examples/spark/frontline_spark.py INPUT OUTPUT [--jsonl]

INPUT is a folder (or glob) of JSON Lines files, one article per line, with the fields
`text` and optionally `id`, `published` (YYYY-MM-DD), `outlet`, `url`, `title`, `author`
(the fields `frontline ingest` reads from JSON Lines). OUTPUT receives

- `extractions/`: Parquet, one row per article: `id` and `extraction` (the JSON contract of
  `frontline extract`, docs/schema.md);
- `events/`: Parquet, one row per coded event: the CSV export's columns (but `event_id`, a
  row number that means nothing across partitions) and `document_id`, `event`, `modality`,
  `confidence` (see `frontline.to_arrow`);
- `mentions/`: Parquet, one row per mention (see `frontline.to_arrow(..., "mentions")`);
- with `--jsonl`, `extractions-jsonl/`: the `extraction` column as JSON Lines text files, which
  `frontline ingest --extractions OUTPUT/extractions-jsonl` stores and fuses without extracting
  again.

Each executor's Python worker builds one `frontline.Pipeline` (on its first batch) and reuses
it for every batch it is given; the batches arrive as Arrow record batches (`mapInArrow`), so
no row is converted one by one through pickled Python objects. Extraction runs once: events
and mentions are derived from the written extractions.
"""

from __future__ import annotations

import argparse
import os

# Columns read from the input; absent ones are null.
INPUT_SCHEMA = (
    "id string, text string, published string, outlet string, url string, title string, "
    "author string"
)
ARTICLE_FIELDS = ("text", "published", "outlet", "url", "title", "author")
EXTRACTIONS_SCHEMA = "id string, extraction string"
EVENTS_SCHEMA = (
    "event_date date, year int, time_precision int, event_type string, "
    "sub_event_type string, actor1 string, actor2 string, country string, iso string, "
    "admin1 string, location string, latitude double, longitude double, geo_precision int, "
    "source string, notes string, fatalities bigint, plover_type string, n_sources int, "
    "contradictions string, fatalities_low bigint, fatalities_best bigint, "
    "fatalities_high bigint, n_documents int, n_outlets int, document_id string, "
    "event string, modality string, confidence double"
)
MENTIONS_SCHEMA = (
    "document_id string, mention_id bigint, kind string, text string, start bigint, "
    "end bigint, sentence bigint, value string"
)

_PIPELINE = None


def pipeline():
    """This worker process's pipeline, built on first use (Spark reuses Python workers, so a
    pipeline serves every task the worker runs)."""
    global _PIPELINE
    if _PIPELINE is None:
        import frontline

        _PIPELINE = frontline.Pipeline(
            gazetteer=os.environ.get("FRONTLINE_GAZETTEER") or None,
            dictionary=os.environ.get("FRONTLINE_DICTIONARY") or None,
        )
    return _PIPELINE


def extract_batches(batches):
    """mapInArrow: article batches in, (id, extraction JSON) batches out."""
    import pyarrow as pa

    # Spark runs one task per core; each task extracts on one thread.
    threads = int(os.environ.get("FRONTLINE_THREADS", "1"))
    p = pipeline()
    for batch in batches:
        names = batch.schema.names
        cols = {f: batch.column(names.index(f)).to_pylist() if f in names else None
                for f in ARTICLE_FIELDS}
        items = [
            {f: (cols[f][i] if cols[f] is not None else None) for f in ARTICLE_FIELDS}
            for i in range(batch.num_rows)
        ]
        for item in items:
            if item["text"] is None:
                item["text"] = ""
        ids = batch.column(names.index("id")) if "id" in names else pa.nulls(batch.num_rows,
                                                                             pa.string())
        out = p.extract_many_json(items, threads=threads)
        yield pa.RecordBatch.from_arrays([ids, pa.array(out, pa.string())],
                                         names=["id", "extraction"])


def _results(batch):
    """The batch's extractions as JSON texts, which `frontline.to_arrow` reads in Rust as they
    are (no `json.loads` into dicts and `json.dumps` back)."""
    return batch.column(batch.schema.names.index("extraction")).to_pylist()


def event_batches(batches):
    """mapInArrow: extraction batches in, event rows out."""
    import frontline

    for batch in batches:
        table = frontline.to_arrow(_results(batch), "events").drop_columns(["event_id"])
        yield from table.to_batches()


def mention_batches(batches):
    """mapInArrow: extraction batches in, mention rows out."""
    import frontline

    for batch in batches:
        yield from frontline.to_arrow(_results(batch), "mentions").to_batches()


def run(spark, input_path: str, output: str, jsonl: bool = False) -> None:
    """Extracts the corpus at `input_path` and writes the tables under `output`."""
    articles = spark.read.schema(INPUT_SCHEMA).json(input_path)
    extractions = articles.mapInArrow(extract_batches, EXTRACTIONS_SCHEMA)
    extractions.write.mode("overwrite").parquet(f"{output}/extractions")
    stored = spark.read.parquet(f"{output}/extractions")
    stored.mapInArrow(event_batches, EVENTS_SCHEMA).write.mode("overwrite").parquet(
        f"{output}/events")
    stored.mapInArrow(mention_batches, MENTIONS_SCHEMA).write.mode("overwrite").parquet(
        f"{output}/mentions")
    if jsonl:
        stored.select("extraction").write.mode("overwrite").text(f"{output}/extractions-jsonl")


def main() -> None:
    ap = argparse.ArgumentParser(description="Frontline extraction on Spark")
    ap.add_argument("input", help="folder or glob of JSON Lines shards")
    ap.add_argument("output", help="output folder (extractions/, events/, mentions/)")
    ap.add_argument("--jsonl", action="store_true",
                    help="also write the extractions as JSON Lines for `frontline ingest "
                         "--extractions`")
    a = ap.parse_args()
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("frontline").getOrCreate()
    try:
        run(spark, a.input, a.output, a.jsonl)
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
