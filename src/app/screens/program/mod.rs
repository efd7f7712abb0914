//! The coordinators' program view: every trainee's readiness under the program policy, and for
//! one trainee their attempts and growth. Read from the records when the view opens or a
//! trainee is picked, never per frame; the judging is the core's, as in `mentorsim readiness`.

pub mod from_lrs;
pub mod view;

use std::collections::BTreeMap;

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use mentorsim_records::readiness::{Growth, TraineeReadiness, evaluate, growth, relevant};
use mentorsim_records::replayed::{NotCounted, replay_statements, scenario_activities};
use mentorsim_records::store::{AttemptSummary, Which};
use mentorsim_script::library::Library;
use mentorsim_script::listening::ListeningProfile;

use super::{Act, Screen, first_only};
use crate::app::content::{Content, ProgramPolicy};
use crate::app::program_sync::ProgramConnection;
use crate::app::records::Records;
use crate::app::ui::theme::Palette;
use crate::app::ui::{ScreenArea, UiSystems, draw_screen};
use from_lrs::LrsReading;

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
    /// The choice of judging from the program's LRS, when the station has a connection.
    pub lrs: Option<LrsPanel>,
}

/// What the view says about judging from the program's LRS.
#[derive(Debug, Clone, Default)]
pub struct LrsPanel {
    /// Judging from the LRS rather than this computer's records.
    pub using: bool,
    /// A read is under way.
    pub reading: bool,
    /// What the last read did, or why it failed.
    pub status: Option<Result<String, String>>,
    /// The attempts in the LRS that do not count, with the reasons.
    pub not_counted: Vec<NotCounted>,
}

impl Default for ProgramView {
    fn default() -> Self {
        ProgramView {
            policy: Err("The records have not been read yet.".to_owned()),
            roster: Vec::new(),
            detail: None,
            names: BTreeMap::new(),
            lrs: None,
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
    /// Judge from the program's LRS (`true`) or from this computer's records.
    UseLrs(bool),
    /// Read the LRS again for what is new.
    ReadLrsAgain,
}

/// The trainee the coordinator picked.
#[derive(Resource, Debug, Default, Clone, PartialEq)]
pub struct InspectedTrainee(pub Option<String>);

/// Reads and judges the records for the program view.
pub(super) struct ProgramPlugin;

impl Plugin for ProgramPlugin {
    fn build(&self, app: &mut App) {
        app.add_message::<ProgramAction>()
            // Keeps frames coming while the LRS is read (a window registers it already).
            .add_message::<bevy::window::RequestRedraw>()
            .init_resource::<ProgramView>()
            .init_resource::<InspectedTrainee>()
            .init_resource::<LrsReading>()
            .add_systems(
                OnEnter(Screen::Program),
                (read_again_if_used, judge).chain(),
            )
            .add_systems(OnExit(Screen::Program), forget_inspected)
            .add_systems(
                Update,
                (
                    apply.in_set(Act::Within),
                    from_lrs::receive.after(Act::Within),
                    judge
                        .run_if(
                            resource_changed::<InspectedTrainee>
                                .or_else(resource_changed::<LrsReading>),
                        )
                        .after(Act::Enter)
                        .after(from_lrs::receive),
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

fn apply(
    mut actions: MessageReader<ProgramAction>,
    mut inspected: ResMut<InspectedTrainee>,
    mut reading: ResMut<LrsReading>,
    sources: LrsSources,
) {
    match first_only(&mut actions) {
        Some(ProgramAction::Inspect(id)) => inspected.0 = Some(id),
        Some(ProgramAction::UseLrs(using)) => {
            reading.using = using;
            if using {
                sources.read(&mut reading);
            }
        }
        Some(ProgramAction::ReadLrsAgain) => sources.read(&mut reading),
        None => {}
    }
}

/// What a read of the LRS needs: the connection, and the policy and library that say which
/// scenarios count.
#[derive(SystemParam)]
struct LrsSources<'w> {
    connection: Option<Res<'w, ProgramConnection>>,
    content: Res<'w, Content>,
    program_policy: Res<'w, ProgramPolicy>,
}

impl LrsSources<'_> {
    fn read(&self, reading: &mut LrsReading) {
        let Some(connection) = &self.connection else {
            return;
        };
        let library = &self.content.library;
        match self.program_policy.load(library) {
            Ok(loaded) => {
                let relevant = relevant(&loaded.policy, library);
                reading.start(
                    connection,
                    scenario_activities(&loaded.policy.program, &relevant),
                );
            }
            Err(_) => reading.status = Some(Err("the readiness policy cannot be used".into())),
        }
    }
}

/// Coming back to the view while judging from the LRS reads what is new since.
fn read_again_if_used(mut reading: ResMut<LrsReading>, sources: LrsSources) {
    if reading.using {
        sources.read(&mut reading);
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
    reading: Res<LrsReading>,
    connection: Option<Res<ProgramConnection>>,
    mut view: ResMut<ProgramView>,
) {
    let panel = connection.is_some().then(|| LrsPanel {
        using: reading.using,
        reading: reading.reading(),
        status: reading.status.clone(),
        not_counted: Vec::new(),
    });
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
                lrs: panel,
                ..default()
            };
            return;
        }
    };
    let store = records.store();
    let relevant = relevant(&loaded.policy, library);
    if let Some(mut panel) = panel.clone().filter(|p| p.using) {
        let replayed = reading.statements.as_deref().map(|statements| {
            replay_statements(
                &store,
                library,
                statements,
                &loaded.policy.program.home_page,
            )
        });
        let Some(replayed) = replayed else {
            *view = ProgramView {
                policy: Ok(format!("{} v{}", loaded.policy.id, loaded.policy.version)),
                lrs: Some(panel),
                ..default()
            };
            return;
        };
        let roster = evaluate(
            &loaded.policy,
            library,
            &replayed.trainees,
            &replayed.summaries,
            jiff::Timestamp::now(),
        );
        let detail = inspected.0.as_ref().and_then(|id| {
            let readiness = roster.iter().find(|t| &t.trainee == id)?.clone();
            let mut attempts: Vec<AttemptSummary> = replayed
                .summaries
                .iter()
                .filter(|a| &*a.trainee == id.as_str())
                .cloned()
                .collect();
            attempts.sort_by(|a, b| b.ended.cmp(&a.ended));
            Some(TraineeDetail {
                readiness,
                growth: growth(&attempts),
                listening: ListeningProfile::of(
                    &replayed.codes.get(id).cloned().unwrap_or_default(),
                ),
                attempts,
            })
        });
        panel.not_counted = replayed.not_counted;
        *view = ProgramView {
            policy: Ok(format!("{} v{}", loaded.policy.id, loaded.policy.version)),
            roster,
            detail,
            names: names(library),
            lrs: Some(panel),
        };
        return;
    }
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
    *view = ProgramView {
        policy: Ok(format!("{} v{}", loaded.policy.id, loaded.policy.version)),
        roster,
        detail,
        names: names(library),
        lrs: panel,
    };
}

/// Competency id -> name and scenario id -> title, for labels.
fn names(library: &Library) -> BTreeMap<String, String> {
    library
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
        .collect()
}
