//! Helpers shared by the server's integration tests.

use axum::http::StatusCode;
use serde_json::Value;

/// A response's status and its body parsed as JSON (`Null` when the body is not JSON).
pub async fn status_and_json(resp: axum::response::Response) -> (StatusCode, Value) {
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}
