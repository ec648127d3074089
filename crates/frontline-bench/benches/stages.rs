//! Per-stage benchmarks on generated wire-style articles: clean, boilerplate + sentences,
//! geoparse, the full extraction pipeline (event coding included) and the store.
//!
//! `cargo bench -p frontline-bench` (add `-- --quick` for a short run, or a filter such as
//! `-- geoparse`). Each benchmark processes the same batch of [`BATCH`] articles (seed 42), and
//! reports throughput in bytes of raw article text, so figures compare across stages.
#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use frontline_bench::{Article, corpus};
use frontline_extract::pipeline::Pipeline;
use frontline_geocode::Geocoder;
use frontline_model::Extraction;
use frontline_store::Store;
use frontline_text::Span;

/// Articles per benchmark iteration.
const BATCH: usize = 100;
const SEED: u64 = 42;

fn articles() -> Vec<Article> {
    corpus(SEED, BATCH).collect()
}

fn raw_bytes(a: &[Article]) -> u64 {
    a.iter().map(|x| x.text.len() as u64).sum()
}

/// Cleaned text, boilerplate spans and sentence spans, as the pipeline computes them.
struct Prepared {
    text: String,
    skip: Vec<Span>,
    sentences: Vec<Span>,
}

fn prepare(raw: &str) -> Prepared {
    let text = frontline_text::clean(raw).text;
    let blocks = frontline_text::detect_boilerplate(&text);
    let skip = blocks.iter().map(|b| b.span).collect();
    let sentences = frontline_text::analysed_regions(text.len(), &blocks)
        .iter()
        .flat_map(|r| frontline_text::sentences(&text, *r))
        .collect();
    Prepared {
        text,
        skip,
        sentences,
    }
}

fn stages(c: &mut Criterion) {
    let arts = articles();
    let bytes = raw_bytes(&arts);
    let mut g = c.benchmark_group("stage");
    g.throughput(Throughput::Bytes(bytes));
    g.sample_size(20);

    g.bench_function("clean", |b| {
        b.iter(|| {
            for a in &arts {
                black_box(frontline_text::clean(black_box(&a.text)));
            }
        });
    });

    let cleaned: Vec<String> = arts
        .iter()
        .map(|a| frontline_text::clean(&a.text).text)
        .collect();
    g.bench_function("sentences", |b| {
        b.iter(|| {
            for t in &cleaned {
                let blocks = frontline_text::detect_boilerplate(t);
                for r in frontline_text::analysed_regions(t.len(), &blocks) {
                    black_box(frontline_text::sentences(t, r));
                }
            }
        });
    });

    let geocoder = Geocoder::embedded().expect("embedded gazetteer");
    let prepared: Vec<Prepared> = arts.iter().map(|a| prepare(&a.text)).collect();
    g.bench_function("geoparse", |b| {
        b.iter(|| {
            for p in &prepared {
                black_box(geocoder.geoparse(&p.text, &p.sentences, &p.skip));
            }
        });
    });

    let pipeline = Pipeline::new(geocoder).expect("pipeline");
    g.bench_function("code_events_full_pipeline", |b| {
        b.iter(|| {
            for a in &arts {
                black_box(pipeline.extract(a.meta(), &a.text));
            }
        });
    });

    let extractions: Vec<Extraction> = arts
        .iter()
        .map(|a| pipeline.extract(a.meta(), &a.text))
        .collect();
    g.bench_function("store_in_memory", |b| {
        b.iter_batched(
            || Store::open_in_memory().expect("in-memory store"),
            |store| {
                for ex in &extractions {
                    black_box(store.put_extraction(ex).expect("put"));
                }
                store
            },
            BatchSize::PerIteration,
        );
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
