//! The trainee's way through the app, one plugin per screen. Each screen owns its resources,
//! the actions its view reports (a message type of its own), the systems that carry them out,
//! and the system that draws it. A screen is entered by a message the entered screen owns (for
//! example [`briefing::OpenBriefing`]) or, when nothing needs preparing, by [`Navigate`].
//!
//! Screens only draw and report; no scoring happens outside the core.

pub mod briefing;
pub mod chrome;
pub mod conversation;
pub mod debrief;
pub mod library;
mod loading;
pub mod program;
pub mod sign_in;
pub mod trainer;

use bevy::prelude::*;

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

/// Go to a screen that needs nothing prepared (the library, sign-in, the tools).
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Navigate(pub Screen);

/// Where actions take effect, in order: first what a screen's own actions do (which may ask
/// for another screen), then the entering of screens, so an action's new screen shows on the
/// next frame. Automation writes its actions before both.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Act {
    /// A screen's own actions.
    Within,
    /// Messages that enter a screen.
    Enter,
}

/// A fixed seed for every attempt (automation, screenshots); random otherwise.
#[derive(Resource, Debug, Clone, Copy, Default)]
pub struct SeedOverride(pub Option<u64>);

/// The state, the order of actions, and every screen.
pub struct ScreensPlugin;

impl Plugin for ScreensPlugin {
    fn build(&self, app: &mut App) {
        app.init_state::<Screen>()
            .add_message::<Navigate>()
            .init_resource::<SeedOverride>()
            .configure_sets(Update, (Act::Within, Act::Enter).chain())
            .add_systems(Update, navigate.in_set(Act::Enter))
            .add_plugins((
                loading::LoadingPlugin,
                sign_in::SignInPlugin,
                library::LibraryPlugin,
                briefing::BriefingPlugin,
                conversation::ConversationPlugin,
                debrief::DebriefPlugin,
                program::ProgramPlugin,
                trainer::TrainerPlugin,
                chrome::ChromePlugin,
            ));
    }
}

fn navigate(
    mut asked: MessageReader<Navigate>,
    signed_in: Option<Res<sign_in::SignedIn>>,
    mut next: ResMut<NextState<Screen>>,
) {
    if let Some(Navigate(screen)) = first_only(&mut asked) {
        // The library is a trainee's: with nobody signed in, signing in comes first.
        next.set(if screen == Screen::Library && signed_in.is_none() {
            Screen::SignIn
        } else {
            screen
        });
    }
}

/// The first of this frame's messages, the rest dropped: each action changes what the next
/// one would mean, so one is carried out per frame.
fn first_only<M: Message + Clone>(messages: &mut MessageReader<M>) -> Option<M> {
    let first = messages.read().next().cloned();
    messages.clear();
    first
}
