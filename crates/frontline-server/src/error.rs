//! The API's error type: every failure becomes `{"error": {"code", "message"}}` with a stable
//! code. User errors say what was wrong with the request; internal errors are logged in full
//! and answered with a generic message, so no path, SQL or panic text ever reaches a client.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// An error answered by the API.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A query parameter or body field is malformed (400). `code` is stable, e.g.
    /// `invalid_date`, `invalid_bbox`, `invalid_type`.
    #[error("{message}")]
    BadRequest {
        /// Stable machine-readable code.
        code: &'static str,
        /// What was wrong, naming the parameter.
        message: String,
    },
    /// The requested thing does not exist (404).
    #[error("{what} {id:?} not found")]
    NotFound {
        /// `event`, `document`, `route`.
        what: &'static str,
        /// The id asked for.
        id: String,
    },
    /// The request body is larger than the limit (413).
    #[error("request body is larger than the limit of {limit} bytes")]
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The request took longer than the server allows (503).
    #[error("the request took too long")]
    Timeout,
    /// The feature is not available on this server, e.g. extraction without a pipeline (503).
    #[error("{0}")]
    Unavailable(String),
    /// Anything else: logged, never shown (500).
    #[error("internal error")]
    Internal(String),
}

impl AppError {
    /// A 400 error with a stable code.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::BadRequest {
            code,
            message: message.into(),
        }
    }

    /// An internal error; `detail` is logged, never returned.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        Self::Internal(detail.to_string())
    }

    /// The stable code sent to clients.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest { code, .. } => code,
            Self::NotFound { .. } => "not_found",
            Self::PayloadTooLarge { .. } => "payload_too_large",
            Self::Timeout => "timeout",
            Self::Unavailable(_) => "unavailable",
            Self::Internal(_) => "internal",
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::NotFound { .. } => StatusCode::NOT_FOUND,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Timeout | Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message sent to clients (generic for internal errors).
    pub fn public_message(&self) -> String {
        match self {
            Self::Internal(_) => "internal error; the details are in the server log".to_string(),
            other => other.to_string(),
        }
    }
}

/// The JSON body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// Code and message of an error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code: `invalid_param`, `invalid_query`, `invalid_date`,
    /// `invalid_bbox`, `invalid_type`, `invalid_country`, `invalid_number`, `invalid_format`,
    /// `invalid_id`, `invalid_body`, `not_found`, `payload_too_large`, `timeout`,
    /// `unavailable`, `internal`.
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            Self::Internal(detail) => tracing::error!(%detail, "internal error"),
            Self::Timeout => tracing::warn!("request timed out"),
            other => tracing::debug!(code = other.code(), "request rejected: {other}"),
        }
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code().to_string(),
                message: self.public_message(),
            },
        };
        (self.status(), Json(body)).into_response()
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(e: tokio::task::JoinError) -> Self {
        Self::internal(format!("blocking task failed: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_hide_their_detail() {
        let e = AppError::internal("no such table: events at /home/x/secret.db");
        assert_eq!(e.code(), "internal");
        assert!(!e.public_message().contains("secret"));
        assert_eq!(e.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn user_errors_keep_code_and_message() {
        let e = AppError::bad_request("invalid_bbox", "bbox: expected 4 numbers");
        assert_eq!(e.code(), "invalid_bbox");
        assert_eq!(e.public_message(), "bbox: expected 4 numbers");
        assert_eq!(e.status(), StatusCode::BAD_REQUEST);
    }
}
