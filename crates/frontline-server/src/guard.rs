//! What every request goes through before its route, and what every answer carries: the
//! URI length limit, the `Host` allow-list (against DNS rebinding), and the security headers.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::state::AppState;

/// The Content-Security-Policy of every answer: scripts and styles only from the server's
/// own files (no inline script, no `style` attributes), no plugins, no `<base>`, and no
/// framing by any page.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
    form-action 'self'; frame-ancestors 'none'";

/// Refuses a request whose URI is longer than `max_uri_bytes` (414) or whose `Host` the
/// server does not answer for (403 `forbidden_host`), before routing.
pub async fn check_request(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let cfg = state.config();
    let len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if len > cfg.max_uri_bytes {
        return AppError::UriTooLong {
            len,
            limit: cfg.max_uri_bytes,
        }
        .into_response();
    }
    // A browser always sends `Host`; a request without one (HTTP/1.0, tests) cannot come
    // from a rebound page.
    let host = match req.headers().get(header::HOST) {
        Some(v) => Some(v.to_str().unwrap_or("\u{fffd}").to_string()),
        None => req.uri().authority().map(|a| a.as_str().to_string()),
    };
    if let Some(host) = host
        && !cfg.allowed_hosts.allows(&host)
    {
        return AppError::ForbiddenHost(host).into_response();
    }
    next.run(req).await
}

/// Adds the security headers to every answer: [`CONTENT_SECURITY_POLICY`],
/// `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY` and
/// `Referrer-Policy: no-referrer`.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    resp
}
