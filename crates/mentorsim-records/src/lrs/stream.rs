//! Streaming a station's attempts to the program's LRS as they are played.
//!
//! The records are the queue ([`Store::waiting`]): each attempt's statements are rebuilt from
//! what is committed (the attempt, its steps and the texts it was played on) and the
//! statements the LRS has not acknowledged go, oldest attempt first. Acknowledged statements
//! are noted per attempt, so a send that fails half way resends at most one batch, which the
//! statements' fixed ids make harmless.

use std::sync::Arc;

use serde_json::Value;

use super::{Lrs, LrsError, Outcome};
use crate::export::xapi::statements_so_far;
use crate::policy::Program;
use crate::rescore::played_scenario;
use crate::store::{Store, StoreError};
use mentorsim_script::engine::Session;
use mentorsim_script::library::Library;
use mentorsim_script::scenario::Scenario;

/// What a drain did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drained {
    /// Statements the LRS acknowledged now.
    pub statements: usize,
    /// Attempts whose last statement went now.
    pub completed: usize,
    /// Attempts the LRS refused, with its reason; they stay waiting, later ones still go.
    pub refused: Vec<(String, String)>,
    /// Attempts whose statements cannot be rebuilt from the records, with the reason.
    pub unreadable: Vec<(String, String)>,
}

impl Lrs {
    /// Sends every statement the endpoint lacks, trying each batch once (the caller decides
    /// when to try again). Stops at the first failure that would fail every batch (the LRS
    /// unreachable, the credentials refused); an attempt the LRS refuses is skipped.
    pub fn drain(
        &self,
        store: &Store,
        library: &Library,
        program: &Program,
    ) -> Result<Drained, LrsError> {
        self.check_endpoint()?;
        let agent = self.agent();
        let mut drained = Drained::default();
        for waiting in store.waiting(&self.endpoint)? {
            let (statements, ended) = match rebuilt(store, library, program, &waiting.attempt) {
                Ok(rebuilt) => rebuilt,
                Err(Unbuildable::Store(error)) => return Err(error.into()),
                Err(Unbuildable::Reason(why)) => {
                    drained.unreadable.push((waiting.attempt, why));
                    continue;
                }
            };
            let mut sent = waiting.sent.min(statements.len());
            for batch in statements[sent..].chunks(self.batch_size.max(1)) {
                let body = serde_json::to_string(batch).unwrap_or_default();
                match self.post(&agent, &body) {
                    Outcome::Acknowledged => {}
                    Outcome::Retry(last) => {
                        return Err(LrsError::Unreachable {
                            tries: 1,
                            last,
                            sent: drained.completed,
                        });
                    }
                    Outcome::Refused(status @ (401 | 403), _) => {
                        return Err(LrsError::Credentials {
                            status,
                            endpoint: super::without_credentials(&self.endpoint),
                        });
                    }
                    Outcome::Refused(status, body) => {
                        drained
                            .refused
                            .push((waiting.attempt.clone(), format!("HTTP {status}: {body}")));
                        break;
                    }
                }
                sent += batch.len();
                drained.statements += batch.len();
                if ended && sent == statements.len() {
                    store.mark_delivered(&waiting.attempt, &self.endpoint, sent)?;
                    drained.completed += 1;
                } else {
                    store.mark_streamed(&waiting.attempt, &self.endpoint, sent)?;
                }
            }
        }
        Ok(drained)
    }
}

/// Why an attempt's statements cannot be built.
enum Unbuildable {
    Store(StoreError),
    Reason(String),
}

impl From<StoreError> for Unbuildable {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Damaged { .. } => Unbuildable::Reason(error.to_string()),
            other => Unbuildable::Store(other),
        }
    }
}

/// An attempt's statements as far as it has gone, and whether it has ended. A finished
/// attempt's decisions come from its stored result, an open one's from replaying its steps on
/// the texts it is played on. Reflections stay private, as in an export without
/// `--reflections`, so the export of a streamed attempt repeats its statements exactly.
fn rebuilt(
    store: &Store,
    library: &Library,
    program: &Program,
    id: &str,
) -> Result<(Vec<Value>, bool), Unbuildable> {
    let mut attempt = store.attempt(id)?;
    attempt.reflection = None;
    let scenario: Arc<Scenario> = played_scenario(store, &attempt, library)
        .map_err(|e| Unbuildable::Reason(e.to_string()))?
        .0;
    if attempt.ended.is_some() {
        let result = store
            .result(id)?
            .ok_or_else(|| Unbuildable::Reason("it ended but has no stored result".into()))?;
        let statements = statements_so_far(
            &attempt,
            Some(&scenario),
            &result.decisions,
            Some(&result),
            program,
        );
        return Ok((statements, true));
    }
    let session = Session::resume(Arc::clone(&scenario), &attempt.session_state())
        .map_err(|e| Unbuildable::Reason(format!("its steps do not replay: {e}")))?;
    let decisions = session.decisions();
    Ok((
        statements_so_far(&attempt, Some(&scenario), &decisions, None, program),
        false,
    ))
}
