//! The app's plugins without a window: a trainee signs in, plays a bundled scenario through the
//! same messages the screens send, and the debrief, the records and a restart behave as they
//! should. Edits to a trainer's folder reach the running app and trainer mode, and a trainer
//! rehearses from any node without a record. A station with a program connection streams what
//! it plays to the program's LRS, and the program view judges from that LRS.

#[path = "support/binary.rs"]
mod binary;
#[path = "support/lrs.rs"]
mod lrs;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use bevy::asset::AssetPlugin;
use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use mentorsim::app::AppPlugin;
use mentorsim::app::content::{self, Content, LibrarySource, ProgramPolicy};
use mentorsim::app::records::Records;
use mentorsim::app::screens::briefing::{Briefing, BriefingAction, OpenBriefing};
use mentorsim::app::screens::conversation::{ConversationAction, Play};
use mentorsim::app::screens::debrief::{Debrief, DebriefAction};
use mentorsim::app::screens::library::Standing;
use mentorsim::app::screens::program::{ProgramAction, ProgramView};
use mentorsim::app::screens::sign_in::SignInAction;
use mentorsim::app::screens::trainer::{TrainerAction, TrainerSelection, TrainerView};
use mentorsim::app::screens::{Navigate, Screen};
use mentorsim_records::store::{Status, Store};
use mentorsim_script::engine::{Mode, Rehearsal, Session};
use mentorsim_script::graph::EdgeKind;

const SCENARIO: &str = "al-not-college-material";

fn app(data_dir: &Path, source: LibrarySource) -> App {
    let mut app = App::new();
    content::register_source(&mut app, &source);
    app.add_plugins((
        MinimalPlugins,
        AssetPlugin {
            watch_for_changes_override: Some(false),
            ..default()
        },
        StatesPlugin,
    ))
    .insert_resource(Records::new(Store::open(data_dir).unwrap()))
    .add_plugins(AppPlugin {
        source,
        settings_dir: None,
        seed: Some(11),
        policy: ProgramPolicy(mentorsim::bundled::policy()),
    });
    app
}

fn screen(app: &App) -> Screen {
    *app.world().resource::<State<Screen>>().get()
}

/// Updates until `done` holds; the asset loads run on other threads, hence the real time.
fn update_until(app: &mut App, what: &str, done: impl Fn(&App) -> bool) {
    for _ in 0..2_000 {
        app.update();
        if done(app) {
            return;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    panic!("timed out waiting for {what}; screen is {:?}", screen(app));
}

fn act(app: &mut App, action: impl Message) {
    app.world_mut().write_message(action);
    app.update();
    app.update();
}

fn sign_in(app: &mut App) {
    update_until(app, "the library to load", |a| screen(a) == Screen::SignIn);
    act(
        app,
        SignInAction::CreateProfile {
            name: "Robin".into(),
            id: "t-robin".into(),
        },
    );
    assert_eq!(screen(app), Screen::Library);
}

fn sign_in_and_open(app: &mut App) {
    sign_in(app);
    act(app, OpenBriefing(SCENARIO.into()));
    assert_eq!(screen(app), Screen::Briefing);
}

/// Plays by always taking the option at `pick` (or the last one offered) until the ending.
fn play_through(app: &mut App, pick: usize) {
    play_through_with(app, |_| pick);
}

/// Plays until the ending, taking at each decision the option (1-based) `pick` names.
fn play_through_with(app: &mut App, pick: impl Fn(&App) -> usize) {
    for _ in 0..200 {
        if screen(app) == Screen::Debrief {
            return;
        }
        let play = app.world().resource::<Play>();
        let action = match play.session().current() {
            Some(line) if play.feedback.is_none() && !line.options.is_empty() => {
                ConversationAction::Choose(pick(app).min(line.options.len()))
            }
            _ => ConversationAction::Continue,
        };
        act(app, action);
    }
    panic!("the conversation did not end");
}

#[test]
fn an_assessment_form_has_no_practice_mode_and_names_the_modules_practice_scenarios() {
    let data = tempfile::tempdir().unwrap();
    let mut app = app(data.path(), LibrarySource::Bundled);
    sign_in(&mut app);
    act(&mut app, OpenBriefing("al-nine-years-out".into()));
    assert_eq!(screen(&app), Screen::Briefing);
    let refused = app.world().resource::<Briefing>().practice_refused.clone();
    let refused = refused.expect("an assessment form refuses practice");
    assert!(refused.contains("al-not-college-material"), "{refused}");
    assert!(refused.contains("al-in-front-of-the-crew"), "{refused}");

    // Asking for practice anyway (a stray key or message) starts nothing.
    act(&mut app, BriefingAction::Start(Mode::Practice));
    assert_eq!(screen(&app), Screen::Briefing);
    act(&mut app, BriefingAction::Start(Mode::Assessment));
    assert_eq!(screen(&app), Screen::Conversation);
    assert_eq!(
        app.world().resource::<Play>().session().mode(),
        Mode::Assessment
    );

    // A practice scenario offers both.
    act(&mut app, Navigate(Screen::Library));
    act(&mut app, OpenBriefing(SCENARIO.into()));
    assert_eq!(app.world().resource::<Briefing>().practice_refused, None);
}

#[test]
fn a_practice_attempt_ends_in_the_debrief_with_the_cores_result_and_is_recorded() {
    let data = tempfile::tempdir().unwrap();
    let mut app = app(data.path(), LibrarySource::Bundled);
    sign_in_and_open(&mut app);
    act(&mut app, BriefingAction::Start(Mode::Practice));
    assert_eq!(screen(&app), Screen::Conversation);

    // In practice, a choice shows its feedback and the next choice waits for it to be read.
    let mut guard = 0;
    while app
        .world()
        .resource::<Play>()
        .session()
        .current()
        .unwrap()
        .options
        .is_empty()
    {
        act(&mut app, ConversationAction::Continue);
        guard += 1;
        assert!(guard < 20, "no decision near the start");
    }
    act(&mut app, ConversationAction::Choose(2));
    let play = app.world().resource::<Play>();
    assert!(play.feedback.is_some(), "practice feedback after a choice");
    let made = play.session().decisions_made();
    act(&mut app, ConversationAction::Choose(1));
    assert_eq!(
        app.world().resource::<Play>().session().decisions_made(),
        made,
        "a choice waits until the feedback is dismissed"
    );

    play_through(&mut app, 2);
    let debrief = app.world().resource::<Debrief>().clone();
    let replayed = Session::resume(
        Arc::clone(&debrief.scenario),
        &mentorsim_script::engine::SessionState {
            scenario: SCENARIO.into(),
            version: debrief.scenario.version,
            seed: 11,
            mode: Mode::Practice,
            actions: debrief.result.actions.clone(),
            rehearsal: None,
        },
    )
    .unwrap();
    assert_eq!(replayed.result().unwrap(), debrief.result);

    act(
        &mut app,
        DebriefAction::SaveReflection("Slow down before advising.".into()),
    );
    let store = app.world().resource::<Records>().store();
    let attempt = store
        .attempt(
            debrief
                .attempt
                .as_deref()
                .expect("a trainee's attempt is recorded"),
        )
        .unwrap();
    assert_eq!(attempt.passed, Some(debrief.result.passed));
    assert_eq!(attempt.steps.len(), debrief.result.actions.len());
    assert_eq!(
        attempt.reflection.as_deref(),
        Some("Slow down before advising.")
    );
    let expected = if debrief.result.passed {
        Status::Passed
    } else {
        Status::NeedsAnotherTry
    };
    assert_eq!(
        store.progress("t-robin").unwrap()[SCENARIO].status,
        expected
    );
}

#[test]
fn an_attempt_left_midway_resumes_at_the_same_decision_after_a_restart() {
    let data = tempfile::tempdir().unwrap();
    let before = {
        let mut app = app(data.path(), LibrarySource::Bundled);
        sign_in_and_open(&mut app);
        act(&mut app, BriefingAction::Start(Mode::Assessment));
        for _ in 0..6 {
            let play = app.world().resource::<Play>();
            let action = if play.session().current().unwrap().options.is_empty() {
                ConversationAction::Continue
            } else {
                ConversationAction::Choose(1)
            };
            act(&mut app, action);
        }
        let play = app.world().resource::<Play>();
        (play.session().state(), play.session().current())
    };

    let mut app = app(data.path(), LibrarySource::Bundled);
    update_until(&mut app, "the library to load", |a| {
        screen(a) == Screen::SignIn
    });
    act(&mut app, SignInAction::AsTrainee("t-robin".into()));
    act(&mut app, OpenBriefing(SCENARIO.into()));
    assert!(app.world().resource::<Briefing>().open_attempt.is_some());
    act(&mut app, BriefingAction::Resume);
    let play = app.world().resource::<Play>();
    assert_eq!(play.session().state(), before.0);
    assert_eq!(play.session().current(), before.1);
}

/// A trainer's folder holding the rubric and a copy of SCENARIO as `dev.scenario.ron`; returns
/// the folder, that file and its text.
fn trainers_folder() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let folder = tempfile::tempdir().unwrap();
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    std::fs::copy(
        bundled.join("mentor-core.rubric.ron"),
        folder.path().join("mentor-core.rubric.ron"),
    )
    .unwrap();
    let file = folder.path().join("dev.scenario.ron");
    let original =
        std::fs::read_to_string(bundled.join("active-listening/not-college-material.scenario.ron"))
            .unwrap();
    std::fs::write(&file, &original).unwrap();
    (folder, file, original)
}

/// Saves `text` to `file` in the trainer's folder and asks the asset server to reload it, as
/// the file watcher would.
fn save(app: &mut App, file: &Path, text: &str) {
    std::fs::write(file, text).unwrap();
    app.world()
        .resource::<AssetServer>()
        .reload(bevy::asset::AssetPath::from("dev.scenario.ron").with_source("library"));
}

#[test]
fn a_broken_edit_to_a_trainers_file_shows_its_located_error_after_reload() {
    let data = tempfile::tempdir().unwrap();
    let (folder, file, original) = trainers_folder();

    let mut app = app(data.path(), LibrarySource::Folder(folder.path().to_owned()));
    update_until(&mut app, "the library to load", |a| {
        screen(a) == Screen::SignIn
    });
    assert!(
        app.world()
            .resource::<Content>()
            .library
            .scenario(SCENARIO)
            .is_some()
    );
    let generation = app.world().resource::<Content>().generation;

    save(
        &mut app,
        &file,
        &original.replacen("start: \"opening\"", "start: \"openin\"", 1),
    );
    update_until(&mut app, "the edit to reach the library", |a| {
        a.world().resource::<Content>().generation > generation
    });
    let content = app.world().resource::<Content>();
    assert!(content.library.scenario(SCENARIO).is_none());
    let error = content
        .library
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "unknown-node")
        .expect("the broken start node is reported");
    assert!(error.file.ends_with("dev.scenario.ron"), "{}", error.file);
    assert!(error.line > 1 && error.column > 1);
}

/// Links back into the folder, a named pipe and an undecodable name: the app loads the folder
/// once, waits on nothing, and lists what it passed over as `check` does.
#[cfg(unix)]
#[test]
fn a_trainers_folder_that_loops_back_on_itself_loads_once_and_names_what_it_skipped() {
    use std::os::unix::ffi::OsStrExt;
    let data = tempfile::tempdir().unwrap();
    let (folder, _, _) = trainers_folder();
    std::os::unix::fs::symlink(".", folder.path().join("again")).unwrap();
    std::os::unix::fs::symlink(folder.path(), folder.path().join("and-again")).unwrap();
    let fifo = folder.path().join("pipe.scenario.ron");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let odd = std::ffi::OsStr::from_bytes(b"caf\xe9.scenario.ron");
    std::fs::write(folder.path().join(odd), "Scenario()").unwrap();

    let mut app = app(data.path(), LibrarySource::Folder(folder.path().to_owned()));
    update_until(&mut app, "the library to load", |a| {
        screen(a) == Screen::SignIn
    });
    let library = &app.world().resource::<Content>().library;
    assert_eq!(library.scenarios.len(), 1, "one file, loaded once");
    assert!(library.scenario(SCENARIO).is_some());
    let mut codes: Vec<&str> = library
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    codes.sort_unstable();
    assert_eq!(codes, ["bad-file-name", "not-a-file"]);
}

#[test]
fn the_program_view_judges_the_roster_and_shows_a_trainees_attempts_growth_and_listening() {
    let data = tempfile::tempdir().unwrap();
    let mut app = app(data.path(), LibrarySource::Bundled);
    sign_in_and_open(&mut app);
    act(&mut app, BriefingAction::Start(Mode::Assessment));
    play_through(&mut app, 1);

    act(&mut app, Navigate(Screen::Program));
    assert_eq!(screen(&app), Screen::Program);
    let view = app.world().resource::<ProgramView>();
    assert_eq!(view.policy.as_deref(), Ok("mentorsim-default v3"));
    assert_eq!(view.roster.len(), 1);
    assert!(
        !view.roster[0].ready,
        "one practice scenario is not readiness"
    );
    assert!(view.detail.is_none());

    act(&mut app, ProgramAction::Inspect("t-robin".into()));
    let detail = app
        .world()
        .resource::<ProgramView>()
        .detail
        .clone()
        .expect("the trainee's details");
    assert_eq!(detail.attempts.len(), 1);
    assert_eq!(&*detail.attempts[0].scenario, SCENARIO);
    assert!(!detail.growth.is_empty());
    assert!(
        detail
            .growth
            .iter()
            .all(|g| g.attempts == 1 && g.first == g.latest)
    );
    // The listening the trainee chose in that attempt, counted from its result's codes.
    let listening = detail.listening;
    assert!(
        listening.reflections + listening.questions > 0,
        "{listening:?}"
    );
    assert_eq!(detail.listening.lines().len(), 3);

    act(&mut app, Navigate(Screen::Library));
    assert_eq!(screen(&app), Screen::Library, "back where the trainee was");
}

#[test]
fn trainer_mode_follows_a_saved_edit_and_previews_the_node_clicked() {
    let data = tempfile::tempdir().unwrap();
    let (folder, file, original) = trainers_folder();
    let mut app = app(data.path(), LibrarySource::Folder(folder.path().to_owned()));
    update_until(&mut app, "the library to load", |a| {
        screen(a) == Screen::SignIn
    });

    act(&mut app, Navigate(Screen::Trainer));
    assert_eq!(screen(&app), Screen::Trainer);
    let view = app.world().resource::<TrainerView>();
    let graph = view
        .graph
        .as_ref()
        .expect("a playable scenario has a graph");
    assert_eq!(graph.scenario, SCENARIO);
    assert!(view.stats.as_ref().unwrap().pass_reachable == Some(true));
    let decision = graph.nodes[graph
        .edges
        .iter()
        .find(|e| matches!(e.kind, EdgeKind::Choice { .. }))
        .unwrap()
        .from]
        .id
        .clone();
    act(&mut app, TrainerAction::Node(decision.clone()));
    assert_eq!(
        app.world().resource::<TrainerSelection>().node.as_deref(),
        Some(decision.as_str())
    );

    let generation = app.world().resource::<Content>().generation;
    save(
        &mut app,
        &file,
        &original.replacen("start: \"opening\"", "start: \"openin\"", 1),
    );
    update_until(&mut app, "the broken edit to reach trainer mode", |a| {
        a.world().resource::<Content>().generation > generation
            && a.world().resource::<TrainerView>().graph.is_none()
    });
    let view = app.world().resource::<TrainerView>();
    let (id, shown_file, _) = view.scenario.as_ref().unwrap();
    assert_eq!(
        id, SCENARIO,
        "the broken scenario stays selected, with its findings"
    );
    assert!(shown_file.ends_with("dev.scenario.ron"));

    let generation = app.world().resource::<Content>().generation;
    save(&mut app, &file, &original);
    update_until(&mut app, "the fix to redraw the graph", |a| {
        a.world().resource::<Content>().generation > generation
            && a.world().resource::<TrainerView>().graph.is_some()
    });

    act(&mut app, Navigate(Screen::Library));
    assert_eq!(screen(&app), Screen::SignIn);
}

#[test]
fn play_from_here_starts_at_the_node_with_the_chosen_values_and_records_nothing() {
    const REHEARSED: &str = "cb-promise-you-wont-tell";
    let data = tempfile::tempdir().unwrap();
    let mut app = app(data.path(), LibrarySource::Bundled);
    update_until(&mut app, "the library to load", |a| {
        screen(a) == Screen::SignIn
    });
    act(&mut app, Navigate(Screen::Trainer));
    act(&mut app, TrainerAction::Scenario(REHEARSED.into()));
    act(&mut app, TrainerAction::Node("scared-mum".into()));
    let view = app.world().resource::<TrainerView>();
    assert!(!view.reachable.is_empty());
    assert!(
        view.reachable.iter().all(|values| values["trust"] >= 3),
        "the branch sends only trust 3 and up to `scared-mum`: {:?}",
        view.reachable
    );
    let analytics = view.analytics.as_ref().expect("the records were read");
    assert_eq!(
        (analytics.attempts, analytics.decisions.is_empty()),
        (0, false)
    );

    let from = Rehearsal {
        node: "trust-check".into(),
        variables: [("trust".to_owned(), 3)].into(),
    };
    act(
        &mut app,
        TrainerAction::Rehearse {
            from: from.clone(),
            mode: Mode::Practice,
        },
    );
    assert_eq!(screen(&app), Screen::Conversation);
    let play = app.world().resource::<Play>();
    assert_eq!(play.attempt_id(), None, "a rehearsal has no record");
    assert_eq!(play.session().current().unwrap().node, "scared-mum");
    assert_eq!(play.session().variables()["trust"], 3);

    play_through(&mut app, 1);
    let result = &app.world().resource::<Debrief>().result;
    assert_eq!(result.rehearsal, Some(from));
    assert_eq!(result.path[..2], ["trust-check", "scared-mum"]);
    let counts = app
        .world()
        .resource::<Records>()
        .store()
        .attempt_counts(REHEARSED);
    assert_eq!(counts.unwrap(), (0, 0));

    act(&mut app, DebriefAction::Leave);
    assert_eq!(
        screen(&app),
        Screen::Trainer,
        "a rehearsal returns to trainer mode"
    );
}

#[test]
fn an_attempt_resumed_after_the_trainer_edited_its_file_finishes_on_the_text_it_started_on() {
    use mentorsim::app::records::Notice;

    let data = tempfile::tempdir().unwrap();
    let (folder, file, original) = trainers_folder();
    let mut app = app(data.path(), LibrarySource::Folder(folder.path().to_owned()));
    sign_in_and_open(&mut app);
    let started_on = app.world().resource::<Briefing>().scenario.sha256.clone();
    act(&mut app, BriefingAction::Start(Mode::Assessment));
    for _ in 0..4 {
        let play = app.world().resource::<Play>();
        let action = if play.session().current().unwrap().options.is_empty() {
            ConversationAction::Continue
        } else {
            ConversationAction::Choose(1)
        };
        act(&mut app, action);
    }
    act(&mut app, ConversationAction::Leave);

    let generation = app.world().resource::<Content>().generation;
    save(
        &mut app,
        &file,
        &original.replace("feedback: \"", "feedback: \"EDITED "),
    );
    update_until(&mut app, "the edit to reach the library", |a| {
        a.world().resource::<Content>().generation > generation
    });
    act(&mut app, OpenBriefing(SCENARIO.into()));
    assert_ne!(
        app.world().resource::<Briefing>().scenario.sha256,
        started_on
    );
    act(&mut app, BriefingAction::Resume);
    assert_eq!(screen(&app), Screen::Conversation);
    assert_eq!(
        app.world().resource::<Play>().session().scenario().sha256,
        started_on
    );
    let notice = app
        .world()
        .resource::<Notice>()
        .0
        .clone()
        .unwrap_or_default();
    assert!(
        notice.contains("continues on the version you started"),
        "{notice}"
    );

    play_through(&mut app, 1);
    let debrief = app.world().resource::<Debrief>().clone();
    assert!(
        !serde_json::to_string(&debrief.result)
            .unwrap()
            .contains("EDITED")
    );
    let store = app.world().resource::<Records>().store();
    let rescored = mentorsim_records::rescore::rescore(
        &store,
        debrief.attempt.as_deref().unwrap(),
        &app.world().resource::<Content>().library,
    )
    .unwrap();
    assert!(rescored.reproduced(), "{:?}", rescored.differences);
}

#[test]
fn a_profile_id_with_a_stray_space_is_refused_with_the_reason() {
    use mentorsim::app::records::Notice;

    let data = tempfile::tempdir().unwrap();
    let mut app = app(data.path(), LibrarySource::Bundled);
    update_until(&mut app, "the library to load", |a| {
        screen(a) == Screen::SignIn
    });
    act(
        &mut app,
        SignInAction::CreateProfile {
            name: "Tess".into(),
            id: " t1".into(),
        },
    );
    assert_eq!(screen(&app), Screen::SignIn);
    let notice = app
        .world()
        .resource::<Notice>()
        .0
        .clone()
        .unwrap_or_default();
    assert!(notice.contains("starts or ends with a space"), "{notice}");
    assert!(
        app.world()
            .resource::<Records>()
            .store()
            .trainees()
            .unwrap()
            .is_empty()
    );
}

/// The index (1-based) of a critical option at the current decision, or the first option.
fn weakest(app: &App) -> usize {
    let play = app.world().resource::<Play>();
    let session = play.session();
    let line = session.current().unwrap();
    let scenario = session.scenario();
    let node = scenario
        .nodes
        .iter()
        .position(|n| n.id == line.node)
        .unwrap();
    line.options
        .iter()
        .position(|offered| {
            scenario.choices(node).iter().any(|c| {
                c.id == offered.id
                    && matches!(c.severity, mentorsim_script::model::Severity::Critical(_))
            })
        })
        .map_or(1, |i| i + 1)
}

/// After a failed assessment the library offers the module's other form, the briefing of
/// the failed one says an attempt there would not count, and the debrief keeps the stronger
/// replies back (the bundled policy's retake rule and debrief).
#[test]
fn after_a_failed_assessment_the_library_offers_the_other_form() {
    let data = tempfile::tempdir().unwrap();
    let folder = tempfile::tempdir().unwrap();
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    for shared in ["mentor-core.rubric.ron", "mentor-core.modules.ron"] {
        std::fs::copy(bundled.join(shared), folder.path().join(shared)).unwrap();
    }
    let form_a =
        std::fs::read_to_string(bundled.join("active-listening/nine-years-out.scenario.ron"))
            .unwrap();
    std::fs::write(folder.path().join("form-a.scenario.ron"), &form_a).unwrap();
    let form_b = form_a
        .replacen(
            "id: \"al-nine-years-out\"",
            "id: \"al-nine-years-out-b\"",
            1,
        )
        .replacen("title: \"", "title: \"Form B: ", 1);
    std::fs::write(folder.path().join("form-b.scenario.ron"), form_b).unwrap();

    let mut app = app(data.path(), LibrarySource::Folder(folder.path().to_owned()));
    sign_in(&mut app);
    let next = |app: &App| {
        app.world().resource::<Standing>().next_forms["active-listening"]
            .form
            .clone()
    };
    assert_eq!(next(&app).as_deref(), Some("al-nine-years-out"));

    act(&mut app, OpenBriefing("al-nine-years-out".into()));
    assert_eq!(app.world().resource::<Briefing>().would_not_count, None);
    act(&mut app, BriefingAction::Start(Mode::Assessment));
    play_through_with(&mut app, weakest);
    let debrief = app.world().resource::<Debrief>();
    assert!(!debrief.result.passed);
    assert!(!debrief.show_best, "the stronger replies wait for a pass");

    act(&mut app, DebriefAction::Leave);
    assert_eq!(screen(&app), Screen::Library);
    assert_eq!(next(&app).as_deref(), Some("al-nine-years-out-b"));
    act(&mut app, OpenBriefing("al-nine-years-out".into()));
    let note = app
        .world()
        .resource::<Briefing>()
        .would_not_count
        .clone()
        .unwrap();
    assert!(note.contains("Form B: "), "{note}");
}

#[test]
fn a_station_streams_as_it_plays_and_the_program_view_judges_from_the_lrs() {
    use mentorsim::app::program_sync::ProgramSyncPlugin;
    use mentorsim::app::screens::program::from_lrs::LrsReading;
    use mentorsim_records::connection::Connection;

    let lrs = lrs::Lrs::start();
    let data = tempfile::tempdir().unwrap();
    std::fs::write(
        data.path().join("connection.ron"),
        format!(
            "Connection(lrs: \"{}\", station: \"trainer\")",
            lrs.endpoint
        ),
    )
    .unwrap();
    let connection = Connection::find(data.path(), None, Some("s3cret".into()))
        .unwrap()
        .unwrap();
    let program = mentorsim_records::policy::for_play(&mentorsim::bundled::policy())
        .unwrap()
        .program;
    let mut app = app(data.path(), LibrarySource::Bundled);
    app.add_plugins(ProgramSyncPlugin {
        sync: Some((connection, program)),
        data_dir: data.path().to_owned(),
    });
    sign_in(&mut app);
    // An assessment the policy counts, so the program view asks the LRS about it.
    act(&mut app, OpenBriefing("al-nine-years-out".into()));
    act(&mut app, BriefingAction::Start(Mode::Assessment));
    play_through(&mut app, 1);

    // Every statement of the attempt reaches the LRS without the window waiting for it.
    let attempt = Store::open(data.path())
        .unwrap()
        .attempts_of("t-robin")
        .unwrap()[0]
        .clone();
    let mut held = Vec::new();
    for _ in 0..500 {
        held = lrs.stored(&attempt.id);
        if held
            .iter()
            .any(|s| s["verb"]["id"].as_str().unwrap().ends_with("terminated"))
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        held.iter()
            .any(|s| s["verb"]["id"].as_str().unwrap().ends_with("terminated")),
        "the attempt's statements reached the LRS: {held:?}"
    );

    act(&mut app, Navigate(Screen::Program));
    act(&mut app, ProgramAction::UseLrs(true));
    update_until(&mut app, "the LRS to be read", |a| {
        !a.world().resource::<LrsReading>().reading()
    });
    app.update();
    let view = app.world().resource::<ProgramView>();
    let panel = view.lrs.as_ref().expect("the view offers the LRS");
    assert!(panel.using);
    assert!(
        matches!(&panel.status, Some(Ok(said)) if said.starts_with("Read ")),
        "{:?}",
        panel.status
    );
    assert!(panel.not_counted.is_empty(), "{:?}", panel.not_counted);
    assert_eq!(view.roster.len(), 1, "the trainee, from the LRS");
    assert_eq!(view.roster[0].trainee, "t-robin");
}
