"""`frontline.extract`, `Pipeline` and bad input."""

from __future__ import annotations

import datetime
import json
import subprocess

import pytest

import frontline

STRIKE = (
    "An air strike killed 12 civilians in the town of Saraqib in Idlib province on "
    "Sunday, local medics said."
)


def test_extract_returns_the_json_contract():
    r = frontline.extract(STRIKE, published="2020-02-04", outlet="Test Wire")
    assert r["schema_version"] == frontline.SCHEMA_VERSION
    assert set(r) >= {"schema_version", "document", "sentences", "mentions", "events"}
    assert r["document"]["outlet"] == "Test Wire"
    assert r["document"]["published_at"] == "2020-02-04"
    types = [e["plover_type"] for e in r["events"]]
    assert "ASSAULT" in types, types


def test_published_accepts_a_date_object():
    a = frontline.extract(STRIKE, published="2020-02-04")
    b = frontline.extract(STRIKE, published=datetime.date(2020, 2, 4))
    assert a == b
    # "on Sunday" resolves against the publication date: 2020-02-02.
    dates = [e.get("date", {}).get("start") for e in a["events"]]
    assert "2020-02-02" in dates, dates


def test_extract_equals_the_cli_on_the_fixtures(articles, cli, tmp_path):
    """The dict is what `frontline extract` prints for the same file (but the origin)."""
    for name, text in articles.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        out = subprocess.run(
            [cli, "--quiet", "extract", str(path), "--format", "json"],
            check=True, capture_output=True, text=True,
        ).stdout
        from_cli = json.loads(out)
        ours = frontline.extract(text)
        assert ours["document"]["id"] == from_cli["document"]["id"], name
        assert ours["events"] == from_cli["events"], name
        assert ours["mentions"] == from_cli["mentions"], name
        assert ours["sentences"] == from_cli["sentences"], name


def test_pipeline_extract_many_keeps_input_order(articles):
    p = frontline.Pipeline()
    texts = list(articles.values())
    items = [{"text": t, "published": "2021-03-01", "outlet": f"Outlet {i}", "extra": 1}
             for i, t in enumerate(texts)]
    many = list(p.extract_many(iter(items), threads=2))
    assert len(many) == len(texts)
    for i, (item, r) in enumerate(zip(items, many)):
        one = p.extract(item["text"], published="2021-03-01", outlet=f"Outlet {i}")
        assert r == one
    # The default pool and one thread give the same results.
    assert list(p.extract_many(texts)) == list(p.extract_many(texts, threads=1))
    assert list(p.extract_many([])) == []


def test_extract_many_json_is_the_dicts_as_text(articles):
    p = frontline.Pipeline()
    texts = list(articles.values())[:3]
    assert [json.loads(s) for s in p.extract_many_json(texts)] == list(p.extract_many(texts))


def test_empty_text_gives_a_warning_not_an_error():
    r = frontline.extract("")
    assert r["events"] == []
    assert any("empty" in w for w in r.get("warnings", []))


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: frontline.extract(42), TypeError, "text: expected a str, got int"),
        (lambda: frontline.extract("x", published="18/06/2017"), ValueError,
         "is not a date; expected YYYY-MM-DD"),
        (lambda: frontline.extract("x", published=3.5), TypeError, "published: expected"),
        (lambda: frontline.extract(b"\xff\xfe"), ValueError, "bytes that are not UTF-8"),
        (lambda: list(frontline.Pipeline().extract_many(["ok", 7])), TypeError,
         "item 1: expected a str or a dict"),
        (lambda: list(frontline.Pipeline().extract_many([{"title": "no text"}])), ValueError,
         "item 0: the dict has no \"text\" key"),
        (lambda: list(frontline.Pipeline().extract_many([{"text": "t", "outlet": 5}])), TypeError,
         "item 0: \"outlet\" must be a str or None"),
        (lambda: frontline.Pipeline().extract_many(5), TypeError, "not iterable"),
        (lambda: frontline.Pipeline().extract_many(["a"], threads=0), ValueError,
         "threads must be at least 1"),
        (lambda: frontline.Pipeline(gazetteer="/nonexistent/gazetteer.idx"),
         frontline.FrontlineError, "cannot open gazetteer /nonexistent/gazetteer.idx"),
        (lambda: frontline.Pipeline(dictionary="/nonexistent/dictionary"),
         frontline.FrontlineError, "cannot load dictionary folder /nonexistent/dictionary"),
    ],
)
def test_bad_input_raises_with_a_clear_message(call, error, message):
    with pytest.raises(error, match=None) as info:
        call()
    assert message in str(info.value)


def test_errors_inside_the_iterable_propagate():
    def items():
        yield "fine"
        raise RuntimeError("the source broke")

    with pytest.raises(RuntimeError, match="the source broke"):
        list(frontline.Pipeline().extract_many(items()))


def test_extract_many_is_a_lazy_iterator_in_input_order():
    consumed = []

    def source():
        for i in range(2000):
            consumed.append(i)
            yield f"Shelling hit the town of Kupiansk on Monday, report {i} said."

    it = frontline.Pipeline().extract_many(source(), threads=1)
    assert iter(it) is it
    assert consumed == [], "nothing is read before the first result is asked for"
    first = next(it)
    assert "report 0 said" in first["document"]["text"]
    # One chunk being handed out and one read ahead, not the whole input.
    assert 0 < len(consumed) < 2000
    rest = list(it)
    assert len(rest) == 1999 and "report 1999 said" in rest[-1]["document"]["text"]
    with pytest.raises(StopIteration):
        next(it)


def test_results_before_a_bad_item_come_out_before_its_error():
    items = ["A car bomb exploded in Kirkuk on Sunday."] * 40 + [7]
    it = frontline.Pipeline().extract_many(items, threads=1)
    got = []
    with pytest.raises(TypeError, match="item 40: expected a str or a dict"):
        for r in it:
            got.append(r)
    assert 0 < len(got) <= 40
    assert all(r["document"]["text"] == items[0] for r in got)


def test_dicts_built_in_rust_equal_the_json_contract(articles):
    """Types, key order and values are those `json.loads` gives for the CLI's JSON text."""

    def same(a, b, path="$"):
        assert type(a) is type(b), path
        if isinstance(a, dict):
            assert list(a) == list(b), path
            for k in a:
                same(a[k], b[k], f"{path}.{k}")
        elif isinstance(a, list):
            assert len(a) == len(b), path
            for i, (x, y) in enumerate(zip(a, b)):
                same(x, y, f"{path}[{i}]")
        else:
            assert a == b, path

    p = frontline.Pipeline()
    texts = list(articles.values())
    for d, j in zip(p.extract_many(texts), p.extract_many_json(texts)):
        same(d, json.loads(j))
