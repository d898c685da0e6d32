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
        Server::launch(command, content, extra, &[])
    }

    /// `healthpress serve` over `content`, with `extra` arguments and environment variables.
    pub fn start_with_env(
        content: &std::path::Path,
        extra: &[&str],
        env: &[(&str, &str)],
    ) -> Server {
        Server::launch("serve", content, extra, env)
    }

    fn launch(
        command: &str,
        content: &std::path::Path,
        extra: &[&str],
        env: &[(&str, &str)],
    ) -> Server {
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
            .envs(env.iter().copied())
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

/// `fields` as an `application/x-www-form-urlencoded` body.
pub fn form(fields: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

/// A sign-in POST as the sign-in form sends it (its CSRF cookie and field), with `extra` header
/// lines (each ending in `\r\n`).
pub fn login_request(user: &str, password: &str, next: Option<&str>, extra: &str) -> String {
    let mut fields = vec![("username", user), ("password", password), ("csrf", "t")];
    if let Some(next) = next {
        fields.push(("next", next));
    }
    let body = form(&fields);
    format!(
        "POST /editor/login HTTP/1.0\r\nHost: 127.0.0.1\r\nCookie: hp_login_csrf=t\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n{extra}\r\n{body}",
        body.len()
    )
}

/// The headers a browser adds when a person submits a form.
pub const BROWSER_FORM: &str =
    "Sec-Fetch-Mode: navigate\r\nSec-Fetch-Site: same-origin\r\nAccept: text/html\r\n";

/// The `Cookie:` header line of the session a successful sign-in `response` started.
pub fn session_cookie(response: &str) -> String {
    assert_eq!(status_of(response), 303, "signed in: {response}");
    let value = response
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: hp_session="))
        .expect("a session cookie")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    format!("Cookie: hp_session={value}\r\n")
}

/// Signs `user` in on the server at `addr` through the sign-in form; returns the `Cookie:` header
/// line of the session.
pub fn sign_in(addr: &str, user: &str, password: &str) -> String {
    session_cookie(&request(addr, &login_request(user, password, None, BROWSER_FORM)).unwrap())
}
