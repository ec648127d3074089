//! frontline-eval: see ARCHITECTURE.md.
