//! A coordinator rebuilds attempts from the xAPI statements stations sent, and counts one only
//! when its replay earns what the station claims.

#[path = "support/play.rs"]
mod play;

use mentorsim_records::export::{Selection, collect, xapi};
use mentorsim_records::from_xapi::rebuild;
use mentorsim_records::policy::Program;
use mentorsim_records::replay_check::{self, NotCounted};
use mentorsim_records::store::Store;
use mentorsim_script::engine::Mode;
use play::{Pick, bundled_library, play_recorded};
use serde_json::Value;

const HOME: &str = "https://program.example/mentoring";

/// The statements of two finished attempts (a pass and a fail) and of one still in progress.
fn statements(store: &Store) -> Vec<Value> {
    let library = bundled_library();
    store.save_trainee("t-ada", "Ada").unwrap();
    let scenario = library.scenario("dep-just-till-the-28th").unwrap();
    play_recorded(
        store,
        "t-ada",
        scenario,
        1,
        Mode::Assessment,
        Pick::Strongest,
    );
    play_recorded(store, "t-ada", scenario, 2, Mode::Assessment, Pick::Weakest);
    let collected = collect(store, &library, &Selection::default()).unwrap();
    let program = Program {
        name: "Test".into(),
        home_page: HOME.into(),
    };
    let mut statements = xapi::statements(&collected.records, &program);
    // An attempt in progress has sent its first statements only.
    let mut in_progress: Vec<Value> = statements[..5].to_vec();
    for s in &mut in_progress {
        s["context"]["registration"] = "5f1c9d8e-0000-4000-8000-000000000001".into();
        s["id"] = uuid::Uuid::new_v4().to_string().into();
    }
    statements.extend(in_progress);
    statements
}

fn answered_of(statements: &mut [Value], registration: &str) -> Vec<usize> {
    (0..statements.len())
        .filter(|&i| {
            statements[i]["context"]["registration"] == registration
                && statements[i]["verb"]["id"] == "http://adlnet.gov/expapi/verbs/answered"
        })
        .collect()
}

#[test]
fn finished_attempts_rebuilt_from_their_statements_replay_to_what_they_claim() {
    let store = Store::in_memory().unwrap();
    let library = bundled_library();
    let mut sent = statements(&store);
    // Statements come back from an LRS in any order.
    sent.reverse();
    let rebuilt = rebuild(&sent, HOME);
    assert_eq!(rebuilt.len(), 2, "the attempt in progress is left out");
    let mut verdicts = Vec::new();
    for attempt in &rebuilt {
        assert_eq!(attempt.trainee.as_deref(), Some("t-ada"));
        let (attempt, claim) = attempt.attempt.as_ref().unwrap();
        let verified = replay_check::check(&store, &library, attempt, claim).unwrap();
        verdicts.push(verified.result.passed);
        // The replay puts back the moves between decisions that xAPI does not record.
        assert!(verified.steps.len() > attempt.steps.len());
    }
    verdicts.sort();
    assert_eq!(verdicts, [false, true]);
}

#[test]
fn a_forged_verdict_or_a_missing_decision_does_not_count_and_says_why() {
    let store = Store::in_memory().unwrap();
    let library = bundled_library();
    let original = statements(&store);
    let failed = original
        .iter()
        .find(|s| s["verb"]["id"] == "http://adlnet.gov/expapi/verbs/failed")
        .unwrap();
    let registration = failed["context"]["registration"]
        .as_str()
        .unwrap()
        .to_owned();

    // The station turns its fail into a pass, with a passing score.
    let mut forged = original.clone();
    for s in forged
        .iter_mut()
        .filter(|s| s["context"]["registration"] == registration.as_str())
    {
        if s["verb"]["id"] == "http://adlnet.gov/expapi/verbs/failed" {
            s["verb"]["id"] = "http://adlnet.gov/expapi/verbs/passed".into();
            s["result"]["success"] = true.into();
            s["result"]["score"]["scaled"] = 0.95.into();
        }
    }
    let judged = |statements: &[Value]| -> Result<bool, NotCounted> {
        let rebuilt = rebuild(statements, HOME);
        let attempt = rebuilt
            .iter()
            .find(|r| r.registration == registration)
            .expect("rebuilt");
        let (attempt, claim) = attempt.attempt.clone()?;
        replay_check::check(&store, &library, &attempt, &claim).map(|v| v.result.passed)
    };
    assert_eq!(judged(&original), Ok(false));
    match judged(&forged) {
        Err(NotCounted::ClaimDiffers(why)) => {
            assert!(
                why[0].contains("it claims a pass, the choices a fail"),
                "{why:?}"
            )
        }
        other => panic!("a forged pass counted: {other:?}"),
    }

    // A decision lost on the way: a gap.
    let mut gapped = original.clone();
    let answered = answered_of(&mut gapped, &registration);
    gapped.remove(answered[2]);
    assert_eq!(judged(&gapped), Err(NotCounted::Gap { missing: 2 }));

    // The last decision lost: fewer than the attempt says it had.
    let mut short = original.clone();
    let answered = answered_of(&mut short, &registration);
    short.remove(*answered.last().unwrap());
    assert!(matches!(judged(&short), Err(NotCounted::Gap { .. })));

    // Another choice at one decision than the station recorded: the replay differs.
    let mut swapped = original.clone();
    let answered = answered_of(&mut swapped, &registration);
    let key = format!("{HOME}/xapi/extensions/decision");
    swapped[answered[0]]["context"]["extensions"][&key]["choice"] = "no-such-option".into();
    assert!(matches!(
        judged(&swapped),
        Err(NotCounted::DoesNotReplay(_))
    ));

    // A scenario version the coordinator does not hold.
    let mut unknown = original.clone();
    let played = format!("{HOME}/xapi/extensions/played");
    for s in unknown
        .iter_mut()
        .filter(|s| s["verb"]["id"] == "http://adlnet.gov/expapi/verbs/attempted")
    {
        s["context"]["extensions"][&played]["sha256"] = "00".repeat(32).into();
    }
    assert!(matches!(
        judged(&unknown),
        Err(NotCounted::UnknownVersion { .. })
    ));

    // Statements without the replay facts (an older station).
    let mut older = original;
    for s in older
        .iter_mut()
        .filter(|s| s["verb"]["id"] == "http://adlnet.gov/expapi/verbs/attempted")
    {
        s["context"]["extensions"] = Value::Null;
    }
    assert!(matches!(judged(&older), Err(NotCounted::Incomplete(_))));
}
