//! frontline-extract: see ARCHITECTURE.md.
