//! `POST /api/extract` is opt-in for `frontline serve` (issue 23, item 4): off unless
//! `--enable-extract` is given, on for `frontline demo` while it listens on loopback. The real
//! binary is started on an ephemeral loopback port and asked over a socket.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A running server, killed when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn frontline() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_frontline"));
    c.env_remove("FRONTLINE_GAZETTEER").env_remove("RUST_LOG");
    c
}

/// Starts `frontline ARGS` and waits (at most 5 minutes, a debug build loads the pipeline
/// slowly) for the address it prints.
fn start(args: &[&str]) -> Server {
    let mut child = frontline()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut server = Server {
        child,
        addr: String::new(),
    };
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("Open http://") {
                let _ = tx.send(rest.split('/').next().unwrap_or_default().to_string());
                return;
            }
        }
    });
    server.addr = rx
        .recv_timeout(Duration::from_secs(300))
        .unwrap_or_else(|_| panic!("`frontline {}` printed no address", args.join(" ")));
    server
}

/// Sends one request; the status and body.
fn request(addr: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: text/plain\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {out:?}"));
    let body = out.split("\r\n\r\n").nth(1).unwrap_or_default().to_string();
    (status, body)
}

const ARTICLE: &str = "Rebels shelled Aleppo on Tuesday, killing four people, a monitor said.";

#[test]
fn extract_is_off_for_serve_unless_enabled_and_on_for_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let db = db.to_str().unwrap();
    let out = frontline()
        .args(["--quiet", "demo", "--no-serve", "--db", db])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(Path::new(db).exists());

    {
        let server = start(&["--quiet", "serve", "--db", db, "--addr", "127.0.0.1:0"]);
        let (s, body) = request(&server.addr, "POST", "/api/extract", ARTICLE);
        assert_eq!(s, 503, "{body}");
        assert!(body.contains("\"unavailable\""), "{body}");
        assert!(body.contains("--enable-extract"), "{body}");
        let (s, body) = request(&server.addr, "GET", "/api/health", "");
        assert_eq!(s, 200, "{body}");
        // A rebound DNS name is refused.
        let mut st = TcpStream::connect(&server.addr).unwrap();
        st.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        st.write_all(
            b"GET /api/health HTTP/1.1\r\nHost: evil.example:8080\r\nConnection: close\r\n\r\n",
        )
        .unwrap();
        let mut out = String::new();
        st.read_to_string(&mut out).unwrap();
        assert!(out.starts_with("HTTP/1.1 403"), "{out}");
    }
    {
        let server = start(&[
            "--quiet",
            "serve",
            "--db",
            db,
            "--addr",
            "127.0.0.1:0",
            "--enable-extract",
        ]);
        let (s, body) = request(&server.addr, "POST", "/api/extract", ARTICLE);
        assert_eq!(s, 200, "{body}");
        assert!(body.contains("\"view\":\"summary\""), "{body}");
    }
    {
        let demo_db = dir.path().join("demo2.db");
        let server = start(&[
            "--quiet",
            "demo",
            "--db",
            demo_db.to_str().unwrap(),
            "--addr",
            "127.0.0.1:0",
        ]);
        let (s, body) = request(&server.addr, "POST", "/api/extract?view=full", ARTICLE);
        assert_eq!(s, 200, "{body}");
        assert!(body.contains("\"mentions\""), "{body}");
    }
}
