//! The play engine as a trainee meets it: offered choices, feedback by mode, scoring against
//! the options actually offered, critical errors, determinism, resuming, and trainers'
//! rehearsals from any node.

mod support;

use std::sync::Arc;

use mentorsim_script::analysis::values_at;
use mentorsim_script::contacts::Contacts;
use mentorsim_script::engine::{Mode, PlayError, Rehearsal, Session, SessionState};
use mentorsim_script::model::Speaker;
use mentorsim_script::scenario::Scenario;
use mentorsim_script::scoring::FailReason;

const SCENARIO: &str = r#"Scenario(
    id: "tiny",
    title: "Tiny",
    topic: ConfidentialityBoundaries,
    version: 3,
    rubric: "synthetic",
    summary: "A tiny scenario.",
    minutes: 2,
    persona: (name: "Maya", age: 14, setting: "Youth club", background: "Month four."),
    variables: { "trust": (start: 1, min: 0, max: 2) },
    competencies: ["A", "B"],
    pass: (overall: 0.6),
    start: "intro",
    nodes: [
        Line(id: "intro", speaker: Narrator, text: "Maya arrives.", next: "ask"),
        Line(id: "ask", mood: Anxious, text: "Can I tell you something?", variants: ["Can I say something?", "Promise to listen?"], choices: [
            Choice(id: "best", text: "Of course.", next: "gate", effects: {"A": 3, "B": 1}, state: {"trust": 1}, feedback: "Warm."),
            Choice(id: "meh", text: "Sure, quickly.", next: "gate", effects: {"A": 1, "B": 1}, feedback: "Rushed."),
            Choice(id: "bad", text: "I promise to keep it secret.", next: "gate", effects: {"A": -1, "B": 0}, feedback: "Never promise.", severity: Critical("Promising secrecy before a disclosure of harm breaks trust later.")),
        ]),
        Branch(id: "gate", routes: [Route(when: "trust >= 2", next: "open"), Route(next: "closed")]),
        Line(id: "open", text: "Okay. It's about home.", choices: [
            Choice(id: "reflect", text: "Home feels hard right now.", next: "end", effects: {"A": 2, "B": 2}, feedback: "Reflects."),
            Choice(id: "probe", text: "What exactly happened?", next: "end", effects: {"A": 0, "B": -2}, feedback: "Investigates."),
            Choice(id: "trusting", text: "Thank you for trusting me.", next: "end", when: "trust >= 2", effects: {"A": 1, "B": 1}, feedback: "Affirms."),
        ]),
        Line(id: "closed", text: "Never mind.", choices: [
            Choice(id: "wait", text: "I'm here when you're ready.", next: "end", effects: {"B": 2}, feedback: "Patient."),
            Choice(id: "push", text: "Come on, tell me.", next: "end", effects: {"B": -1}, feedback: "Pushy."),
        ]),
        Ending(id: "end", outcome: Mixed, title: "End", text: "Maya leaves.", debrief: "Debrief."),
    ],
)"#;

fn scenario() -> Arc<Scenario> {
    let library = support::library_of(SCENARIO);
    assert_eq!(library.error_count(), 0, "{:?}", library.diagnostics);
    Arc::clone(library.scenario("tiny").expect("playable"))
}

fn play(session: &mut Session, ids: &[&str]) {
    session.advance().unwrap();
    for id in ids {
        session.choose_id(id).unwrap();
    }
}

#[test]
fn continue_lines_need_advance_and_decisions_need_a_choice() {
    let mut session = Session::start(scenario(), 7, Mode::Practice).unwrap();
    let line = session.current().unwrap();
    assert_eq!(line.node, "intro");
    assert!(line.options.is_empty());
    assert!(matches!(session.choose(1), Err(PlayError::NotADecision(_))));
    session.advance().unwrap();
    assert!(matches!(session.advance(), Err(PlayError::NeedsChoice(_))));
    assert_eq!(session.current().unwrap().options.len(), 3);
    assert!(matches!(
        session.choose(4),
        Err(PlayError::NoSuchPosition {
            position: 4,
            count: 3
        })
    ));
}

#[test]
fn practice_gives_feedback_at_once_and_assessment_keeps_it_for_the_debrief() {
    let mut practice = Session::start(scenario(), 1, Mode::Practice).unwrap();
    practice.advance().unwrap();
    let feedback = practice
        .choose_id("best")
        .unwrap()
        .expect("practice feedback");
    assert_eq!(feedback.feedback, "Warm.");
    assert_eq!(feedback.effects.get("A"), Some(&3));

    let mut assessment = Session::start(scenario(), 1, Mode::Assessment).unwrap();
    assessment.advance().unwrap();
    assert_eq!(assessment.choose_id("best").unwrap(), None);
    assessment.choose_id("reflect").unwrap();
    let result = assessment.result().unwrap();
    assert_eq!(result.decisions[0].chosen.feedback, "Warm.");
}

#[test]
fn variables_route_branches_and_show_choices() {
    let mut trusted = Session::start(scenario(), 3, Mode::Practice).unwrap();
    play(&mut trusted, &["best"]);
    let line = trusted.current().unwrap();
    assert_eq!(line.node, "open");
    assert_eq!(line.options.len(), 3, "`trusting` shows once trust >= 2");

    let mut guarded = Session::start(scenario(), 3, Mode::Practice).unwrap();
    play(&mut guarded, &["meh"]);
    assert_eq!(guarded.current().unwrap().node, "closed");
    assert_eq!(guarded.variables()["trust"], 1);
}

#[test]
fn each_decision_is_scored_against_the_best_and_worst_options_offered() {
    let mut session = Session::start(scenario(), 5, Mode::Assessment).unwrap();
    play(&mut session, &["meh", "wait"]);
    let result = session.result().unwrap();
    // ask: A offered -1..3, chose 1 -> 2 of 4; B offered 0..1, chose 1 -> 1 of 1.
    // closed: A not assessed (no effects); B offered -1..2, chose 2 -> 3 of 3.
    assert_eq!(result.scores["A"], 0.5);
    assert_eq!(result.scores["B"], 1.0);
    assert_eq!(result.overall, 0.75);
    assert!(result.passed, "A at 0.5 meets its 0.5 threshold exactly");
}

#[test]
fn a_critical_choice_fails_the_attempt_whatever_the_points() {
    let mut session = Session::start(scenario(), 5, Mode::Practice).unwrap();
    session.advance().unwrap();
    let feedback = session.choose_id("bad").unwrap().unwrap();
    assert!(matches!(
        feedback.severity,
        mentorsim_script::model::Severity::Critical(_)
    ));
    session.choose_id("wait").unwrap();
    let result = session.result().unwrap();
    assert!(!result.passed);
    assert_eq!(result.critical.len(), 1);
    assert!(matches!(result.reasons[0], FailReason::Critical { .. }));
    assert_eq!(result.path, ["intro", "ask", "gate", "closed", "end"]);
    assert_eq!(result.ending, "end");
}

#[test]
fn the_same_seed_gives_the_same_wording_order_and_result() {
    let run = |seed| {
        let mut session = Session::start(scenario(), seed, Mode::Practice).unwrap();
        session.advance().unwrap();
        let line = session.current().unwrap();
        session.choose(1).unwrap();
        session.choose(1).unwrap();
        (line, session.result().unwrap())
    };
    assert_eq!(run(42), run(42));
    let orders: std::collections::HashSet<Vec<String>> = (0..40)
        .map(|seed| run(seed).0.options.into_iter().map(|o| o.id).collect())
        .collect();
    assert!(orders.len() > 1, "choice order is shuffled by seed");
    let texts: std::collections::HashSet<String> = (0..40).map(|seed| run(seed).0.text).collect();
    assert_eq!(texts.len(), 3, "all three wordings appear");
}

#[test]
fn a_saved_state_resumes_at_the_same_decision() {
    let mut session = Session::start(scenario(), 9, Mode::Assessment).unwrap();
    play(&mut session, &["best"]);
    let saved = serde_json::to_string(&session.state()).unwrap();
    let state: SessionState = serde_json::from_str(&saved).unwrap();
    let mut resumed = Session::resume(scenario(), &state).unwrap();
    assert_eq!(resumed.current(), session.current());
    resumed.choose_id("reflect").unwrap();
    session.choose_id("reflect").unwrap();
    assert_eq!(resumed.result(), session.result());
}

#[test]
fn resuming_refuses_another_version_or_an_action_that_no_longer_fits() {
    let mut state = Session::start(scenario(), 9, Mode::Practice)
        .unwrap()
        .state();
    state.version = 2;
    assert!(matches!(
        Session::resume(scenario(), &state),
        Err(PlayError::WrongScenario { .. })
    ));
    state.version = 3;
    state.actions = vec![mentorsim_script::engine::Action::Choose("nope".into())];
    assert!(matches!(
        Session::resume(scenario(), &state),
        Err(PlayError::Replay { step: 1, .. })
    ));
}

#[test]
fn the_debrief_names_the_best_option_of_each_decision() {
    let mut session = Session::start(scenario(), 2, Mode::Assessment).unwrap();
    play(&mut session, &["meh", "push"]);
    let result = session.result().unwrap();
    assert_eq!(result.decisions[0].best.id, "best");
    assert!(!result.decisions[0].was_best);
    assert_eq!(result.decisions[1].best.id, "wait");
}

#[test]
fn a_programs_contacts_fill_what_is_said_and_who_says_it() {
    let text = SCENARIO.replace(
        r#"Line(id: "intro", speaker: Narrator, text: "Maya arrives.""#,
        r#"Line(id: "intro", speaker: Other("Jo, the {coordinator}"), text: "Ring {emergency_number} if you must.""#,
    );
    let mut library = support::library_of(&text);
    assert_eq!(library.error_count(), 0, "{:?}", library.diagnostics);
    library.fill_contacts(&Contacts(
        [
            ("coordinator".to_owned(), "mentor lead".to_owned()),
            ("emergency_number".to_owned(), "911".to_owned()),
        ]
        .into(),
    ));
    let scenario = Arc::clone(library.scenario("tiny").unwrap());
    let session = Session::start(scenario, 1, Mode::Practice).unwrap();
    let line = session.current().unwrap();
    assert_eq!(line.speaker, Speaker::Other("Jo, the mentor lead".into()));
    assert_eq!(line.text, "Ring 911 if you must.");
}

fn from(node: &str, variables: &[(&str, i32)]) -> Rehearsal {
    Rehearsal {
        node: node.into(),
        variables: variables.iter().map(|&(n, v)| (n.into(), v)).collect(),
    }
}

#[test]
fn a_rehearsal_starts_at_the_node_with_the_chosen_values() {
    let mut session =
        Session::rehearse(scenario(), from("gate", &[("trust", 2)]), 4, Mode::Practice).unwrap();
    let line = session.current().unwrap();
    assert_eq!(line.node, "open", "the branch routes on the chosen trust");
    assert_eq!(line.options.len(), 3, "`trusting` shows at trust 2");
    assert_eq!(session.variables()["trust"], 2);

    session.choose_id("reflect").unwrap();
    let result = session.result().unwrap();
    assert_eq!(result.path, ["gate", "open", "end"]);
    assert_eq!(
        result.decisions.len(),
        1,
        "only decisions after the node count"
    );
    assert_eq!(result.rehearsal, Some(from("gate", &[("trust", 2)])));
}

#[test]
fn a_rehearsal_leaves_unset_variables_at_their_start_values() {
    let session = Session::rehearse(scenario(), from("gate", &[]), 4, Mode::Practice).unwrap();
    assert_eq!(
        session.current().unwrap().node,
        "closed",
        "trust starts at 1"
    );
}

#[test]
fn a_rehearsal_resumes_from_its_saved_state() {
    let mut session = Session::rehearse(
        scenario(),
        from("ask", &[("trust", 0)]),
        9,
        Mode::Assessment,
    )
    .unwrap();
    session.choose_id("best").unwrap();
    let state = session.state();
    assert_eq!(state.rehearsal, Some(from("ask", &[("trust", 0)])));
    let resumed = Session::resume(scenario(), &state).unwrap();
    assert_eq!(resumed.current(), session.current());
    assert_eq!(resumed.variables()["trust"], 1, "0 + 1 from `best`");
}

#[test]
fn a_rehearsal_refuses_unknown_nodes_endings_unknown_variables_and_values_out_of_range() {
    let refused = |rehearsal| Session::rehearse(scenario(), rehearsal, 1, Mode::Practice).err();
    assert_eq!(
        refused(from("nowhere", &[])),
        Some(PlayError::UnknownNode("nowhere".into()))
    );
    assert_eq!(
        refused(from("end", &[])),
        Some(PlayError::StartsAtEnding("end".into()))
    );
    assert_eq!(
        refused(from("ask", &[("mood", 1)])),
        Some(PlayError::UnknownVariable {
            name: "mood".into(),
            declared: "trust".into()
        })
    );
    let Some(error) = refused(from("ask", &[("trust", 5)])) else {
        panic!("5 is above trust's maximum");
    };
    assert_eq!(error.to_string(), "`trust` = 5 is outside its range 0..=2");
}

#[test]
fn the_values_offered_for_a_rehearsal_are_those_play_can_reach_there() {
    let scenario = scenario();
    let at = |id: &str| values_at(&scenario, scenario.node_index(id).unwrap());
    assert_eq!(at("ask"), [vec![1]]);
    assert_eq!(at("open"), [vec![2]], "only `best` raises trust to 2");
    assert_eq!(at("closed"), [vec![1]]);
    assert!(at("gate").is_empty(), "play passes through branches");
    assert!(at("end").is_empty(), "endings are not lines");
}

#[test]
fn a_score_just_under_a_threshold_never_reads_as_meeting_it() {
    use mentorsim_script::scoring::shown_percent;
    let reason = FailReason::OverallBelow {
        score: 0.6966,
        threshold: 0.7,
    };
    assert_eq!(
        reason.to_string(),
        "overall score 69% is below the 70% needed"
    );
    assert_eq!(
        shown_percent(0.29),
        29.0,
        "exact fractions are not pushed down"
    );
    assert_eq!(shown_percent(1.0), 100.0);
}

#[test]
fn the_debrief_adds_the_notes_whose_condition_holds_at_the_ending() {
    let text = SCENARIO.replace(
        r#"debrief: "Debrief.")"#,
        r#"debrief: "Debrief.", notes: [Note(when: "trust >= 2", text: "Trust grew."), Note(text: "Always said.")])"#,
    );
    let library = support::library_of(&text);
    assert_eq!(library.error_count(), 0, "{:?}", library.diagnostics);
    let scenario = library.scenario("tiny").unwrap();
    let debrief = |picks: &[&str]| {
        let mut session = Session::start(Arc::clone(scenario), 1, Mode::Assessment).unwrap();
        play(&mut session, picks);
        session.result().unwrap().ending_debrief
    };
    assert_eq!(
        debrief(&["best", "reflect"]),
        "Debrief.\n\nTrust grew.\n\nAlways said."
    );
    assert_eq!(debrief(&["meh", "wait"]), "Debrief.\n\nAlways said.");
}

/// An ending's `not_passed` paragraph closes the debrief of an attempt that did not pass, and
/// only of such an attempt.
#[test]
fn the_not_passed_paragraph_follows_the_verdict() {
    let text = SCENARIO.replace(
        r#"debrief: "Debrief.")"#,
        r#"debrief: "Debrief.", not_passed: "Why the verdict differs.")"#,
    );
    let library = support::library_of(&text);
    let scenario = Arc::clone(library.scenario("tiny").expect("playable"));
    let debrief = |choices: &[&str]| {
        let mut session = Session::start(Arc::clone(&scenario), 5, Mode::Practice).unwrap();
        play(&mut session, choices);
        let result = session.result().unwrap();
        (result.passed, result.ending_debrief)
    };
    assert_eq!(debrief(&["best", "reflect"]), (true, "Debrief.".to_owned()));
    assert_eq!(
        debrief(&["bad", "wait"]),
        (false, "Debrief.\n\nWhy the verdict differs.".to_owned())
    );
}
