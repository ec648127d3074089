#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
//! Request checks and answer headers (issue 23, item 5): control characters in filters, the
//! Host allow-list against DNS rebinding, security headers and a UI that needs no inline
//! script or style, and JSON bodies on 405 and 414.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use frontline_server::{AppState, HostAllowList, ServerConfig, router};
use frontline_store::Store;
use serde_json::Value;
use tower::ServiceExt;

mod common;
use common::status_and_json;

fn app_with(cfg: ServerConfig) -> axum::Router {
    router(AppState::new(
        vec![Store::open_in_memory().unwrap()],
        None,
        cfg,
    ))
}

fn app() -> axum::Router {
    app_with(ServerConfig::default())
}

async fn send(app: axum::Router, req: Request<Body>) -> (StatusCode, Value) {
    status_and_json(app.oneshot(req).await.unwrap()).await
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

fn get_host(uri: &str, host: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::HOST, host)
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn control_characters_in_filters_are_refused() {
    for (q, code) in [
        ("actor=%00", "invalid_param"),
        ("actor=SYR%00MIL", "invalid_param"),
        ("acled_type=Battles%1B", "invalid_param"),
        ("text=shelling%00", "invalid_query"),
        ("country=S%00", "invalid_country"),
        ("since=2025-01%0A-01", "invalid_date"),
        ("format=js%09on", "invalid_format"),
        ("actor=%1B%5B31m", "invalid_param"),
    ] {
        for path in ["/api/events", "/api/stats"] {
            let (s, v) = send(app(), get(&format!("{path}?{q}"))).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{path}?{q}: {v}");
            assert_eq!(v["error"]["code"], code, "{path}?{q}: {v}");
            assert!(
                v["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("control character"),
                "{v}"
            );
        }
    }
    // Ordinary values still pass, and blanks around a value are trimmed as before.
    let (s, v) = send(
        app(),
        get("/api/events?actor=SYRMIL&text=shelling&since=%092025-01-01%0A"),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

#[tokio::test]
async fn only_allowed_hosts_are_answered() {
    for host in [
        "127.0.0.1:8080",
        "127.0.0.1",
        "localhost:8080",
        "LOCALHOST",
        "app.localhost:8080",
        "[::1]:8080",
        "[::1]",
        "192.168.1.20:8080",
    ] {
        let (s, v) = send(app(), get_host("/api/health", host)).await;
        assert_eq!(s, StatusCode::OK, "{host}: {v}");
    }
    for host in [
        "evil.example",
        "evil.example:8080",
        "localhost.evil.example",
        "127.0.0.1.nip.io:8080",
        "",
        "[::1",
        "127.0.0.1:80x",
    ] {
        for uri in ["/api/health", "/", "/api/events"] {
            let (s, v) = send(app(), get_host(uri, host)).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{host:?} {uri}: {v}");
            assert_eq!(v["error"]["code"], "forbidden_host", "{v}");
        }
    }
    // A name the operator allows.
    let cfg = ServerConfig {
        allowed_hosts: HostAllowList::new(["frontline.internal"]),
        ..Default::default()
    };
    let (s, _) = send(
        app_with(cfg.clone()),
        get_host("/", "Frontline.Internal:8080"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = send(app_with(cfg), get_host("/", "other.internal")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let any = ServerConfig {
        allowed_hosts: HostAllowList::new(["*"]),
        ..Default::default()
    };
    let (s, _) = send(app_with(any), get_host("/", "anything.example")).await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    for (method, uri) in [
        (Method::GET, "/"),
        (Method::GET, "/assets/app.js"),
        (Method::GET, "/api/events"),
        (Method::GET, "/api/events?since=nope"),
        (Method::GET, "/nope"),
        (Method::DELETE, "/api/events"),
    ] {
        let resp = app()
            .oneshot(
                Request::builder()
                    .method(method.clone())
                    .uri(uri)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        let h = resp.headers();
        let csp = h
            .get(header::CONTENT_SECURITY_POLICY)
            .unwrap_or_else(|| panic!("{method} {uri}: no CSP"))
            .to_str()
            .unwrap();
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert!(csp.contains("style-src 'self'"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert!(!csp.contains("unsafe-eval"), "{csp}");
        assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{uri}");
        assert_eq!(h[header::REFERRER_POLICY], "no-referrer", "{uri}");
        assert_eq!(h[header::X_FRAME_OPTIONS], "DENY", "{uri}");
    }
}

/// The review's pass that must stay: the UI writes no HTML from strings (no XSS sink), and
/// it needs no inline script or style, so the CSP can refuse both.
#[test]
fn the_ui_has_no_html_sinks_and_no_inline_script_or_style() {
    let html = include_str!("../ui/index.html");
    let js = include_str!("../ui/app.js");
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        "setAttribute(\"style\"",
        "createContextualFragment",
    ] {
        assert!(!js.contains(sink), "app.js uses {sink}");
    }
    // `el(tag, {style: ...})` goes through the CSSOM, not a style attribute.
    assert!(js.contains("else if (k === \"style\") e.style.cssText = v;"));
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<style"), "inline <style> in index.html");
    assert!(!lower.contains(" style="), "style attribute in index.html");
    assert!(
        !lower.contains("javascript:"),
        "javascript: URL in index.html"
    );
    for (i, part) in lower.split("<script").enumerate().skip(1) {
        let tag = &part[..part.find('>').unwrap()];
        assert!(tag.contains("src="), "inline script #{i} in index.html");
        assert!(
            part[part.find('>').unwrap() + 1..]
                .trim_start()
                .starts_with("</script>"),
            "script #{i} has inline content"
        );
    }
    // No inline event handler attributes (`onclick=` and the like).
    for word in lower.split(|c: char| c.is_whitespace() || c == '<') {
        assert!(
            !(word.starts_with("on") && word.contains('=')),
            "inline handler {word:?} in index.html"
        );
    }
}

#[tokio::test]
async fn method_not_allowed_and_uri_too_long_answer_json() {
    for (method, uri) in [
        (Method::POST, "/api/events"),
        (Method::DELETE, "/api/events/1"),
        (Method::GET, "/api/extract"),
        (Method::PUT, "/"),
    ] {
        let (s, v) = send(
            app(),
            Request::builder()
                .method(method.clone())
                .uri(uri)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED, "{method} {uri}: {v}");
        assert_eq!(
            v["error"]["code"], "method_not_allowed",
            "{method} {uri}: {v}"
        );
    }
    let long = format!("/api/events?text={}", "a".repeat(9_000));
    let (s, v) = send(app(), get(&long)).await;
    assert_eq!(s, StatusCode::URI_TOO_LONG, "{v}");
    assert_eq!(v["error"]["code"], "uri_too_long");
    // Just under the limit is read (and answered by the handler).
    let ok = format!("/api/events?text={}", "a".repeat(8_000));
    let (s, v) = send(app(), get(&ok)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
}
