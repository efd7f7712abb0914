//! The conversation on screen: a trainee's attempt, committed to the records move by move, or
//! a trainer's rehearsal, which is never recorded. Both move the same way.

use bevy::prelude::*;
use mentorsim_records::attempt::{Recorded, RecordedAttempt};
use mentorsim_records::store::Store;
use mentorsim_script::engine::{AttemptResult, ChoiceSummary, PlayError, Session};

/// A conversation in progress.
#[derive(Resource)]
pub struct Play {
    conversation: Conversation,
    /// Practice feedback on the last choice, shown until the trainee moves on.
    pub feedback: Option<ChoiceSummary>,
}

/// A recorded attempt or an unrecorded rehearsal.
pub(super) enum Conversation {
    Recorded(RecordedAttempt),
    Rehearsal(Session),
}

impl Play {
    pub(super) fn new(conversation: Conversation) -> Self {
        Play {
            conversation,
            feedback: None,
        }
    }

    /// The conversation, to show.
    pub fn session(&self) -> &Session {
        match &self.conversation {
            Conversation::Recorded(attempt) => attempt.session(),
            Conversation::Rehearsal(session) => session,
        }
    }

    /// Its record; `None` for a trainer's rehearsal.
    pub fn attempt_id(&self) -> Option<&str> {
        match &self.conversation {
            Conversation::Recorded(attempt) => Some(attempt.id()),
            Conversation::Rehearsal(_) => None,
        }
    }

    pub(super) fn choose(
        &mut self,
        store: &Store,
        position: usize,
    ) -> Result<Recorded<Option<ChoiceSummary>>, PlayError> {
        match &mut self.conversation {
            Conversation::Recorded(attempt) => attempt.choose(store, position),
            Conversation::Rehearsal(session) => session.choose(position).map(unrecorded),
        }
    }

    pub(super) fn advance(&mut self, store: &Store) -> Result<Recorded<()>, PlayError> {
        match &mut self.conversation {
            Conversation::Recorded(attempt) => attempt.advance(store),
            Conversation::Rehearsal(session) => session.advance().map(unrecorded),
        }
    }

    /// The result at the ending, with a recorded attempt closed.
    pub(super) fn finish(&self, store: &Store) -> Option<Recorded<AttemptResult>> {
        match &self.conversation {
            Conversation::Recorded(attempt) => attempt.finish(store),
            Conversation::Rehearsal(session) => session.result().map(unrecorded),
        }
    }

    /// Practice feedback was read: the next line is on show from now.
    pub(super) fn line_shown(&mut self) {
        if let Conversation::Recorded(attempt) = &mut self.conversation {
            attempt.line_shown();
        }
    }
}

/// A rehearsal's move: nothing to save, so nothing failed.
fn unrecorded<T>(outcome: T) -> Recorded<T> {
    Recorded {
        outcome,
        saved: Ok(()),
    }
}
