//! Records as a program uses them, through the real binary: attempts survive `kill -9`,
//! readiness and exports read them, signed files reject tampering, and the xAPI export passes
//! independent validators and a real Learning Record Store.

#[path = "support/binary.rs"]
mod binary;
#[path = "../crates/mentorsim-core/tests/support/play.rs"]
mod play;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use binary::{mentorsim, text};
use mentorsim_core::engine::Mode;
use mentorsim_core::records::Store;
use play::{Pick, play_recorded};

/// A cohort in `dir`: Ada passed every assessment, Bo only practised, Cy made a critical error.
fn cohort(dir: &Path) {
    let library = mentorsim::bundled::library();
    let store = Store::open(dir).unwrap();
    for (id, name) in [("t-ada", "Ada"), ("t-bo", "Bo"), ("t-cy", "Cy")] {
        store.save_trainee(id, name).unwrap();
    }
    for id in [
        "al-nine-years-out",
        "cb-asking-for-a-friend",
        "dep-just-till-the-28th",
        "cf-late-edge",
    ] {
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

    // Answer "1" to everything, one line at a time, until five actions are committed; then
    // SIGKILL the process between two answers.
    let mut child = play(&["--name", "Kim"]);
    let mut stdin = child.stdin.take().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while open_steps().len() < 5 {
        assert!(Instant::now() < deadline, "no progress was recorded");
        stdin.write_all(b"1\n").unwrap();
        stdin.flush().unwrap();
        std::thread::sleep(Duration::from_millis(150));
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
    assert!(message.contains("p.policy.ron:4:20"), "{message}");
    assert!(message.contains("Dependency"), "{message}");
}

#[test]
fn signed_exports_verify_and_one_changed_byte_is_caught() {
    let data = tempfile::tempdir().unwrap();
    cohort(data.path());
    assert!(mentorsim(data.path(), &["keys", "init"]).status.success());
    let again = mentorsim(data.path(), &["keys", "init"]);
    assert!(!again.status.success(), "an existing key is never replaced");

    let json = data.path().join("records.json");
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
    assert_eq!(records.len(), 9);
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
    let csv = data.path().join("records.csv");
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
    assert_eq!(table.lines().count(), 10);
    assert!(table.contains("I wanted to protect her"));
    let tampered = table.replacen(",false,", ",true,", 1);
    std::fs::write(&csv, tampered).unwrap();
    let report = text(&verify(&csv).stdout);
    assert!(report.contains("field `passed` was altered"), "{report}");

    // A certificate of readiness, signed the same way.
    let certificate = data.path().join("ready.json");
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

/// Runs one of the tools in tests/xapi (they install the independent validators on first use).
fn xapi_tool(args: &[&str]) -> Output {
    Command::new("bash")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("bash runs")
}

#[test]
fn the_xapi_export_passes_independent_validators_and_cmi5_rules() {
    let data = tempfile::tempdir().unwrap();
    cohort(data.path());
    let file = data.path().join("statements.json");
    let out = mentorsim(
        data.path(),
        &["export", "--format", "xapi", "-o", file.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let statements: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    // 9 attempts: 6 fixed statements each plus one per decision.
    assert!(statements.len() > 9 * 6 + 9 * 6, "{}", statements.len());
    let validated = xapi_tool(&["tests/xapi/validate.sh", file.to_str().unwrap()]);
    let report = text(&validated.stdout) + &text(&validated.stderr);
    assert!(validated.status.success(), "{report}");
    assert!(
        report.contains(&format!("VALID: {} statements", statements.len())),
        "{report}"
    );
}

#[test]
fn statements_pushed_to_a_real_lrs_come_back_the_same_and_are_sent_once() {
    let data = tempfile::tempdir().unwrap();
    cohort(data.path());
    let lrs_dir = data.path().join("lrs");
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
        text(&first.stderr).starts_with("Sent 9 attempt(s)"),
        "{}",
        text(&first.stderr)
    );
    let second = push();
    assert!(
        text(&second.stderr).starts_with(
            "Sent 0 attempt(s), 0 statement(s), in 0 request(s); 9 attempt(s) had been sent before."
        ),
        "{}",
        text(&second.stderr)
    );

    let file = data.path().join("statements.json");
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
