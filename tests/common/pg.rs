//! PostgreSQL for the tests: the server `.ci/run` starts (`HEALTHPRESS_TEST_DATABASE_URL`), with a
//! fresh database per test, and clusters a test starts and stops itself (`.ci/postgres`). Tests that
//! need it are ignored unless `build.rs` sets `postgres_tests`, so without a server `cargo test` lists
//! them as ignored, with the reason; `HEALTHPRESS_POSTGRES_TESTS=required` makes them run, and fail without one.

use sqlx::Executor;
use std::path::PathBuf;
use std::process::Command;

/// The test server's URL (`HEALTHPRESS_TEST_DATABASE_URL`).
pub fn server_url() -> String {
    match std::env::var("HEALTHPRESS_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => panic!(
            "this test needs PostgreSQL: set HEALTHPRESS_TEST_DATABASE_URL to a server where it may \
             create databases (.ci/run starts one with .ci/postgres)"
        ),
    }
}

/// A client key file shared by every PostgreSQL store and server of this test binary (replicas must
/// share one); `--client-key` takes its path.
pub fn client_key_file() -> PathBuf {
    static KEY: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    KEY.get_or_init(|| {
        let path = super::store_dir().join("client-key");
        std::fs::write(&path, healthpress::store::random_hex(32)).unwrap();
        path
    })
    .clone()
}

/// The [`healthpress::store::ClientKey`] of [`client_key_file`].
pub fn client_key() -> healthpress::store::ClientKey {
    healthpress::store::ClientKey::File(client_key_file())
}

/// A new, empty database on the server at `url`; returns its URL.
pub async fn fresh_database(url: &str) -> String {
    sqlx::any::install_default_drivers();
    let name = format!("hp_test_{}", healthpress::store::random_hex(8));
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(url)
        .await
        .expect("the test PostgreSQL server answers");
    conn.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("a test database can be created");
    let mut parsed = url::Url::parse(url).unwrap();
    parsed.set_path(&format!("/{name}"));
    parsed.to_string()
}

/// A cluster of this test's own, which it may stop and start.
pub struct Cluster {
    dir: PathBuf,
    port: u16,
    pub url: String,
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".ci/postgres")
}

impl Cluster {
    /// Starts one (with Debian's PostgreSQL binaries, through `.ci/postgres`).
    pub fn start() -> Cluster {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = std::env::temp_dir().join(format!(
            "healthpress-pg-{}",
            healthpress::store::random_hex(6)
        ));
        let out = Command::new(script())
            .args(["start", dir.to_str().unwrap(), &port.to_string()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "cannot start a PostgreSQL cluster: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let url = String::from_utf8(out.stdout).unwrap().trim().to_string();
        Cluster { dir, port, url }
    }

    fn pg_ctl(&self, action: &str) {
        let bin = Command::new("sh")
            .args([
                "-c",
                "ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1",
            ])
            .output()
            .unwrap();
        let bin = String::from_utf8(bin.stdout).unwrap().trim().to_string();
        let pg_ctl = if bin.is_empty() {
            "pg_ctl".to_string()
        } else {
            format!("{bin}/pg_ctl")
        };
        let data = self.dir.join("data");
        let log = self.dir.join("server.log");
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.dir.display()
        );
        let mut args: Vec<String> =
            vec![pg_ctl, "-D".into(), data.display().to_string(), "-w".into()];
        if action == "start" {
            args.extend(["-l".into(), log.display().to_string(), "-o".into(), options]);
        } else {
            args.extend(["-m".into(), "fast".into()]);
        }
        args.push(action.into());
        let status = if is_root() {
            Command::new("runuser")
                .args(["-u", "nobody", "--"])
                .args(&args)
                .current_dir(&self.dir)
                .stdout(std::process::Stdio::null())
                .status()
        } else {
            Command::new(&args[0])
                .args(&args[1..])
                .current_dir(&self.dir)
                .stdout(std::process::Stdio::null())
                .status()
        }
        .unwrap();
        assert!(status.success(), "pg_ctl {action} failed");
    }

    pub fn stop(&self) {
        self.pg_ctl("stop");
    }

    pub fn restart(&self) {
        self.pg_ctl("start");
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout.trim_ascii() == b"0")
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new(script())
            .args(["stop", self.dir.to_str().unwrap()])
            .status();
    }
}
