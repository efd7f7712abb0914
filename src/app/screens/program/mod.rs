//! The coordinators' program view: every trainee's readiness under the program policy, and for
//! one trainee their attempts and growth. Read from the records when the view opens or a
//! trainee is picked, never per frame; the judging is the core's, as in `mentorsim readiness`.

pub mod view;

use std::collections::BTreeMap;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use mentorsim_records::readiness::{Growth, TraineeReadiness, evaluate, growth, relevant};
use mentorsim_records::store::{AttemptSummary, Which};
use mentorsim_script::listening::ListeningProfile;

use super::{Act, Screen, first_only};
use crate::app::content::{Content, ProgramPolicy};
use crate::app::records::Records;
use crate::app::ui::theme::Palette;
use crate::app::ui::{ScreenArea, UiSystems, draw_screen};

/// What the program view shows.
#[derive(Resource, Debug)]
pub struct ProgramView {
    /// "Policy id vN", or why the policy could not be used.
    pub policy: Result<String, String>,
    /// Every trainee, judged.
    pub roster: Vec<TraineeReadiness>,
    /// The trainee picked, with their attempts (newest first) and growth.
    pub detail: Option<TraineeDetail>,
    /// Competency id -> name, scenario id -> title, for labels.
    pub names: BTreeMap<String, String>,
}

impl Default for ProgramView {
    fn default() -> Self {
        ProgramView {
            policy: Err("The records have not been read yet.".to_owned()),
            roster: Vec::new(),
            detail: None,
            names: BTreeMap::new(),
        }
    }
}

/// One trainee in depth.
#[derive(Debug, Clone)]
pub struct TraineeDetail {
    /// Their readiness.
    pub readiness: TraineeReadiness,
    /// Finished attempts, newest first.
    pub attempts: Vec<AttemptSummary>,
    /// First to latest score per competency.
    pub growth: Vec<Growth>,
    /// The listening chosen across all their finished attempts (those whose result reads).
    pub listening: ListeningProfile,
}

/// What the coordinator did in the program view.
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub enum ProgramAction {
    /// Show this trainee's details.
    Inspect(String),
}

/// The trainee the coordinator picked.
#[derive(Resource, Debug, Default, Clone, PartialEq)]
pub struct InspectedTrainee(pub Option<String>);

/// Reads and judges the records for the program view.
pub(super) struct ProgramPlugin;

impl Plugin for ProgramPlugin {
    fn build(&self, app: &mut App) {
        app.add_message::<ProgramAction>()
            .init_resource::<ProgramView>()
            .init_resource::<InspectedTrainee>()
            .add_systems(OnEnter(Screen::Program), judge)
            .add_systems(OnExit(Screen::Program), forget_inspected)
            .add_systems(
                Update,
                (
                    apply.in_set(Act::Within),
                    judge
                        .run_if(resource_changed::<InspectedTrainee>)
                        .after(Act::Enter),
                )
                    .run_if(in_state(Screen::Program)),
            )
            .add_systems(
                EguiPrimaryContextPass,
                draw.run_if(in_state(Screen::Program))
                    .in_set(UiSystems::Screen),
            );
    }
}

fn apply(mut actions: MessageReader<ProgramAction>, mut inspected: ResMut<InspectedTrainee>) {
    if let Some(ProgramAction::Inspect(id)) = first_only(&mut actions) {
        inspected.0 = Some(id);
    }
}

fn forget_inspected(mut inspected: ResMut<InspectedTrainee>) {
    inspected.set_if_neq(InspectedTrainee(None));
}

fn draw(
    mut contexts: EguiContexts,
    area: Res<ScreenArea>,
    colours: Res<Palette>,
    view: Res<ProgramView>,
    mut actions: MessageWriter<ProgramAction>,
) -> Result {
    if let Some(picked) = draw_screen(&mut contexts, &area, |ui| view::show(ui, &view, &colours))? {
        actions.write(picked);
    }
    Ok(())
}

fn judge(
    records: Res<Records>,
    content: Res<Content>,
    program_policy: Res<ProgramPolicy>,
    inspected: Res<InspectedTrainee>,
    mut view: ResMut<ProgramView>,
) {
    let library = &content.library;
    let loaded = match program_policy.load(library) {
        Ok(loaded) => loaded,
        Err(found) => {
            *view = ProgramView {
                policy: Err(found
                    .iter()
                    .map(|d| format!("{}: {}", d.location(), d.message))
                    .collect::<Vec<_>>()
                    .join("\n")),
                ..default()
            };
            return;
        }
    };
    let store = records.store();
    let relevant = relevant(&loaded.policy, library);
    let read = store.trainees().and_then(|trainees| {
        let summaries = store.summaries(Which::Relevant(&relevant))?;
        let inspected = match &inspected.0 {
            Some(id) => Some((id, store.summaries(Which::Trainee(id))?)),
            None => None,
        };
        Ok((trainees, summaries, inspected))
    });
    let (trainees, summaries, inspected) = match read {
        Ok(read) => read,
        Err(error) => {
            view.policy = Err(format!("The records could not be read: {error}"));
            return;
        }
    };
    let roster = evaluate(
        &loaded.policy,
        library,
        &trainees,
        &summaries,
        jiff::Timestamp::now(),
    );
    let detail = inspected.and_then(|(id, mut attempts)| {
        let readiness = roster.iter().find(|t| &t.trainee == id)?.clone();
        attempts.sort_by(|a, b| b.ended.cmp(&a.ended));
        let mut codes = BTreeMap::new();
        for result in attempts
            .iter()
            .filter_map(|a| store.result(&a.id).ok().flatten())
        {
            for (code, count) in result.codes {
                *codes.entry(code).or_insert(0) += count;
            }
        }
        Some(TraineeDetail {
            readiness,
            growth: growth(&attempts),
            listening: ListeningProfile::of(&codes),
            attempts,
        })
    });
    let names = library
        .rubrics
        .iter()
        .flat_map(|r| &r.competencies)
        .map(|c| (c.id.clone(), c.name.clone()))
        .chain(
            library
                .scenarios
                .iter()
                .filter_map(|e| e.meta.as_ref())
                .map(|m| (m.id.clone(), m.title.clone())),
        )
        .collect();
    *view = ProgramView {
        policy: Ok(format!("{} v{}", loaded.policy.id, loaded.policy.version)),
        roster,
        detail,
        names,
    };
}
