//! Limits on what one connection, and one client address, may hold in the server.
//!
//! actix-web itself bounds one connection's buffers (128 KiB of unparsed requests, 16 pipelined
//! requests waiting, about 32 KiB of response waiting to be written) and the number of connections
//! per worker (`HttpServer::max_connections`). What it does not do is close a connection whose
//! client has stopped reading, or stop one address from opening every connection the workers
//! accept. [`ConnectionLimits::on_connect`] adds both, on each accepted socket:
//!
//! - a write timeout: `TCP_USER_TIMEOUT`, so the kernel drops a connection whose sent bytes stay
//!   unacknowledged, or whose unsent bytes cannot be sent (the client's window stays shut), for
//!   longer than the timeout; the dispatcher then sees the error and frees the connection;
//! - a cap on the connections open at once from one client address (one IPv6 /64 counts as one
//!   address); connections over it get a short `503` and are shut at once;
//! - memory given back to the system after connections close
//!   ([`ConnectionLimits::release_memory_after_closes`]).

use actix_web::dev::Extensions;
use socket2::SockRef;
use std::any::Any;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr, Shutdown};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The answer written to a connection over the per-address cap, before it is shut.
const TOO_MANY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\
Content-Type: text/plain; charset=utf-8\r\nContent-Length: 40\r\nRetry-After: 5\r\n\r\n\
Too many connections from your address.\n";

/// What every worker shares: the connections open from each client address, and whether any
/// connection has closed since memory was last given back.
#[derive(Default)]
struct Shared {
    open: Mutex<HashMap<IpAddr, usize>>,
    closed: AtomicBool,
}

/// Bounds one client address's connections and how long a connection's unsent bytes may wait.
#[derive(Clone)]
pub struct ConnectionLimits {
    /// Connections one address may hold open at once (0: no cap).
    per_client: usize,
    /// How long written bytes may stay unacknowledged, or unsent for want of window.
    write_timeout: Duration,
    /// Addresses not capped: reverse proxies, whose connections carry many clients.
    exempt: Arc<[IpAddr]>,
    shared: Arc<Shared>,
}

/// Held in a connection's data while it is open: counts it against its address (when capped)
/// until the connection is dropped, and marks that memory may be given back.
struct Open {
    key: Option<IpAddr>,
    shared: Arc<Shared>,
}

impl Drop for Open {
    fn drop(&mut self) {
        if let Some(key) = self.key {
            let mut open = self.shared.open.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(n) = open.get_mut(&key) {
                *n -= 1;
                if *n == 0 {
                    open.remove(&key);
                }
            }
        }
        self.shared.closed.store(true, Ordering::Relaxed);
    }
}

/// How often, at most, memory freed by closed connections is given back to the system.
const RELEASE_EVERY: Duration = Duration::from_secs(5);

impl ConnectionLimits {
    pub fn new(per_client: usize, write_timeout: Duration, exempt: Vec<IpAddr>) -> Self {
        ConnectionLimits {
            per_client,
            write_timeout,
            exempt: exempt.into_iter().map(|ip| ip.to_canonical()).collect(),
            shared: Arc::default(),
        }
    }

    /// Starts a thread that gives memory back to the system after connections close. The buffers
    /// and queued requests of many connections, freed across the workers' allocator arenas, are
    /// otherwise kept by glibc, so the server would stay at its peak after the clients leave.
    pub fn release_memory_after_closes(&self) -> std::io::Result<()> {
        let shared = self.shared.clone();
        std::thread::Builder::new()
            .name("release-memory".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(RELEASE_EVERY);
                    if shared.closed.swap(false, Ordering::Relaxed) {
                        crate::memory::release_free_memory();
                    }
                }
            })
            .map(drop)
    }

    /// For `HttpServer::on_connect`: sets the write timeout on the socket, and counts the
    /// connection against its client address, or refuses it when the address is at its cap.
    pub fn on_connect(&self, connection: &dyn Any, data: &mut Extensions) {
        let Some(stream) = connection.downcast_ref::<actix_web::rt::net::TcpStream>() else {
            return;
        };
        let socket = SockRef::from(stream);
        if !self.write_timeout.is_zero()
            && let Err(e) = socket.set_tcp_user_timeout(Some(self.write_timeout))
        {
            tracing::warn!("cannot set the write timeout on a connection: {e}");
        }
        let capped = stream
            .peer_addr()
            .ok()
            .map(|peer| peer.ip().to_canonical())
            .filter(|ip| self.per_client > 0 && !self.exempt.contains(ip));
        let Some(ip) = capped else {
            data.insert(Open {
                key: None,
                shared: self.shared.clone(),
            });
            return;
        };
        match self.admit(ip) {
            Some(open) => {
                data.insert(open);
            }
            None => {
                tracing::info!(
                    "refused a connection from {ip}: it has {} open",
                    self.per_client
                );
                // A short answer, if the socket takes it now, then the connection is shut: the
                // dispatcher reads end-of-stream and drops it.
                let _ = stream.try_write(TOO_MANY);
                let _ = socket.shutdown(Shutdown::Both);
            }
        }
    }

    /// Counts one more connection from `ip`, unless it already has `per_client` open.
    fn admit(&self, ip: IpAddr) -> Option<Open> {
        let key = address_key(ip);
        let mut open = self.shared.open.lock().unwrap_or_else(|e| e.into_inner());
        let n = open.entry(key).or_insert(0);
        if *n >= self.per_client {
            return None;
        }
        *n += 1;
        Some(Open {
            key: Some(key),
            shared: self.shared.clone(),
        })
    }
}

/// The address a connection counts against: the IPv4 address, or the IPv6 /64 (one network, which
/// a single client may hold whole).
fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(Ipv6Addr::from(bits))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_address_gets_its_cap_and_a_closed_connection_frees_a_place() {
        let limits = ConnectionLimits::new(2, Duration::from_secs(1), Vec::new());
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        let first = limits.admit(a).unwrap();
        let _second = limits.admit(a).unwrap();
        assert!(limits.admit(a).is_none());
        assert!(limits.admit(b).is_some());
        drop(first);
        assert!(limits.admit(a).is_some());
    }

    #[test]
    fn an_ipv6_network_counts_as_one_address() {
        let limits = ConnectionLimits::new(1, Duration::from_secs(1), Vec::new());
        let _one = limits.admit("2001:db8::1".parse().unwrap()).unwrap();
        assert!(limits.admit("2001:db8::2".parse().unwrap()).is_none());
        assert!(limits.admit("2001:db8:0:1::1".parse().unwrap()).is_some());
    }

    #[test]
    fn the_refusal_is_a_whole_response() {
        let text = std::str::from_utf8(TOO_MANY).unwrap();
        let (_, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(text.contains(&format!("Content-Length: {}\r\n", body.len())));
    }
}
