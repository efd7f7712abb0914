//! A recorded attempt: the conversation and its record kept in step, in one place.
//!
//! The app, the command line and the tests all play attempts that are written as they happen.
//! What that takes (open the record before the first line, commit each action with its
//! position and the time it took before the next line is shown, close it with the result,
//! resume on the exact texts it started on) lives here, so that no caller reads an action back
//! out of the engine to hand it to the store. A trainer's rehearsal is never recorded and has
//! no place here: it is a plain [`Session`].

use std::sync::Arc;
use std::time::Instant;

use mentorsim_script::engine::{Action, AttemptResult, ChoiceSummary, Mode, PlayError, Session};
use mentorsim_script::scenario::Scenario;

use crate::rescore::{RescoreError, scenario_to_resume};
use crate::store::{Attempt, Store, StoreError};

/// A conversation whose every action is committed to the records as it is taken.
///
/// It owns the [`Session`], the attempt's id and the step clock (how long the trainee took
/// since the line was shown), and is given the [`Store`] on each call rather than holding it:
/// the command line owns its store outright, the app shares one behind a lock, and a value
/// holding either would tie this type to how the caller keeps it. Each call that moves the
/// conversation returns the engine's answer and, apart, whether the records have it
/// ([`Recorded`]): a refused move (a choice that is not offered) changes and writes nothing,
/// while a failed write leaves the conversation moved on. The caller decides what a failed
/// write means: the command line stops, the app shows a notice and lets the trainee continue
/// (the seed and actions still replay to the same result).
#[derive(Debug)]
pub struct RecordedAttempt {
    session: Session,
    id: String,
    /// 0-based position of the next action, as the store numbers steps.
    next_seq: usize,
    /// When the current line was shown.
    shown_at: Instant,
}

/// What a move did, and whether the records have it.
#[derive(Debug)]
#[must_use = "a write that failed must be reported or stop the attempt"]
pub struct Recorded<T> {
    /// The engine's answer: practice feedback on a choice, the result at the end.
    pub outcome: T,
    /// Whether the move was committed to the records.
    pub saved: Result<(), StoreError>,
}

impl<T> Recorded<T> {
    /// The outcome once the records have it, for callers that stop when a write fails.
    pub fn committed(self) -> Result<T, StoreError> {
        self.saved.map(|()| self.outcome)
    }
}

/// Why a recorded attempt could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The scenario cannot be played; no record was opened.
    #[error(transparent)]
    Play(#[from] PlayError),
    /// The record could not be opened.
    #[error(transparent)]
    Records(#[from] StoreError),
}

/// Why an unfinished attempt cannot continue; a new attempt can still start.
#[derive(Debug, thiserror::Error)]
pub enum ResumeError {
    /// The texts it started on are neither stored nor today's file, or do not build.
    #[error(transparent)]
    Texts(#[from] RescoreError),
    /// Its recorded actions do not replay on those texts.
    #[error(transparent)]
    Replay(#[from] PlayError),
}

impl RecordedAttempt {
    /// Starts a new attempt for `trainee`, with its record opened (and the scenario and
    /// rubric texts kept) before the first line is shown.
    pub fn start(
        store: &Store,
        trainee: &str,
        scenario: &Arc<Scenario>,
        seed: u64,
        mode: Mode,
    ) -> Result<RecordedAttempt, StartError> {
        let session = Session::start(Arc::clone(scenario), seed, mode)?;
        let id = store.begin_attempt(trainee, scenario, seed, mode)?;
        Ok(RecordedAttempt::playing(session, id))
    }

    /// Continues a stored unfinished attempt where it stopped, always on the exact texts it
    /// started on (see [`scenario_to_resume`]): `current` is today's scenario with its id,
    /// used when its texts are those. Nothing is written.
    pub fn resume(
        store: &Store,
        attempt: &Attempt,
        current: &Arc<Scenario>,
    ) -> Result<RecordedAttempt, ResumeError> {
        let played = scenario_to_resume(store, attempt, current)?;
        let session = Session::resume(played, &attempt.session_state())?;
        Ok(RecordedAttempt::playing(session, attempt.id.clone()))
    }

    fn playing(session: Session, id: String) -> RecordedAttempt {
        RecordedAttempt {
            next_seq: session.state().actions.len(),
            session,
            id,
            shown_at: Instant::now(),
        }
    }

    /// The conversation, to show.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The attempt's id in the records.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Restarts the step clock: the current line is on show from now. Each committed move
    /// restarts it too, since the next line follows at once; a caller that shows something
    /// in between (practice feedback to read) calls this when the line appears.
    pub fn line_shown(&mut self) {
        self.shown_at = Instant::now();
    }

    /// Picks the option at a 1-based display position and commits it. Returns the feedback
    /// in practice mode.
    pub fn choose(
        &mut self,
        store: &Store,
        position: usize,
    ) -> Result<Recorded<Option<ChoiceSummary>>, PlayError> {
        let (node, id) = self.offered_at(position)?;
        self.pick(store, &node, &id)
    }

    /// Picks an offered option by id and commits it. Returns the feedback in practice mode.
    pub fn choose_id(
        &mut self,
        store: &Store,
        id: &str,
    ) -> Result<Recorded<Option<ChoiceSummary>>, PlayError> {
        let node = self.current_node()?;
        self.pick(store, &node, id)
    }

    /// Moves on from a line without options and commits that.
    pub fn advance(&mut self, store: &Store) -> Result<Recorded<()>, PlayError> {
        let node = self.current_node()?;
        self.session.advance()?;
        let saved = self.commit(store, &node, &Action::Continue);
        Ok(Recorded { outcome: (), saved })
    }

    /// At an ending: the result, committed with the attempt closed. `None` before the
    /// ending. Repeating it writes nothing more.
    pub fn finish(&self, store: &Store) -> Option<Recorded<AttemptResult>> {
        let result = self.session.result()?;
        let saved = store.finish_attempt(&self.id, &result);
        Some(Recorded {
            outcome: result,
            saved,
        })
    }

    fn pick(
        &mut self,
        store: &Store,
        node: &str,
        id: &str,
    ) -> Result<Recorded<Option<ChoiceSummary>>, PlayError> {
        let feedback = self.session.choose_id(id)?;
        let saved = self.commit(store, node, &Action::Choose(id.to_owned()));
        Ok(Recorded {
            outcome: feedback,
            saved,
        })
    }

    /// The node the trainee is at and the id of the option shown there at `position`,
    /// refused as the engine refuses it. Resolved here so that what is committed is the id
    /// chosen, not an action read back out of the engine.
    fn offered_at(&self, position: usize) -> Result<(String, String), PlayError> {
        let line = self.session.current().ok_or(PlayError::Finished)?;
        if line.options.is_empty() {
            return Err(PlayError::NotADecision(line.node));
        }
        let count = line.options.len();
        let id = position
            .checked_sub(1)
            .and_then(|index| line.options.into_iter().nth(index))
            .map(|option| option.id)
            .ok_or(PlayError::NoSuchPosition { position, count })?;
        Ok((line.node, id))
    }

    /// The node the next action is taken at.
    fn current_node(&self) -> Result<String, PlayError> {
        Ok(self.session.current().ok_or(PlayError::Finished)?.node)
    }

    /// Commits an action the engine has just taken at `node`; the clock restarts once it is
    /// written, when the next line can be shown. The position counts every action taken,
    /// written or not, so the stored steps always sit where they were played.
    fn commit(&mut self, store: &Store, node: &str, action: &Action) -> Result<(), StoreError> {
        let seq = self.next_seq;
        self.next_seq += 1;
        let millis = self.shown_at.elapsed().as_millis() as u64;
        let saved = store.record_step(&self.id, seq, node, action, millis);
        self.shown_at = Instant::now();
        saved
    }
}
