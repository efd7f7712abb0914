//! The debrief of a finished conversation: the verdict and its reasons, each competency, every
//! decision, and a reflection kept with the attempt. From here the trainee tries again or goes
//! back; a trainer rehearses again or returns to trainer mode.

pub mod view;

use std::sync::Arc;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use mentorsim_script::engine::AttemptResult;
use mentorsim_script::scenario::Scenario;

use super::briefing::OpenBriefing;
use super::conversation::{AttemptEnded, BeginConversation};
use super::{Act, Navigate, Screen, first_only};
use crate::app::content::ProgramPolicy;
use crate::app::records::{Notice, Records};
use crate::app::ui::theme::Palette;
use crate::app::ui::{ScreenArea, UiSystems, draw_screen};

/// What the trainee did on the debrief.
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub enum DebriefAction {
    /// Keep this reflection with the attempt.
    SaveReflection(String),
    /// Try the scenario again (its briefing), or rehearse again from the same place.
    Again,
    /// Back to the library, or from a rehearsal to trainer mode.
    Leave,
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
    /// Whether the decisions show the stronger reply (the program's policy may keep them for
    /// after a passed assessment).
    pub show_best: bool,
}

/// The debrief and the reflection.
pub(super) struct DebriefPlugin;

impl Plugin for DebriefPlugin {
    fn build(&self, app: &mut App) {
        app.add_message::<DebriefAction>()
            .add_systems(Update, show_ended.in_set(Act::Enter))
            .add_systems(
                Update,
                apply.run_if(in_state(Screen::Debrief)).in_set(Act::Within),
            )
            .add_systems(OnExit(Screen::Debrief), forget)
            .add_systems(
                EguiPrimaryContextPass,
                draw.run_if(in_state(Screen::Debrief))
                    .in_set(UiSystems::Screen),
            );
    }
}

fn show_ended(
    mut ended: MessageReader<AttemptEnded>,
    policy: Res<ProgramPolicy>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) {
    let Some(AttemptEnded {
        scenario,
        attempt,
        result,
    }) = first_only(&mut ended)
    else {
        return;
    };
    let show_best = policy
        .for_play()
        .map_or(true, |policy| policy.shows_best_options(&result));
    commands.insert_resource(Debrief {
        scenario,
        attempt,
        result,
        reflection: String::new(),
        show_best,
    });
    next.set(Screen::Debrief);
}

fn forget(mut commands: Commands) {
    commands.remove_resource::<Debrief>();
}

fn apply(
    mut actions: MessageReader<DebriefAction>,
    debrief: Option<ResMut<Debrief>>,
    records: Res<Records>,
    mut notice: ResMut<Notice>,
    mut briefing: MessageWriter<OpenBriefing>,
    mut rehearse: MessageWriter<BeginConversation>,
    mut navigate: MessageWriter<Navigate>,
) {
    let (Some(action), Some(mut debrief)) = (first_only(&mut actions), debrief) else {
        return;
    };
    let rehearsal = debrief.result.rehearsal.clone();
    match action {
        DebriefAction::SaveReflection(text) => {
            let Some(attempt) = &debrief.attempt else {
                return;
            };
            match records.store().save_reflection(attempt, &text) {
                Ok(()) => debrief.reflection = text,
                Err(error) => notice.store_failed("Your reflection could not be saved", &error),
            }
        }
        DebriefAction::Again => match rehearsal {
            Some(from) => {
                rehearse.write(BeginConversation::Rehearse {
                    scenario: debrief.scenario.id.clone(),
                    from,
                    mode: debrief.result.mode,
                });
            }
            None => {
                briefing.write(OpenBriefing(debrief.scenario.id.clone()));
            }
        },
        DebriefAction::Leave => {
            navigate.write(Navigate(if rehearsal.is_some() {
                Screen::Trainer
            } else {
                Screen::Library
            }));
        }
    }
}

/// The reflection being typed, and the attempt it belongs to.
#[derive(Default)]
struct ReflectionDraft {
    text: String,
    attempt: Option<String>,
}

fn draw(
    mut contexts: EguiContexts,
    area: Res<ScreenArea>,
    colours: Res<Palette>,
    debrief: Option<Res<Debrief>>,
    mut draft: Local<ReflectionDraft>,
    mut actions: MessageWriter<DebriefAction>,
) -> Result {
    let Some(debrief) = debrief else {
        return Ok(());
    };
    if draft.attempt != debrief.attempt {
        draft.attempt.clone_from(&debrief.attempt);
        draft.text.clone_from(&debrief.reflection);
    }
    if let Some(picked) = draw_screen(&mut contexts, &area, |ui| {
        view::show(
            ui,
            &debrief.scenario,
            &debrief.result,
            debrief.show_best,
            &mut draft.text,
            &debrief.reflection,
            &colours,
        )
    })? {
        actions.write(picked);
    }
    Ok(())
}
