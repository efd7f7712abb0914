//! Readiness over a large program: 10,000 trainees with 20 finished attempts each (200,000
//! attempts, a quarter of them module assessments). Run with
//! `cargo bench -p mentorsim-core --bench readiness`. Target: under 1 s for reading the records
//! and judging everyone. The records are built in an in-memory database (writing 200,000
//! attempts one committed transaction at a time to disk would take longer than the bench);
//! reading a database file that the page cache holds costs about the same.

#[path = "../tests/support/play.rs"]
mod play;

use std::time::{Duration, Instant};

use mentorsim_core::engine::Mode;
use mentorsim_core::policy;
use mentorsim_core::readiness::evaluate;
use mentorsim_core::records::Store;
use play::{Pick, bundled_library, play_recorded};

const TRAINEES: usize = 10_000;
const ATTEMPTS_EACH: usize = 20;

fn main() {
    let library = bundled_library();
    let policy_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/program.policy.ron"
    );
    let policy = policy::load(std::path::Path::new(policy_path), &library)
        .expect("bundled policy")
        .policy;

    // One strong and one weak result per scenario and mode, reused across trainees.
    let scratch = Store::in_memory().unwrap();
    scratch.save_trainee("t-gen", "Generator").unwrap();
    let mut results = Vec::new();
    for id in library.scenario_ids() {
        let scenario = library.scenario(id).unwrap();
        for mode in [Mode::Practice, Mode::Assessment] {
            for pick in [Pick::Strongest, Pick::Weakest] {
                let (_, result) = play_recorded(&scratch, "t-gen", scenario, 1, mode, pick);
                results.push((scenario.clone(), mode, result));
            }
        }
    }

    let started = Instant::now();
    let store = Store::in_memory().unwrap();
    for t in 0..TRAINEES {
        let trainee = format!("t-{t:05}");
        store
            .save_trainee(&trainee, &format!("Trainee {t}"))
            .unwrap();
        for a in 0..ATTEMPTS_EACH {
            let (scenario, mode, result) = &results[(t * 7 + a * 5) % results.len()];
            let attempt = store
                .begin_attempt(&trainee, scenario, a as u64, *mode)
                .unwrap();
            store.finish_attempt(&attempt, result).unwrap();
        }
    }
    println!(
        "built {} trainees x {} attempts in {:.1} s",
        TRAINEES,
        ATTEMPTS_EACH,
        started.elapsed().as_secs_f64()
    );

    let mut runs = Vec::new();
    let mut ready = 0;
    for _ in 0..5 {
        let started = Instant::now();
        let trainees = store.trainees().unwrap();
        let summaries = store.summaries().unwrap();
        let read = started.elapsed();
        let judged = evaluate(
            &policy,
            &library,
            &trainees,
            &summaries,
            jiff::Timestamp::now(),
        );
        ready = judged.iter().filter(|t| t.ready).count();
        runs.push((read, started.elapsed()));
    }
    runs.sort_by_key(|r| r.1);
    let (read, total): (Duration, Duration) = runs[runs.len() / 2];
    println!(
        "readiness of {TRAINEES} trainees over {} attempts: {:.0} ms (reading the records {:.0} ms, judging {:.0} ms); {ready} ready",
        TRAINEES * ATTEMPTS_EACH,
        total.as_secs_f64() * 1e3,
        read.as_secs_f64() * 1e3,
        (total - read).as_secs_f64() * 1e3,
    );
}
