//! Sending xAPI statements to a Learning Record Store.
//!
//! Statements go in batches of whole attempts, with HTTP basic auth and the
//! `X-Experience-API-Version` header. A batch is retried on network errors and on the server's
//! own errors (5xx, 429), with growing pauses. An attempt is marked sent only once the LRS has
//! acknowledged its batch, so a push that fails half way loses nothing: the next push sends
//! what is still unsent, and the statements' fixed ids keep the LRS from storing anything twice.

mod fetch;
mod stream;

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::Value;

use crate::export::Finished;
use crate::export::xapi::attempt_statements;
use crate::policy::Program;
use crate::store::{Store, StoreError};
pub use fetch::Fetched;
pub use stream::Drained;

/// The xAPI version the statements follow.
pub const XAPI_VERSION: &str = "1.0.3";

/// Where and how to send.
#[derive(Clone)]
pub struct Lrs {
    /// The LRS's xAPI endpoint, e.g. `https://lrs.example.org/xAPI/`. It may not hold a user
    /// or password (`https://user:pw@...`): those go in `credentials`, which are never stored.
    pub endpoint: String,
    /// Basic-auth user and password.
    pub credentials: Option<(String, String)>,
    /// Allow basic auth over plain `http://` to a host other than this computer.
    pub allow_insecure_http: bool,
    /// Most statements per request: sent (an attempt is never split), or asked for a page.
    pub batch_size: usize,
    /// Tries per batch.
    pub attempts: u32,
    /// Pause before the first retry; doubled for each further one.
    pub backoff: Duration,
}

impl std::fmt::Debug for Lrs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lrs")
            .field("endpoint", &without_credentials(&self.endpoint))
            .field("user", &self.credentials.as_ref().map(|(user, _)| user))
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("batch_size", &self.batch_size)
            .finish_non_exhaustive()
    }
}

/// What a push did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PushReport {
    /// Attempts the LRS acknowledged now.
    pub sent_attempts: usize,
    /// Their statements.
    pub sent_statements: usize,
    /// Attempts skipped because the LRS acknowledged them before.
    pub already_sent: usize,
    /// Requests made, retries included.
    pub requests: usize,
}

/// Why a push stopped.
#[derive(Debug, thiserror::Error)]
pub enum LrsError {
    /// The endpoint cannot be used as given; nothing was sent.
    #[error("{0}")]
    Endpoint(String),
    /// The records could not be read or marked.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The LRS refused a batch in a way retrying cannot fix.
    #[error(
        "the LRS refused a batch with HTTP {status}: {body}; {sent} attempt(s) were sent before it and are marked sent, the rest stay unsent"
    )]
    Refused {
        /// HTTP status.
        status: u16,
        /// Its answer, shortened.
        body: String,
        /// Attempts sent before.
        sent: usize,
    },
    /// The LRS did not accept the credentials.
    #[error(
        "the LRS at {endpoint} refused the credentials (HTTP {status}): check the user (--lrs-user, or the connection's `station`) and the password (MENTORSIM_LRS_PASSWORD, or the connection's `password_file`), and that this user may read or write statements as asked"
    )]
    Credentials {
        /// 401 or 403.
        status: u16,
        /// The endpoint, without credentials.
        endpoint: String,
    },
    /// Every try of reading a page failed.
    #[error(
        "the LRS could not be read after {tries} tries ({last}); nothing was judged: run the same command again later"
    )]
    Unreadable {
        /// Tries made.
        tries: u32,
        /// The last failure.
        last: String,
    },
    /// The LRS answered, but not with what xAPI says it should.
    #[error("the LRS at {endpoint} gave an answer that cannot be used: {what}")]
    Malformed {
        /// The endpoint, without credentials.
        endpoint: String,
        /// What is wrong.
        what: String,
    },
    /// Every try of a batch failed.
    #[error(
        "the LRS could not be reached after {tries} tries ({last}); {sent} attempt(s) were sent before it and are marked sent, the rest stay unsent: run the same command again later"
    )]
    Unreachable {
        /// Tries made.
        tries: u32,
        /// The last failure.
        last: String,
        /// Attempts sent before.
        sent: usize,
    },
}

/// One request's outcome.
enum Outcome {
    Acknowledged,
    Retry(String),
    Refused(u16, String),
}

impl Lrs {
    /// Sends every finished attempt in `records` the endpoint has not acknowledged yet.
    pub fn push(
        &self,
        store: &Store,
        records: &[Finished],
        program: &Program,
    ) -> Result<PushReport, LrsError> {
        self.check_endpoint()?;
        let delivered = store.delivered(&self.endpoint)?;
        let mut report = PushReport::default();
        let pending: Vec<(&Finished, Vec<Value>)> = records
            .iter()
            .filter(|r| {
                let sent = delivered.contains(&r.attempt.id);
                report.already_sent += usize::from(sent);
                !sent
            })
            .map(|r| (r, attempt_statements(r, program)))
            .collect();
        let agent = self.agent();
        for batch in batches(&pending, self.batch_size.max(1)) {
            let statements: Vec<&Value> = batch.iter().flat_map(|(_, s)| s).collect();
            let body = serde_json::to_string(&statements).unwrap_or_default();
            let mut pause = self.backoff;
            let mut tries = 0;
            loop {
                tries += 1;
                report.requests += 1;
                match self.post(&agent, &body) {
                    Outcome::Acknowledged => break,
                    Outcome::Refused(status, body) => {
                        return Err(LrsError::Refused {
                            status,
                            body,
                            sent: report.sent_attempts,
                        });
                    }
                    Outcome::Retry(last) if tries >= self.attempts.max(1) => {
                        return Err(LrsError::Unreachable {
                            tries,
                            last,
                            sent: report.sent_attempts,
                        });
                    }
                    Outcome::Retry(_) => {
                        std::thread::sleep(pause);
                        pause *= 2;
                    }
                }
            }
            for (record, statements) in batch {
                store.mark_delivered(&record.attempt.id, &self.endpoint, statements.len())?;
                report.sent_attempts += 1;
                report.sent_statements += statements.len();
            }
        }
        Ok(report)
    }

    /// Refuses an endpoint that would leak the password: one that holds credentials itself
    /// (they would be kept in shell history, logs and the records), or basic auth over plain
    /// HTTP to another computer, unless [`Lrs::allow_insecure_http`] says the network is trusted.
    pub fn check_endpoint(&self) -> Result<(), LrsError> {
        let refuse = |why: String| Err(LrsError::Endpoint(why));
        let Some(parts) = EndpointParts::of(&self.endpoint) else {
            return refuse(format!(
                "the LRS endpoint `{}` is not an http:// or https:// URL; give it as e.g. https://lrs.example.org/xAPI/",
                without_credentials(&self.endpoint)
            ));
        };
        if parts.userinfo.is_some() {
            return refuse(format!(
                "the LRS endpoint {} has a user name or password in it; credentials in a URL end up in shell history, logs and the records, so they are not accepted: pass --lrs-user USER and put the password in MENTORSIM_LRS_PASSWORD",
                without_credentials(&self.endpoint)
            ));
        }
        let plain = parts.scheme.eq_ignore_ascii_case("http");
        if plain
            && self.credentials.is_some()
            && !is_loopback(parts.host)
            && !self.allow_insecure_http
        {
            return refuse(format!(
                "refusing to send the LRS password over plain http:// to {}: anyone on the network could read it; use the LRS's https:// endpoint, or pass --allow-insecure-http if this network is trusted",
                parts.host
            ));
        }
        Ok(())
    }

    /// An HTTP client that hands every status back to be judged here.
    fn agent(&self) -> ureq::Agent {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into()
    }

    fn post(&self, agent: &ureq::Agent, body: &str) -> Outcome {
        let url = format!("{}/statements", self.endpoint.trim_end_matches('/'));
        let mut request = agent
            .post(&url)
            .header("X-Experience-API-Version", XAPI_VERSION)
            .header("Content-Type", "application/json");
        if let Some((user, password)) = &self.credentials {
            let token = BASE64.encode(format!("{user}:{password}"));
            request = request.header("Authorization", format!("Basic {token}"));
        }
        match request.send(body) {
            Err(error) => Outcome::Retry(error.to_string()),
            Ok(mut response) => {
                let status = response.status().as_u16();
                let text = response.body_mut().read_to_string().unwrap_or_default();
                let text: String = text.chars().take(300).collect();
                match status {
                    200..=299 => Outcome::Acknowledged,
                    429 | 500..=599 => Outcome::Retry(format!("HTTP {status}: {text}")),
                    _ => Outcome::Refused(status, text),
                }
            }
        }
    }
}

/// Groups attempts into batches of at most `size` statements; an attempt larger than `size`
/// goes alone.
fn batches<T>(items: &[(T, Vec<Value>)], size: usize) -> Vec<&[(T, Vec<Value>)]> {
    let mut out = Vec::new();
    let (mut start, mut count) = (0, 0);
    for (i, (_, statements)) in items.iter().enumerate() {
        if i > start && count + statements.len() > size {
            out.push(&items[start..i]);
            (start, count) = (i, 0);
        }
        count += statements.len();
    }
    if start < items.len() {
        out.push(&items[start..]);
    }
    out
}

/// An endpoint URL cut where its credentials and host are.
struct EndpointParts<'a> {
    scheme: &'a str,
    /// `user:password` before an `@`, if any.
    userinfo: Option<&'a str>,
    /// `host:port` (IPv6 in brackets).
    host_port: &'a str,
    /// The host alone, without port or brackets.
    host: &'a str,
    /// Path, query and fragment.
    rest: &'a str,
}

impl<'a> EndpointParts<'a> {
    fn of(url: &'a str) -> Option<EndpointParts<'a>> {
        let (scheme, after) = url.split_once("://")?;
        if !["http", "https"]
            .iter()
            .any(|s| scheme.eq_ignore_ascii_case(s))
        {
            return None;
        }
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        let (authority, rest) = after.split_at(end);
        let (userinfo, host_port) = match authority.rfind('@') {
            Some(at) => (Some(&authority[..at]), &authority[at + 1..]),
            None => (None, authority),
        };
        let host = match host_port.strip_prefix('[') {
            Some(bracketed) => bracketed.split(']').next().unwrap_or(""),
            None => host_port
                .rsplit_once(':')
                .map_or(host_port, |(host, _)| host),
        };
        if host.is_empty() {
            return None;
        }
        Some(EndpointParts {
            scheme,
            userinfo,
            host_port,
            host,
            rest,
        })
    }
}

/// The endpoint without any `user:password@`: what may be stored, printed or logged.
pub fn without_credentials(endpoint: &str) -> String {
    match EndpointParts::of(endpoint) {
        Some(parts) if parts.userinfo.is_some() => {
            format!("{}://{}{}", parts.scheme, parts.host_port, parts.rest)
        }
        Some(_) => endpoint.to_owned(),
        // Not a URL we would send to: keep nothing after a would-be `user:password@`.
        None => match (endpoint.split_once("://"), endpoint.rfind('@')) {
            (Some((scheme, _)), Some(at)) => format!("{scheme}://{}", &endpoint[at + 1..]),
            _ => endpoint.to_owned(),
        },
    }
}

/// Whether a host is this computer: `localhost`, 127.0.0.0/8 or ::1.
pub fn is_loopback(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(std::net::IpAddr::V6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => false,
    }
}
