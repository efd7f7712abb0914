//! Trainer mode: every scenario file with its findings, kept current as files are saved (the
//! content plugin reloads them), and one scenario's graph beside its score analysis, with how
//! often trainees took each option (from the records).

use bevy::prelude::*;
use mentorsim_core::analysis::Stats;
use mentorsim_core::graph::Graph;

use super::content::Content;
use super::flow::Screen;
use super::records::Records;

/// Keeps [`TrainerView`] in step with the selection and the files.
pub struct TrainerPlugin;

impl Plugin for TrainerPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<TrainerSelection>()
            .init_resource::<TrainerView>()
            .add_systems(OnEnter(Screen::Trainer), rebuild)
            .add_systems(
                Update,
                rebuild.run_if(in_state(Screen::Trainer).and_then(
                    resource_changed::<Content>.or_else(resource_changed::<TrainerSelection>),
                )),
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
    /// Attempts recorded at it, and how many finished.
    pub attempts: (u64, u64),
    /// Why the pick rates are missing, if they are.
    pub records_error: Option<String>,
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
    let mut graph = Graph::of(scenario);
    let store = records.store();
    match store
        .choice_picks(&id)
        .and_then(|picks| Ok((picks, store.attempt_counts(&id)?)))
    {
        Ok((picks, counts)) => {
            graph.set_picks(&picks);
            view.attempts = counts;
        }
        Err(error) => view.records_error = Some(format!("The records could not be read: {error}")),
    }
    view.graph = Some(graph);
}
