//! The conversation: starting, resuming or rehearsing one, each choice and each move on
//! through the engine (and, for a trainee, into the records at once), and at the ending the
//! result handed to the debrief. A write that fails is shown and never stops the conversation.

mod play;
pub mod view;

use std::sync::Arc;

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use mentorsim_records::attempt::{Recorded, RecordedAttempt, StartError};
use mentorsim_records::store::StoreError;
use mentorsim_script::engine::{AttemptResult, Mode, Rehearsal, Session};
use mentorsim_script::scenario::Scenario;

use super::sign_in::SignedIn;
use super::{Act, Navigate, Screen, SeedOverride, first_only};
use crate::app::content::Content;
use crate::app::program_sync::ProgramSync;
use crate::app::records::{Notice, Records};
use crate::app::ui::theme::Palette;
use crate::app::ui::{ScreenArea, UiSystems, draw_screen};
use play::Conversation;
pub use play::Play;
use view::ConversationView;

/// Begin a conversation.
#[derive(Message, Debug, Clone)]
pub enum BeginConversation {
    /// A new attempt, recorded for the signed-in trainee.
    Start {
        /// The scenario as briefed.
        scenario: Arc<Scenario>,
        /// Feedback at once, or in the debrief.
        mode: Mode,
    },
    /// The trainee's unfinished attempt, on the exact texts it started on.
    Resume {
        /// The scenario as briefed (the attempt may have started on an older version).
        scenario: Arc<Scenario>,
        /// The attempt's id.
        attempt: String,
    },
    /// A trainer's rehearsal from a node with chosen values; nothing is recorded.
    Rehearse {
        /// Scenario id: the file as it is now, so an edit shows in the next rehearsal.
        scenario: String,
        /// Node id and variable values.
        from: Rehearsal,
        /// Feedback at once, or in the debrief.
        mode: Mode,
    },
}

/// What the trainee did in the conversation.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConversationAction {
    /// Pick the offered choice at this 1-based position.
    Choose(usize),
    /// Move on: past a line without choices, or past the feedback on a choice.
    Continue,
    /// Leave for the library (an unfinished attempt stays resumable); from a rehearsal, back
    /// to trainer mode.
    Leave,
}

/// A conversation reached its ending (and a trainee's attempt was closed in the records).
#[derive(Message, Debug, Clone)]
pub struct AttemptEnded {
    /// The scenario played.
    pub scenario: Arc<Scenario>,
    /// Its record; `None` for a trainer's rehearsal.
    pub attempt: Option<String>,
    /// The result.
    pub result: AttemptResult,
}

/// Conversations and their moves.
pub(super) struct ConversationPlugin;

impl Plugin for ConversationPlugin {
    fn build(&self, app: &mut App) {
        app.add_message::<BeginConversation>()
            .add_message::<ConversationAction>()
            .add_message::<AttemptEnded>()
            .add_systems(Update, begin.in_set(Act::Enter))
            .add_systems(
                Update,
                apply
                    .run_if(in_state(Screen::Conversation))
                    .in_set(Act::Within),
            )
            .add_systems(OnExit(Screen::Conversation), end_play)
            .add_systems(
                EguiPrimaryContextPass,
                draw.run_if(in_state(Screen::Conversation))
                    .in_set(UiSystems::Screen),
            );
    }
}

/// The conversation lives as long as its screen: until the screen changes, the frame in
/// between still shows it (not an empty screen).
fn end_play(mut commands: Commands) {
    commands.remove_resource::<Play>();
}

fn begin(
    mut asked: MessageReader<BeginConversation>,
    mut commands: Commands,
    records: Res<Records>,
    content: Res<Content>,
    seed: Res<SeedOverride>,
    signed_in: Option<Res<SignedIn>>,
    mut notice: ResMut<Notice>,
    mut next: ResMut<NextState<Screen>>,
) {
    let Some(asked) = first_only(&mut asked) else {
        return;
    };
    let seed = seed.0.unwrap_or_else(rand::random);
    let conversation = match asked {
        BeginConversation::Start { scenario, mode } => {
            let Some(SignedIn(trainee)) = signed_in.as_deref() else {
                return;
            };
            match RecordedAttempt::start(&records.store(), &trainee.id, &scenario, seed, mode) {
                Ok(attempt) => Conversation::Recorded(attempt),
                Err(StartError::Play(error)) => {
                    notice.0 = Some(format!("This scenario cannot start: {error}"));
                    return;
                }
                Err(StartError::Records(error)) => {
                    notice.store_failed("Could not start a record for this attempt", &error);
                    return;
                }
            }
        }
        BeginConversation::Resume { scenario, attempt } => {
            match resume(&records, &scenario, &attempt, &mut notice) {
                Some(attempt) => Conversation::Recorded(attempt),
                None => return,
            }
        }
        BeginConversation::Rehearse {
            scenario,
            from,
            mode,
        } => {
            let Some(scenario) = content.library.scenario(&scenario).cloned() else {
                notice.0 = Some("This scenario has errors: fix them to rehearse it.".into());
                return;
            };
            match Session::rehearse(scenario, from, seed, mode) {
                Ok(session) => Conversation::Rehearsal(session),
                Err(error) => {
                    notice.0 = Some(format!("Cannot play from there: {error}"));
                    return;
                }
            }
        }
    };
    commands.insert_resource(Play::new(conversation));
    next.set(Screen::Conversation);
}

/// The attempt again, on the exact texts it started on (never on an edited file).
fn resume(
    records: &Records,
    scenario: &Arc<Scenario>,
    attempt_id: &str,
    notice: &mut Notice,
) -> Option<RecordedAttempt> {
    let resumed = {
        let store = records.store();
        let attempt = match store.attempt(attempt_id) {
            Ok(attempt) => attempt,
            Err(error) => {
                drop(store);
                notice.store_failed("Could not read the attempt", &error);
                return None;
            }
        };
        RecordedAttempt::resume(&store, &attempt, scenario)
    };
    match resumed {
        Ok(attempt) => {
            let played = attempt.session().scenario();
            if played.sha256 != scenario.sha256 {
                notice.0 = Some(format!(
                    "This scenario was updated since you started; your attempt continues on the version you started (v{}). A new attempt uses the current one.",
                    played.version
                ));
            }
            Some(attempt)
        }
        Err(error) => {
            notice.0 = Some(format!(
                "Your unfinished attempt cannot continue on the version it started on ({error}). Start a new one."
            ));
            None
        }
    }
}

/// Everything a move may touch.
#[derive(SystemParam)]
struct Moves<'w> {
    play: Option<ResMut<'w, Play>>,
    records: Res<'w, Records>,
    sync: Option<Res<'w, ProgramSync>>,
    notice: ResMut<'w, Notice>,
    ended: MessageWriter<'w, AttemptEnded>,
    navigate: MessageWriter<'w, Navigate>,
}

fn apply(mut actions: MessageReader<ConversationAction>, mut moves: Moves) {
    let Some(action) = first_only(&mut actions) else {
        return;
    };
    let Some(play) = moves.play.as_deref_mut() else {
        return;
    };
    let store = moves.records.store();
    match action {
        ConversationAction::Choose(_) if play.feedback.is_some() => {}
        ConversationAction::Choose(position) => match play.choose(&store, position) {
            Ok(Recorded { outcome, saved }) => {
                play.feedback = outcome;
                sent_on(&moves.sync, &saved);
                report(&mut moves.notice, saved);
            }
            // A key for a choice that is not there: nothing to do.
            Err(error) => return debug!("{error}"),
        },
        ConversationAction::Continue => {
            if play.feedback.take().is_some() {
                play.line_shown();
            } else {
                match play.advance(&store) {
                    Ok(moved) => {
                        sent_on(&moves.sync, &moved.saved);
                        report(&mut moves.notice, moved.saved);
                    }
                    // A key press at a decision or after the ending: nothing to do.
                    Err(_) => return,
                }
            }
        }
        ConversationAction::Leave => {
            let back = if play.attempt_id().is_some() {
                Screen::Library
            } else {
                Screen::Trainer
            };
            moves.navigate.write(Navigate(back));
            return;
        }
    }
    // At an ending, once any practice feedback has been read: record and show the debrief.
    if play.feedback.is_some() {
        return;
    }
    let Some(Recorded { outcome, saved }) = play.finish(&store) else {
        return;
    };
    sent_on(&moves.sync, &saved);
    if let Err(error) = saved {
        moves
            .notice
            .store_failed("The result could not be saved", &error);
    }
    moves.ended.write(AttemptEnded {
        scenario: Arc::clone(play.session().scenario()),
        attempt: play.attempt_id().map(str::to_owned),
        result: outcome,
    });
}

/// What the records now hold goes on to the program's LRS, when the station has one.
fn sent_on(sync: &Option<Res<ProgramSync>>, saved: &Result<(), StoreError>) {
    if let (Some(sync), Ok(())) = (sync, saved) {
        sync.nudge();
    }
}

/// A write that failed is shown, never fatal: the conversation goes on.
fn report(notice: &mut Notice, saved: Result<(), StoreError>) {
    if let Err(error) = saved {
        notice.store_failed("Your progress could not be saved", &error);
    }
}

fn draw(
    mut contexts: EguiContexts,
    area: Res<ScreenArea>,
    colours: Res<Palette>,
    play: Option<Res<Play>>,
    mut actions: MessageWriter<ConversationAction>,
) -> Result {
    let Some(play) = play else {
        return Ok(());
    };
    let session = play.session();
    let view = ConversationView {
        scenario: session.scenario(),
        mode: session.mode(),
        transcript: session.transcript(),
        current: session.current(),
        feedback: play.feedback.as_ref(),
        decisions: session.decisions_made(),
        rehearsal: session
            .rehearsal()
            .map(|from| format!("Started {}.", from.describe(session.scenario()))),
    };
    if let Some(picked) = draw_screen(&mut contexts, &area, |ui| view::show(ui, &view, &colours))? {
        actions.write(picked);
    }
    Ok(())
}
