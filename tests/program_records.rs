//! Readiness across a program: a coordinator brings in what trainees did on other stations,
//! and only what replays to its claimed result on the program's own scenarios counts.

#[path = "support/binary.rs"]
mod binary;
#[path = "support/lrs.rs"]
mod lrs;
#[path = "../crates/mentorsim-records/tests/support/play.rs"]
mod play;

use std::path::Path;

use binary::{mentorsim, text};
use lrs::Lrs;
use mentorsim_records::store::Store;
use mentorsim_script::engine::Mode;
use play::{Pick, play_recorded};
use serde_json::Value;

const ASSESSMENTS: [&str; 6] = play::ONE_FORM_PER_MODULE;

/// A station where `trainee` played every assessment, each with its strongest or weakest
/// options; its JSON export is written to `export`.
fn station(dir: &Path, trainee: &str, pick: Pick, export: &Path) {
    let library = mentorsim::bundled::library();
    {
        let store = Store::open(dir).unwrap();
        store.save_trainee(trainee, trainee).unwrap();
        for (seed, id) in ASSESSMENTS.iter().enumerate() {
            let scenario = library.scenario(id).unwrap();
            play_recorded(
                &store,
                trainee,
                scenario,
                seed as u64,
                Mode::Assessment,
                pick,
            );
        }
    }
    let output = mentorsim(
        dir,
        &[
            "export",
            "--format",
            "json",
            "--output",
            export.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
}

fn import(data: &Path, files: &[&Path]) -> (bool, String) {
    let mut args = vec!["records", "import"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    let output = mentorsim(data, &args);
    (
        output.status.success(),
        text(&output.stdout) + &text(&output.stderr),
    )
}

fn readiness(data: &Path) -> Value {
    let output = mentorsim(data, &["readiness", "--json"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn ready(judged: &Value, trainee: &str) -> bool {
    judged["trainees"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["trainee"] == trainee)
        .unwrap_or_else(|| panic!("{trainee} is judged: {judged}"))["ready"]
        .as_bool()
        .unwrap()
}

#[test]
fn a_coordinator_imports_each_stations_export_once_and_judges_the_replayed_attempts() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, coordinator) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("coordinator"),
    );
    let (a_json, b_json) = (dir.path().join("a.json"), dir.path().join("b.json"));
    station(&a, "t-ada", Pick::Strongest, &a_json);
    // Station B signs its exports with a key of its own: it is not the program's, and the
    // replay, not the key, decides what counts.
    assert!(mentorsim(&b, &["keys", "init"]).status.success());
    station(&b, "t-cy", Pick::Weakest, &b_json);

    let (ok, said) = import(&coordinator, &[&a_json, &b_json]);
    assert!(ok, "{said}");
    assert!(
        said.contains(&format!(
            "a.json: {} attempt(s) added, 0 already",
            ASSESSMENTS.len()
        )),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "b.json: {} attempt(s) added, 0 already in the records (signed, unchanged)",
            ASSESSMENTS.len()
        )),
        "{said}"
    );
    let judged = readiness(&coordinator);
    assert!(ready(&judged, "t-ada"));
    assert!(!ready(&judged, "t-cy"));
    // The same judgement as each station made of its own trainee.
    assert!(ready(&readiness(&a), "t-ada"));
    assert!(!ready(&readiness(&b), "t-cy"));

    let (ok, said) = import(&coordinator, &[&a_json, &b_json]);
    assert!(ok, "{said}");
    assert!(
        said.contains(&format!(
            "a.json: 0 attempt(s) added, {} already",
            ASSESSMENTS.len()
        )),
        "{said}"
    );
    assert_eq!(
        readiness(&coordinator)["trainees"],
        judged["trainees"],
        "importing again adds nothing"
    );

    // The coordinator keeps the texts played, so an imported attempt re-scores there.
    let attempt = judged["trainees"][0]["requirements"][0]["attempt"]
        .as_str()
        .unwrap()
        .to_owned();
    let output = mentorsim(&coordinator, &["rescore", &attempt]);
    assert!(
        text(&output.stdout).contains("Reproduced exactly"),
        "{}",
        text(&output.stdout)
    );
}

/// The export with `change` applied to its JSON, written beside it as `name`.
fn altered(export: &Path, name: &str, change: impl FnOnce(&mut Value)) -> std::path::PathBuf {
    let mut document: Value = serde_json::from_slice(&std::fs::read(export).unwrap()).unwrap();
    change(&mut document);
    let path = export.with_file_name(name);
    std::fs::write(&path, serde_json::to_vec_pretty(&document).unwrap()).unwrap();
    path
}

#[test]
fn an_export_with_one_unearned_or_damaged_attempt_is_refused_whole_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let (station_dir, coordinator) = (dir.path().join("station"), dir.path().join("coordinator"));
    let export = dir.path().join("station.json");
    station(&station_dir, "t-cy", Pick::Weakest, &export);

    let record = |d: &mut Value| d["records"][1].take();
    let cases: Vec<(std::path::PathBuf, &str)> = vec![
        (
            altered(&export, "pass-claimed.json", |d| {
                d["records"][1]["passed"] = true.into();
                d["records"][1]["overall"] = 0.93.into();
                d["records"][1]["critical_errors"] = Value::Array(Vec::new());
            }),
            "its claimed result differs from the replay: it claims a pass, the choices a fail",
        ),
        (
            altered(&export, "score-raised.json", |d| {
                let scores = d["records"][2]["scores"].as_object_mut().unwrap();
                let first = scores.keys().next().unwrap().clone();
                scores.insert(first, 1.0.into());
            }),
            "claimed, ",
        ),
        (
            altered(&export, "gap.json", |d| {
                d["records"][0]["choices"].as_array_mut().unwrap().remove(2);
            }),
            "its recorded steps have a gap: step 2 is missing",
        ),
        (
            altered(&export, "unknown-version.json", |d| {
                d["records"][3]["scenario"]["sha256"] = "ab".repeat(32).into();
            }),
            "a version this library and these records do not hold",
        ),
        (
            altered(&export, "other-choice.json", |d| {
                let choices = d["records"][0]["choices"].as_array_mut().unwrap();
                let step = choices
                    .iter_mut()
                    .find(|c| c["choice"].is_string())
                    .unwrap();
                step["choice"] = "not-an-option".into();
            }),
            "its choices do not replay on the scenario",
        ),
        (
            altered(&export, "wrong-node.json", |d| {
                let choices = d["records"][0]["choices"].as_array_mut().unwrap();
                let step = choices
                    .iter_mut()
                    .find(|c| c["choice"].is_string())
                    .unwrap();
                step["node"] = "somewhere-else".into();
            }),
            "says it was taken at `somewhere-else`",
        ),
        (
            altered(&export, "no-seed.json", |d| {
                d["records"][0]["seed"] = Value::Null;
            }),
            "record 1 cannot be read: `seed` is not text",
        ),
        (
            altered(&export, "not-an-export.json", |d| {
                d["format"] = "something-else".into();
            }),
            "not a mentorsim JSON export",
        ),
        (
            altered(&export, "one-record-missing-fields.json", |d| {
                let taken = record(d);
                d["records"][1] = serde_json::json!({ "attempt": taken["attempt"] });
            }),
            "record 2 cannot be read",
        ),
    ];
    for (file, reason) in &cases {
        let (ok, said) = import(&coordinator, &[file]);
        assert!(!ok, "{} was accepted: {said}", file.display());
        assert!(said.contains("REFUSED, nothing of it imported"), "{said}");
        assert!(
            said.contains(reason),
            "{}: expected {reason:?} in {said}",
            file.display()
        );
    }

    let duplicate_key = dir.path().join("duplicate-key.json");
    let original = std::fs::read_to_string(&export).unwrap();
    std::fs::write(
        &duplicate_key,
        original.replacen(
            "\"passed\": false",
            "\"passed\": false, \"passed\": true",
            1,
        ),
    )
    .unwrap();
    let not_json = dir.path().join("not-json.json");
    std::fs::write(&not_json, b"\x00\xffnot json").unwrap();
    for file in [&duplicate_key, &not_json] {
        let (ok, said) = import(&coordinator, &[file]);
        assert!(!ok && said.contains("not readable JSON"), "{said}");
    }

    let judged = readiness(&coordinator);
    assert_eq!(
        judged["trainees"].as_array().unwrap().len(),
        0,
        "nothing of a refused file is imported: {judged}"
    );
    // The untouched file still imports.
    let (ok, said) = import(&coordinator, &[&export]);
    let added = format!("{} attempt(s) added", ASSESSMENTS.len());
    assert!(ok && said.contains(&added), "{said}");
}

#[test]
fn a_signed_export_changed_after_signing_and_an_id_taken_by_another_attempt_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (station_dir, coordinator) = (dir.path().join("station"), dir.path().join("coordinator"));
    let export = dir.path().join("signed.json");
    assert!(mentorsim(&station_dir, &["keys", "init"]).status.success());
    station(&station_dir, "t-ada", Pick::Strongest, &export);

    let renamed = altered(&export, "renamed.json", |d| {
        d["payload"]["records"][0]["trainee"]["name"] = "Someone Else".into();
    });
    let (ok, said) = import(&coordinator, &[&renamed]);
    assert!(
        !ok && said.contains("it changed after it was signed"),
        "{said}"
    );

    // Another station's attempt claiming an id the coordinator holds for another attempt.
    let (ok, said) = import(&coordinator, &[&export]);
    assert!(ok, "{said}");
    let other_dir = dir.path().join("other");
    let other_export = dir.path().join("other.json");
    station(&other_dir, "t-bo", Pick::Strongest, &other_export);
    let mut original: Value = serde_json::from_slice(&std::fs::read(&export).unwrap()).unwrap();
    let taken_id = original["payload"]["records"][0]["attempt"].take();
    let clash = altered(&other_export, "clash.json", |d| {
        d["records"][0]["attempt"] = taken_id;
    });
    let (ok, said) = import(&coordinator, &[&clash]);
    assert!(
        !ok && said.contains("is already in the records as another attempt"),
        "{said}"
    );
    let judged = readiness(&coordinator);
    assert!(
        judged["trainees"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["trainee"] != "t-bo"),
        "nothing of the clashing file is imported: {judged}"
    );
}

/// A trainee's standing: id, ready, and each requirement's (met, attempt).
type Standing = (String, bool, Vec<(bool, Value)>);

/// Who is ready, and on which attempts, from a readiness report.
fn standing(judged: &Value) -> Vec<Standing> {
    judged["trainees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["trainee"].as_str().unwrap().to_owned(),
                t["ready"].as_bool().unwrap(),
                t["requirements"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| (r["met"].as_bool().unwrap(), r["attempt"].clone()))
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn readiness_from_a_real_lrs_counts_what_replays_and_lists_a_forged_pass_with_its_reason() {
    let lrs = Lrs::start();
    let dir = tempfile::tempdir().unwrap();
    let (a, b, coordinator, imported) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("coordinator"),
        dir.path().join("imported"),
    );
    let (a_json, b_json) = (dir.path().join("a.json"), dir.path().join("b.json"));
    station(&a, "t-ada", Pick::Strongest, &a_json);
    station(&b, "t-cy", Pick::Weakest, &b_json);

    // Both stations send at once.
    let push = |data: &Path| lrs.mentorsim(data, &["export", "--format", "xapi"], "s3cret");
    let (sent_a, sent_b) = std::thread::scope(|s| {
        let a = s.spawn(|| push(&a));
        let b = s.spawn(|| push(&b));
        (a.join().unwrap(), b.join().unwrap())
    });
    for sent in [&sent_a, &sent_b] {
        assert!(sent.status.success(), "{}", text(&sent.stderr));
        assert!(
            text(&sent.stderr).starts_with(&format!("Sent {} attempt(s)", ASSESSMENTS.len())),
            "{}",
            text(&sent.stderr)
        );
    }

    let from_lrs = lrs.mentorsim(&coordinator, &["readiness", "--json"], "s3cret");
    assert!(from_lrs.status.success(), "{}", text(&from_lrs.stderr));
    assert!(
        text(&from_lrs.stderr).contains(&format!(
            "{} attempt(s) replayed and counted, 0 not counted",
            2 * ASSESSMENTS.len()
        )),
        "{}",
        text(&from_lrs.stderr)
    );
    let from_lrs: Value = serde_json::from_slice(&from_lrs.stdout).unwrap();
    assert!(ready(&from_lrs, "t-ada"));
    assert!(!ready(&from_lrs, "t-cy"));

    // The same judgement as from importing both stations' exports.
    let (ok, said) = import(&imported, &[&a_json, &b_json]);
    assert!(ok, "{said}");
    assert_eq!(standing(&from_lrs), standing(&readiness(&imported)));

    // A station forges a pass: Cy's failed attempt sent again under a new registration,
    // with a passing verdict and score.
    let failed = b_json.with_file_name("b.xapi.json");
    let exported = mentorsim(
        &b,
        &["export", "--format", "xapi", "-o", failed.to_str().unwrap()],
    );
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    let statements: Vec<Value> = serde_json::from_slice(&std::fs::read(&failed).unwrap()).unwrap();
    let registration = statements[0]["context"]["registration"].clone();
    let forged_registration = "9a3c4f1e-7d2b-4c8a-9e6f-0b1d2c3e4f50";
    let forged: Vec<Value> = statements
        .into_iter()
        .filter(|s| s["context"]["registration"] == registration)
        .enumerate()
        .map(|(i, mut s)| {
            s["id"] = format!("5b0e2d7c-1f3a-4e6b-8c9d-{i:012x}").into();
            s["context"]["registration"] = forged_registration.into();
            if s["verb"]["id"] == "http://adlnet.gov/expapi/verbs/failed" {
                s["verb"]["id"] = "http://adlnet.gov/expapi/verbs/passed".into();
                s["verb"]["display"] = serde_json::json!({ "en-US": "passed" });
                s["result"]["success"] = true.into();
                s["result"]["score"]["scaled"] = 0.95.into();
            }
            s
        })
        .collect();
    let body = dir.path().join("forged.json");
    std::fs::write(&body, serde_json::to_vec(&forged).unwrap()).unwrap();
    let posted = std::process::Command::new("curl")
        .args([
            "-sf",
            "-u",
            "trainer:s3cret",
            "-H",
            "X-Experience-API-Version: 1.0.3",
        ])
        .args(["-H", "Content-Type: application/json", "--data-binary"])
        .arg(format!("@{}", body.display()))
        .arg(format!("{}statements", lrs.endpoint))
        .output()
        .unwrap();
    assert!(posted.status.success(), "{}", text(&posted.stderr));

    let judged = lrs.mentorsim(&coordinator, &["readiness", "--json"], "s3cret");
    let judged: Value = serde_json::from_slice(&judged.stdout).unwrap();
    let not_counted = judged["not_counted"].as_array().unwrap();
    assert_eq!(not_counted.len(), 1, "{judged}");
    assert_eq!(not_counted[0]["attempt"], forged_registration);
    assert!(
        not_counted[0]["reason"]
            .as_str()
            .unwrap()
            .contains("it claims a pass, the choices a fail"),
        "{judged}"
    );
    assert!(!ready(&judged, "t-cy"), "the forged pass does not count");
    let human = lrs.mentorsim(&coordinator, &["readiness"], "s3cret");
    assert!(
        text(&human.stdout).contains(&format!(
            "attempt {forged_registration} (t-cy): its claimed result differs"
        )),
        "{}",
        text(&human.stdout)
    );

    // Wrong credentials: a clear error, and nothing is judged or lost.
    let refused = lrs.mentorsim(&coordinator, &["readiness"], "wrong");
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("refused the credentials (HTTP 401)"),
        "{}",
        text(&refused.stderr)
    );
    {
        let library = mentorsim::bundled::library();
        let store = Store::open(&a).unwrap();
        let scenario = library.scenario("al-nine-years-out").unwrap();
        play_recorded(
            &store,
            "t-ada",
            scenario,
            9,
            Mode::Practice,
            Pick::Strongest,
        );
    }
    let pushed_wrong = lrs.mentorsim(&a, &["export", "--format", "xapi"], "wrong");
    assert!(!pushed_wrong.status.success());
    assert!(
        text(&pushed_wrong.stderr).contains("HTTP 401"),
        "{}",
        text(&pushed_wrong.stderr)
    );
    let pushed = lrs.mentorsim(&a, &["export", "--format", "xapi"], "s3cret");
    assert!(
        text(&pushed.stderr).starts_with("Sent 1 attempt(s)"),
        "the attempt refused before is sent now: {}",
        text(&pushed.stderr)
    );
}

/// A gate in front of the LRS. Open, it forwards every connection to the LRS; shut, nothing
/// listens on its port and the connections it carried are cut, so a station sees exactly what
/// it sees when its LRS is stopped, while the LRS behind keeps what it stored (the test LRS
/// keeps statements in memory only, so stopping it for real would lose them).
struct Gate {
    port: u16,
    upstream: std::net::SocketAddr,
    open: Option<(
        std::sync::Arc<std::sync::atomic::AtomicBool>,
        std::thread::JoinHandle<()>,
    )>,
    carried: std::sync::Arc<std::sync::Mutex<Vec<std::net::TcpStream>>>,
}

impl Gate {
    /// A gate on a free port of its own, shut.
    fn to(endpoint: &str) -> Gate {
        let host_port = endpoint
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        Gate {
            port,
            upstream: host_port.parse().unwrap(),
            open: None,
            carried: Default::default(),
        }
    }

    /// The LRS's endpoint as seen through the gate.
    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}/xAPI/", self.port)
    }

    fn open(&mut self) {
        use std::sync::atomic::{AtomicBool, Ordering};
        let listener = std::net::TcpListener::bind(("127.0.0.1", self.port)).unwrap();
        listener.set_nonblocking(true).unwrap();
        let running = std::sync::Arc::new(AtomicBool::new(true));
        let (still, upstream, carried) = (
            std::sync::Arc::clone(&running),
            self.upstream,
            std::sync::Arc::clone(&self.carried),
        );
        let acceptor = std::thread::spawn(move || {
            while still.load(Ordering::SeqCst) {
                let Ok((client, _)) = listener.accept() else {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                    continue;
                };
                client.set_nonblocking(false).unwrap();
                let Ok(server) = std::net::TcpStream::connect(upstream) else {
                    continue;
                };
                let mut list = carried.lock().unwrap();
                list.push(client.try_clone().unwrap());
                list.push(server.try_clone().unwrap());
                for (mut from, mut to) in [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server, client),
                ] {
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut from, &mut to);
                        let _ = to.shutdown(std::net::Shutdown::Write);
                    });
                }
            }
        });
        self.open = Some((running, acceptor));
    }

    fn shut(&mut self) {
        if let Some((running, acceptor)) = self.open.take() {
            running.store(false, std::sync::atomic::Ordering::SeqCst);
            acceptor.join().unwrap();
        }
        for stream in self.carried.lock().unwrap().drain(..) {
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
    }
}

impl Drop for Gate {
    fn drop(&mut self) {
        self.shut();
    }
}

/// A statement without the `"objectType": "Activity"` an LRS writes where xAPI makes it the
/// default, so a stored statement compares equal to the one sent.
fn without_default_object_types(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.get("objectType") == Some(&Value::from("Activity")) {
                map.remove("objectType");
            }
            map.values_mut().for_each(without_default_object_types);
        }
        Value::Array(items) => items.iter_mut().for_each(without_default_object_types),
        _ => {}
    }
}

/// `mentorsim play` for the streaming station: its connection is in its data folder, and
/// the password in a file only its owner reads, never in the environment.
fn play_streamed(data: &Path, args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mentorsim"))
        .args(["play", "al-nine-years-out", "--trainee", "t-eve"])
        .args(["--mode", "assessment", "--seed", "5"])
        .args(args)
        .env("MENTORSIM_DATA_DIR", data)
        .env_remove("MENTORSIM_LRS_PASSWORD")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_station_streams_each_choice_and_after_the_lrs_was_down_everything_arrives_exactly_once() {
    let lrs = Lrs::start();
    let mut gate = Gate::to(&lrs.endpoint);
    gate.open();
    let dir = tempfile::tempdir().unwrap();
    let station = dir.path().join("station");
    std::fs::create_dir_all(&station).unwrap();
    let password = station.join("lrs-password");
    std::fs::write(&password, "s3cret\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&password, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    std::fs::write(
        station.join("connection.ron"),
        format!(
            "Connection(lrs: \"{}\", station: \"trainer\", password_file: Some(\"lrs-password\"))",
            gate.endpoint()
        ),
    )
    .unwrap();

    // Three choices, then the trainee stops: what was committed is at the LRS already.
    let first = play_streamed(&station, &["--name", "Eve", "--choices", "1,1,1"], "");
    assert!(
        text(&first.stderr).contains("--choices ran out at decision 4"),
        "{}",
        text(&first.stderr)
    );
    assert!(
        text(&first.stdout).contains("Program LRS: all sent"),
        "{}",
        text(&first.stdout)
    );
    let registration = Store::open(&station).unwrap().attempts_of("t-eve").unwrap()[0]
        .id
        .clone();
    assert_eq!(lrs.stored(&registration).len(), 2 + 3);

    // The LRS goes away mid-attempt: the trainee plays on, two more choices and then to the
    // end, and nothing is lost.
    gate.shut();
    let offline = play_streamed(&station, &["--choices", "1,1"], "");
    assert!(
        text(&offline.stdout).contains("2 statement(s) waiting"),
        "{}",
        text(&offline.stdout)
    );
    let finished = play_streamed(&station, &[], &"1\n".repeat(60));
    assert!(finished.status.success(), "{}", text(&finished.stderr));
    assert!(
        text(&finished.stdout).contains("Nothing is lost"),
        "{}",
        text(&finished.stdout)
    );
    assert_eq!(lrs.stored(&registration).len(), 2 + 3);
    let cannot = mentorsim(&station, &["records", "sync"]);
    assert!(!cannot.status.success(), "sync fails while the LRS is away");
    assert!(
        text(&cannot.stderr).contains("could not be reached"),
        "{}",
        text(&cannot.stderr)
    );

    // Back, but with the wrong password: a clear error, and nothing is lost.
    gate.open();
    let wrong = std::process::Command::new(env!("CARGO_BIN_EXE_mentorsim"))
        .args(["records", "sync"])
        .env("MENTORSIM_DATA_DIR", &station)
        .env("MENTORSIM_LRS_PASSWORD", "wrong")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(!wrong.status.success());
    assert!(
        text(&wrong.stderr).contains("refused the credentials (HTTP 401)"),
        "{}",
        text(&wrong.stderr)
    );
    assert_eq!(lrs.stored(&registration).len(), 2 + 3);

    // With the right one, one sync sends the rest, once.
    let synced = mentorsim(&station, &["records", "sync"]);
    assert!(synced.status.success(), "{}", text(&synced.stderr));
    assert!(
        text(&synced.stdout).contains("1 attempt(s) now complete there; 0 statement(s) waiting"),
        "{}",
        text(&synced.stdout)
    );
    let again = mentorsim(&station, &["records", "sync"]);
    assert!(text(&again.stdout).starts_with("0 statement(s) sent"));

    // Exactly the statements of the attempt's export, each once.
    let export = dir.path().join("attempt.xapi.json");
    let exported = mentorsim(
        &station,
        &["export", "--format", "xapi", "-o", export.to_str().unwrap()],
    );
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    let expected: Vec<Value> = serde_json::from_slice(&std::fs::read(&export).unwrap()).unwrap();
    let held = lrs.stored(&registration);
    let ids = |statements: &[Value]| {
        let mut ids: Vec<String> = statements
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&held), ids(&expected));
    let mut unique = ids(&held);
    unique.dedup();
    assert_eq!(unique.len(), held.len(), "no statement is stored twice");
    for statement in &held {
        let mut sent = statement.clone();
        for added_by_the_lrs in ["stored", "authority", "version"] {
            sent.as_object_mut().unwrap().remove(added_by_the_lrs);
        }
        let mut same = expected
            .iter()
            .find(|e| e["id"] == statement["id"])
            .unwrap()
            .clone();
        without_default_object_types(&mut sent);
        without_default_object_types(&mut same);
        assert_eq!(sent, same, "streamed and exported statements are the same");
    }

    // And the coordinator counts it from the LRS; judging again asks only for what is new.
    let coordinator = dir.path().join("coordinator");
    let judged = lrs.mentorsim(&coordinator, &["readiness"], "s3cret");
    assert!(
        text(&judged.stderr).contains("1 attempt(s) replayed and counted, 0 not counted"),
        "{}",
        text(&judged.stderr)
    );
    let again = lrs.mentorsim(&coordinator, &["readiness"], "s3cret");
    assert!(
        text(&again.stderr).starts_with("Read 0 new statement(s)")
            && text(&again.stderr).contains("1 attempt(s) replayed and counted"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(text(&again.stdout), text(&judged.stdout));
}
