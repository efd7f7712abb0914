//! Records as a program uses them, through the real binary: attempts survive `kill -9`,
//! readiness and exports read them, signed files reject tampering, and the xAPI export passes
//! independent validators and a real Learning Record Store.

#[path = "support/binary.rs"]
mod binary;
#[path = "../crates/mentorsim-records/tests/support/play.rs"]
mod play;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use binary::{mentorsim, text, xapi_tool};
use mentorsim_records::store::Store;
use mentorsim_script::engine::Mode;
use play::{Pick, play_recorded};

/// A cohort in `dir`: Ada passed every assessment, Bo only practised, Cy made a critical error.
/// The assessments every cohort trainee plays.
const COHORT_ASSESSMENTS: [&str; 6] = play::ONE_FORM_PER_MODULE;

/// The cohort's attempts: Ada's assessments, Bo's practice runs of them, and Cy's one fail.
const COHORT_ATTEMPTS: usize = 2 * COHORT_ASSESSMENTS.len() + 1;

fn cohort(dir: &Path) {
    let library = mentorsim::bundled::library();
    let store = Store::open(dir).unwrap();
    for (id, name) in [("t-ada", "Ada"), ("t-bo", "Bo"), ("t-cy", "Cy")] {
        store.save_trainee(id, name).unwrap();
    }
    for id in COHORT_ASSESSMENTS {
        let scenario = library.scenario(id).unwrap();
        play_recorded(
            &store,
            "t-ada",
            scenario,
            3,
            Mode::Assessment,
            Pick::Strongest,
        );
        play_recorded(&store, "t-bo", scenario, 3, Mode::Practice, Pick::Strongest);
    }
    let cb = library.scenario("cb-asking-for-a-friend").unwrap();
    let (attempt, _) = play_recorded(&store, "t-cy", cb, 4, Mode::Assessment, Pick::Weakest);
    store
        .save_reflection(
            &attempt,
            "I wanted to protect her and I kept a secret I could not keep.",
        )
        .unwrap();
}

#[test]
fn an_attempt_killed_mid_conversation_resumes_with_nothing_lost() {
    let data = tempfile::tempdir().unwrap();
    let play = |extra: &[&str]| {
        let mut args = vec![
            "play",
            "dep-only-one-who-gets-me",
            "--trainee",
            "t-kim",
            "--seed",
            "21",
            "--mode",
            "assessment",
        ];
        args.extend(extra);
        Command::new(env!("CARGO_BIN_EXE_mentorsim"))
            .args(&args)
            .env("MENTORSIM_DATA_DIR", data.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("mentorsim starts")
    };
    let open_steps = || {
        let store = Store::open(data.path()).unwrap();
        store
            .open_attempts("t-kim")
            .unwrap()
            .first()
            .map(|a| a.steps.clone())
            .unwrap_or_default()
    };

    // Answer "1" to each prompt as it appears, as a person would, until five actions are
    // committed; then SIGKILL the process between two answers. Answering only what is asked
    // keeps the test in step with the player however slowly a loaded machine runs it.
    let mut child = play(&["--name", "Kim"]);
    let mut stdin = child.stdin.take().unwrap();
    let prompts = prompts_of(child.stdout.take().unwrap());
    while open_steps().len() < 5 {
        if prompts.recv_timeout(Duration::from_secs(60)).is_err() {
            let _ = child.kill();
            let stopped = child.wait_with_output().unwrap();
            panic!("the player stopped asking: {}", text(&stopped.stderr));
        }
        if open_steps().len() >= 5 {
            break;
        }
        stdin.write_all(b"1\n").unwrap();
        stdin.flush().unwrap();
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    let before = open_steps();
    assert!(before.len() >= 5);

    let db = rusqlite::Connection::open(data.path().join("mentorsim.sqlite3")).unwrap();
    let integrity: String = db
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    drop(db);

    // Restart: it resumes at the same decision, and the finished attempt keeps every step.
    let mut child = play(&["--json"]);
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        for _ in 0..200 {
            if stdin.write_all(b"1\n").is_err() {
                break;
            }
        }
    });
    let output = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    let conversation = text(&output.stderr);
    assert!(output.status.success(), "{conversation}");
    assert!(
        conversation.contains(&format!(
            "Resuming your unfinished attempt (started {}",
            Store::open(data.path())
                .unwrap()
                .attempts_of("t-kim")
                .unwrap()[0]
                .started
        )),
        "{conversation}"
    );
    let store = Store::open(data.path()).unwrap();
    let attempts = store.attempts_of("t-kim").unwrap();
    assert_eq!(attempts.len(), 1, "the restart continued the same attempt");
    assert_eq!(attempts[0].steps[..before.len()], before[..]);
    assert!(attempts[0].passed.is_some());

    let rescored = mentorsim(data.path(), &["rescore", &attempts[0].id]);
    assert!(rescored.status.success(), "{}", text(&rescored.stdout));
    assert!(text(&rescored.stdout).contains("Reproduced exactly"));
}

/// One message per prompt (a choice's `> ` or "press Enter to continue") the player writes to
/// `out`, read on a thread; the channel closes when the player exits.
fn prompts_of(out: impl std::io::Read + Send + 'static) -> std::sync::mpsc::Receiver<()> {
    let (prompted, prompts) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut out = out;
        let mut seen = String::new();
        let mut counted = 0;
        let mut chunk = [0u8; 4096];
        while let Ok(read @ 1..) = out.read(&mut chunk) {
            seen.push_str(&String::from_utf8_lossy(&chunk[..read]));
            let asked =
                seen.matches("\n> ").count() + seen.matches("(press Enter to continue) ").count();
            for _ in counted..asked {
                if prompted.send(()).is_err() {
                    return;
                }
            }
            counted = asked;
        }
    });
    prompts
}

#[test]
fn an_assessment_form_is_not_practised_for_the_record_but_a_trainer_can_walk_it() {
    let data = tempfile::tempdir().unwrap();
    let practised = mentorsim(
        data.path(),
        &[
            "play",
            "cf-late-edge",
            "--trainee",
            "t-kim",
            "--name",
            "Kim",
            "--mode",
            "practice",
            "--choices",
            "1",
        ],
    );
    let message = text(&practised.stderr);
    assert_eq!(practised.status.code(), Some(1), "{message}");
    assert!(message.contains("assessment mode only"), "{message}");
    assert!(message.contains("cf-self-care-plan"), "{message}");
    let store = Store::open_read_only(data.path()).unwrap();
    assert!(
        store.attempts_of("t-kim").unwrap_or_default().is_empty(),
        "nothing recorded"
    );

    // Without --trainee nothing is recorded, so a trainer sees the feedback.
    let walked = mentorsim(
        data.path(),
        &[
            "play",
            "cf-late-edge",
            "--mode",
            "practice",
            "--choices",
            "1",
        ],
    );
    assert!(
        text(&walked.stdout).contains("Feedback:"),
        "{}",
        text(&walked.stderr)
    );
}

#[test]
fn readiness_names_who_is_ready_and_why_the_others_are_not() {
    let data = tempfile::tempdir().unwrap();
    cohort(data.path());
    let output = mentorsim(data.path(), &["readiness"]);
    let report = text(&output.stdout);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(report.contains("Ada (t-ada): READY (until "), "{report}");
    assert!(report.contains("Bo (t-bo): NOT YET"), "{report}");
    assert!(
        report.contains("- played in practice mode; only assessment mode counts"),
        "{report}"
    );
    assert!(report.contains("- critical error: \u{201c}"), "{report}");
    assert!(report.contains("1 of 3 trainee(s) ready."), "{report}");

    let output = mentorsim(data.path(), &["readiness", "--trainee", "t-cy", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["policy"], "mentorsim-default");
    assert_eq!(json["trainees"][0]["ready"], false);
    assert_eq!(json["trainees"].as_array().unwrap().len(), 1);
}

#[test]
fn a_broken_policy_file_is_reported_at_its_place() {
    let data = tempfile::tempdir().unwrap();
    let policy = data.path().join("p.policy.ron");
    std::fs::write(
        &policy,
        "(\n  id: \"p\", version: 1,\n  program: (name: \"P\", home_page: \"https://p.example\"),\n  require: [Module(Dependancy)],\n)\n",
    )
    .unwrap();
    let output = mentorsim(
        data.path(),
        &["readiness", "--policy", policy.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stdout));
    let message = text(&output.stderr);
    assert!(message.contains("p.policy.ron:4:13"), "{message}");
    assert!(
        message.contains("did you mean `Module(\"dependency\")`?"),
        "{message}"
    );
}

#[test]
fn signed_exports_verify_and_one_changed_byte_is_caught() {
    let data = tempfile::tempdir().unwrap();
    cohort(data.path());
    assert!(mentorsim(data.path(), &["keys", "init"]).status.success());
    let again = mentorsim(data.path(), &["keys", "init"]);
    assert!(!again.status.success(), "an existing key is never replaced");

    let exports = tempfile::tempdir().unwrap();
    let json = exports.path().join("records.json");
    let out = mentorsim(
        data.path(),
        &["export", "--format", "json", "-o", json.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let verify = |file: &Path| mentorsim(data.path(), &["verify", file.to_str().unwrap()]);
    let ok = verify(&json);
    assert!(ok.status.success(), "{}", text(&ok.stdout));
    assert!(text(&ok.stdout).starts_with("VALID"));
    // The same verdict without mentorsim: npm's RFC 8785 canonicaliser and openssl.
    let public_key = data.path().join("keys/program.pub.pem");
    let openssl = |file: &Path| {
        xapi_tool(&[
            "tests/xapi/verify_signature.sh",
            file.to_str().unwrap(),
            public_key.to_str().unwrap(),
        ])
    };
    let independent = openssl(&json);
    let report = text(&independent.stdout) + &text(&independent.stderr);
    assert!(independent.status.success(), "{report}");
    assert!(
        report.contains("Signature Verified Successfully"),
        "{report}"
    );

    // Change one byte: the last digit of the seed in Cy's record.
    let document = std::fs::read_to_string(&json).unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&document).unwrap();
    let records = parsed["payload"]["records"].as_array().unwrap();
    assert_eq!(records.len(), COHORT_ATTEMPTS);
    assert!(
        records.iter().all(|r| r.get("reflection").is_none()),
        "private by default"
    );
    let cy = records
        .iter()
        .position(|r| r["trainee"]["id"] == "t-cy")
        .unwrap();
    let seed_line = format!("\"seed\": \"{}\"", records[cy]["seed"].as_str().unwrap());
    let at = document.match_indices(&seed_line).next().unwrap().0 + seed_line.len() - 2;
    let mut bytes = document.into_bytes();
    bytes[at] = if bytes[at] == b'9' { b'8' } else { b'9' };
    std::fs::write(&json, &bytes).unwrap();
    let caught = verify(&json);
    assert_eq!(caught.status.code(), Some(1));
    assert!(!openssl(&json).status.success(), "openssl rejects it too");
    let report = text(&caught.stdout);
    assert!(report.starts_with("ALTERED"), "{report}");
    assert!(
        report.contains(&format!(
            "record {} (attempt {}): field `seed` was altered",
            cy + 1,
            records[cy]["attempt"].as_str().unwrap()
        )),
        "{report}"
    );

    // CSV: signed beside the file; a changed cell names its row and column.
    let csv = exports.path().join("records.csv");
    let out = mentorsim(
        data.path(),
        &[
            "export",
            "--format",
            "csv",
            "--reflections",
            "-o",
            csv.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(verify(&csv).status.success());
    let table = std::fs::read_to_string(&csv).unwrap();
    let header = table.lines().next().unwrap();
    assert!(
        header.starts_with("attempt,trainee,trainee_name,scenario,"),
        "{header}"
    );
    assert!(
        header.contains(",LIS,") && header.ends_with(",reflection"),
        "{header}"
    );
    assert_eq!(table.lines().count(), 1 + COHORT_ATTEMPTS);
    assert!(table.contains("I wanted to protect her"));
    let tampered = table.replacen(",false,", ",true,", 1);
    std::fs::write(&csv, tampered).unwrap();
    let report = text(&verify(&csv).stdout);
    assert!(report.contains("field `passed` was altered"), "{report}");

    // A certificate of readiness, signed the same way.
    let certificate = exports.path().join("ready.json");
    let out = mentorsim(
        data.path(),
        &["readiness", "--certificate", certificate.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(verify(&certificate).status.success());
    let forged = std::fs::read_to_string(&certificate).unwrap().replacen(
        "\"ready\": false",
        "\"ready\": true",
        1,
    );
    std::fs::write(&certificate, forged).unwrap();
    let report = text(&verify(&certificate).stdout);
    assert!(
        report.contains("(trainee t-bo): field `ready` was altered"),
        "{report}"
    );
}

#[test]
fn the_xapi_export_passes_independent_validators_and_cmi5_rules() {
    let data = tempfile::tempdir().unwrap();
    cohort(data.path());
    weird_choice_id(data.path());
    let exports = tempfile::tempdir().unwrap();
    let file = exports.path().join("statements.json");
    let out = mentorsim(
        data.path(),
        &["export", "--format", "xapi", "-o", file.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let statements: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    // Each attempt: 6 fixed statements plus one per decision (at least 6).
    assert!(
        statements.len() > COHORT_ATTEMPTS * (6 + 6),
        "{}",
        statements.len()
    );
    let validated = xapi_tool(&["tests/xapi/validate.sh", file.to_str().unwrap()]);
    let report = text(&validated.stdout) + &text(&validated.stderr);
    assert!(validated.status.success(), "{report}");
    assert!(
        report.contains(&format!("VALID: {} statements", statements.len())),
        "{report}"
    );
    let encoded = "a%20b%3F%23%E2%80%AE";
    let weird = statements
        .iter()
        .find(|s| s["result"]["response"] == encoded)
        .expect("the answer with the odd choice id is exported, encoded");
    assert_eq!(
        weird["object"]["definition"]["correctResponsesPattern"][0],
        encoded
    );
    assert!(
        weird["object"]["id"]
            .as_str()
            .unwrap()
            .ends_with("/decisions/a%20b%3F%23%E2%80%AE"),
        "{}",
        weird["object"]["id"]
    );
}

/// A choice id no scenario file should have, as records made before ids were restricted may.
const WEIRD_ID: &str = "a b?#\u{202E}";

/// Gives Cy's first decision (its node, the choice made and the best one) the id [`WEIRD_ID`],
/// as a record from an older build could hold it.
fn weird_choice_id(data: &Path) {
    let db = rusqlite::Connection::open(data.join("mentorsim.sqlite3")).unwrap();
    let (attempt, node, choice): (String, String, String) = db
        .query_row(
            "SELECT a.id, a.result ->> '$.decisions[0].node', a.result ->> '$.decisions[0].chosen.id'
             FROM attempts a WHERE a.trainee = 't-cy'",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .unwrap();
    db.execute(
        "UPDATE attempts SET result = json_set(result, '$.decisions[0].node', ?2,
             '$.decisions[0].chosen.id', ?2, '$.decisions[0].best.id', ?2) WHERE id = ?1",
        rusqlite::params![attempt, WEIRD_ID],
    )
    .unwrap();
    let changed = db
        .execute(
            "UPDATE steps SET node = ?2, choice = ?2 WHERE attempt = ?1 AND node = ?3 AND choice = ?4",
            rusqlite::params![attempt, WEIRD_ID, node, choice],
        )
        .unwrap();
    assert_eq!(changed, 1);
}

#[test]
fn statements_pushed_to_a_real_lrs_come_back_the_same_and_are_sent_once() {
    let data = tempfile::tempdir().unwrap();
    cohort(data.path());
    let lrs_home = tempfile::tempdir().unwrap();
    let lrs_dir = lrs_home.path().join("lrs");
    let port = 18_000 + (std::process::id() % 2_000) as u16;
    let started = xapi_tool(&[
        "tests/xapi/lrs.sh",
        "start",
        &port.to_string(),
        lrs_dir.to_str().unwrap(),
    ]);
    assert!(started.status.success(), "{}", text(&started.stderr));
    let endpoint = text(&started.stdout).trim().to_owned();
    let _stop = StopLrs(lrs_dir.clone());

    let push = || {
        Command::new(env!("CARGO_BIN_EXE_mentorsim"))
            .args([
                "export",
                "--format",
                "xapi",
                "--lrs",
                &endpoint,
                "--lrs-user",
                "trainer",
            ])
            .env("MENTORSIM_DATA_DIR", data.path())
            .env("MENTORSIM_LRS_PASSWORD", "s3cret")
            .output()
            .unwrap()
    };
    // Ralph's file backend takes one write per store: everything goes in one batch.
    let first = push();
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(
        text(&first.stderr).starts_with(&format!("Sent {COHORT_ATTEMPTS} attempt(s)")),
        "{}",
        text(&first.stderr)
    );
    let second = push();
    assert!(
        text(&second.stderr).starts_with(&format!(
            "Sent 0 attempt(s), 0 statement(s), in 0 request(s); {COHORT_ATTEMPTS} attempt(s) had been sent before."
        )),
        "{}",
        text(&second.stderr)
    );

    let file = lrs_dir.join("statements.json");
    mentorsim(
        data.path(),
        &["export", "--format", "xapi", "-o", file.to_str().unwrap()],
    );
    let sent: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let mut stored = Vec::new();
    let mut url = format!("{endpoint}statements?limit=1000");
    loop {
        let got = Command::new("curl")
            .args([
                "-sf",
                "-u",
                "trainer:s3cret",
                "-H",
                "X-Experience-API-Version: 1.0.3",
                &url,
            ])
            .output()
            .unwrap();
        assert!(got.status.success(), "GET {url} failed");
        let page: serde_json::Value = serde_json::from_slice(&got.stdout).unwrap();
        stored.extend(page["statements"].as_array().unwrap().iter().cloned());
        match page.get("more").and_then(|m| m.as_str()) {
            Some(more) if !more.is_empty() => {
                url = format!("http://127.0.0.1:{port}{more}");
            }
            _ => break,
        }
    }
    let strip = |mut s: serde_json::Value| {
        let map = s.as_object_mut().unwrap();
        map.remove("stored");
        map.remove("authority");
        map.remove("version");
        s
    };
    let by_id = |list: Vec<serde_json::Value>| {
        let mut list: Vec<_> = list.into_iter().map(strip).collect();
        list.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
        list
    };
    assert_eq!(by_id(stored), by_id(sent));
}

/// Stops the LRS when the test ends, passed or failed.
struct StopLrs(std::path::PathBuf);

impl Drop for StopLrs {
    fn drop(&mut self) {
        let _ = xapi_tool(&["tests/xapi/lrs.sh", "stop", self.0.to_str().unwrap()]);
    }
}

#[test]
fn export_rejects_a_bad_date_and_an_unknown_trainee_clearly() {
    let data = tempfile::tempdir().unwrap();
    cohort(data.path());
    let out = mentorsim(
        data.path(),
        &["export", "--format", "csv", "--since", "last tuesday"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("--since `last tuesday` is not a date or time"));
    let out = mentorsim(
        data.path(),
        &["export", "--format", "json", "--trainee", "t-zz"],
    );
    assert!(text(&out.stderr).contains("no trainee with id `t-zz`"));
    let out = mentorsim(
        data.path(),
        &[
            "export",
            "--format",
            "json",
            "--since",
            "2999-01-01",
            "--unsigned",
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["records"].as_array().unwrap().len(), 0);
}

/// A copy of the bundled library a trainer can edit; returns it and the scenario file of
/// `dep-only-one-who-gets-me`.
fn editable_library() -> (tempfile::TempDir, std::path::PathBuf) {
    let folder = tempfile::tempdir().unwrap();
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    for file in [
        "mentor-core.rubric.ron",
        "dependency/only-one-who-gets-me.scenario.ron",
    ] {
        let to = folder.path().join(Path::new(file).file_name().unwrap());
        std::fs::copy(bundled.join(file), to).unwrap();
    }
    let file = folder.path().join("only-one-who-gets-me.scenario.ron");
    (folder, file)
}

#[test]
fn a_resumed_attempt_finishes_on_the_text_it_started_on_after_the_file_changes() {
    let data = tempfile::tempdir().unwrap();
    let (library, file) = editable_library();
    let original = std::fs::read_to_string(&file).unwrap();
    let version: u32 = original
        .split_once("version: ")
        .and_then(|(_, rest)| rest.split_once(','))
        .and_then(|(number, _)| number.parse().ok())
        .expect("the scenario states its version");
    let edited = original.replace("feedback: \"", "feedback: \"EDITED ");
    // The feedback rewritten with the same version, and with the version raised.
    let edits = [
        ("t-kim", edited.clone()),
        (
            "t-lee",
            edited.replacen(
                &format!("version: {version},"),
                &format!("version: {},", version + 1),
                1,
            ),
        ),
    ];
    for (trainee, edited) in edits {
        std::fs::write(&file, &original).unwrap();
        let play = |extra: &[&str]| {
            let mut args = vec![
                "play",
                "dep-only-one-who-gets-me",
                "--library",
                library.path().to_str().unwrap(),
                "--trainee",
                trainee,
                "--seed",
                "8",
                "--mode",
                "assessment",
            ];
            args.extend(extra);
            args.iter().map(|a| a.to_string()).collect::<Vec<_>>()
        };
        // Two decisions, then the script runs out: the attempt stays open.
        let args = play(&["--name", "Kim", "--choices", "1,1"]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let first = mentorsim(data.path(), &args);
        assert_eq!(first.status.code(), Some(1), "{}", text(&first.stderr));
        assert!(text(&first.stderr).contains("--choices ran out"));

        std::fs::write(&file, &edited).unwrap();
        let args = play(&["--json"]);
        let mut child = Command::new(env!("CARGO_BIN_EXE_mentorsim"))
            .args(&args)
            .env("MENTORSIM_DATA_DIR", data.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let feeder = std::thread::spawn(move || {
            for _ in 0..200 {
                if stdin.write_all(b"1\n").is_err() {
                    break;
                }
            }
        });
        let output = child.wait_with_output().unwrap();
        feeder.join().unwrap();
        let conversation = text(&output.stderr);
        assert!(output.status.success(), "{conversation}");
        assert!(
            conversation.contains("Resuming your unfinished attempt"),
            "{conversation}"
        );
        assert!(
            conversation.contains(&format!(
                "continues on the version it started on (v{version})"
            )),
            "{conversation}"
        );
        assert!(!conversation.contains("EDITED"), "{conversation}");
        assert!(!text(&output.stdout).contains("EDITED"));

        let store = Store::open_read_only(data.path()).unwrap();
        let attempts = store.attempts_of(trainee).unwrap();
        assert_eq!(attempts.len(), 1, "the same attempt was continued");
        assert_eq!(attempts[0].scenario_version, version);
        let rescored = mentorsim(data.path(), &["rescore", &attempts[0].id]);
        assert!(rescored.status.success(), "{}", text(&rescored.stdout));
        assert!(text(&rescored.stdout).contains("Reproduced exactly"));
    }
}

/// SHA-256 of every file in a folder, to show a command changed nothing. SQLite's WAL index
/// and an empty WAL, which a reader may leave beside the database, hold no records and are
/// left out.
fn snapshot(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|entry| {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            let bytes = std::fs::read(entry.path()).ok()?;
            if name.ends_with("-shm") || name.ends_with("-wal") && bytes.is_empty() {
                return None;
            }
            Some((name, mentorsim_script::digest::sha256_hex(&bytes)))
        })
        .collect();
    files.sort();
    files
}

#[test]
fn exports_are_never_written_over_the_records_or_into_the_data_folder() {
    let data = tempfile::tempdir().unwrap();
    cohort(data.path());
    assert!(mentorsim(data.path(), &["keys", "init"]).status.success());
    let database = data.path().join("mentorsim.sqlite3");
    let before = snapshot(data.path());
    let exports = tempfile::tempdir().unwrap();
    let sideways = exports.path().join("..").join(
        data.path()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned(),
    );

    for (args, says) in [
        (
            vec![
                "export",
                "--format",
                "csv",
                "-o",
                database.to_str().unwrap(),
            ],
            "would replace every record",
        ),
        (
            vec![
                "export",
                "--format",
                "json",
                "-o",
                sideways.join("mentorsim.sqlite3").to_str().unwrap(),
            ],
            "would replace every record",
        ),
        (
            vec![
                "export",
                "--format",
                "xapi",
                "-o",
                data.path().join("statements.json").to_str().unwrap(),
            ],
            "inside the data folder",
        ),
        (
            vec!["readiness", "--certificate", database.to_str().unwrap()],
            "would replace every record",
        ),
        (
            vec![
                "graph",
                "cb-asking-for-a-friend",
                "--picks",
                "-o",
                database.to_str().unwrap(),
            ],
            "would replace every record",
        ),
        (
            vec![
                "export",
                "--format",
                "csv",
                "-o",
                exports.path().to_str().unwrap(),
            ],
            "it is a folder",
        ),
    ] {
        let refused = mentorsim(data.path(), &args);
        assert_eq!(refused.status.code(), Some(1), "{args:?}");
        assert!(
            text(&refused.stderr).contains(says),
            "{args:?}: {}",
            text(&refused.stderr)
        );
    }
    assert_eq!(
        snapshot(data.path()),
        before,
        "the data folder is untouched"
    );
    let readiness = mentorsim(data.path(), &["readiness"]);
    assert!(text(&readiness.stdout).contains("1 of 3 trainee(s) ready."));

    // Elsewhere, an export and its signature are written whole, with nothing left beside them.
    let csv = exports.path().join("attempts.csv");
    for _ in 0..2 {
        let out = mentorsim(
            data.path(),
            &["export", "--format", "csv", "-o", csv.to_str().unwrap()],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    let names: Vec<String> = snapshot(exports.path())
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(names, ["attempts.csv", "attempts.csv.sig"]);
    assert!(
        mentorsim(data.path(), &["verify", csv.to_str().unwrap()])
            .status
            .success()
    );
}

/// Overwrites three pages in the middle of the database with a fixed garbage pattern.
fn damage_pages(file: &Path) {
    let mut bytes = std::fs::read(file).unwrap();
    let page = 4096;
    let first = bytes.len() / page / 2;
    bytes[first * page..(first + 3) * page].fill(0xA5);
    std::fs::write(file, bytes).unwrap();
}

#[test]
fn a_damaged_database_is_not_written_to_and_every_message_says_how_to_recover() {
    let data = tempfile::tempdir().unwrap();
    cohort(data.path());
    damage_pages(&data.path().join("mentorsim.sqlite3"));
    let before = snapshot(data.path());
    let exports = tempfile::tempdir().unwrap();
    let csv = exports.path().join("attempts.csv");

    for args in [
        vec![
            "play",
            "al-not-college-material",
            "--trainee",
            "t-ada",
            "--choices",
            "1,1,1,1,1,1,1,1,1,1,1,1",
        ],
        vec!["export", "--format", "csv", "-o", csv.to_str().unwrap()],
    ] {
        let refused = mentorsim(data.path(), &args);
        let message = text(&refused.stderr);
        assert_eq!(refused.status.code(), Some(1), "{args:?}: {message}");
        assert!(message.contains("is damaged"), "{message}");
        assert!(message.contains("restore it from a backup"), "{message}");
        assert!(message.contains("sqlite3"), "{message}");
        assert!(message.contains(".recover"), "{message}");
    }
    assert!(!csv.exists(), "no partial export");
    assert_eq!(
        snapshot(data.path()),
        before,
        "the damaged file is left as it was"
    );
}

#[test]
fn an_emptied_database_is_an_error_and_a_new_folder_a_fresh_start() {
    let data = tempfile::tempdir().unwrap();
    let database = data.path().join("mentorsim.sqlite3");
    std::fs::write(&database, b"").unwrap();
    for args in [
        vec!["readiness"],
        vec!["export", "--format", "json"],
        vec![
            "play",
            "al-not-college-material",
            "--trainee",
            "t-ada",
            "--name",
            "Ada",
            "--choices",
            "1",
        ],
    ] {
        let refused = mentorsim(data.path(), &args);
        let message = text(&refused.stderr);
        assert_eq!(refused.status.code(), Some(1), "{args:?}: {message}");
        assert!(message.contains("is empty (0 bytes)"), "{message}");
        assert!(message.contains("restore it from a backup"), "{message}");
    }
    assert_eq!(std::fs::read(&database).unwrap(), b"");

    // A data folder that does not exist yet: no records, nothing created by reading.
    let fresh = data.path().join("new-program");
    let report = mentorsim(&fresh, &["readiness"]);
    assert!(report.status.success(), "{}", text(&report.stderr));
    assert!(text(&report.stdout).contains("No trainees in the records yet."));
    assert!(!fresh.exists());
}

#[cfg(unix)]
#[test]
fn records_in_a_read_only_folder_can_still_be_judged_and_exported() {
    use std::os::unix::fs::PermissionsExt;
    let data = tempfile::tempdir().unwrap();
    cohort(data.path());
    let database = data.path().join("mentorsim.sqlite3");
    let before = snapshot(data.path());
    let set = |path: &Path, mode| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    // (As root the bits stop nothing, but the commands still open the file read-only.)
    set(&database, 0o444);
    set(data.path(), 0o555);
    let exports = tempfile::tempdir().unwrap();
    let json = exports.path().join("records.json");
    let readiness = mentorsim(data.path(), &["readiness"]);
    let export = mentorsim(
        data.path(),
        &["export", "--format", "json", "-o", json.to_str().unwrap()],
    );
    let rescore = {
        let store = Store::open_read_only(data.path()).unwrap();
        let id = store.attempts_of("t-ada").unwrap()[0].id.clone();
        mentorsim(data.path(), &["rescore", &id])
    };
    set(data.path(), 0o755);
    set(&database, 0o644);
    assert!(readiness.status.success(), "{}", text(&readiness.stderr));
    assert!(text(&readiness.stdout).contains("1 of 3 trainee(s) ready."));
    assert!(export.status.success(), "{}", text(&export.stderr));
    assert!(rescore.status.success(), "{}", text(&rescore.stdout));
    let document: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(
        document["records"].as_array().unwrap().len(),
        COHORT_ATTEMPTS
    );
    assert_eq!(snapshot(data.path()), before, "reading changed nothing");
}

#[test]
fn one_damaged_record_is_named_and_every_other_one_is_exported_and_signed() {
    let data = tempfile::tempdir().unwrap();
    cohort(data.path());
    assert!(mentorsim(data.path(), &["keys", "init"]).status.success());
    let db = rusqlite::Connection::open(data.path().join("mentorsim.sqlite3")).unwrap();
    let damaged: String = db
        .query_row(
            "SELECT id FROM attempts WHERE trainee = 't-cy'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    db.execute(
        "UPDATE attempts SET result = '{\"passed\": tru' WHERE id = ?1",
        [&damaged],
    )
    .unwrap();
    drop(db);
    let exports = tempfile::tempdir().unwrap();
    let csv = exports.path().join("attempts.csv");
    let out = mentorsim(
        data.path(),
        &["export", "--format", "csv", "-o", csv.to_str().unwrap()],
    );
    let message = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{message}");
    assert!(message.contains("1 damaged record(s)"), "{message}");
    assert!(
        message.contains(&format!("attempt {damaged} has a damaged result")),
        "{message}"
    );
    let table = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(
        table.lines().count(),
        1 + COHORT_ATTEMPTS - 1,
        "every good record is written"
    );
    assert!(!table.contains(&damaged));
    let verified = mentorsim(data.path(), &["verify", csv.to_str().unwrap()]);
    assert!(verified.status.success(), "{}", text(&verified.stdout));
}

#[test]
fn csv_cells_a_spreadsheet_would_run_are_neutralised_and_the_signature_still_holds() {
    let data = tempfile::tempdir().unwrap();
    let library = mentorsim::bundled::library();
    {
        let store = Store::open(data.path()).unwrap();
        store
            .save_trainee("@risk", "=HYPERLINK(\"http://evil.example\",\"Ada\")")
            .unwrap();
        let scenario = library.scenario("cb-asking-for-a-friend").unwrap();
        let (attempt, _) = play_recorded(
            &store,
            "@risk",
            scenario,
            4,
            Mode::Assessment,
            Pick::Weakest,
        );
        store
            .save_reflection(&attempt, "-3 points, +cmd|' /C calc'!A0")
            .unwrap();
    }
    assert!(mentorsim(data.path(), &["keys", "init"]).status.success());
    let exports = tempfile::tempdir().unwrap();
    let csv = exports.path().join("attempts.csv");
    let out = mentorsim(
        data.path(),
        &[
            "export",
            "--format",
            "csv",
            "--reflections",
            "-o",
            csv.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let verified = mentorsim(data.path(), &["verify", csv.to_str().unwrap()]);
    assert!(verified.status.success(), "{}", text(&verified.stdout));

    // Read as a spreadsheet importer would: Python's csv module.
    let check = Command::new("python3")
        .arg("-c")
        .arg(
            r#"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
row = rows[0]
assert row["trainee"] == "'@risk", row["trainee"]
assert row["trainee_name"] == "'=HYPERLINK(\"http://evil.example\",\"Ada\")", row["trainee_name"]
assert row["reflection"] == "'-3 points, +cmd|' /C calc'!A0", row["reflection"]
for name in ("overall", "duration_seconds", "LIS"):
    float(row[name])
for name, value in row.items():
    assert not value[:1] in ("=", "+", "-", "@", "\t", "\r", "\n"), (name, value)
print("ok")
"#,
        )
        .arg(&csv)
        .output()
        .expect("python3 runs");
    assert!(check.status.success(), "{}", text(&check.stderr));
}

#[test]
fn lrs_credentials_stay_out_of_urls_and_off_plain_http() {
    let data = tempfile::tempdir().unwrap();
    cohort(data.path());
    let push = |args: &[&str]| {
        let mut all = vec!["export", "--format", "xapi"];
        all.extend(args);
        Command::new(env!("CARGO_BIN_EXE_mentorsim"))
            .args(&all)
            .env("MENTORSIM_DATA_DIR", data.path())
            .env("MENTORSIM_LRS_PASSWORD", "s3cret")
            .output()
            .unwrap()
    };
    let refused = push(&["--lrs", "https://trainer:pa55word@lrs.example.org/xAPI/"]);
    let message = text(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{message}");
    assert!(message.contains("--lrs-user USER"), "{message}");
    assert!(message.contains("MENTORSIM_LRS_PASSWORD"), "{message}");
    assert!(!message.contains("pa55word"), "{message}");

    let refused = push(&[
        "--lrs",
        "http://lrs.example.org/xAPI/",
        "--lrs-user",
        "trainer",
    ]);
    let message = text(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{message}");
    assert!(message.contains("plain http://"), "{message}");
    assert!(message.contains("--allow-insecure-http"), "{message}");
    let store = Store::open_read_only(data.path()).unwrap();
    assert!(
        store
            .delivered("http://lrs.example.org/xAPI/")
            .unwrap()
            .is_empty()
    );
}

#[cfg(unix)]
#[test]
fn a_private_key_others_can_read_is_refused_with_the_chmod_that_fixes_it() {
    use std::os::unix::fs::PermissionsExt;
    let data = tempfile::tempdir().unwrap();
    cohort(data.path());
    assert!(mentorsim(data.path(), &["keys", "init"]).status.success());
    let secret = data.path().join("keys/program.key.pem");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o644)).unwrap();
    let exports = tempfile::tempdir().unwrap();
    let json = exports.path().join("records.json");
    for args in [
        vec!["export", "--format", "json", "-o", json.to_str().unwrap()],
        vec!["keys", "show"],
    ] {
        let refused = mentorsim(data.path(), &args);
        let message = text(&refused.stderr);
        assert_eq!(refused.status.code(), Some(1), "{message}");
        assert!(
            message.contains("UNPROTECTED PRIVATE KEY FILE"),
            "{message}"
        );
        assert!(
            message.contains(&format!("chmod 600 {}", secret.display())),
            "{message}"
        );
    }
    assert!(!json.exists());
}

#[test]
fn a_trainee_id_with_a_stray_space_is_refused_before_anything_is_recorded() {
    let data = tempfile::tempdir().unwrap();
    let refused = mentorsim(
        data.path(),
        &[
            "play",
            "al-not-college-material",
            "--trainee",
            " t1",
            "--name",
            "Tess",
            "--choices",
            "1",
        ],
    );
    let message = text(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{message}");
    assert!(
        message.contains("starts or ends with a space; write it as `t1`"),
        "{message}"
    );
    let report = mentorsim(data.path(), &["readiness"]);
    assert!(text(&report.stdout).contains("No trainees in the records yet."));
    let refused = mentorsim(data.path(), &["readiness", "--trainee", "t1\u{202E}"]);
    assert!(
        text(&refused.stderr).contains("U+202E"),
        "{}",
        text(&refused.stderr)
    );
}

#[test]
fn verify_vouches_only_for_a_trusted_key_and_never_for_a_forgery() {
    let program = tempfile::tempdir().unwrap();
    cohort(program.path());
    assert!(
        mentorsim(program.path(), &["keys", "init"])
            .status
            .success()
    );
    let exports = tempfile::tempdir().unwrap();
    let json = exports.path().join("records.json");
    let csv = exports.path().join("records.csv");
    for (format, file) in [("json", &json), ("csv", &csv)] {
        let out = mentorsim(
            program.path(),
            &["export", "--format", format, "-o", file.to_str().unwrap()],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    // Somewhere with no program key: intact, but nobody to vouch for the signer.
    let elsewhere = tempfile::tempdir().unwrap();
    let public = program.path().join("keys/program.pub.pem");
    let unvouched = mentorsim(elsewhere.path(), &["verify", json.to_str().unwrap()]);
    assert_eq!(unvouched.status.code(), Some(1));
    let report = text(&unvouched.stdout);
    assert!(report.starts_with("UNTRUSTED"), "{report}");
    assert!(report.contains("--key"), "{report}");
    let vouched = mentorsim(
        elsewhere.path(),
        &[
            "verify",
            json.to_str().unwrap(),
            "--key",
            public.to_str().unwrap(),
        ],
    );
    assert!(vouched.status.success(), "{}", text(&vouched.stdout));
    assert!(text(&vouched.stdout).starts_with("VALID"));

    // The identity-key forgery: any payload, a zero signature.
    let mut forged: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    forged["signature"]["public_key"] = "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".into();
    forged["signature"]["value"] = base64_zeros().into();
    forged["signature"]["key_id"] = "01d0fabd251fcbbe".into(); // that key's own id
    let forgery = exports.path().join("forged.json");
    std::fs::write(&forgery, forged.to_string()).unwrap();
    for data in [elsewhere.path(), program.path()] {
        let out = mentorsim(data, &["verify", forgery.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            text(&out.stdout).starts_with("INVALID"),
            "{}",
            text(&out.stdout)
        );
    }

    // A signed JSON export copied over the CSV, beside the CSV's signature.
    std::fs::copy(&json, &csv).unwrap();
    let out = mentorsim(program.path(), &["verify", csv.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let report = text(&out.stdout);
    assert!(report.contains("signed JSON document, not CSV"), "{report}");

    // A key given twice, the forged value first.
    let text_now = std::fs::read_to_string(&json).unwrap();
    let twice = text_now.replacen(
        "\"passed\": false",
        "\"passed\": true, \"passed\": false",
        1,
    );
    assert_ne!(twice, text_now);
    std::fs::write(&json, twice).unwrap();
    let out = mentorsim(program.path(), &["verify", json.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("`passed` appears twice"),
        "{}",
        text(&out.stdout)
    );
}

/// 64 zero bytes in base64.
fn base64_zeros() -> String {
    format!("{}==", "A".repeat(86))
}

/// `play MODULE` plays the form the policy's retake rule would count; after a failure the
/// debrief keeps the stronger replies back, the same form is refused until the wait is over,
/// and playing it anyway says the attempt would not count.
#[test]
fn play_offers_the_next_form_and_keeps_the_best_replies_until_a_pass() {
    let data = tempfile::tempdir().unwrap();
    let failing = [
        "play",
        "dependency",
        "--trainee",
        "t-kim",
        "--name",
        "Kim",
        "--mode",
        "assessment",
        "--choices",
        "1,1,1,1,1,1,1,1",
        "--seed",
        "2",
    ];
    let first = mentorsim(data.path(), &failing);
    let shown = text(&first.stdout);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(
        shown.starts_with("Dependency: playing dep-just-till-the-28th"),
        "{shown}"
    );
    assert!(shown.contains("== Debrief: NOT YET =="), "{shown}");
    assert!(!shown.contains("Stronger:"), "{shown}");
    assert!(
        shown.contains("The stronger reply at each decision is shown once you pass"),
        "{shown}"
    );

    // After a fail the module is offered on its other form (the choices given may not fit it:
    // the form offered is what matters here).
    let again = mentorsim(data.path(), &failing);
    assert!(
        text(&again.stdout).starts_with("Dependency: playing dep-square-by-saturday"),
        "{}",
        text(&again.stdout)
    );

    let mut same_form = failing;
    same_form[1] = "dep-just-till-the-28th";
    let anyway = mentorsim(data.path(), &same_form);
    assert!(
        text(&anyway.stdout)
            .starts_with("Note: this attempt would not count toward readiness now."),
        "{}",
        text(&anyway.stdout)
    );
}
