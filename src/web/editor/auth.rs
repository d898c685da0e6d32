//! Who may use the editor area: accounts from an editors file (argon2id password hashes), login
//! sessions with CSRF tokens, HTTP Basic for scripts (GET only), and a limit on failed logins.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
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
    hashes: BTreeMap<String, String>,
    /// Accounts linked to a reviewer: only they may approve from the editor area.
    reviewers: BTreeMap<String, String>,
    /// A hash of a random password, checked for unknown names so they take as long as known ones.
    dummy: String,
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

impl Editors {
    /// Reads and checks an editors file; the error names the file and the fix.
    pub fn load(path: &Path) -> Result<Self, String> {
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
        let mut editors = Self::from_hashes(hashes);
        editors.reviewers = reviewers;
        Ok(editors)
    }

    pub fn from_hashes(hashes: BTreeMap<String, String>) -> Self {
        let dummy = hash_password(&random_token()).unwrap_or_default();
        Editors {
            hashes,
            reviewers: BTreeMap::new(),
            dummy,
        }
    }

    /// Links the account `user` to the reviewer id `reviewer`.
    pub fn with_reviewer(mut self, user: &str, reviewer: &str) -> Self {
        self.reviewers
            .insert(user.to_string(), reviewer.to_string());
        self
    }

    /// The reviewer id the account `user` is linked to, if any.
    pub fn reviewer_of(&self, user: &str) -> Option<&str> {
        self.reviewers.get(user).map(String::as_str)
    }

    /// Whether `user` is a name in the editors file.
    pub fn knows(&self, user: &str) -> bool {
        self.hashes.contains_key(user)
    }

    /// Whether `password` is `user`'s. Unknown users cost the same time as known ones.
    pub fn verify(&self, user: &str, password: &str) -> bool {
        let (hash, known) = match self.hashes.get(user) {
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
    expires: Instant,
}

/// Login sessions, in memory: a restart signs everyone out.
pub struct Sessions {
    by_token: Mutex<HashMap<String, Session>>,
    lifetime: Duration,
}

impl Default for Sessions {
    fn default() -> Self {
        Sessions {
            by_token: Mutex::new(HashMap::new()),
            lifetime: Duration::from_secs(8 * 3600),
        }
    }
}

impl Sessions {
    /// Starts a session; returns its token.
    pub fn start(&self, user: &str) -> String {
        let token = random_token();
        let session = Session {
            user: user.to_string(),
            csrf: random_token(),
            expires: Instant::now() + self.lifetime,
        };
        let mut map = self.by_token.lock().unwrap_or_else(|e| e.into_inner());
        map.retain(|_, s| s.expires > Instant::now());
        map.insert(token.clone(), session);
        token
    }

    pub fn get(&self, token: &str) -> Option<Session> {
        let map = self.by_token.lock().unwrap_or_else(|e| e.into_inner());
        map.get(token)
            .filter(|s| s.expires > Instant::now())
            .cloned()
    }

    pub fn end(&self, token: &str) {
        self.by_token
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(token);
    }
}

/// Failed sign-ins allowed for one name from one client within [`FAILURE_WINDOW`].
pub const MAX_FAILURES_PER_NAME: usize = 5;
/// Failed sign-ins allowed from one client, all names together, within [`FAILURE_WINDOW`].
pub const MAX_FAILURES_PER_CLIENT: usize = 30;
pub const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);
/// Clients and (client, name) pairs remembered at most; past this, the stalest are forgotten.
pub const MAX_LIMITER_KEYS: usize = 10_000;
/// Password checks running at once (argon2 takes about 19 MiB each); the rest wait their turn.
pub const HASH_SLOTS: usize = 2;
/// How long a sign-in waits for a free hash slot before it is refused as busy.
pub const HASH_QUEUE_WAIT: Duration = Duration::from_secs(10);

/// What failures are counted against: a client, or one name from a client. Names that are no
/// editor's share one key, so an attacker's made-up names are never stored.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum LimitKey {
    Client(IpAddr),
    Name(IpAddr, Option<String>),
}

/// Counts failed sign-ins per (client, name) and per client. An attempt is reserved, counted as a
/// failure, before its password is checked, so simultaneous attempts cannot pass the limit; a
/// correct password takes its reservation back. Password checks run a few at a time.
pub struct LoginLimiter {
    failures: Mutex<HashMap<LimitKey, VecDeque<Instant>>>,
    hash_slots: Arc<Semaphore>,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        LoginLimiter {
            failures: Mutex::new(HashMap::new()),
            hash_slots: Arc::new(Semaphore::new(HASH_SLOTS)),
        }
    }
}

/// A reserved sign-in attempt: a failure unless [`Attempt::succeeded`] or [`Attempt::cancel`].
pub struct Attempt<'a> {
    limiter: &'a LoginLimiter,
    keys: [LimitKey; 2],
    at: Instant,
}

impl Attempt<'_> {
    /// The password was right: the attempt is not a failure.
    pub fn succeeded(self) {
        self.cancel();
    }

    /// The password was never checked (e.g. the server was busy): the attempt does not count.
    pub fn cancel(self) {
        let mut map = self.limiter.lock();
        for key in &self.keys {
            if let Some(list) = map.get_mut(key)
                && let Some(n) = list.iter().rposition(|t| *t == self.at)
            {
                list.remove(n);
            }
        }
    }
}

impl LoginLimiter {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<LimitKey, VecDeque<Instant>>> {
        self.failures.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reserves an attempt by `client` to sign in as `name` (`None` for a name that is no editor's),
    /// or gives the seconds to wait when the name from this client, or the client, is over its limit.
    pub fn reserve(&self, client: IpAddr, name: Option<&str>) -> Result<Attempt<'_>, u64> {
        let now = Instant::now();
        let keys = [
            LimitKey::Name(client, name.map(str::to_string)),
            LimitKey::Client(client),
        ];
        let limits = [MAX_FAILURES_PER_NAME, MAX_FAILURES_PER_CLIENT];
        let mut map = self.lock();
        let mut wait = None;
        for (key, limit) in keys.iter().zip(limits) {
            let Some(list) = map.get_mut(key) else {
                continue;
            };
            while list
                .front()
                .is_some_and(|t| now.duration_since(*t) >= FAILURE_WINDOW)
            {
                list.pop_front();
            }
            if list.len() >= limit {
                let oldest = list.front().copied().unwrap_or(now);
                let seconds = FAILURE_WINDOW
                    .saturating_sub(now.duration_since(oldest))
                    .as_secs()
                    .max(1);
                wait = wait.max(Some(seconds));
            }
        }
        if let Some(seconds) = wait {
            return Err(seconds);
        }
        if map.len() + keys.len() > MAX_LIMITER_KEYS {
            forget_stalest(&mut map, now);
        }
        for key in &keys {
            map.entry(key.clone()).or_default().push_back(now);
        }
        drop(map);
        Ok(Attempt {
            limiter: self,
            keys,
            at: now,
        })
    }

    /// Waits for a free password-check slot, at most [`HASH_QUEUE_WAIT`].
    pub async fn hash_slot(&self) -> Option<OwnedSemaphorePermit> {
        tokio::time::timeout(HASH_QUEUE_WAIT, self.hash_slots.clone().acquire_owned())
            .await
            .ok()?
            .ok()
    }

    /// Keys remembered now (for tests and monitoring).
    pub fn keys(&self) -> usize {
        self.lock().len()
    }
}

/// Makes room in a full limiter: drops keys whose failures have all expired, then, if that is not
/// enough, the half whose latest failure is oldest. Counters of recent attackers are kept.
fn forget_stalest(map: &mut HashMap<LimitKey, VecDeque<Instant>>, now: Instant) {
    map.retain(|_, list| {
        list.back()
            .is_some_and(|t| now.duration_since(*t) < FAILURE_WINDOW)
    });
    if map.len() + 2 <= MAX_LIMITER_KEYS {
        return;
    }
    let mut latest: Vec<Instant> = map.values().filter_map(|l| l.back().copied()).collect();
    latest.sort_unstable();
    let cutoff = latest[latest.len() / 2];
    map.retain(|_, list| list.back().is_some_and(|t| *t > cutoff));
}

/// The client a request comes from: the peer's address, or, when the peer is one of the
/// `trusted_proxies`, the nearest address in `X-Forwarded-For` that is not a trusted proxy. IPv6
/// clients are counted by their /64 network, which one subscriber usually holds whole.
pub fn client_address(
    peer: Option<IpAddr>,
    forwarded_for: Option<&str>,
    trusted_proxies: &[IpAddr],
) -> IpAddr {
    let peer = peer.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |ip| ip.to_canonical());
    let mut client = peer;
    if trusted_proxies.contains(&peer) {
        for hop in forwarded_for.unwrap_or_default().rsplit(',') {
            match hop.trim().parse::<IpAddr>() {
                Ok(ip) if trusted_proxies.contains(&ip.to_canonical()) => continue,
                Ok(ip) => {
                    client = ip.to_canonical();
                    break;
                }
                Err(_) => break,
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
    fn a_name_locked_from_one_client_leaves_other_names_and_clients_alone() {
        let limiter = LoginLimiter::default();
        let client = ip("10.0.0.1");
        for _ in 0..MAX_FAILURES_PER_NAME {
            let _failed = limiter.reserve(client, Some("alice")).unwrap();
        }
        assert!(limiter.reserve(client, Some("alice")).is_err());
        // Another name from the same client, and the same name from another client, still get in.
        limiter.reserve(client, Some("bob")).unwrap().succeeded();
        limiter.reserve(client, Some("bob")).unwrap().succeeded();
        limiter
            .reserve(ip("10.0.0.2"), Some("alice"))
            .unwrap()
            .succeeded();
        // Successes are not failures: bob is nowhere near his limit.
        for _ in 0..MAX_FAILURES_PER_NAME - 1 {
            let _failed = limiter.reserve(client, Some("bob")).unwrap();
        }
        assert!(limiter.reserve(client, Some("bob")).is_ok());
    }

    #[test]
    fn a_client_has_a_ceiling_over_all_names() {
        let limiter = LoginLimiter::default();
        let client = ip("10.0.0.1");
        for n in 0..MAX_FAILURES_PER_CLIENT {
            let name = format!("name{}", n % 10);
            let _failed = limiter.reserve(client, Some(&name)).unwrap();
        }
        assert!(limiter.reserve(client, Some("someone-new")).is_err());
        assert!(limiter.reserve(ip("10.0.0.9"), Some("someone-new")).is_ok());
    }

    #[test]
    fn simultaneous_attempts_cannot_pass_the_limit() {
        let limiter = Arc::new(LoginLimiter::default());
        let client = ip("10.0.0.1");
        let allowed: usize = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..100)
                .map(|_| {
                    let limiter = &limiter;
                    scope.spawn(move || usize::from(limiter.reserve(client, None).is_ok()))
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).sum()
        });
        assert_eq!(allowed, MAX_FAILURES_PER_NAME);
    }

    #[test]
    fn the_limiter_stays_bounded_and_keeps_recent_attackers() {
        let limiter = LoginLimiter::default();
        let attacker = ip("10.9.9.9");
        for _ in 0..MAX_FAILURES_PER_NAME {
            let _failed = limiter.reserve(attacker, None).unwrap();
        }
        for n in 0..(MAX_LIMITER_KEYS as u32) {
            let client = IpAddr::V4(Ipv4Addr::from(0x0b00_0000 + n));
            let _failed = limiter.reserve(client, None);
            assert!(limiter.keys() <= MAX_LIMITER_KEYS);
        }
        // The flood made room by forgetting the stalest keys, not by resetting every counter.
        assert!(limiter.keys() > MAX_LIMITER_KEYS / 4);
        let _ = limiter.reserve(attacker, None);
    }

    #[test]
    fn client_address_trusts_forwarded_for_only_from_trusted_proxies() {
        let proxy = ip("127.0.0.1");
        let trusted = [proxy];
        let forwarded = Some("203.0.113.7, 198.51.100.2");
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
            client_address(
                Some(proxy),
                Some("1.1.1.1, 198.51.100.2, 127.0.0.1"),
                &trusted
            ),
            ip("198.51.100.2")
        );
        assert_eq!(client_address(Some(proxy), Some("junk"), &trusted), proxy);
        assert_eq!(client_address(Some(proxy), None, &trusted), proxy);
        assert_eq!(
            client_address(Some(ip("2001:db8:1:2:3:4:5:6")), None, &[]),
            ip("2001:db8:1:2::")
        );
        assert_eq!(
            client_address(Some(ip("::ffff:192.0.2.1")), None, &[]),
            ip("192.0.2.1")
        );
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
