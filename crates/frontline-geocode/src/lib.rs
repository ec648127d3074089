//! frontline-geocode: see ARCHITECTURE.md.
