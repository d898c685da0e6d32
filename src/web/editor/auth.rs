//! Who may use the editor area: accounts from an editors file (argon2id password hashes), login
//! sessions with CSRF tokens, HTTP Basic for scripts (GET only), and a limit on failed logins. Sessions
//! and the limit's counters are kept in the store ([`crate::store`]), shared by every replica.

use crate::store::{Store, StoreError, StoredSession, Taken, now_ms};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How the editor area is reached.
pub enum EditorAccess {
    /// No editors file: the editor area does not exist (404).
    Off,
    /// `healthpress preview` on a loopback address: no login.
    Open,
    /// Accounts from an editors file.
    Accounts(Editors),
}

/// The editors file: `[editors]` mapping usernames to argon2id PHC hashes, or to a table with the
/// hash and the reviewer id (`reviewers.toml`) the account belongs to:
///
/// ```toml
/// [editors]
/// sam = "$argon2id$..."
/// dr-okafor = { hash = "$argon2id$...", reviewer = "aokafor" }
/// ```
#[derive(Debug)]
pub struct Editors {
    accounts: RwLock<Arc<Accounts>>,
    /// The editors file the accounts come from, and what it looked like when last read: it is read
    /// again when it changes, so removing an account or changing a password takes effect on the
    /// next request, without a restart.
    source: Option<(PathBuf, Mutex<Option<FileStamp>>)>,
    /// A hash of a random password, checked for unknown names so they take as long as known ones.
    dummy: String,
}

/// The accounts of one reading of the editors file.
#[derive(Debug, Default)]
struct Accounts {
    hashes: BTreeMap<String, String>,
    /// Accounts linked to a reviewer: only they may approve from the editor area.
    reviewers: BTreeMap<String, String>,
}

/// What tells that a file changed: its modification time, length and inode.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileStamp {
    modified: Option<std::time::SystemTime>,
    len: u64,
    inode: u64,
}

fn stamp_of(path: &Path) -> Option<FileStamp> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    Some(FileStamp {
        modified: meta.modified().ok(),
        len: meta.len(),
        inode: meta.ino(),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EditorsFile {
    editors: BTreeMap<String, Account>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Account {
    Hash(String),
    Linked(LinkedAccount),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkedAccount {
    hash: String,
    reviewer: String,
}

/// Reads and checks an editors file; the error names the file and the fix.
fn read_accounts(path: &Path) -> Result<Accounts, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read the editors file: {e}", path.display()))?;
    let file: EditorsFile = toml::from_str(&text).map_err(|e| {
        format!(
            "{}: invalid editors file: {} (expected [editors] with name = \"$argon2id$...\")",
            path.display(),
            e.message()
        )
    })?;
    let mut hashes = BTreeMap::new();
    let mut reviewers = BTreeMap::new();
    for (name, account) in file.editors {
        let hash = match account {
            Account::Hash(hash) => hash,
            Account::Linked(linked) => {
                if !crate::content::is_slug(&linked.reviewer) {
                    return Err(format!(
                        "{}: the reviewer id {:?} for `{name}` is not a reviewer id ([a-z0-9-]+)",
                        path.display(),
                        linked.reviewer
                    ));
                }
                reviewers.insert(name.clone(), linked.reviewer);
                linked.hash
            }
        };
        hashes.insert(name, hash);
    }
    for (name, hash) in &hashes {
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            return Err(format!(
                "{}: editor name {name:?} may use only letters, digits, '.', '_' and '-'",
                path.display()
            ));
        }
        match PasswordHash::new(hash) {
            Ok(h) if h.algorithm == Algorithm::Argon2id.ident() => {}
            _ => {
                return Err(format!(
                    "{}: the hash for `{name}` is not an argon2id PHC string: make one with `healthpress hash-password`",
                    path.display()
                ));
            }
        }
    }
    if hashes.is_empty() {
        return Err(format!(
            "{}: no editors listed under [editors]",
            path.display()
        ));
    }
    Ok(Accounts { hashes, reviewers })
}

impl Editors {
    /// Reads and checks an editors file; the error names the file and the fix. The file is read
    /// again whenever it changes (see the `source` field).
    pub fn load(path: &Path) -> Result<Self, String> {
        let stamp = stamp_of(path);
        let accounts = read_accounts(path)?;
        let mut editors = Self::from_hashes(BTreeMap::new());
        editors.accounts = RwLock::new(Arc::new(accounts));
        editors.source = Some((path.to_path_buf(), Mutex::new(stamp)));
        Ok(editors)
    }

    pub fn from_hashes(hashes: BTreeMap<String, String>) -> Self {
        let dummy = hash_password(&random_token()).unwrap_or_default();
        Editors {
            accounts: RwLock::new(Arc::new(Accounts {
                hashes,
                reviewers: BTreeMap::new(),
            })),
            source: None,
            dummy,
        }
    }

    /// Links the account `user` to the reviewer id `reviewer`.
    pub fn with_reviewer(self, user: &str, reviewer: &str) -> Self {
        let current = self.current();
        let mut reviewers = current.reviewers.clone();
        reviewers.insert(user.to_string(), reviewer.to_string());
        *self.accounts.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(Accounts {
            hashes: current.hashes.clone(),
            reviewers,
        });
        self
    }

    /// The accounts as the editors file says now: read again if it changed since it was last read.
    /// A file that no longer reads keeps the accounts it last gave (the error is logged).
    fn current(&self) -> Arc<Accounts> {
        if let Some((path, seen)) = &self.source {
            let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
            let now = stamp_of(path);
            if now != *seen {
                *seen = now;
                match read_accounts(path) {
                    Ok(accounts) => {
                        tracing::info!("read the editors file {} again", path.display());
                        *self.accounts.write().unwrap_or_else(|e| e.into_inner()) =
                            Arc::new(accounts);
                    }
                    Err(e) => tracing::error!("{e}; the accounts it gave before stay"),
                }
            }
        }
        self.accounts
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The reviewer id the account `user` is linked to, if any.
    pub fn reviewer_of(&self, user: &str) -> Option<String> {
        self.current().reviewers.get(user).cloned()
    }

    /// Whether `user` is a name in the editors file.
    pub fn knows(&self, user: &str) -> bool {
        self.current().hashes.contains_key(user)
    }

    /// A fingerprint of `user`'s account (a hash of its password hash), stored with each of its
    /// sessions: a session is valid only while the account exists with the same password.
    pub fn account_print(&self, user: &str) -> Option<String> {
        use sha2::{Digest, Sha256};
        let accounts = self.current();
        let hash = accounts.hashes.get(user)?;
        let digest = Sha256::digest(format!("{user}\0{hash}").as_bytes());
        Some(digest.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// Whether `password` is `user`'s. Unknown users cost the same time as known ones.
    pub fn verify(&self, user: &str, password: &str) -> bool {
        let accounts = self.current();
        let (hash, known) = match accounts.hashes.get(user) {
            Some(h) => (h.as_str(), true),
            None => (self.dummy.as_str(), false),
        };
        let Ok(parsed) = PasswordHash::new(hash) else {
            return false;
        };
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        ok && known
    }
}

/// An argon2id PHC hash of `password` with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| format!("hashing failed: {e}"))
}

/// 32 random bytes as hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Equality that takes the same time wherever the strings differ (`subtle`).
pub fn same_token(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

#[derive(Clone)]
pub struct Session {
    pub user: String,
    pub csrf: String,
    /// [`Editors::account_print`] of the account when the session started.
    pub account: String,
}

/// Login sessions, kept in the store so a session started on one replica is valid on all of them,
/// and ended on all of them by signing out (or `healthpress sessions revoke`). A session the store
/// cannot confirm (the database cannot be reached) is not honoured.
pub struct Sessions {
    store: Store,
    lifetime: Duration,
}

impl Sessions {
    pub fn new(store: Store) -> Self {
        Sessions {
            store,
            lifetime: Duration::from_secs(8 * 3600),
        }
    }

    /// Starts a session of `user`, whose account is `account` ([`Editors::account_print`]);
    /// returns its token.
    pub async fn start(&self, user: &str, account: &str) -> Result<String, StoreError> {
        let token = random_token();
        self.store
            .save_session(
                &token,
                &StoredSession {
                    editor: user.to_string(),
                    csrf: random_token(),
                    expires_ms: now_ms() + self.lifetime.as_millis() as i64,
                    account: account.to_string(),
                },
            )
            .await?;
        Ok(token)
    }

    /// The live session of `token`, as the store says now.
    pub async fn get(&self, token: &str) -> Result<Option<Session>, StoreError> {
        Ok(self
            .store
            .session(token, now_ms())
            .await?
            .map(|stored| Session {
                user: stored.editor,
                csrf: stored.csrf,
                account: stored.account,
            }))
    }

    /// Ends the session of `token` everywhere.
    pub async fn end(&self, token: &str) -> Result<(), StoreError> {
        self.store.end_session(token).await
    }
}

/// Failed sign-ins allowed for one name from one client within [`FAILURE_WINDOW`].
pub const MAX_FAILURES_PER_NAME: i64 = 5;
/// Failed sign-ins allowed from one client, all names together, within [`FAILURE_WINDOW`].
pub const MAX_FAILURES_PER_CLIENT: i64 = 30;
pub const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);
/// Password checks running at once (argon2 takes about 19 MiB each); the rest wait their turn.
pub const HASH_SLOTS: usize = 2;
/// How long a sign-in waits for a free hash slot before it is refused as busy.
pub const HASH_QUEUE_WAIT: Duration = Duration::from_secs(10);

/// Why a sign-in attempt was not reserved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Over a limit: wait this many seconds.
    Wait(u64),
    /// The database cannot be reached, so attempts cannot be counted: none is allowed.
    Unavailable,
}

/// Counts failed sign-ins per (client, name) and per client, in the store, so the limits hold across
/// every replica. An attempt is reserved, counted as a failure, before its password is checked, so
/// simultaneous attempts cannot pass the limit; a correct password takes its reservation back. Names
/// that are no editor's share one counter per client, and clients and names are stored only as
/// keyed hashes ([`Store::hash`]). Password checks run a few at a time in each server.
pub struct LoginLimiter {
    store: Store,
    hash_slots: Arc<Semaphore>,
}

/// A reserved sign-in attempt: a failure unless [`Attempt::succeeded`] or [`Attempt::cancel`].
pub struct Attempt<'a> {
    limiter: &'a LoginLimiter,
    /// (bucket, window start) of each counter it was counted in.
    counted: Vec<(String, i64)>,
}

impl Attempt<'_> {
    /// The password was right: the attempt is not a failure.
    pub async fn succeeded(self) {
        self.cancel().await;
    }

    /// The password was never checked (e.g. the server was busy): the attempt does not count.
    pub async fn cancel(self) {
        for (bucket, window_start_ms) in &self.counted {
            if let Err(e) = self.limiter.store.give_back(bucket, *window_start_ms).await {
                tracing::warn!("a sign-in attempt stays counted: {e}");
            }
        }
    }
}

impl LoginLimiter {
    pub fn new(store: Store) -> Self {
        LoginLimiter {
            store,
            hash_slots: Arc::new(Semaphore::new(HASH_SLOTS)),
        }
    }

    /// Reserves an attempt by `client` to sign in as `name` (`None` for a name that is no editor's),
    /// or says how long to wait when the name from this client, or the client, is over its limit.
    pub async fn reserve(
        &self,
        client: IpAddr,
        name: Option<&str>,
    ) -> Result<Attempt<'_>, Refused> {
        let client = client.to_string();
        // A NUL cannot be in an editor's name, so unknown names never share a counter with one.
        let name = name.unwrap_or("\0unknown");
        let buckets = [
            (
                self.store.hash(&["login-name", &client, name]),
                MAX_FAILURES_PER_NAME,
            ),
            (
                self.store.hash(&["login-client", &client]),
                MAX_FAILURES_PER_CLIENT,
            ),
        ];
        let mut attempt = Attempt {
            limiter: self,
            counted: Vec::new(),
        };
        let now = now_ms();
        // Failures of this name counted before `healthpress sessions unlock NAME` no longer count.
        let unlocked = if name.starts_with('\0') {
            None
        } else {
            match self.store.unlocked_at(name).await {
                Ok(at) => at,
                Err(e) => {
                    tracing::warn!("sign-in refused: {e}");
                    return Err(Refused::Unavailable);
                }
            }
        };
        for (i, (bucket, limit)) in buckets.into_iter().enumerate() {
            let reset = if i == 0 { unlocked } else { None };
            match self
                .store
                .take_since(
                    &bucket,
                    limit,
                    FAILURE_WINDOW,
                    now,
                    reset.unwrap_or(i64::MIN),
                )
                .await
            {
                Ok(Taken::Counted { window_start_ms }) => {
                    attempt.counted.push((bucket, window_start_ms));
                }
                Ok(Taken::Full { wait_secs }) => {
                    crate::metrics::metrics()
                        .limited
                        .with_label_values(&["sign-in"])
                        .inc();
                    attempt.cancel().await;
                    return Err(Refused::Wait(wait_secs));
                }
                Err(e) => {
                    tracing::warn!("sign-in refused: {e}");
                    attempt.cancel().await;
                    return Err(Refused::Unavailable);
                }
            }
        }
        Ok(attempt)
    }

    /// Waits for a free password-check slot, at most [`HASH_QUEUE_WAIT`].
    pub async fn hash_slot(&self) -> Option<OwnedSemaphorePermit> {
        tokio::time::timeout(HASH_QUEUE_WAIT, self.hash_slots.clone().acquire_owned())
            .await
            .ok()?
            .ok()
    }
}

/// The client a request comes from: the peer's address, or, when the peer is one of the
/// `trusted_proxies`, the address found by walking `X-Forwarded-For` from the right, as nginx's
/// realip module does: `forwarded_for` holds every `X-Forwarded-For` header line in the order
/// received (they are joined with commas); trusted proxies are stepped over, and the first
/// entry that is not one is the client. Entries may carry a port (`192.0.2.1:5678`,
/// `[2001:db8::1]:80`) or brackets. A malformed entry met on the way (or a header line that is
/// not text: pass it as `""`) makes the request count as coming from the peer itself, so a
/// client cannot rotate or choose its address with junk. `Forwarded` (RFC 7239) is ignored: a
/// proxy that only appends to `X-Forwarded-For` passes a client's own `Forwarded` through
/// untouched. IPv6 clients are counted by their /64 network, which one subscriber usually holds
/// whole.
pub fn client_address<'a>(
    peer: Option<IpAddr>,
    forwarded_for: impl IntoIterator<Item = &'a str>,
    trusted_proxies: &[IpAddr],
) -> IpAddr {
    let peer = peer.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |ip| ip.to_canonical());
    let mut client = peer;
    if trusted_proxies.contains(&peer) {
        let lines: Vec<&str> = forwarded_for.into_iter().collect();
        let hops = lines.iter().rev().flat_map(|line| line.rsplit(','));
        for hop in hops {
            match forwarded_hop(hop) {
                Some(ip) if trusted_proxies.contains(&ip) => continue,
                Some(ip) => {
                    client = ip;
                    break;
                }
                None => {
                    client = peer;
                    break;
                }
            }
        }
    }
    match client {
        IpAddr::V6(v6) => {
            let mut octets = v6.octets();
            octets[8..].fill(0);
            IpAddr::V6(Ipv6Addr::from(octets))
        }
        v4 => v4,
    }
}

/// One `X-Forwarded-For` entry: `192.0.2.1`, `192.0.2.1:80`, `2001:db8::1`, `[2001:db8::1]` or
/// `[2001:db8::1]:80`; anything else is `None`.
fn forwarded_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim_matches([' ', '\t']);
    let port_ok = |port: &str| {
        !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit())
    };
    let ip = if let Some(rest) = hop.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        match after.strip_prefix(':') {
            Some(port) if port_ok(port) => {}
            None if after.is_empty() => {}
            _ => return None,
        }
        IpAddr::V6(inside.parse().ok()?)
    } else if let Ok(ip) = hop.parse::<IpAddr>() {
        ip
    } else {
        let (host, port) = hop.rsplit_once(':')?;
        if !port_ok(port) {
            return None;
        }
        IpAddr::V4(host.parse().ok()?)
    };
    Some(ip.to_canonical())
}

/// [`client_address`] of a request: its peer and every `X-Forwarded-For` line (one that is not
/// text counts as malformed).
pub fn client_of_request(req: &actix_web::HttpRequest, trusted_proxies: &[IpAddr]) -> IpAddr {
    client_address(
        req.peer_addr().map(|a| a.ip()),
        req.headers()
            .get_all("x-forwarded-for")
            .map(|v| v.to_str().unwrap_or("")),
        trusted_proxies,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_wrong_passwords_fail() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        let editors = Editors::from_hashes([("alice".to_string(), hash)].into());
        assert!(editors.verify("alice", "correct horse"));
        assert!(!editors.verify("alice", "wrong"));
        assert!(!editors.verify("bob", "correct horse"));
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn client_address_trusts_forwarded_for_only_from_trusted_proxies() {
        let proxy = ip("127.0.0.1");
        let trusted = [proxy];
        let forwarded = ["203.0.113.7, 198.51.100.2"];
        assert_eq!(client_address(Some(proxy), forwarded, &[]), proxy);
        assert_eq!(
            client_address(Some(ip("192.0.2.1")), forwarded, &trusted),
            ip("192.0.2.1")
        );
        assert_eq!(
            client_address(Some(proxy), forwarded, &trusted),
            ip("198.51.100.2")
        );
        // A chain of trusted proxies is skipped; forged entries left of the first untrusted are not read.
        assert_eq!(
            client_address(Some(proxy), ["1.1.1.1, 198.51.100.2, 127.0.0.1"], &trusted),
            ip("198.51.100.2")
        );
        assert_eq!(client_address(Some(proxy), ["junk"], &trusted), proxy);
        assert_eq!(client_address(Some(proxy), [], &trusted), proxy);
        assert_eq!(
            client_address(Some(ip("2001:db8:1:2:3:4:5:6")), [], &[]),
            ip("2001:db8:1:2::")
        );
        assert_eq!(
            client_address(Some(ip("::ffff:192.0.2.1")), [], &[]),
            ip("192.0.2.1")
        );
    }

    #[test]
    fn client_address_reads_every_forwarded_for_line_and_parses_ports() {
        let proxy = ip("127.0.0.1");
        let trusted = [proxy, ip("10.0.0.2")];
        let at = |lines: &[&str]| client_address(Some(proxy), lines.iter().copied(), &trusted);
        // A client's own first line cannot be rotated past the entry the proxy appended last.
        assert_eq!(at(&["203.0.113.1", "198.51.100.2"]), ip("198.51.100.2"));
        assert_eq!(at(&["203.0.113.9", "198.51.100.2"]), ip("198.51.100.2"));
        assert_eq!(
            at(&["203.0.113.1, 198.51.100.2", "10.0.0.2"]),
            ip("198.51.100.2")
        );
        // Ports and brackets are parsed, not bucketed together.
        assert_eq!(at(&["198.51.100.2:5678"]), ip("198.51.100.2"));
        assert_eq!(at(&["198.51.100.3:80"]), ip("198.51.100.3"));
        assert_eq!(at(&["[2001:db8:1:2::1]:80"]), ip("2001:db8:1:2::"));
        assert_eq!(at(&["[2001:db8:1:3::1]"]), ip("2001:db8:1:3::"));
        assert_eq!(at(&[" 2001:db8:1:4::1 "]), ip("2001:db8:1:4::"));
        // A malformed entry on the way: the proxy's own address.
        for junk in [
            "unknown",
            "198.51.100.2:",
            "198.51.100.2:99999999",
            "[2001:db8::1",
            "[2001:db8::1]x",
            "2001:db8::1:80x",
            "",
        ] {
            assert_eq!(at(&["203.0.113.1", junk]), proxy, "{junk:?}");
        }
        assert_eq!(at(&["198.51.100.2,,10.0.0.2"]), proxy);
        // Junk left of the client is never read.
        assert_eq!(at(&["junk, 198.51.100.2"]), ip("198.51.100.2"));
    }

    #[test]
    fn tokens_are_random_and_compared_whole() {
        let a = random_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_token());
        assert!(same_token(&a, &a.clone()));
        assert!(!same_token(&a, &a[..63]));
        assert!(!same_token("abcd", "abce"));
    }
}
