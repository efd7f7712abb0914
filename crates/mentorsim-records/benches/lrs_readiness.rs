//! Readiness from a Learning Record Store at program scale: 100 and then 1,000 trainees with 5
//! finished assessment attempts each are sent to a real LRS on loopback (Learning Locker's
//! xapi-statements in memory, tests/xapi/lrs-multi.sh), and the coordinator's judgement is
//! timed: fetching every statement about the policy's scenarios, rebuilding and replaying each
//! attempt on the library's texts, and judging. Run with
//! `cargo bench -p mentorsim-records --bench lrs_readiness` (needs node and npm; the LRS installs
//! once). Goal: 1,000 trainees in under 10 s. Then the same judgement with the coordinator
//! keeping what it read (`readiness --lrs` does): the first read keeps every statement, and a
//! repeated judgement asks the LRS only for what it stored since.

#[path = "../tests/support/play.rs"]
mod play;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use mentorsim_records::export::xapi::attempt_statements;
use mentorsim_records::export::{Finished, Selection, collect};
use mentorsim_records::lrs::Lrs;
use mentorsim_records::policy;
use mentorsim_records::readiness::{evaluate, relevant};
use mentorsim_records::replayed::{replay_statements, scenario_activities};
use mentorsim_records::store::Store;
use mentorsim_script::engine::Mode;
use play::{Pick, bundled_library, play_recorded};
use serde_json::Value;

const ATTEMPTS_EACH: usize = 5;

fn lrs_script(args: &[&str]) -> String {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/xapi/lrs-multi.sh");
    let out = Command::new("bash")
        .arg(script)
        .args(args)
        .output()
        .expect("bash");
    assert!(
        out.status.success(),
        "lrs-multi.sh {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn main() {
    let library = bundled_library();
    let policy_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/program.policy.ron"
    );
    let policy = policy::load(Path::new(policy_path), &library)
        .expect("bundled policy")
        .policy;

    // Template attempts: each assessment played strongly and weakly, then copied to every
    // trainee under fresh attempt ids (their statements are those of real attempts).
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    store.save_trainee("t-gen", "Generator").unwrap();
    for scenario in library.scenarios.iter().filter_map(|e| e.scenario.as_ref()) {
        if scenario.kind == mentorsim_script::model::ScenarioKind::Assessment {
            for (seed, pick) in [(1, Pick::Strongest), (2, Pick::Weakest)] {
                play_recorded(&store, "t-gen", scenario, seed, Mode::Assessment, pick);
            }
        }
    }
    let templates: Vec<Finished> = collect(&store, &library, &Selection::default())
        .unwrap()
        .records;
    let coordinator = Store::in_memory().unwrap();

    println!(
        "{:>9} {:>9} {:>11} {:>9} {:>9} {:>9} {:>12}",
        "trainees", "attempts", "statements", "fetch", "replay", "total", "statements/s"
    );
    for trainees in [100, 1_000] {
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let endpoint = lrs_script(&["start", &port.to_string(), dir.path().to_str().unwrap()]);
        let lrs = Lrs {
            endpoint: endpoint.clone(),
            credentials: Some(("trainer".into(), "s3cret".into())),
            allow_insecure_http: false,
            batch_size: 1_000,
            attempts: 4,
            backoff: Duration::from_millis(500),
        };

        let mut statements: Vec<Value> = Vec::new();
        for t in 0..trainees {
            for k in 0..ATTEMPTS_EACH {
                let mut finished = templates[(t * ATTEMPTS_EACH + k) % templates.len()].clone();
                finished.attempt.id = uuid::Uuid::new_v4().to_string();
                finished.attempt.trainee = format!("t-{t:05}");
                statements.extend(attempt_statements(&finished, &policy.program));
            }
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        let sending = Instant::now();
        for batch in statements.chunks(2_000) {
            agent
                .post(&format!("{endpoint}statements"))
                .header("X-Experience-API-Version", "1.0.3")
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic dHJhaW5lcjpzM2NyZXQ=")
                .send(serde_json::to_string(batch).unwrap())
                .expect("the LRS takes the batch");
        }
        let sent = sending.elapsed();
        // The in-memory LRS's paging cursor breaks every 429.5 s: read outside that moment.
        lrs_script(&["paging-safe", "60"]);

        let activities = scenario_activities(&policy.program, &relevant(&policy, &library));
        let start = Instant::now();
        let fetched = lrs.fetch(&activities).expect("fetch");
        let fetch = start.elapsed();
        let replayed = replay_statements(
            &coordinator,
            &library,
            &fetched.statements,
            &policy.program.home_page,
        );
        let judged = evaluate(
            &policy,
            &library,
            &replayed.trainees,
            &replayed.summaries,
            jiff::Timestamp::now(),
        );
        let total = start.elapsed();
        assert_eq!(
            fetched.statements.len(),
            statements.len(),
            "every statement came back"
        );
        assert_eq!(
            replayed.summaries.len(),
            trainees * ATTEMPTS_EACH,
            "every attempt counted"
        );
        assert!(replayed.not_counted.is_empty());
        assert_eq!(judged.len(), trainees);
        println!(
            "{trainees:>9} {:>9} {:>11} {:>8.2}s {:>8.2}s {:>8.2}s {:>12.0}   (sent in {:.1}s, {} requests)",
            trainees * ATTEMPTS_EACH,
            statements.len(),
            fetch.as_secs_f64(),
            (total - fetch).as_secs_f64(),
            total.as_secs_f64(),
            statements.len() as f64 / total.as_secs_f64(),
            sent.as_secs_f64(),
            fetched.requests
        );

        let keeping = Store::in_memory().unwrap();
        let judge_kept = || {
            let start = Instant::now();
            let fetched = lrs.fetch_kept(&activities, &keeping).expect("fetch");
            let replayed = replay_statements(
                &keeping,
                &library,
                &fetched.statements,
                &policy.program.home_page,
            );
            assert_eq!(replayed.summaries.len(), trainees * ATTEMPTS_EACH);
            (start.elapsed(), fetched.new, fetched.requests)
        };
        let (first, first_new, _) = judge_kept();
        let (again, again_new, requests) = judge_kept();
        println!(
            "{:>42} kept: first judgement {:.2}s ({first_new} read), repeated {:.2}s ({again_new} new, {requests} requests)",
            "",
            first.as_secs_f64(),
            again.as_secs_f64(),
        );
        lrs_script(&["stop", dir.path().to_str().unwrap()]);
    }
}
