//! Event-coding scorer.
