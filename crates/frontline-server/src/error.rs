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
    /// The request body did not arrive within the body-read timeout (408).
    #[error("the request body did not arrive within {secs:.1} s")]
    BodyTimeout {
        /// The timeout in seconds.
        secs: f64,
    },
    /// Every extraction slot stayed busy until the request's deadline (503).
    #[error("the server is busy with other extractions; try again later")]
    Busy,
    /// The answer would be larger than the server sends (422); a smaller form exists.
    #[error("{0}")]
    ResponseTooLarge(String),
    /// The method is not one the path answers to (405).
    #[error("{method} is not allowed on {path}")]
    MethodNotAllowed {
        /// The method asked for.
        method: String,
        /// The path.
        path: String,
    },
    /// The request URI is longer than the server reads (414).
    #[error("the request URI is {len} bytes long, over the limit of {limit}")]
    UriTooLong {
        /// Its length in bytes.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// The `Host` header names a host this server does not answer for (403), as a page
    /// whose DNS name was rebound to this machine would send.
    #[error(
        "this server does not answer for host {0:?}; start it with --allow-host NAME to accept that name"
    )]
    ForbiddenHost(String),
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
            Self::BodyTimeout { .. } => "body_timeout",
            Self::Busy => "busy",
            Self::ResponseTooLarge(_) => "response_too_large",
            Self::MethodNotAllowed { .. } => "method_not_allowed",
            Self::UriTooLong { .. } => "uri_too_long",
            Self::ForbiddenHost(_) => "forbidden_host",
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
            Self::Timeout | Self::Unavailable(_) | Self::Busy => StatusCode::SERVICE_UNAVAILABLE,
            Self::BodyTimeout { .. } => StatusCode::REQUEST_TIMEOUT,
            Self::ResponseTooLarge(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::UriTooLong { .. } => StatusCode::URI_TOO_LONG,
            Self::ForbiddenHost(_) => StatusCode::FORBIDDEN,
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
    /// `body_timeout`, `busy`, `response_too_large`, `method_not_allowed`, `uri_too_long`,
    /// `forbidden_host`, `unavailable`, `internal`.
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            Self::Internal(detail) => tracing::error!(%detail, "internal error"),
            Self::Timeout => tracing::warn!("request timed out"),
            Self::BodyTimeout { .. } | Self::Busy | Self::ForbiddenHost(_) => {
                tracing::info!(code = self.code(), "request refused: {self}");
            }
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
