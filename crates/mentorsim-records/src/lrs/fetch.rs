//! Reading a program's statements back from its Learning Record Store: `GET statements` per
//! activity (with its related activities: the decisions under a scenario), following `more`
//! page by page, with the same credentials rules as sending.

use std::collections::HashSet;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::Value;

use super::{EndpointParts, Lrs, LrsError, XAPI_VERSION, without_credentials};
use crate::store::Store;

/// Pages followed for one activity before the answer is taken to be looping.
const MAX_PAGES: usize = 100_000;

/// What a fetch brought back.
#[derive(Debug, Default)]
pub struct Fetched {
    /// Every statement about the activities asked for, each once.
    pub statements: Vec<Value>,
    /// How many of them had not been read before (the rest were kept from an earlier read).
    pub new: usize,
    /// Requests made.
    pub requests: usize,
}

/// How far back the next read of an activity starts: a second before the latest `stored` time
/// read, since statements stored in the same instant as the read may not have been served yet
/// (what is read twice is kept once).
fn next_since(statements: &[Value]) -> Option<String> {
    let latest = statements
        .iter()
        .filter_map(|s| s["stored"].as_str()?.parse::<jiff::Timestamp>().ok())
        .max()?;
    let earlier = latest
        .checked_sub(jiff::SignedDuration::from_secs(1))
        .ok()?;
    Some(crate::store::timestamp_text(earlier))
}

impl Lrs {
    /// Every statement about `activities` (and the activities under them), asking for
    /// [`Lrs::batch_size`] statements a page.
    pub fn fetch(&self, activities: &[String]) -> Result<Fetched, LrsError> {
        self.check_endpoint()?;
        let agent = self.reader();
        let mut fetched = Fetched::default();
        let mut seen: HashSet<String> = HashSet::new();
        for activity in activities {
            let (statements, requests) = self.read(&agent, activity, None)?;
            fetched.requests += requests;
            for statement in statements {
                let id = statement["id"].as_str().unwrap_or_default().to_owned();
                if seen.insert(id) {
                    fetched.statements.push(statement);
                }
            }
        }
        fetched.new = fetched.statements.len();
        Ok(fetched)
    }

    /// As [`Lrs::fetch`], reading only what the LRS stored since the last read kept in
    /// `records`, and keeping it there: a repeated judgement fetches what is new. The
    /// statements returned are all those kept for the activities.
    pub fn fetch_kept(&self, activities: &[String], records: &Store) -> Result<Fetched, LrsError> {
        self.check_endpoint()?;
        let agent = self.reader();
        let mut fetched = Fetched::default();
        for activity in activities {
            let since = records.lrs_read_since(&self.endpoint, activity)?;
            let (statements, requests) = self.read(&agent, activity, since.as_deref())?;
            fetched.requests += requests;
            let next = next_since(&statements).or(since);
            fetched.new += records.keep_lrs_statements(
                &self.endpoint,
                activity,
                &statements,
                next.as_deref(),
            )?;
        }
        fetched.statements = records.lrs_statements(&self.endpoint, activities)?;
        Ok(fetched)
    }

    fn reader(&self) -> ureq::Agent {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into()
    }

    /// One activity's statements, page by page, stored after `since` when given; and the
    /// requests made.
    fn read(
        &self,
        agent: &ureq::Agent,
        activity: &str,
        since: Option<&str>,
    ) -> Result<(Vec<Value>, usize), LrsError> {
        let base = self.endpoint.trim_end_matches('/');
        let mut query = format!(
            "activity={}&related_activities=true&limit={}",
            encode(activity),
            self.batch_size.max(1)
        );
        if let Some(since) = since {
            query.push_str(&format!("&since={}", encode(since)));
        }
        let mut url = format!("{base}/statements?{query}");
        let mut visited: HashSet<String> = HashSet::new();
        let (mut out, mut requests) = (Vec::new(), 0);
        for _ in 0..MAX_PAGES {
            if !visited.insert(url.clone()) {
                return Err(self.malformed("its `more` link leads back to a page already read"));
            }
            let page = self.get(agent, &url)?;
            requests += 1;
            let statements = page["statements"]
                .as_array()
                .ok_or_else(|| self.malformed("its answer has no `statements` list"))?;
            out.extend(statements.iter().cloned());
            match page["more"].as_str().filter(|more| !more.is_empty()) {
                None => break,
                Some(more) => url = self.resolve_more(more)?,
            }
        }
        Ok((out, requests))
    }

    /// A `more` link as a URL on the same server: relative to the endpoint's host, or
    /// absolute on the same origin. The credentials go nowhere else.
    fn resolve_more(&self, more: &str) -> Result<String, LrsError> {
        let Some(parts) = EndpointParts::of(&self.endpoint) else {
            return Err(self.malformed("the endpoint is not a URL"));
        };
        let origin = format!("{}://{}", parts.scheme, parts.host_port);
        if more.starts_with('/') && !more.starts_with("//") {
            return Ok(format!("{origin}{more}"));
        }
        match EndpointParts::of(more) {
            Some(link)
                if link.userinfo.is_none()
                    && link.scheme.eq_ignore_ascii_case(parts.scheme)
                    && link.host_port.eq_ignore_ascii_case(parts.host_port) =>
            {
                Ok(more.to_owned())
            }
            _ => Err(self.malformed(&format!(
                "its `more` link {} points away from {origin}; the credentials are not sent there",
                without_credentials(more)
            ))),
        }
    }

    fn malformed(&self, what: &str) -> LrsError {
        LrsError::Malformed {
            endpoint: without_credentials(&self.endpoint),
            what: what.to_owned(),
        }
    }

    /// One page, retried on network errors, 5xx and 429 with growing pauses.
    fn get(&self, agent: &ureq::Agent, url: &str) -> Result<Value, LrsError> {
        let mut pause = self.backoff;
        let mut tries = 0;
        loop {
            tries += 1;
            let mut request = agent
                .get(url)
                .header("X-Experience-API-Version", XAPI_VERSION);
            if let Some((user, password)) = &self.credentials {
                let token = BASE64.encode(format!("{user}:{password}"));
                request = request.header("Authorization", format!("Basic {token}"));
            }
            let retry = match request.call() {
                Err(error) => error.to_string(),
                Ok(mut response) => {
                    let status = response.status().as_u16();
                    let body = response
                        .body_mut()
                        .with_config()
                        .limit(256 * 1024 * 1024)
                        .read_to_string();
                    match (status, body) {
                        (200..=299, Ok(text)) => {
                            return serde_json::from_str(&text).map_err(|e| {
                                self.malformed(&format!("its answer is not JSON ({e})"))
                            });
                        }
                        (200..=299, Err(error)) => error.to_string(),
                        (429 | 500..=599, body) => {
                            format!("HTTP {status}: {}", short(&body.unwrap_or_default()))
                        }
                        (401 | 403, _) => {
                            return Err(LrsError::Credentials {
                                status,
                                endpoint: without_credentials(&self.endpoint),
                            });
                        }
                        (_, body) => {
                            return Err(self.malformed(&format!(
                                "HTTP {status}: {}",
                                short(&body.unwrap_or_default())
                            )));
                        }
                    }
                }
            };
            if tries >= self.attempts.max(1) {
                return Err(LrsError::Unreadable { tries, last: retry });
            }
            std::thread::sleep(pause);
            pause *= 2;
        }
    }
}

fn short(text: &str) -> String {
    text.chars().take(300).collect()
}

/// A query value percent-encoded (everything but RFC 3986's unreserved characters).
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
