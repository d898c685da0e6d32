//! What connections may hold in the real server, over TCP: clients that pipeline requests without
//! reading the answers, many connections from one address, and a client that stops reading.

mod common;

use common::fixture;
use common::server::Server;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// The server's resident memory, in MB (VmRSS from /proc).
fn rss_mb(server: &Server) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).unwrap();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap();
    kb / 1024.0
}

/// The sockets the server holds open (its listener, and one per connection).
fn sockets(server: &Server) -> usize {
    std::fs::read_dir(format!("/proc/{}/fd", server.child.id()))
        .unwrap()
        .filter_map(|fd| std::fs::read_link(fd.ok()?.path()).ok())
        .filter(|target| target.to_string_lossy().starts_with("socket:"))
        .count()
}

/// Opens `connections` connections and, for `millis` ms, writes pipelined `GET /` requests on each
/// (up to `bytes` per connection) without ever reading: a connection takes what the server reads.
fn pipeline_without_reading(
    server: &Server,
    connections: usize,
    bytes: usize,
    millis: u64,
) -> Vec<TcpStream> {
    let request = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    let chunk: Vec<u8> = request.repeat(64 * 1024 / request.len());
    let mut streams: Vec<(TcpStream, usize)> = (0..connections)
        .map(|_| {
            let s = TcpStream::connect(&server.addr).unwrap();
            s.set_nonblocking(true).unwrap();
            (s, 0)
        })
        .collect();
    let deadline = Instant::now() + Duration::from_millis(millis);
    while Instant::now() < deadline {
        let mut wrote = false;
        for (s, sent) in &mut streams {
            if *sent >= bytes {
                continue;
            }
            match s.write(&chunk[..chunk.len().min(bytes - *sent)]) {
                Ok(n) => {
                    *sent += n;
                    wrote = true;
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                Err(_) => *sent = bytes,
            }
        }
        if !wrote {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    streams.into_iter().map(|(s, _)| s).collect()
}

#[test]
fn clients_pipelining_without_reading_hold_little_memory_and_give_it_back() {
    let server = Server::start(&fixture("valid"), &[]);
    let before = rss_mb(&server);
    // Before the fix, each such connection made the server queue every request it read: about
    // 25 MB per connection, kept after the connections closed.
    let streams = pipeline_without_reading(&server, 20, 2 << 20, 6000);
    let during = rss_mb(&server);
    assert!(
        during - before < 100.0,
        "20 connections pipelining without reading grew the server from {before:.0} MB to {during:.0} MB"
    );
    let (status, _) = server.get("/healthz");
    assert_eq!(status, 200, "other clients are still served");
    drop(streams);
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut after = rss_mb(&server);
    while after - before >= 40.0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(500));
        after = rss_mb(&server);
    }
    assert!(
        after - before < 40.0,
        "memory given back once they closed: {before:.0} MB before, {during:.0} MB during, {after:.0} MB after"
    );
}

#[test]
fn pipelined_requests_are_all_answered_in_order() {
    let server = Server::start(&fixture("valid"), &[]);
    let mut s = TcpStream::connect(&server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let n = 300;
    let mut requests = Vec::new();
    for i in 0..n {
        requests.extend_from_slice(
            format!("GET /healthz?n={i} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes(),
        );
    }
    requests.extend_from_slice(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    s.write_all(&requests).unwrap();
    let mut out = Vec::new();
    let started = Instant::now();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out);
    assert_eq!(
        text.matches("HTTP/1.1 200").count(),
        n + 1,
        "every pipelined request answered (in {:?})",
        started.elapsed()
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

/// Sends one keep-alive request on a new connection and reads its answer; the connection stays open.
fn open_with_one_request(server: &Server) -> (TcpStream, String) {
    let mut s = TcpStream::connect(&server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
    let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    let mut buf = [0u8; 4096];
    let n = match s.read(&mut buf) {
        Ok(n) => n,
        Err(e) if e.kind() == ErrorKind::ConnectionReset => 0,
        Err(e) => panic!("no answer within 3 s: {e}"),
    };
    (s, String::from_utf8_lossy(&buf[..n]).into_owned())
}

#[test]
fn one_address_may_hold_only_so_many_connections() {
    let server = Server::start(&fixture("valid"), &["--max-connections-per-client", "3"]);
    let mut open: Vec<TcpStream> = (0..3)
        .map(|_| {
            let (s, answer) = open_with_one_request(&server);
            assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
            s
        })
        .collect();
    // A fourth connection is answered 503 and closed at once.
    let (mut fourth, answer) = open_with_one_request(&server);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 503"),
        "{answer}"
    );
    let closed = matches!(fourth.read(&mut [0u8; 64]), Ok(0) | Err(_));
    assert!(closed, "the connection over the cap is closed");
    // The three stay open and usable.
    for s in &mut open {
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let mut buf = [0u8; 4096];
        let n = s.read(&mut buf).unwrap();
        assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
    }
    // Closing one frees a place.
    drop(open.pop());
    std::thread::sleep(Duration::from_millis(300));
    let (_again, answer) = open_with_one_request(&server);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[test]
fn a_client_that_stops_reading_is_disconnected_after_the_write_timeout() {
    let server = Server::start(
        &fixture("valid"),
        &["--write-timeout", "2", "--max-connections-per-client", "0"],
    );
    // The connections made to see the server start may take a moment to be closed.
    let mut idle = sockets(&server);
    for _ in 0..20 {
        std::thread::sleep(Duration::from_millis(300));
        let now = sockets(&server);
        if now == idle {
            break;
        }
        idle = now;
    }
    // Enough requests that their answers fill every buffer between the server and the client.
    let streams = pipeline_without_reading(&server, 1, 8 << 20, 300);
    assert_eq!(
        sockets(&server),
        idle + 1,
        "the connection is open while it stalls"
    );
    // The answers cannot be sent (the client's window is shut): the server drops the connection
    // once they have waited the write timeout, although the client keeps it open.
    let deadline = Instant::now() + Duration::from_secs(20);
    while sockets(&server) > idle && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(
        sockets(&server),
        idle,
        "the server closed the connection its client stopped reading"
    );
    drop(streams);
}
