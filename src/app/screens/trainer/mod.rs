//! Trainer mode: every scenario file with its findings, kept current as files are saved (the
//! content plugin reloads them), and one scenario's graph beside its score analysis, with how
//! often trainees took each option and the critical errors they made (from the records), and
//! the values a rehearsal from the selected node can start with.

mod analysis_view;
pub mod view;

use std::collections::BTreeMap;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use mentorsim_records::analytics::{ScenarioAnalytics, analyse};
use mentorsim_script::analysis::{Stats, values_at};
use mentorsim_script::engine::{Mode, Rehearsal};
use mentorsim_script::graph::Graph;
use mentorsim_script::scenario::{Scenario, VariableDef};

use super::conversation::BeginConversation;
use super::{Act, Screen, first_only};
use crate::app::content::Content;
use crate::app::records::Records;
use crate::app::ui::graph_canvas::GraphScene;
use crate::app::ui::theme::Palette;
use crate::app::ui::{ScreenArea, UiSystems, draw_screen};
use view::{RehearsalDraft, TrainerScreen};

/// What the trainer did in trainer mode.
#[derive(Message, Debug, Clone, PartialEq)]
pub enum TrainerAction {
    /// Show this scenario (by id).
    Scenario(String),
    /// Preview this node (by id) of the scenario shown.
    Node(String),
    /// Play the scenario shown from a node with chosen values, unrecorded.
    Rehearse {
        /// Node id and variable values.
        from: Rehearsal,
        /// Feedback at once, or in the debrief.
        mode: Mode,
    },
}

/// Keeps [`TrainerView`] in step with the selection and the files.
pub(super) struct TrainerPlugin;

impl Plugin for TrainerPlugin {
    fn build(&self, app: &mut App) {
        app.add_message::<TrainerAction>()
            .init_resource::<TrainerSelection>()
            .init_resource::<TrainerView>()
            .add_systems(OnEnter(Screen::Trainer), rebuild)
            .add_systems(
                Update,
                (
                    apply.in_set(Act::Within),
                    rebuild
                        .run_if(
                            resource_changed::<Content>
                                .or_else(resource_changed::<TrainerSelection>),
                        )
                        // A new selection shows in the same frame.
                        .after(Act::Enter),
                )
                    .run_if(in_state(Screen::Trainer)),
            )
            .add_systems(
                EguiPrimaryContextPass,
                draw.run_if(in_state(Screen::Trainer))
                    .in_set(UiSystems::Screen),
            );
    }
}

/// What the trainer picked: a scenario by id, and a node of it to preview.
#[derive(Resource, Debug, Default, Clone, PartialEq)]
pub struct TrainerSelection {
    /// Scenario id (the first scenario file when none is picked yet).
    pub scenario: Option<String>,
    /// Node id.
    pub node: Option<String>,
}

/// The selected scenario as the trainer sees it.
#[derive(Resource, Debug, Default)]
pub struct TrainerView {
    /// The selected scenario's id, file and title, even when it has errors.
    pub scenario: Option<(String, String, String)>,
    /// Its graph with pick rates, when it has no errors.
    pub graph: Option<Graph>,
    /// Its score analysis.
    pub stats: Option<Stats>,
    /// Pick rates per decision and the most common critical errors.
    pub analytics: Option<ScenarioAnalytics>,
    /// Why the analytics are missing, if they are.
    pub records_error: Option<String>,
    /// Its mentee variables, to choose a rehearsal's values.
    pub variables: Vec<VariableDef>,
    /// The values play can reach at the selected node, first met first.
    pub reachable: Vec<BTreeMap<String, i32>>,
}

fn apply(
    mut actions: MessageReader<TrainerAction>,
    mut selection: ResMut<TrainerSelection>,
    mut rehearse: MessageWriter<BeginConversation>,
) {
    match first_only(&mut actions) {
        Some(TrainerAction::Scenario(id)) => {
            selection.scenario = Some(id);
            selection.node = None;
        }
        Some(TrainerAction::Node(id)) => selection.node = Some(id),
        Some(TrainerAction::Rehearse { from, mode }) => {
            if let Some(scenario) = selection.scenario.clone() {
                rehearse.write(BeginConversation::Rehearse {
                    scenario,
                    from,
                    mode,
                });
            }
        }
        None => {}
    }
}

/// What trainer mode keeps between frames while it is drawn.
#[derive(Default)]
struct Drafts {
    scene: GraphScene,
    rehearsal: RehearsalDraft,
}

fn draw(
    mut contexts: EguiContexts,
    area: Res<ScreenArea>,
    colours: Res<Palette>,
    content: Res<Content>,
    view: Res<TrainerView>,
    selection: Res<TrainerSelection>,
    mut drafts: Local<Drafts>,
    mut actions: MessageWriter<TrainerAction>,
) -> Result {
    let Drafts { scene, rehearsal } = &mut *drafts;
    let focus = scene.follow(selection.scenario.as_deref(), selection.node.as_deref());
    let screen = TrainerScreen {
        library: &content.library,
        view: &view,
        selection: &selection,
        source: content.source.describe(),
        watched: content.source.is_watched(),
    };
    if let Some(picked) = draw_screen(&mut contexts, &area, |ui| {
        view::show(ui, &screen, &mut scene.rect, focus, rehearsal, &colours)
    })? {
        actions.write(picked);
    }
    Ok(())
}

fn rebuild(
    content: Res<Content>,
    records: Res<Records>,
    mut selection: ResMut<TrainerSelection>,
    mut view: ResMut<TrainerView>,
) {
    let library = &content.library;
    let known = |id: &str| {
        library
            .scenarios
            .iter()
            .any(|e| e.meta.as_ref().is_some_and(|m| m.id == id))
    };
    let id = selection
        .scenario
        .clone()
        .filter(|id| known(id))
        .or_else(|| {
            library
                .scenarios
                .iter()
                .find_map(|e| e.meta.as_ref().map(|m| m.id.clone()))
        });
    if selection.scenario != id {
        // Not a new choice of the trainer's: no need to rebuild again for it.
        selection.bypass_change_detection().scenario = id.clone();
        selection.bypass_change_detection().node = None;
    }
    *view = TrainerView::default();
    let Some(id) = id else {
        return;
    };
    let Some(entry) = library
        .scenarios
        .iter()
        .find(|e| e.meta.as_ref().is_some_and(|m| m.id == id))
    else {
        return;
    };
    let title = entry.meta.as_ref().map_or("", |m| &m.title);
    view.scenario = Some((id.clone(), entry.file.clone(), title.to_owned()));
    view.stats = entry.analysis.as_ref().map(|a| a.stats.clone());
    let Some(scenario) = &entry.scenario else {
        return;
    };
    view.variables = scenario.variables.clone();
    if let Some(node) = selection
        .node
        .as_deref()
        .and_then(|n| scenario.node_index(n))
    {
        view.reachable = values_at(scenario, node)
            .into_iter()
            .map(|values| named(scenario, values))
            .collect();
    }
    let mut graph = Graph::of(scenario);
    let store = records.store();
    let read = store.choice_picks(&id).and_then(|picks| {
        let critical = store.critical_counts(&id)?;
        Ok((picks, critical, store.attempt_counts(&id)?))
    });
    match read {
        Ok((picks, critical, counts)) => {
            graph.set_picks(&picks);
            view.analytics = Some(analyse(scenario, &picks, critical, counts));
        }
        Err(error) => view.records_error = Some(format!("The records could not be read: {error}")),
    }
    view.graph = Some(graph);
}

fn named(scenario: &Scenario, values: Vec<i32>) -> BTreeMap<String, i32> {
    scenario
        .variables
        .iter()
        .map(|def| def.name.clone())
        .zip(values)
        .collect()
}
