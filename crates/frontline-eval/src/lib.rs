//! Scorers for public gold standards: [`geo`] (EUPEG line format: finding P/R/F1, acc@161,
//! e2e@161, AUC) and [`events`] (event-coding validation suites).

pub mod events;
pub mod geo;
