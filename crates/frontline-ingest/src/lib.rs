//! frontline-ingest: see ARCHITECTURE.md.
