//! The gazetteer's error type.

use std::path::PathBuf;

/// Errors from loading or writing a gazetteer.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file is not in the expected format.
    #[error("{path}: {problem}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// A GeoNames directory lacks a file the import needs.
    #[error("{dir}: no {wanted} found (download it from the GeoNames export dump)")]
    Missing {
        /// The directory searched.
        dir: PathBuf,
        /// The file wanted.
        wanted: String,
    },
}
