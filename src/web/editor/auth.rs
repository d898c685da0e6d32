//! Who may use the editor area: accounts from an editors file (argon2id password hashes), login
//! sessions with CSRF tokens, HTTP Basic for scripts (GET only), and a limit on failed logins.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How the editor area is reached.
pub enum EditorAccess {
    /// No editors file: the editor area does not exist (404).
    Off,
    /// `healthpress preview` on a loopback address: no login.
    Open,
    /// Accounts from an editors file.
    Accounts(Editors),
}

/// The editors file: `[editors]` mapping usernames to argon2id PHC hashes.
#[derive(Debug)]
pub struct Editors {
    hashes: BTreeMap<String, String>,
    /// A hash of a random password, checked for unknown names so they take as long as known ones.
    dummy: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EditorsFile {
    editors: BTreeMap<String, String>,
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
        for (name, hash) in &file.editors {
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
        if file.editors.is_empty() {
            return Err(format!(
                "{}: no editors listed under [editors]",
                path.display()
            ));
        }
        Ok(Self::from_hashes(file.editors))
    }

    pub fn from_hashes(hashes: BTreeMap<String, String>) -> Self {
        let dummy = hash_password(&random_token()).unwrap_or_default();
        Editors { hashes, dummy }
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

/// Equality that takes the same time wherever the strings differ.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
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

/// Failed logins allowed per key (client address, and user name) within the window.
pub const MAX_FAILURES: usize = 5;
pub const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Counts failed logins per key; past the limit, further attempts are refused until the window passes.
#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginLimiter {
    /// `Some(seconds to wait)` when any of `keys` is over the limit.
    pub fn blocked(&self, keys: &[&str]) -> Option<u64> {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        keys.iter()
            .filter_map(|key| {
                let list = map.get_mut(*key)?;
                list.retain(|t| now.duration_since(*t) < FAILURE_WINDOW);
                (list.len() >= MAX_FAILURES).then(|| {
                    let oldest = list.first().copied().unwrap_or(now);
                    FAILURE_WINDOW
                        .saturating_sub(now.duration_since(oldest))
                        .as_secs()
                        .max(1)
                })
            })
            .max()
    }

    pub fn record_failure(&self, keys: &[&str]) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            // Bound memory under a flood of distinct keys: forget the oldest state.
            map.clear();
        }
        for key in keys {
            map.entry((*key).to_string())
                .or_default()
                .push(Instant::now());
        }
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

    #[test]
    fn limiter_blocks_after_repeated_failures() {
        let limiter = LoginLimiter::default();
        for _ in 0..MAX_FAILURES {
            assert!(limiter.blocked(&["ip:1", "user:a"]).is_none());
            limiter.record_failure(&["ip:1", "user:a"]);
        }
        assert!(limiter.blocked(&["ip:1"]).is_some());
        assert!(limiter.blocked(&["user:a"]).is_some());
        assert!(limiter.blocked(&["ip:2", "user:b"]).is_none());
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
