//! Geoparsing scorer.
