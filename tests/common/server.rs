//! The real server binary, started on a free loopback port, and raw HTTP requests over TCP.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    pub child: Child,
    pub addr: String,
    /// The data folder given when the caller chose none (dropped with the server).
    _data: Option<tempfile::TempDir>,
}

impl Server {
    /// `healthpress serve` over `content`, with `extra` arguments.
    pub fn start(content: &std::path::Path, extra: &[&str]) -> Server {
        Server::start_command("serve", content, extra)
    }

    /// `healthpress {command}` (`serve` or `preview`) over `content`, with `extra` arguments.
    pub fn start_command(command: &str, content: &std::path::Path, extra: &[&str]) -> Server {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr = format!("127.0.0.1:{port}");
        let chose_store = extra.iter().any(|a| *a == "--data" || *a == "--database");
        let data = (!chose_store).then(|| tempfile::tempdir().unwrap());
        let data_args: Vec<std::ffi::OsString> = match &data {
            Some(dir) => vec!["--data".into(), dir.path().into()],
            None => Vec::new(),
        };
        let child = Command::new(env!("CARGO_BIN_EXE_healthpress"))
            .args([command, "--content"])
            .arg(content)
            .args(["--addr", &addr])
            .args(if command == "serve" {
                &["--workers", "2"][..]
            } else {
                &[]
            })
            .args(extra)
            .args(&data_args)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Server {
            child,
            addr,
            _data: data,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while request(&server.addr, "GET /healthz HTTP/1.0\r\n\r\n").is_err() {
            assert!(Instant::now() < deadline, "server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        let response = request(
            &self.addr,
            &format!("GET {path} HTTP/1.0\r\nHost: x\r\n\r\n"),
        )
        .unwrap();
        (status_of(&response), response)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn request(addr: &str, raw: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.write_all(raw.as_bytes())?;
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    if out.is_empty() {
        return Err(std::io::Error::other("no response"));
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

pub fn status_of(response: &str) -> u16 {
    response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}
