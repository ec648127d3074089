//! frontline-gazetteer: see ARCHITECTURE.md.
