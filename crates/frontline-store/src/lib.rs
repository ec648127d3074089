//! frontline-store: see ARCHITECTURE.md.
