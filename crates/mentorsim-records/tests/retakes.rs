//! Parallel forms and the retake rule: after a failed assessment the next counting attempt is
//! at another form (or the same one after the wait), only so many attempts count in a period,
//! the form to take next is the one that would count, and each refusal says why.

use std::path::Path;
use std::sync::Arc;

use mentorsim_records::policy::{self, Policy};
use mentorsim_records::readiness::evaluate;
use mentorsim_records::retakes::{NextForm, next_form};
use mentorsim_records::store::{AttemptSummary, Trainee};
use mentorsim_script::engine::Mode;
use mentorsim_script::library::Library;
use mentorsim_script::source::SourceText;

const FORM_A: &str = "al-nine-years-out";
const FORM_B: &str = "al-on-his-own";

/// The bundled library: its modules have two assessment forms each.
fn library_with_two_forms() -> (tempfile::TempDir, Library) {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::load(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")]);
    assert_eq!(library.error_count(), 0, "{:?}", library.diagnostics);
    (dir, library)
}

/// The bundled library without the second active-listening form.
fn library_with_one_form() -> (tempfile::TempDir, Library) {
    let dir = tempfile::tempdir().unwrap();
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    copy_tree(&bundled, dir.path());
    std::fs::remove_file(dir.path().join("active-listening/on-his-own.scenario.ron")).unwrap();
    let library = Library::load(&[dir.path().to_owned()]);
    assert_eq!(library.error_count(), 0, "{:?}", library.diagnostics);
    (dir, library)
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn policy(library: &Library, retakes: &str) -> Policy {
    let text = format!(
        r#"(id: "p", version: 1, program: (name: "P", home_page: "https://p.example"),
            require: [Module("active-listening")], retakes: {retakes})"#
    );
    policy::from_source(&SourceText::new("p.policy.ron", text), library)
        .unwrap()
        .policy
}

const STRICT: &str = "(other_form_after_fail: true, same_form_after_days: Some(7), max_attempts: Some((attempts: 3, period_days: 30)))";

fn attempt(scenario: &str, day: u32, passed: bool) -> AttemptSummary {
    AttemptSummary {
        id: format!("{scenario}@{day}"),
        trainee: Arc::from("t-1"),
        scenario: Arc::from(scenario),
        topic: Some(Arc::from("active-listening")),
        kind: Some(mentorsim_script::model::ScenarioKind::Assessment),
        mode: Mode::Assessment,
        ended: format!("2026-03-{day:02}T10:00:00.000Z"),
        passed,
        overall: if passed { 0.9 } else { 0.4 },
        scores: Vec::new(),
        critical: Vec::new(),
    }
}

fn on_day(day: u32) -> jiff::Timestamp {
    format!("2026-03-{day:02}T12:00:00Z").parse().unwrap()
}

/// Whether the trainee is ready on `day`, and the reasons when not.
fn judged(
    policy: &Policy,
    library: &Library,
    attempts: &[AttemptSummary],
    day: u32,
) -> (bool, Vec<String>) {
    let trainee = Trainee {
        id: "t-1".into(),
        name: "Robin".into(),
    };
    let judged = evaluate(policy, library, &[trainee], attempts, on_day(day));
    let requirement = &judged[0].requirements[0];
    (requirement.met, requirement.reasons.clone())
}

#[test]
fn a_pass_on_the_form_just_failed_does_not_count_but_one_on_another_form_does() {
    let (_dir, library) = library_with_two_forms();
    let policy = policy(&library, STRICT);
    let same_form = [attempt(FORM_A, 2, false), attempt(FORM_A, 3, true)];
    let (met, reasons) = judged(&policy, &library, &same_form, 4);
    assert!(!met);
    assert_eq!(
        reasons,
        [
            "taken on the same form as the attempt failed on 2026-03-02; the next counting attempt is at another form, or at this one 7 days after the failure"
        ]
    );
    let other_form = [attempt(FORM_A, 2, false), attempt(FORM_B, 3, true)];
    assert!(judged(&policy, &library, &other_form, 4).0);
    let after_the_wait = [attempt(FORM_A, 2, false), attempt(FORM_A, 9, true)];
    assert!(judged(&policy, &library, &after_the_wait, 10).0);
}

#[test]
fn only_so_many_assessment_attempts_count_in_a_period() {
    let (_dir, library) = library_with_two_forms();
    let policy = policy(&library, STRICT);
    let attempts = [
        attempt(FORM_A, 1, false),
        attempt(FORM_B, 2, false),
        attempt(FORM_A, 3, false),
        attempt(FORM_B, 4, true),
    ];
    let (met, reasons) = judged(&policy, &library, &attempts, 5);
    assert!(!met);
    assert_eq!(
        reasons,
        ["assessment attempt 4 at this module within 30 days; the program counts 3"]
    );
    // A month after the first, the same pass would have been the third in its period.
    let later = [
        attempt(FORM_A, 1, false),
        attempt(FORM_B, 2, false),
        attempt(FORM_A, 3, false),
        attempt(FORM_B, 31, true),
    ];
    assert!(judged(&policy, &library, &later, 31).0);
}

#[test]
fn a_policy_without_a_retake_rule_counts_any_pass() {
    let (_dir, library) = library_with_two_forms();
    let policy = policy(&library, "()");
    let attempts = [attempt(FORM_A, 2, false), attempt(FORM_A, 2, true)];
    assert!(judged(&policy, &library, &attempts, 3).0);
}

#[test]
fn the_form_offered_next_is_one_that_would_count() {
    let (_dir, library) = library_with_two_forms();
    let policy = policy(&library, STRICT);
    let next = |attempts: &[AttemptSummary], day: u32| -> NextForm {
        next_form(&policy, &library, "active-listening", attempts, on_day(day))
    };
    assert_eq!(next(&[], 1).form.as_deref(), Some(FORM_A), "the first form");
    let failed_a = [attempt(FORM_A, 2, false)];
    let offered = next(&failed_a, 3);
    assert_eq!(offered.form.as_deref(), Some(FORM_B));
    assert_eq!(offered.why, "a form you have not taken yet");
    let failed_both = [attempt(FORM_A, 2, false), attempt(FORM_B, 3, false)];
    assert_eq!(
        next(&failed_both, 4).form.as_deref(),
        Some(FORM_A),
        "the one not failed last"
    );

    let three = [
        attempt(FORM_A, 1, false),
        attempt(FORM_B, 2, false),
        attempt(FORM_A, 3, false),
    ];
    let wait = next(&three, 4);
    assert_eq!(wait.form, None);
    assert_eq!(wait.from.as_deref(), Some("2026-03-31T10:00:00.000Z"));
    assert!(
        wait.why
            .starts_with("no attempt would count before 2026-03-31"),
        "{}",
        wait.why
    );
}

#[test]
fn with_one_form_a_failed_trainee_waits_for_the_same_form() {
    let (_dir, library) = library_with_one_form();
    let policy = policy(&library, STRICT);
    let failed = [attempt(FORM_A, 2, false)];
    let wait = next_form(&policy, &library, "active-listening", &failed, on_day(3));
    assert_eq!(wait.form, None);
    assert_eq!(wait.from.as_deref(), Some("2026-03-09T10:00:00.000Z"));
    let ready = next_form(&policy, &library, "active-listening", &failed, on_day(9));
    assert_eq!(ready.form.as_deref(), Some(FORM_A));
}

#[test]
fn a_limit_that_lets_nothing_count_is_refused_at_its_place() {
    let library = Library::load(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")]);
    let text = r#"(id: "p", version: 1, program: (name: "P", home_page: "https://p.example"),
    retakes: (max_attempts: Some((attempts: 0, period_days: 30))))"#;
    let found =
        policy::from_source(&SourceText::new("p.policy.ron", text.into()), &library).unwrap_err();
    assert_eq!(found[0].code.as_str(), "bad-retakes");
    assert_eq!(found[0].line, 2);
}
