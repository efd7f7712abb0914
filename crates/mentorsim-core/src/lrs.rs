//! Sending xAPI statements to a Learning Record Store.
//!
//! Statements go in batches of whole attempts, with HTTP basic auth and the
//! `X-Experience-API-Version` header. A batch is retried on network errors and on the server's
//! own errors (5xx, 429), with growing pauses. An attempt is marked sent only once the LRS has
//! acknowledged its batch, so a push that fails half way loses nothing: the next push sends
//! what is still unsent, and the statements' fixed ids keep the LRS from storing anything twice.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::Value;

use crate::export::Finished;
use crate::export::xapi::attempt_statements;
use crate::policy::Program;
use crate::records::{Store, StoreError};

/// The xAPI version the statements follow.
pub const XAPI_VERSION: &str = "1.0.3";

/// Where and how to send.
#[derive(Debug, Clone)]
pub struct Lrs {
    /// The LRS's xAPI endpoint, e.g. `https://lrs.example.org/xAPI/`.
    pub endpoint: String,
    /// Basic-auth user and password.
    pub credentials: Option<(String, String)>,
    /// Most statements per request (an attempt is never split).
    pub batch_size: usize,
    /// Tries per batch.
    pub attempts: u32,
    /// Pause before the first retry; doubled for each further one.
    pub backoff: Duration,
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
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
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
