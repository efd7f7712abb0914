//! Readiness under a program policy: who is ready, and the reasons a coordinator acts on when
//! someone is not yet; and policy files checked like scenarios, errors at their place.

#[path = "support/play.rs"]
mod play;

use mentorsim_records::policy::{self, Policy};
use mentorsim_records::readiness::{TraineeReadiness, evaluate, relevant};
use mentorsim_records::store::{Store, Which};
use mentorsim_script::engine::Mode;
use mentorsim_script::library::Library;
use mentorsim_script::source::SourceText;
use play::{Pick, bundled_library, play_recorded};

const ASSESSMENTS: [&str; 6] = play::ONE_FORM_PER_MODULE;

fn default_policy(library: &Library) -> Policy {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/program.policy.ron"
    );
    policy::load(std::path::Path::new(path), library)
        .expect("the bundled policy is valid")
        .policy
}

fn judge(
    store: &Store,
    library: &Library,
    policy: &Policy,
    at: jiff::Timestamp,
) -> Vec<TraineeReadiness> {
    evaluate(
        policy,
        library,
        &store.trainees().unwrap(),
        &store
            .summaries(Which::Relevant(&relevant(policy, library)))
            .unwrap(),
        at,
    )
}

/// A store where `t-ready` passed every assessment and the others fell short in one way each.
fn cohort(library: &Library) -> Store {
    let store = Store::in_memory().unwrap();
    for (id, name) in [
        ("t-ready", "Ada"),
        ("t-practice", "Bo"),
        ("t-critical", "Cy"),
        ("t-none", "Di"),
    ] {
        store.save_trainee(id, name).unwrap();
    }
    for id in ASSESSMENTS {
        let scenario = library.scenario(id).unwrap();
        play_recorded(
            &store,
            "t-ready",
            scenario,
            1,
            Mode::Assessment,
            Pick::Strongest,
        );
        play_recorded(
            &store,
            "t-practice",
            scenario,
            1,
            Mode::Practice,
            Pick::Strongest,
        );
    }
    let cb = library.scenario("cb-asking-for-a-friend").unwrap();
    play_recorded(&store, "t-critical", cb, 2, Mode::Assessment, Pick::Weakest);
    store
}

fn requirement<'a>(
    judged: &'a [TraineeReadiness],
    trainee: &str,
    label: &str,
) -> &'a mentorsim_records::readiness::RequirementStatus {
    judged
        .iter()
        .find(|t| t.trainee == trainee)
        .unwrap()
        .requirements
        .iter()
        .find(|r| r.requirement == label)
        .unwrap()
}

#[test]
fn passing_every_module_assessment_in_assessment_mode_makes_a_trainee_ready() {
    let library = bundled_library();
    let store = cohort(&library);
    let policy = default_policy(&library);
    let judged = judge(&store, &library, &policy, jiff::Timestamp::now());
    let ready: Vec<&str> = judged
        .iter()
        .filter(|t| t.ready)
        .map(|t| t.trainee.as_str())
        .collect();
    assert_eq!(ready, ["t-ready"]);
    let ada = judged.iter().find(|t| t.trainee == "t-ready").unwrap();
    assert!(
        ada.requirements
            .iter()
            .all(|r| r.met && r.attempt.is_some())
    );
    let until: jiff::Timestamp = ada.valid_until.as_deref().unwrap().parse().unwrap();
    let days = until.duration_since(jiff::Timestamp::now()).as_hours() / 24;
    assert!((364..=365).contains(&days), "{days}");
}

#[test]
fn each_shortfall_is_named() {
    let library = bundled_library();
    let store = cohort(&library);
    let policy = default_policy(&library);
    let judged = judge(&store, &library, &policy, jiff::Timestamp::now());

    let practice = requirement(&judged, "t-practice", "Module: Dependency");
    assert_eq!(
        practice.reasons,
        ["played in practice mode; only assessment mode counts"]
    );

    let critical = requirement(&judged, "t-critical", "Module: Confidentiality boundaries");
    assert!(!critical.met);
    assert!(
        critical
            .reasons
            .iter()
            .any(|r| r.starts_with("critical error: \u{201c}")),
        "{:?}",
        critical.reasons
    );
    assert!(
        critical
            .reasons
            .iter()
            .any(|r| r.starts_with("Confidentiality (CONF) scored")
                && r.ends_with("the program needs 80%")),
        "{:?}",
        critical.reasons
    );

    let none = requirement(&judged, "t-none", "Module: Compassion fatigue");
    assert_eq!(
        none.reasons,
        ["no attempt yet at the Compassion fatigue assessment"]
    );
    assert_eq!(none.attempt, None);
}

#[test]
fn attempts_stop_counting_after_the_policy_age() {
    let library = bundled_library();
    let store = cohort(&library);
    let policy = default_policy(&library);
    let later = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 400);
    let judged = judge(&store, &library, &policy, later);
    assert!(judged.iter().all(|t| !t.ready));
    let stale = requirement(&judged, "t-ready", "Module: Active listening");
    assert_eq!(
        stale.reasons,
        ["ended more than 365 days ago; it has to be played again"]
    );
}

#[test]
fn a_scenario_can_be_required_by_id_and_practice_can_be_allowed() {
    let library = bundled_library();
    let store = cohort(&library);
    let text = r#"(
        id: "pilot", version: 2,
        program: (name: "Pilot", home_page: "https://mentoring.example.org"),
        require: [Scenario("dep-just-till-the-28th")],
        assessment_mode_only: false,
    )"#;
    let policy = policy::from_source(&SourceText::new("pilot.policy.ron", text.into()), &library)
        .unwrap()
        .policy;
    let judged = judge(&store, &library, &policy, jiff::Timestamp::now());
    let ready: Vec<&str> = judged
        .iter()
        .filter(|t| t.ready)
        .map(|t| t.trainee.as_str())
        .collect();
    assert_eq!(ready, ["t-ready", "t-practice"]);
    assert_eq!(
        judged[0].requirements[0].requirement,
        "Scenario: Just till the 28th"
    );
}

#[test]
fn policy_mistakes_are_reported_at_their_place_with_a_fix() {
    let library = bundled_library();
    let text = r#"(
    id: "strict",
    version: 1,
    program: (name: "Strict", home_page: "mentoring.example.org"),
    require: [Module(Dependency), Scenario("cb-asking-for-a-frend")],
    thresholds: { "SAFETY": 0.9, "CONF": 80 },
)"#;
    let found = policy::from_source(&SourceText::new("strict.policy.ron", text.into()), &library)
        .unwrap_err();
    let summary: Vec<String> = found
        .iter()
        .map(|d| format!("{} {} {}", d.location(), d.code, d.hint))
        .collect();
    assert_eq!(
        summary,
        [
            "strict.policy.ron:4:42 bad-home-page write the program's address, e.g. \"https://mentoring.example.org\"",
            "strict.policy.ron:5:35 unknown-scenario did you mean `cb-asking-for-a-friend`?",
            "strict.policy.ron:6:34 bad-threshold write a fraction, e.g. 0.8 for 80%",
            "strict.policy.ron:6:19 unknown-competency did you mean `SAFE`?",
        ]
    );
}

#[test]
fn modules_are_required_by_id_or_by_the_librarys_required_flag() {
    let library = bundled_library();
    let load = |require: &str| {
        let text = format!(
            "(id: \"p\", version: 1, program: (name: \"P\", home_page: \"https://p.example\"), {require})"
        );
        policy::from_source(&SourceText::new("p.policy.ron", text), &library)
    };
    let modules = |require: &str| -> Vec<String> {
        load(require)
            .unwrap()
            .policy
            .require
            .iter()
            .map(|r| r.label(&library))
            .collect()
    };
    assert_eq!(
        modules(r#"require: [Module("dependency")]"#),
        ["Module: Dependency"]
    );
    // A policy saved before modules were data names them by a bare identifier.
    assert_eq!(
        modules("require: [Module(CompassionFatigue)]"),
        ["Module: Compassion fatigue"]
    );
    // Without a list, every module the library marks `required`, in its order.
    assert_eq!(
        modules(""),
        [
            "Module: Starting well",
            "Module: Active listening",
            "Module: Confidentiality boundaries",
            "Module: Dependency",
            "Module: Compassion fatigue",
            "Module: Ending well"
        ]
    );
    let unknown = load(r#"require: [Module("listening-skills")]"#).unwrap_err();
    assert_eq!(unknown[0].code.as_str(), "unknown-module");
    assert!(
        unknown[0].hint.contains("active-listening"),
        "{:?}",
        unknown[0]
    );
    let nothing = load("require: []").unwrap_err();
    assert_eq!(nothing[0].code.as_str(), "nothing-required");
}

#[test]
fn a_programs_contacts_are_checked_by_name_and_left_out_ones_keep_their_defaults() {
    let library = bundled_library();
    let text = r#"(
    id: "us", version: 1,
    program: (name: "P", home_page: "https://p.example"),
    contacts: { "emergency_number": "911", "crisis_lines": "988", "coordinator": " " },
)"#;
    let source = SourceText::new("us.policy.ron", text.into());
    let found: Vec<String> = policy::from_source(&source, &library)
        .unwrap_err()
        .iter()
        .map(|d| format!("{} {} {}", d.location(), d.code, d.hint))
        .collect();
    assert_eq!(
        found,
        [
            "us.policy.ron:4:67 empty-text write what trainees should see, or leave it out for the default",
            "us.policy.ron:4:44 unknown-placeholder did you mean `crisis_line`?",
        ]
    );
    assert_eq!(policy::for_play(&source).unwrap_err().len(), 2);

    let good = SourceText::new(
        "us.policy.ron",
        text.replace(r#", "crisis_lines": "988", "coordinator": " ""#, ""),
    );
    let contacts = policy::for_play(&good).unwrap().contacts;
    let shown = contacts.shown();
    assert_eq!(shown["emergency_number"], "911");
    assert_eq!(shown["crisis_line"], "Samaritans (116 123)", "the default");
}

#[test]
fn a_policy_with_a_syntax_error_points_at_it() {
    let library = bundled_library();
    let text = "(\n    id: \"x\",\n    version: 1\n    program: (name: \"P\", home_page: \"https://p.example\"),\n)";
    let found =
        policy::from_source(&SourceText::new("x.policy.ron", text.into()), &library).unwrap_err();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code.as_str(), "syntax");
    assert_eq!(found[0].line, 4, "{:?}", found[0]);
}

#[test]
fn growth_runs_from_the_first_to_the_latest_attempt_per_competency() {
    let library = bundled_library();
    let store = Store::in_memory().unwrap();
    store.save_trainee("t-1", "Eve").unwrap();
    let cb = library.scenario("cb-asking-for-a-friend").unwrap();
    let (_, weak) = play_recorded(&store, "t-1", cb, 1, Mode::Practice, Pick::Weakest);
    // Real attempts end minutes apart; these must at least not share a millisecond.
    std::thread::sleep(std::time::Duration::from_millis(3));
    let (_, strong) = play_recorded(&store, "t-1", cb, 2, Mode::Assessment, Pick::Strongest);
    let summaries = store.summaries(Which::Trainee("t-1")).unwrap();
    let growth = mentorsim_records::readiness::growth(&summaries);
    let conf = growth.iter().find(|g| g.competency == "CONF").unwrap();
    assert_eq!(conf.first, weak.scores["CONF"]);
    assert_eq!(conf.latest, strong.scores["CONF"]);
    assert_eq!(conf.attempts, 2);
    assert!(conf.latest > conf.first);
}

#[test]
fn reading_only_the_relevant_attempts_judges_as_reading_them_all() {
    let library = bundled_library();
    let store = cohort(&library);
    let practice_scenario = library.scenario("al-not-college-material").unwrap();
    for trainee in ["t-ready", "t-none"] {
        play_recorded(
            &store,
            trainee,
            practice_scenario,
            3,
            Mode::Assessment,
            Pick::Strongest,
        );
    }
    let policy = default_policy(&library);
    let relevant = store
        .summaries(Which::Relevant(&relevant(&policy, &library)))
        .unwrap();
    let all = store.summaries(Which::All).unwrap();
    assert_eq!(all.len(), relevant.len() + 2);
    assert!(
        relevant
            .iter()
            .all(|a| *a.scenario != *practice_scenario.id)
    );

    let trainees = store.trainees().unwrap();
    let now = jiff::Timestamp::now();
    let as_json = |summaries| {
        serde_json::to_value(evaluate(&policy, &library, &trainees, summaries, now)).unwrap()
    };
    assert_eq!(as_json(&relevant), as_json(&all));
}

#[test]
fn a_trainees_summaries_are_theirs_alone() {
    let library = bundled_library();
    let store = cohort(&library);
    let mine = store.summaries(Which::Trainee("t-practice")).unwrap();
    assert_eq!(mine.len(), ASSESSMENTS.len());
    assert!(mine.iter().all(|a| &*a.trainee == "t-practice"));
}
