"""The Spark recipe on `local[2]` over a small generated corpus: its Parquet holds exactly the
events `frontline extract` emits for the same files, and `frontline ingest --extractions` of
its output stores what `frontline ingest` of the articles stores.

Skipped when pyspark, pyarrow, java or the frontline binary are missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

pytest.importorskip("pyspark")
pq = pytest.importorskip("pyarrow.parquet")
import frontline  # noqa: E402
import make_corpus  # noqa: E402
import frontline_spark  # noqa: E402

ARTICLES = int(os.environ.get("FRONTLINE_SPARK_ARTICLES", "300"))


def _cli() -> str:
    env = os.environ.get("FRONTLINE_BIN")
    for c in [env, str(REPO / "target" / "debug" / "frontline"),
              str(REPO / "target" / "release" / "frontline")]:
        if c and Path(c).is_file():
            return c
    pytest.skip("no frontline binary (set FRONTLINE_BIN or cargo build -p frontline)")


@pytest.fixture(scope="module")
def spark():
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no java (apt-get install default-jre-headless)")
    from pyspark.sql import SparkSession

    # The local workers must run this interpreter (the one with frontline and pyarrow), not
    # whatever `python3` is first on PATH.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    s = (SparkSession.builder.master("local[2]").appName("frontline-test")
         .config("spark.ui.enabled", "false")
         .config("spark.sql.shuffle.partitions", "2")
         .getOrCreate())
    # The workers import the job's module to run its functions.
    s.sparkContext.addPyFile(str(HERE / "frontline_spark.py"))
    yield s
    s.stop()


def _key_rows(table):
    rows = table.to_pylist()
    for r in rows:
        r.pop("event_id", None)
    return sorted(rows, key=lambda r: (r["document_id"], r["event"]))


def test_spark_parquet_holds_the_cli_events(spark, tmp_path):
    cli = _cli()
    corpus = tmp_path / "corpus"
    make_corpus.write_corpus(corpus, ARTICLES, shards=3, seed=11)
    out = tmp_path / "out"
    frontline_spark.run(spark, str(corpus), str(out), jsonl=True)

    cli_out = subprocess.run([cli, "--quiet", "extract", str(corpus), "--format", "jsonl"],
                             check=True, capture_output=True, text=True).stdout
    cli_results = [json.loads(line) for line in cli_out.splitlines() if line.strip()]
    assert len(cli_results) == ARTICLES

    extractions = pq.read_table(out / "extractions")
    assert extractions.num_rows == ARTICLES
    spark_docs = sorted(json.loads(s)["document"]["id"]
                        for s in extractions.column("extraction").to_pylist())
    assert spark_docs == sorted(r["document"]["id"] for r in cli_results)

    expected = _key_rows(frontline.to_arrow(cli_results, "events"))
    got = _key_rows(pq.read_table(out / "events"))
    assert len(expected) > ARTICLES // 2, "the generated corpus should yield events"
    assert [(r["document_id"], r["event"]) for r in got] == [
        (r["document_id"], r["event"]) for r in expected]
    assert got == expected

    mentions = pq.read_table(out / "mentions")
    assert mentions.num_rows == sum(len(r["mentions"]) for r in cli_results)

    # Storing the Spark output without extracting again gives the same database as
    # ingesting the articles. Near-copy detection and fusion depend on the order documents
    # arrive in, and Spark writes its part files in its own order: the job's extraction lines
    # are put in the articles' order (as `extract` lists them) before ingesting.
    by_id = {}
    for part in sorted((out / "extractions-jsonl").rglob("*")):
        if part.is_file() and not part.name.startswith((".", "_")):
            for line in part.read_text().splitlines():
                if line.strip():
                    by_id[json.loads(line)["document"]["id"]] = line
    ordered = tmp_path / "extractions-in-order.jsonl"
    ordered.write_text("".join(by_id[r["document"]["id"]] + "\n" for r in cli_results))
    counts = []
    for name, args in (("a.db", [str(corpus)]),
                       ("b.db", ["--extractions", str(ordered)])):
        db = tmp_path / name
        subprocess.run([cli, "--quiet", "ingest", "--db", str(db), *args], check=True,
                       capture_output=True)
        counts.append(frontline.Store(db).counts())
        frontline.Store(db).events()
    assert counts[0] == counts[1]
    assert counts[0]["documents"] == ARTICLES
