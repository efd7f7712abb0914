//! The screens as functions from what they show to what the trainee did, checked without a GPU
//! through egui_kittest, whose queries go through the AccessKit tree (so labels are checked as
//! a screen reader would read them).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use bevy_egui::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mentorsim::app::screens::briefing::OpenBriefing;
use mentorsim::app::screens::conversation::ConversationAction;
use mentorsim::app::screens::conversation::view::{self as conversation, ConversationView};
use mentorsim::app::screens::library::view::{self as library, LibraryView};
use mentorsim::app::screens::trainer::view::{self as trainer, RehearsalDraft, TrainerScreen};
use mentorsim::app::screens::trainer::{TrainerAction, TrainerSelection, TrainerView};
use mentorsim::app::ui::theme::palette;
use mentorsim_records::analytics::analyse;
use mentorsim_records::store::CriticalCount;
use mentorsim_script::analysis::values_at;
use mentorsim_script::engine::{Mode, Rehearsal, Session};
use mentorsim_script::graph::Graph;
use mentorsim_script::library::Library;
use mentorsim_script::scenario::Scenario;

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

fn show_conversation(
    session: &Session,
    harness_action: &mut Option<ConversationAction>,
    ui: &mut egui::Ui,
) {
    let view = ConversationView {
        scenario: session.scenario(),
        mode: session.mode(),
        transcript: session.transcript(),
        current: session.current(),
        feedback: None,
        decisions: session.decisions_made(),
        rehearsal: None,
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
        |ui, picked: &mut Option<ConversationAction>| show_conversation(&session, picked, ui),
        None,
    );
    harness.run();
    harness
        .get_by_label(&format!("2   {}", options[1].text))
        .click();
    harness.run();
    assert_eq!(harness.state(), &Some(ConversationAction::Choose(2)));
}

#[test]
fn the_mentee_s_face_tells_a_screen_reader_how_they_look() {
    let library = bundled();
    let scenario = Arc::clone(library.scenario("al-not-college-material").unwrap());
    let session = at_first_decision(scenario, Mode::Practice);
    let name = session.scenario().persona.name.clone();
    let mood = session.current().unwrap().mood;
    let (word, ..) = mentorsim::app::ui::theme::mood_look(mood, &palette(false));
    let mut harness = Harness::new_ui_state(
        |ui, picked: &mut Option<ConversationAction>| show_conversation(&session, picked, ui),
        None,
    );
    harness.run();
    harness.get_by_label(&format!("{name} looks {}", word.to_lowercase()));
}

#[test]
fn number_keys_choose_without_the_mouse() {
    let library = bundled();
    let scenario = Arc::clone(library.scenario("cb-promise-you-wont-tell").unwrap());
    let session = at_first_decision(scenario, Mode::Assessment);
    let mut harness = Harness::new_ui_state(
        |ui, picked: &mut Option<ConversationAction>| show_conversation(&session, picked, ui),
        None,
    );
    harness.run();
    harness.key_press(egui::Key::Num3);
    harness.run();
    assert_eq!(harness.state(), &Some(ConversationAction::Choose(3)));
}

#[test]
fn the_library_lists_every_module_marks_the_form_to_take_next_and_opens_a_scenario() {
    use mentorsim_records::retakes::NextForm;
    let library = bundled();
    let next_forms = [
        (
            "active-listening".to_owned(),
            NextForm {
                form: Some("al-nine-years-out".into()),
                from: None,
                why: "the module's assessment".into(),
            },
        ),
        (
            "dependency".to_owned(),
            NextForm {
                form: None,
                from: Some("2026-12-13T10:00:00.000Z".into()),
                why: "no attempt would count before 2026-12-13: taken on the same form as the attempt failed on 2026-12-06".into(),
            },
        ),
    ]
    .into_iter()
    .collect();
    let view = LibraryView::new(
        &library,
        &Default::default(),
        &next_forms,
        false,
        "scenarios".into(),
    );
    assert_eq!(
        view.modules
            .iter()
            .flat_map(|m| &m.cards)
            .filter(|c| c.offered)
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>(),
        ["al-nine-years-out"]
    );
    let mut harness = Harness::new_ui_state(
        |ui, opened: &mut Option<OpenBriefing>| {
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
    harness.get_by_label("Take this form next");
    harness.get_by_label("Assessment: no attempt would count before 2026-12-13: taken on the same form as the attempt failed on 2026-12-06.");
    harness.get_by_label("Start: Nine years out").click();
    harness.run();
    assert_eq!(
        harness.state(),
        &Some(OpenBriefing("al-nine-years-out".into()))
    );
}

#[test]
fn trainer_mode_lists_each_files_findings_at_their_place_and_a_click_selects_a_scenario() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let library = Library::load(&[
        root.join("scenarios/active-listening"),
        root.join("tests/corpus/unknown-node.scenario.ron"),
    ]);
    let scenario = library.scenario("al-not-college-material").unwrap();
    let view = trainer_view_of(scenario);
    let selection = TrainerSelection {
        scenario: Some(scenario.id.clone()),
        node: None,
    };
    let mut harness = trainer_harness(&library, view, selection);
    harness.run();
    harness
        .get_by_label_contains("unknown-node.scenario.ron:18:53: there is no node `edn` to go to");
    harness.get_by_label("Nine years out").click();
    harness.run();
    assert_eq!(
        harness.state(),
        &Some(TrainerAction::Scenario("al-nine-years-out".to_owned()))
    );
}

/// What trainer mode shows of a playable scenario before the records are read.
fn trainer_view_of(scenario: &Scenario) -> TrainerView {
    TrainerView {
        scenario: Some((
            scenario.id.clone(),
            scenario.file.clone(),
            scenario.title.clone(),
        )),
        graph: Some(Graph::of(scenario)),
        ..TrainerView::default()
    }
}

/// Trainer mode drawn from a fixed view and selection; the state holds the last action.
fn trainer_harness<'a>(
    library: &'a Library,
    view: TrainerView,
    selection: TrainerSelection,
) -> Harness<'a, Option<TrainerAction>> {
    let mut scene = egui::Rect::ZERO;
    let mut draft = RehearsalDraft::default();
    // Tall enough that a node with many variables (Maya's has nine) keeps its "Play from here"
    // button on screen, where a click can land.
    Harness::builder()
        .with_size(egui::vec2(1400.0, 1600.0))
        .build_ui_state(
            move |ui, picked: &mut Option<TrainerAction>| {
                let screen = TrainerScreen {
                    library,
                    view: &view,
                    selection: &selection,
                    source: "scenarios".to_owned(),
                    watched: false,
                };
                if let Some(action) =
                    trainer::show(ui, &screen, &mut scene, false, &mut draft, &palette(false))
                {
                    *picked = Some(action);
                }
            },
            None,
        )
}

#[test]
fn trainer_mode_shows_pick_rates_and_critical_errors_and_plays_from_the_selected_node() {
    let library = bundled();
    let scenario = library.scenario("cb-promise-you-wont-tell").unwrap();
    let node = scenario.node_index("scared-mum").unwrap();
    let choices = scenario.choices(node);
    let picks = [
        (("scared-mum".to_owned(), choices[0].id.clone()), 3),
        (("scared-mum".to_owned(), choices[1].id.clone()), 1),
    ]
    .into();
    let critical = vec![CriticalCount {
        node: "scared-mum".into(),
        choice: choices[1].id.clone(),
        text: "I promise I won't tell anyone.".into(),
        count: 7,
    }];
    let reachable: Vec<BTreeMap<String, i32>> = values_at(scenario, node)
        .into_iter()
        .map(|values| {
            let names = scenario.variables.iter().map(|v| v.name.clone());
            names.zip(values).collect()
        })
        .collect();
    let view = TrainerView {
        analytics: Some(analyse(scenario, &picks, critical, (4, 4))),
        variables: scenario.variables.clone(),
        reachable: reachable.clone(),
        ..trainer_view_of(scenario)
    };
    let selection = TrainerSelection {
        scenario: Some(scenario.id.clone()),
        node: Some("scared-mum".into()),
    };
    let mut harness = trainer_harness(&library, view, selection);
    harness.run();
    harness.get_by_label_contains("from 4 recorded attempt(s), 4 finished");
    harness.get_by_label("75%");
    harness.get_by_label_contains("7\u{00d7} at scared-mum: \"I promise I won't tell anyone.\"");

    harness.get_by_label("Assessment").click();
    harness.run();
    harness.get_by_label("Play from here").click();
    harness.run();
    assert_eq!(
        harness.state(),
        &Some(TrainerAction::Rehearse {
            from: Rehearsal {
                node: "scared-mum".into(),
                variables: reachable[0].clone(),
            },
            mode: Mode::Assessment,
        }),
        "the values default to the first ones play reaches there"
    );
}
