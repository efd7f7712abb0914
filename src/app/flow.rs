//! The trainee's way through the app, as Bevy states, and the one system that turns what they
//! do ([`UiAction`] messages, from the screens or from automation) into engine calls, records
//! and state changes. Screens only draw and report; no scoring happens outside the core.

use std::collections::BTreeMap;
use std::sync::Arc;

use bevy::prelude::*;
use mentorsim_records::attempt::{Recorded, RecordedAttempt, StartError};
use mentorsim_records::store::{Progress, Store, StoreError, Trainee, new_trainee_id};
use mentorsim_script::engine::{AttemptResult, ChoiceSummary, Mode, PlayError, Rehearsal, Session};

use super::program::InspectedTrainee;
use mentorsim_script::scenario::Scenario;

use super::content::Content;
use super::records::{Notice, Records};
use super::trainer::TrainerSelection;

/// Where the trainee is.
#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Screen {
    /// Waiting for the library's first load.
    #[default]
    Loading,
    /// Pick or create a trainee profile.
    SignIn,
    /// The modules and their scenarios.
    Library,
    /// One scenario: persona, objectives, mode.
    Briefing,
    /// Playing.
    Conversation,
    /// The result of an attempt.
    Debrief,
    /// For coordinators: every trainee's readiness, attempts and growth.
    Program,
    /// For trainers: every file's findings, a scenario's graph, analysis and pick rates.
    Trainer,
}

/// Everything a trainee can do, whichever way it was asked for (mouse, keys, automation).
#[derive(Message, Debug, Clone, PartialEq)]
pub enum UiAction {
    /// Continue as this existing trainee.
    SignIn(String),
    /// Create a profile and continue as it; an empty id is generated.
    CreateProfile {
        /// Display name.
        name: String,
        /// Program id, or empty.
        id: String,
    },
    /// Back to the profile list.
    SwitchProfile,
    /// Open a scenario's briefing.
    OpenScenario(String),
    /// Leave for the library (an unfinished attempt stays resumable); from a rehearsal, back to
    /// trainer mode.
    BackToLibrary,
    /// Start a new attempt of the briefed scenario.
    Start(Mode),
    /// Resume the briefed scenario's unfinished attempt.
    Resume,
    /// Pick the offered choice at this 1-based position.
    Choose(usize),
    /// Move on: past a line without choices, or past the feedback on a choice.
    Continue,
    /// Keep this reflection with the attempt.
    SaveReflection(String),
    /// Open the coordinators' program view.
    OpenProgram,
    /// Show this trainee's details in the program view.
    InspectTrainee(String),
    /// Leave the program view.
    CloseProgram,
    /// Open trainer mode.
    OpenTrainer,
    /// Show this scenario (by id) in trainer mode.
    TrainerScenario(String),
    /// Preview this node (by id) of the scenario shown in trainer mode.
    TrainerNode(String),
    /// Play the scenario shown in trainer mode from a node with chosen values, unrecorded.
    Rehearse {
        /// Node id and variable values.
        from: Rehearsal,
        /// Feedback at once, or in the debrief.
        mode: Mode,
    },
    /// Leave trainer mode.
    CloseTrainer,
}

/// The signed-in trainee.
#[derive(Resource, Debug, Clone)]
pub struct SignedIn(pub Trainee);

/// The scenario being briefed.
#[derive(Resource, Debug, Clone)]
pub struct Briefing {
    /// The scenario, as checked when the briefing opened.
    pub scenario: Arc<Scenario>,
    /// This trainee's unfinished attempt of it, if any.
    pub open_attempt: Option<String>,
}

/// A conversation in progress.
#[derive(Resource)]
pub struct Play {
    conversation: Conversation,
    /// Practice feedback on the last choice, shown until the trainee moves on.
    pub feedback: Option<ChoiceSummary>,
}

/// A trainee's attempt, committed to the records move by move, or a trainer's rehearsal,
/// which is never recorded.
enum Conversation {
    Recorded(RecordedAttempt),
    Rehearsal(Session),
}

impl Play {
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

    fn choose(
        &mut self,
        store: &Store,
        position: usize,
    ) -> Result<Recorded<Option<ChoiceSummary>>, PlayError> {
        match &mut self.conversation {
            Conversation::Recorded(attempt) => attempt.choose(store, position),
            Conversation::Rehearsal(session) => session.choose(position).map(unrecorded),
        }
    }

    fn advance(&mut self, store: &Store) -> Result<Recorded<()>, PlayError> {
        match &mut self.conversation {
            Conversation::Recorded(attempt) => attempt.advance(store),
            Conversation::Rehearsal(session) => session.advance().map(unrecorded),
        }
    }

    /// The result at the ending, with a recorded attempt closed.
    fn finish(&self, store: &Store) -> Option<Recorded<AttemptResult>> {
        match &self.conversation {
            Conversation::Recorded(attempt) => attempt.finish(store),
            Conversation::Rehearsal(session) => session.result().map(unrecorded),
        }
    }

    /// Practice feedback was read: the next line is on show from now.
    fn line_shown(&mut self) {
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

/// A finished attempt.
#[derive(Resource, Debug, Clone)]
pub struct Debrief {
    /// The scenario played.
    pub scenario: Arc<Scenario>,
    /// Its record; `None` for a trainer's rehearsal.
    pub attempt: Option<String>,
    /// The result.
    pub result: AttemptResult,
    /// The reflection as last saved.
    pub reflection: String,
}

/// The profiles on this computer, read when the sign-in screen opens.
#[derive(Resource, Debug, Default)]
pub struct Profiles(pub Vec<Trainee>);

/// The signed-in trainee's standing per scenario id, read when the library opens (not per frame).
#[derive(Resource, Debug, Default)]
pub struct Standing(pub BTreeMap<String, Progress>);

/// A fixed seed for every attempt (automation, screenshots); random otherwise.
#[derive(Resource, Debug, Clone, Copy, Default)]
pub struct SeedOverride(pub Option<u64>);

/// Where [`UiAction`]s take effect; automation writes its actions before it.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub struct ApplyActions;

/// States, actions and their effects.
pub struct FlowPlugin;

impl Plugin for FlowPlugin {
    fn build(&self, app: &mut App) {
        app.init_state::<Screen>()
            .add_message::<UiAction>()
            .init_resource::<Notice>()
            .init_resource::<SeedOverride>()
            .init_resource::<Profiles>()
            .init_resource::<Standing>()
            .add_systems(OnEnter(Screen::SignIn), read_profiles)
            .add_systems(OnEnter(Screen::Library), read_standing)
            .add_systems(OnExit(Screen::Conversation), end_play)
            .add_systems(
                Update,
                (
                    leave_loading.run_if(in_state(Screen::Loading)),
                    apply_actions,
                )
                    .chain()
                    .in_set(ApplyActions),
            );
    }
}

/// The conversation lives as long as its screen: until the screen changes, the frame in
/// between still shows it (not an empty screen).
fn end_play(mut commands: Commands) {
    commands.remove_resource::<Play>();
}

fn read_profiles(
    records: Res<Records>,
    mut profiles: ResMut<Profiles>,
    mut notice: ResMut<Notice>,
) {
    match records.store().trainees() {
        Ok(trainees) => profiles.0 = trainees,
        Err(error) => notice.store_failed("Could not read the profiles", &error),
    }
}

fn read_standing(
    records: Res<Records>,
    signed_in: Option<Res<SignedIn>>,
    mut standing: ResMut<Standing>,
    mut notice: ResMut<Notice>,
) {
    let Some(SignedIn(trainee)) = signed_in.as_deref() else {
        return;
    };
    match records.store().progress(&trainee.id) {
        Ok(progress) => standing.0 = progress,
        Err(error) => notice.store_failed("Could not read your progress", &error),
    }
}

fn leave_loading(content: Res<Content>, mut next: ResMut<NextState<Screen>>) {
    if content.is_loaded() {
        next.set(Screen::SignIn);
    }
}

/// Everything [`apply_actions`] may touch, bundled so the system stays readable.
#[derive(bevy::ecs::system::SystemParam)]
struct Flow<'w, 's> {
    commands: Commands<'w, 's>,
    next: ResMut<'w, NextState<Screen>>,
    records: Res<'w, Records>,
    notice: ResMut<'w, Notice>,
    content: Res<'w, Content>,
    seed: Res<'w, SeedOverride>,
    signed_in: Option<Res<'w, SignedIn>>,
    briefing: Option<Res<'w, Briefing>>,
    play: Option<ResMut<'w, Play>>,
    debrief: Option<ResMut<'w, Debrief>>,
    trainer: Option<ResMut<'w, TrainerSelection>>,
}

fn apply_actions(mut actions: MessageReader<UiAction>, mut flow: Flow) {
    // One action per frame: each one changes what the next one would mean.
    let Some(action) = actions.read().next().cloned() else {
        return;
    };
    actions.clear();
    match action {
        UiAction::SignIn(id) => flow.sign_in(&id),
        UiAction::CreateProfile { name, id } => flow.create_profile(&name, &id),
        UiAction::SwitchProfile => {
            flow.commands.remove_resource::<SignedIn>();
            flow.next.set(Screen::SignIn);
        }
        UiAction::OpenScenario(id) => flow.open_scenario(&id),
        UiAction::BackToLibrary => flow.back(),
        UiAction::Start(mode) => flow.start(mode),
        UiAction::Resume => flow.resume(),
        UiAction::Choose(position) => flow.choose(position),
        UiAction::Continue => flow.advance(),
        UiAction::SaveReflection(text) => flow.save_reflection(text),
        UiAction::OpenProgram => flow.next.set(Screen::Program),
        UiAction::InspectTrainee(id) => flow.commands.insert_resource(InspectedTrainee(Some(id))),
        UiAction::CloseProgram => {
            flow.commands.insert_resource(InspectedTrainee(None));
            flow.leave_tool();
        }
        UiAction::OpenTrainer => flow.next.set(Screen::Trainer),
        UiAction::TrainerScenario(id) => {
            if let Some(selection) = flow.trainer.as_mut() {
                selection.scenario = Some(id);
                selection.node = None;
            }
        }
        UiAction::TrainerNode(id) => {
            if let Some(selection) = flow.trainer.as_mut() {
                selection.node = Some(id);
            }
        }
        UiAction::Rehearse { from, mode } => flow.rehearse(from, mode),
        UiAction::CloseTrainer => flow.leave_tool(),
    }
}

impl Flow<'_, '_> {
    /// Out of a conversation or debrief: to the library, or from a rehearsal to trainer mode.
    fn back(&mut self) {
        let rehearsing = self
            .play
            .as_deref()
            .is_some_and(|p| p.attempt_id().is_none())
            || self.debrief.as_deref().is_some_and(|d| d.attempt.is_none());
        self.commands.remove_resource::<Debrief>();
        self.next.set(if rehearsing {
            Screen::Trainer
        } else {
            Screen::Library
        });
    }

    /// Back from the program view or trainer mode to where a trainee would be.
    fn leave_tool(&mut self) {
        self.next.set(if self.signed_in.is_some() {
            Screen::Library
        } else {
            Screen::SignIn
        });
    }

    fn sign_in(&mut self, id: &str) {
        let found = self.records.store().trainee(id);
        match found {
            Ok(trainee) => {
                self.commands.insert_resource(SignedIn(trainee));
                self.next.set(Screen::Library);
            }
            Err(error) => self.notice.store_failed("Could not sign in", &error),
        }
    }

    fn create_profile(&mut self, name: &str, id: &str) {
        // A blank id field means "make one up"; any other id is taken exactly as typed, and the
        // store refuses one with stray spaces or invisible characters, saying why.
        let id = if id.trim().is_empty() {
            new_trainee_id()
        } else {
            id.to_owned()
        };
        let saved = self.records.store().save_trainee(&id, name);
        match saved {
            Ok(trainee) => {
                self.commands.insert_resource(SignedIn(trainee));
                self.next.set(Screen::Library);
            }
            Err(error) => self
                .notice
                .store_failed("Could not create the profile", &error),
        }
    }

    fn open_scenario(&mut self, id: &str) {
        let Some(scenario) = self.content.library.scenario(id).cloned() else {
            self.notice.0 = Some(format!(
                "`{id}` cannot be played: it has errors (see the list at the end of the library)"
            ));
            return;
        };
        let Some(SignedIn(trainee)) = self.signed_in.as_deref() else {
            self.next.set(Screen::SignIn);
            return;
        };
        let open_attempt = match self.records.store().open_attempts(&trainee.id) {
            Ok(open) => open
                .into_iter()
                .find(|a| a.scenario == scenario.id)
                .map(|a| a.id),
            Err(error) => {
                self.notice
                    .store_failed("Could not read your unfinished attempts", &error);
                None
            }
        };
        self.commands.insert_resource(Briefing {
            scenario,
            open_attempt,
        });
        self.next.set(Screen::Briefing);
    }

    fn start(&mut self, mode: Mode) {
        let (Some(briefing), Some(SignedIn(trainee))) =
            (self.briefing.as_deref(), self.signed_in.as_deref())
        else {
            return;
        };
        let seed = self.seed.0.unwrap_or_else(rand::random);
        let started = RecordedAttempt::start(
            &self.records.store(),
            &trainee.id,
            &briefing.scenario,
            seed,
            mode,
        );
        match started {
            Ok(attempt) => self.enter_conversation(Conversation::Recorded(attempt)),
            Err(StartError::Play(error)) => {
                self.notice.0 = Some(format!("This scenario cannot start: {error}"));
            }
            Err(StartError::Records(error)) => self
                .notice
                .store_failed("Could not start a record for this attempt", &error),
        }
    }

    fn resume(&mut self) {
        let Some(Briefing {
            scenario,
            open_attempt: Some(attempt_id),
        }) = self.briefing.as_deref().cloned()
        else {
            return;
        };
        let resumed = {
            let store = self.records.store();
            let attempt = match store.attempt(&attempt_id) {
                Ok(attempt) => attempt,
                Err(error) => {
                    drop(store);
                    self.notice
                        .store_failed("Could not read the attempt", &error);
                    return;
                }
            };
            // The attempt continues on the exact texts it started on, never on an edited file.
            RecordedAttempt::resume(&store, &attempt, &scenario)
        };
        match resumed {
            Ok(attempt) => {
                let played = attempt.session().scenario();
                if played.sha256 != scenario.sha256 {
                    self.notice.0 = Some(format!(
                        "This scenario was updated since you started; your attempt continues on the version you started (v{}). A new attempt uses the current one.",
                        played.version
                    ));
                }
                self.enter_conversation(Conversation::Recorded(attempt));
            }
            Err(error) => {
                self.notice.0 = Some(format!(
                    "Your unfinished attempt cannot continue on the version it started on ({error}). Start a new one."
                ));
            }
        }
    }

    /// A trainer's rehearsal of the scenario shown in trainer mode; nothing is recorded.
    fn rehearse(&mut self, from: Rehearsal, mode: Mode) {
        let Some(scenario) = self
            .trainer
            .as_deref()
            .and_then(|t| t.scenario.as_deref())
            .and_then(|id| self.content.library.scenario(id))
            .cloned()
        else {
            self.notice.0 = Some("This scenario has errors: fix them to rehearse it.".into());
            return;
        };
        let seed = self.seed.0.unwrap_or_else(rand::random);
        match Session::rehearse(scenario, from, seed, mode) {
            Ok(session) => self.enter_conversation(Conversation::Rehearsal(session)),
            Err(error) => self.notice.0 = Some(format!("Cannot play from there: {error}")),
        }
    }

    fn enter_conversation(&mut self, conversation: Conversation) {
        self.commands.insert_resource(Play {
            conversation,
            feedback: None,
        });
        self.next.set(Screen::Conversation);
    }

    fn choose(&mut self, position: usize) {
        let Some(play) = self.play.as_deref_mut() else {
            return;
        };
        if play.feedback.is_some() {
            return;
        }
        let moved = play.choose(&self.records.store(), position);
        match moved {
            Ok(Recorded { outcome, saved }) => {
                play.feedback = outcome;
                self.saved(saved);
                self.finish_if_ended();
            }
            // A key for a choice that is not there: nothing to do.
            Err(error) => debug!("{error}"),
        }
    }

    fn advance(&mut self) {
        let Some(play) = self.play.as_deref_mut() else {
            return;
        };
        if play.feedback.take().is_some() {
            play.line_shown();
            self.finish_if_ended();
            return;
        }
        // A key press at a decision or after the ending: nothing to do.
        let moved = play.advance(&self.records.store());
        if let Ok(moved) = moved {
            self.saved(moved.saved);
            self.finish_if_ended();
        }
    }

    /// A write that failed is shown, never fatal: the conversation goes on.
    fn saved(&mut self, saved: Result<(), StoreError>) {
        if let Err(error) = saved {
            self.notice
                .store_failed("Your progress could not be saved", &error);
        }
    }

    /// At an ending, once any practice feedback has been read: record and show the debrief.
    fn finish_if_ended(&mut self) {
        let Some(play) = self.play.as_deref() else {
            return;
        };
        if play.feedback.is_some() {
            return;
        }
        let Some(Recorded { outcome, saved }) = play.finish(&self.records.store()) else {
            return;
        };
        if let Err(error) = saved {
            self.notice
                .store_failed("The result could not be saved", &error);
        }
        self.commands.insert_resource(Debrief {
            scenario: Arc::clone(play.session().scenario()),
            attempt: play.attempt_id().map(str::to_owned),
            result: outcome,
            reflection: String::new(),
        });
        self.next.set(Screen::Debrief);
    }

    fn save_reflection(&mut self, text: String) {
        let Some(debrief) = self.debrief.as_deref_mut() else {
            return;
        };
        let Some(attempt) = &debrief.attempt else {
            return;
        };
        match self.records.store().save_reflection(attempt, &text) {
            Ok(()) => debrief.reflection = text,
            Err(error) => self
                .notice
                .store_failed("Your reflection could not be saved", &error),
        }
    }
}
