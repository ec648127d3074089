//! One module per subcommand. Each exposes `Args` (or `Command`) and `run`.

pub mod demo;
pub mod eval;
pub mod eval_articles;
pub mod eval_events;
pub mod eval_geo;
pub mod eval_plover;
pub mod eval_re3d;
pub mod explain;
pub mod export;
#[cfg(feature = "parquet")]
pub mod export_parquet;
pub mod extract;
pub mod gazetteer;
pub mod geoparse;
pub mod ingest;
pub mod serve;
pub mod watch;
