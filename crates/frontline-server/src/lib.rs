//! frontline-server: see ARCHITECTURE.md.
