#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
//! Connection limits of `serve_with` (issue 23, item 3), over real sockets on 127.0.0.1:
//! half-sent and idle headers are timed out, and the number of open connections is capped.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use frontline_server::{AppState, ConnectionLimits, ServerConfig, router, serve_with};
use frontline_store::Store;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;

/// Starts a server on an ephemeral loopback port; dropping the sender stops it.
async fn start(limits: ConnectionLimits) -> (SocketAddr, oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(AppState::new(
        vec![Store::open_in_memory().unwrap()],
        None,
        ServerConfig::default(),
    ));
    let (tx, rx) = oneshot::channel::<()>();
    tokio::spawn(async move {
        serve_with(listener, app, limits, async {
            let _ = rx.await;
        })
        .await
        .unwrap();
    });
    (addr, tx)
}

/// Reads until the server closes the connection, for at most `limit`; the bytes read, or
/// `None` if it was still open then.
async fn read_to_close(s: &mut TcpStream, limit: Duration) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, s.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(out),
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
        }
    }
}

const HEALTH: &[u8] = b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

#[tokio::test]
async fn half_sent_and_idle_headers_are_timed_out() {
    let (addr, _stop) = start(ConnectionLimits {
        header_read_timeout: Duration::from_millis(300),
        max_connections: 16,
    })
    .await;
    // A whole request is answered.
    let mut ok = TcpStream::connect(addr).await.unwrap();
    ok.write_all(HEALTH).await.unwrap();
    let answer = read_to_close(&mut ok, Duration::from_secs(5))
        .await
        .unwrap();
    assert!(
        answer.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer)
    );

    // Half a request line, then nothing: closed after the header timeout.
    let t0 = Instant::now();
    let mut half = TcpStream::connect(addr).await.unwrap();
    half.write_all(b"GET /api/health HTTP/1.1\r\nHost: 127.0")
        .await
        .unwrap();
    let mut idle = TcpStream::connect(addr).await.unwrap();
    assert!(
        read_to_close(&mut half, Duration::from_secs(5))
            .await
            .is_some(),
        "a half-sent request was still open after 5 s"
    );
    // A connection that never sends a byte is closed too.
    assert!(
        read_to_close(&mut idle, Duration::from_secs(5))
            .await
            .is_some(),
        "an idle connection was still open after 5 s"
    );
    assert!(
        t0.elapsed() >= Duration::from_millis(250),
        "{:?}",
        t0.elapsed()
    );
}

#[tokio::test]
async fn open_connections_are_capped_and_freed() {
    let (addr, _stop) = start(ConnectionLimits {
        header_read_timeout: Duration::from_secs(30),
        max_connections: 2,
    })
    .await;
    // Two idle connections take both slots.
    let idle1 = TcpStream::connect(addr).await.unwrap();
    let _idle2 = TcpStream::connect(addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    // A third waits in the listen queue: no answer while both are held.
    let mut third = TcpStream::connect(addr).await.unwrap();
    third.write_all(HEALTH).await.unwrap();
    assert!(
        read_to_close(&mut third, Duration::from_millis(500))
            .await
            .is_none(),
        "a third connection was served beyond the cap of 2"
    );
    // One closes: the waiting connection is accepted and answered.
    drop(idle1);
    let answer = read_to_close(&mut third, Duration::from_secs(5))
        .await
        .expect("the waiting connection was not served after a slot freed");
    assert!(
        answer.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
}

#[tokio::test]
async fn many_idle_sockets_do_not_stop_the_server() {
    // More idle sockets than slots: each is closed after the header timeout, so the server
    // goes on accepting, and a real request is answered within a few timeouts.
    let (addr, _stop) = start(ConnectionLimits {
        header_read_timeout: Duration::from_millis(200),
        max_connections: 8,
    })
    .await;
    let mut idle = Vec::new();
    for _ in 0..40 {
        idle.push(TcpStream::connect(addr).await.unwrap());
    }
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(HEALTH).await.unwrap();
    let answer = read_to_close(&mut s, Duration::from_secs(10))
        .await
        .expect("no answer behind 40 idle sockets");
    assert!(
        answer.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    drop(idle);
}
