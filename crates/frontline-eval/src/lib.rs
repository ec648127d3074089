//! Scorers for gold standards: [`geo`] (EUPEG line format: finding P/R/F1, acc@161,
//! e2e@161, AUC), [`events`] (the project's own sentence suites, a regression suite),
//! [`articles`] (whole real documents with ACLED-style gold, docs/evaluation.md),
//! [`plover`] (the PLOVER gold standard records) and [`re3d`] (re3d's `Location` gold: toponym
//! precision and recall where the schemes agree).

pub mod articles;
pub mod events;
pub mod geo;
pub mod plover;
pub mod re3d;
