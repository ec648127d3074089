//! Scorers for gold standards: [`geo`] (EUPEG line format: finding P/R/F1, acc@161,
//! e2e@161, AUC), [`events`] (the project's own sentence suites, a regression suite),
//! [`articles`] (whole real documents with ACLED-style gold, docs/evaluation.md) and
//! [`plover`] (the PLOVER gold standard records).

pub mod articles;
pub mod events;
pub mod geo;
pub mod plover;
