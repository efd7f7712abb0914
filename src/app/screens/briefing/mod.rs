//! The briefing: one scenario's persona, objectives and content notes, and the choice between
//! practice and assessment, or resuming the trainee's unfinished attempt.

pub mod view;

use std::sync::Arc;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use mentorsim_records::retakes::{next_form, practice_refused};
use mentorsim_records::store::Which;
use mentorsim_script::engine::Mode;
use mentorsim_script::library::Library;
use mentorsim_script::model::ScenarioKind;
use mentorsim_script::scenario::Scenario;

use super::conversation::BeginConversation;
use super::sign_in::SignedIn;
use super::{Act, Navigate, Screen, first_only};
use crate::app::content::{Content, ProgramPolicy};
use crate::app::records::{Notice, Records};
use crate::app::ui::theme::Palette;
use crate::app::ui::{ScreenArea, UiSystems, draw_screen};

/// Open the briefing of this scenario (by id).
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub struct OpenBriefing(pub String);

/// What the trainee did on the briefing.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub enum BriefingAction {
    /// Start a new attempt in this mode.
    Start(Mode),
    /// Resume the unfinished attempt.
    Resume,
    /// Back to the library.
    Back,
}

/// The scenario being briefed.
#[derive(Resource, Debug, Clone)]
pub struct Briefing {
    /// The scenario, as checked when the briefing opened.
    pub scenario: Arc<Scenario>,
    /// This trainee's unfinished attempt of it, if any.
    pub open_attempt: Option<String>,
    /// For an assessment form that would not count now under the program's retake rule: why,
    /// and which form would.
    pub would_not_count: Option<String>,
    /// For an assessment form: why it has no practice mode, and what to practise instead.
    pub practice_refused: Option<String>,
}

/// Opening briefings and what is chosen on them.
pub(super) struct BriefingPlugin;

impl Plugin for BriefingPlugin {
    fn build(&self, app: &mut App) {
        app.add_message::<OpenBriefing>()
            .add_message::<BriefingAction>()
            .add_systems(Update, open.in_set(Act::Enter))
            .add_systems(
                Update,
                apply.run_if(in_state(Screen::Briefing)).in_set(Act::Within),
            )
            .add_systems(
                EguiPrimaryContextPass,
                draw.run_if(in_state(Screen::Briefing))
                    .in_set(UiSystems::Screen),
            );
    }
}

fn open(
    mut asked: MessageReader<OpenBriefing>,
    mut commands: Commands,
    content: Res<Content>,
    policy: Res<ProgramPolicy>,
    records: Res<Records>,
    signed_in: Option<Res<SignedIn>>,
    mut notice: ResMut<Notice>,
    mut next: ResMut<NextState<Screen>>,
) {
    let Some(OpenBriefing(id)) = first_only(&mut asked) else {
        return;
    };
    let Some(scenario) = content.library.scenario(&id).cloned() else {
        notice.0 = Some(format!(
            "`{id}` cannot be played: it has errors (see the list at the end of the library)"
        ));
        return;
    };
    let Some(SignedIn(trainee)) = signed_in.as_deref() else {
        next.set(Screen::SignIn);
        return;
    };
    let open_attempt = match records.store().open_attempts(&trainee.id) {
        Ok(open) => open
            .into_iter()
            .find(|a| a.scenario == scenario.id)
            .map(|a| a.id),
        Err(error) => {
            notice.store_failed("Could not read your unfinished attempts", &error);
            None
        }
    };
    let would_not_count = (scenario.kind == ScenarioKind::Assessment)
        .then(|| would_not_count(&scenario, &content.library, &policy, &records, &trainee.id))
        .flatten();
    let practice_refused = practice_refused(&content.library, &scenario);
    commands.insert_resource(Briefing {
        scenario,
        open_attempt,
        would_not_count,
        practice_refused,
    });
    next.set(Screen::Briefing);
}

/// Why an assessment attempt at `scenario` would not count now, naming the form that would.
fn would_not_count(
    scenario: &Scenario,
    library: &Library,
    policy: &ProgramPolicy,
    records: &Records,
    trainee: &str,
) -> Option<String> {
    let policy = policy.for_play().ok()?;
    let history = records.store().summaries(Which::Trainee(trainee)).ok()?;
    let next = next_form(
        &policy,
        library,
        &scenario.topic,
        &history,
        jiff::Timestamp::now(),
    );
    if next.form.as_deref() == Some(scenario.id.as_str()) {
        return None;
    }
    Some(
        match next.form.as_deref().and_then(|id| library.scenario(id)) {
            Some(form) => format!(
                "In assessment mode this attempt would not count toward readiness now: the form that would is \u{201c}{}\u{201d} ({}).",
                form.title, next.why
            ),
            None => format!(
                "In assessment mode this attempt would not count toward readiness now: {}.",
                next.why
            ),
        },
    )
}

fn apply(
    mut actions: MessageReader<BriefingAction>,
    briefing: Option<Res<Briefing>>,
    mut begin: MessageWriter<BeginConversation>,
    mut navigate: MessageWriter<Navigate>,
) {
    let (Some(action), Some(briefing)) = (first_only(&mut actions), briefing) else {
        return;
    };
    let scenario = Arc::clone(&briefing.scenario);
    match action {
        BriefingAction::Start(Mode::Practice) if briefing.practice_refused.is_some() => {}
        BriefingAction::Start(mode) => {
            begin.write(BeginConversation::Start { scenario, mode });
        }
        BriefingAction::Resume => {
            if let Some(attempt) = briefing.open_attempt.clone() {
                begin.write(BeginConversation::Resume { scenario, attempt });
            }
        }
        BriefingAction::Back => {
            navigate.write(Navigate(Screen::Library));
        }
    }
}

fn draw(
    mut contexts: EguiContexts,
    area: Res<ScreenArea>,
    colours: Res<Palette>,
    briefing: Option<Res<Briefing>>,
    mut actions: MessageWriter<BriefingAction>,
) -> Result {
    let Some(briefing) = briefing else {
        return Ok(());
    };
    let can_resume = briefing.open_attempt.is_some();
    if let Some(picked) = draw_screen(&mut contexts, &area, |ui| {
        view::show(
            ui,
            &briefing.scenario,
            can_resume,
            briefing.would_not_count.as_deref(),
            briefing.practice_refused.as_deref(),
            &colours,
        )
    })? {
        actions.write(picked);
    }
    Ok(())
}
