//! The screens as functions from what they show to what the trainee did, checked without a GPU
//! through egui_kittest, whose queries go through the AccessKit tree (so labels are checked as
//! a screen reader would read them).

use std::path::Path;
use std::sync::Arc;

use bevy_egui::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mentorsim::app::flow::UiAction;
use mentorsim::app::ui::conversation::{self, ConversationView};
use mentorsim::app::ui::library::{self, LibraryView};
use mentorsim::app::ui::theme::palette;
use mentorsim_core::engine::{Mode, Session};
use mentorsim_core::library::Library;
use mentorsim_core::scenario::Scenario;

fn bundled() -> Library {
    Library::load(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")])
}

fn at_first_decision(scenario: Arc<Scenario>, mode: Mode) -> Session {
    let mut session = Session::start(scenario, 9, mode).unwrap();
    while session.current().unwrap().options.is_empty() {
        session.advance().unwrap();
    }
    session
}

fn show_conversation(session: &Session, harness_action: &mut Option<UiAction>, ui: &mut egui::Ui) {
    let view = ConversationView {
        scenario: session.scenario(),
        mode: session.mode(),
        transcript: session.transcript(),
        current: session.current(),
        feedback: None,
        decisions: session.decisions_made(),
    };
    if let Some(action) = conversation::show(ui, &view, &palette(false)) {
        *harness_action = Some(action);
    }
}

#[test]
fn each_offered_reply_is_a_labelled_button_that_chooses_it() {
    let library = bundled();
    let scenario = Arc::clone(library.scenario("al-not-college-material").unwrap());
    let session = at_first_decision(scenario, Mode::Practice);
    let options = session.current().unwrap().options;
    let mut harness = Harness::new_ui_state(
        |ui, picked: &mut Option<UiAction>| show_conversation(&session, picked, ui),
        None,
    );
    harness.run();
    harness
        .get_by_label(&format!("2   {}", options[1].text))
        .click();
    harness.run();
    assert_eq!(harness.state(), &Some(UiAction::Choose(2)));
}

#[test]
fn number_keys_choose_without_the_mouse() {
    let library = bundled();
    let scenario = Arc::clone(library.scenario("cb-promise-you-wont-tell").unwrap());
    let session = at_first_decision(scenario, Mode::Assessment);
    let mut harness = Harness::new_ui_state(
        |ui, picked: &mut Option<UiAction>| show_conversation(&session, picked, ui),
        None,
    );
    harness.run();
    harness.key_press(egui::Key::Num3);
    harness.run();
    assert_eq!(harness.state(), &Some(UiAction::Choose(3)));
}

#[test]
fn the_library_lists_every_module_and_opens_a_scenario() {
    let library = bundled();
    let view = LibraryView::new(&library, &Default::default(), false, "scenarios".into());
    let mut harness = Harness::new_ui_state(
        |ui, opened: &mut Option<UiAction>| {
            if let Some(action) = library::show(ui, &view, &palette(false)) {
                *opened = Some(action);
            }
        },
        None,
    );
    harness.set_size(egui::vec2(1100.0, 4000.0));
    harness.run();
    for module in [
        "Active listening",
        "Confidentiality boundaries",
        "Dependency",
        "Compassion fatigue",
    ] {
        harness.get_by_label(module);
    }
    harness.get_by_label("Start: Nine years out").click();
    harness.run();
    assert_eq!(
        harness.state(),
        &Some(UiAction::OpenScenario("al-nine-years-out".into()))
    );
}

#[test]
fn trainer_mode_lists_each_files_findings_at_their_place_and_a_click_selects_a_scenario() {
    use mentorsim::app::trainer::{TrainerSelection, TrainerView};
    use mentorsim::app::ui::trainer::{self, TrainerScreen};
    use mentorsim_core::graph::Graph;

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let library = Library::load(&[
        root.join("scenarios/active-listening"),
        root.join("tests/corpus/unknown-node.scenario.ron"),
    ]);
    let scenario = library.scenario("al-not-college-material").unwrap();
    let view = TrainerView {
        scenario: Some((
            scenario.id.clone(),
            scenario.file.clone(),
            scenario.title.clone(),
        )),
        graph: Some(Graph::of(scenario)),
        ..TrainerView::default()
    };
    let selection = TrainerSelection {
        scenario: Some(scenario.id.clone()),
        node: None,
    };
    let mut scene = egui::Rect::ZERO;
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(
            |ui, picked: &mut Option<UiAction>| {
                let screen = TrainerScreen {
                    library: &library,
                    view: &view,
                    selection: &selection,
                    source: "scenarios".to_owned(),
                    watched: false,
                };
                if let Some(action) = trainer::show(ui, &screen, &mut scene, &palette(false)) {
                    *picked = Some(action);
                }
            },
            None,
        );
    harness.run();
    harness
        .get_by_label_contains("unknown-node.scenario.ron:18:53: there is no node `edn` to go to");
    harness.get_by_label("Nine years out").click();
    harness.run();
    assert_eq!(
        harness.state(),
        &Some(UiAction::TrainerScenario("al-nine-years-out".to_owned()))
    );
}
