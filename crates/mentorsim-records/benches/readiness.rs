//! Readiness over a large program: 10,000 trainees with 20 finished attempts each (200,000
//! attempts, a quarter of them module assessments). Run with
//! `cargo bench -p mentorsim-records --bench readiness`. Target: under 1 s for reading the records
//! from the database file and judging everyone.
//!
//! The records are real: every scenario is played through the store in both modes, strongly and
//! weakly, and those attempts (with their scores, critical errors and steps) are copied to each
//! trainee by SQL in one transaction, which builds the file in seconds rather than the hours that
//! 200,000 one-choice-at-a-time committed attempts would take.

#[path = "../tests/support/play.rs"]
mod play;

use std::time::{Duration, Instant};

use mentorsim_records::policy;
use mentorsim_records::readiness::{evaluate, relevant};
use mentorsim_records::store::{DATABASE_FILE, Store, Which};
use mentorsim_script::engine::Mode;
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

    let folder = tempfile::tempdir().unwrap();
    let started = Instant::now();
    {
        let store = Store::open(folder.path()).unwrap();
        store.save_trainee("t-gen", "Generator").unwrap();
        for id in library.scenario_ids() {
            let scenario = library.scenario(id).unwrap();
            for mode in [Mode::Practice, Mode::Assessment] {
                for pick in [Pick::Strongest, Pick::Weakest] {
                    play_recorded(&store, "t-gen", scenario, 1, mode, pick);
                }
            }
        }
    }
    copy_to_trainees(&folder.path().join(DATABASE_FILE));
    println!(
        "built {TRAINEES} trainees x {ATTEMPTS_EACH} attempts in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let file = folder.path().join(DATABASE_FILE);
    let megabytes = std::fs::metadata(&file).unwrap().len() as f64 / 1e6;
    let conn = rusqlite::Connection::open(&file).unwrap();
    for pragma in ["quick_check", "integrity_check"] {
        let started = Instant::now();
        let verdict: String = conn
            .query_row(&format!("PRAGMA {pragma}"), [], |row| row.get(0))
            .unwrap();
        println!(
            "PRAGMA {pragma} of the {megabytes:.0} MB file: {:.0} ms ({verdict})",
            started.elapsed().as_secs_f64() * 1e3
        );
    }
    drop(conn);
    let started = Instant::now();
    drop(Store::open(folder.path()).unwrap());
    println!(
        "Store::open for writing (quick_check included): {:.0} ms",
        started.elapsed().as_secs_f64() * 1e3
    );

    // As `mentorsim readiness` reads them: opened read-only.
    let store = Store::open_read_only(folder.path()).unwrap();
    let mut runs = Vec::new();
    let mut ready = 0;
    for _ in 0..5 {
        let started = Instant::now();
        let trainees = store.trainees().unwrap();
        let summaries = store
            .summaries(Which::Relevant(&relevant(&policy, &library)))
            .unwrap();
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

/// Gives every trainee `ATTEMPTS_EACH` copies of the generator's attempts (a fixed spread of
/// scenarios, modes and strengths), each ending a minute after the last, then drops the
/// generator.
fn copy_to_trainees(file: &std::path::Path) {
    let conn = rusqlite::Connection::open(file).unwrap();
    conn.execute_batch(&format!(
        "PRAGMA synchronous = OFF;
         BEGIN;
         CREATE TEMP TABLE template AS
             SELECT row_number() OVER (ORDER BY rowid) - 1 AS n, id FROM attempts;
         CREATE TEMP TABLE copies AS
             WITH RECURSIVE
                 t(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM t WHERE i + 1 < {TRAINEES}),
                 a(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM a WHERE j + 1 < {ATTEMPTS_EACH})
             SELECT printf('t-%05d', i) AS trainee, j,
                    (SELECT id FROM template
                     WHERE n = (i * 7 + j * 5) % (SELECT count(*) FROM template)) AS template,
                    lower(printf('%s-%s-4%s-a%s-%s', hex(randomblob(4)), hex(randomblob(2)),
                        substr(hex(randomblob(2)), 2), substr(hex(randomblob(2)), 2),
                        hex(randomblob(6)))) AS id
             FROM t, a;
         INSERT INTO trainees (id, name, created)
             SELECT DISTINCT trainee, 'Trainee ' || substr(trainee, 3),
                    strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM copies;
         INSERT INTO attempts (id, trainee, scenario, scenario_version, scenario_sha256, rubric,
                 rubric_version, mode, seed, started, ended, passed, overall, result, reflection,
                 rubric_sha256, topic, kind)
             SELECT c.id, c.trainee, a.scenario, a.scenario_version, a.scenario_sha256, a.rubric,
                    a.rubric_version, a.mode, a.seed,
                    strftime('%Y-%m-%dT%H:%M:%fZ', a.started, '-' || (1000 - c.j) || ' minutes'),
                    strftime('%Y-%m-%dT%H:%M:%fZ', a.ended, '-' || (999 - c.j) || ' minutes'),
                    a.passed, a.overall, a.result, a.reflection, a.rubric_sha256, a.topic, a.kind
             FROM copies c JOIN attempts a ON a.id = c.template;
         INSERT INTO steps (attempt, seq, node, choice, millis, at)
             SELECT c.id, s.seq, s.node, s.choice, s.millis, s.at
             FROM copies c JOIN steps s ON s.attempt = c.template;
         INSERT INTO attempt_scores (attempt, competency, score)
             SELECT c.id, s.competency, s.score
             FROM copies c JOIN attempt_scores s ON s.attempt = c.template;
         INSERT INTO critical_errors (attempt, seq, node, choice, text, explanation)
             SELECT c.id, e.seq, e.node, e.choice, e.text, e.explanation
             FROM copies c JOIN critical_errors e ON e.attempt = c.template;
         DELETE FROM steps WHERE attempt IN (SELECT id FROM template);
         DELETE FROM attempt_scores WHERE attempt IN (SELECT id FROM template);
         DELETE FROM critical_errors WHERE attempt IN (SELECT id FROM template);
         DELETE FROM attempts WHERE trainee = 't-gen';
         DELETE FROM trainees WHERE id = 't-gen';
         COMMIT;
         PRAGMA wal_checkpoint(TRUNCATE);"
    ))
    .unwrap();
}
