//! The command line as trainers, CI and scripts use it: `check` and `play` run as a real
//! process, exit codes and output included.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const SCENARIO: &str = "al-not-college-material";

fn mentorsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mentorsim"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("mentorsim runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn check_passes_the_bundled_library_by_default() {
    let output = mentorsim(&["check", "--deny-warnings"]);
    assert!(output.status.success(), "{}", stdout(&output));
    let scenarios = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"))
        .unwrap()
        .flat_map(|module| {
            std::fs::read_dir(module.unwrap().path())
                .into_iter()
                .flatten()
        })
        .filter(|f| {
            f.as_ref()
                .unwrap()
                .path()
                .to_string_lossy()
                .ends_with(".scenario.ron")
        })
        .count();
    assert!(scenarios >= 12);
    assert!(
        stdout(&output).contains(&format!(
            "checked {scenarios} scenario file(s) ({scenarios} playable) and 1 rubric(s): 0 error(s), 0 warning(s)"
        )),
        "{}",
        stdout(&output)
    );
}

#[test]
fn check_reports_an_error_with_file_line_column_and_hint_and_exits_1() {
    let output = mentorsim(&["check", "tests/corpus/unknown-node.scenario.ron"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains("error[unknown-node]: there is no node `edn` to go to"),
        "{text}"
    );
    assert!(
        text.contains("tests/corpus/unknown-node.scenario.ron:18:53"),
        "{text}"
    );
    assert!(text.contains("hint: did you mean `end`?"), "{text}");
}

#[test]
fn warnings_fail_the_check_only_when_denied() {
    let file = "tests/corpus/unreachable-node.scenario.ron";
    assert_eq!(mentorsim(&["check", file]).status.code(), Some(0));
    assert_eq!(
        mentorsim(&["check", "--deny-warnings", file]).status.code(),
        Some(1)
    );
}

#[test]
fn one_broken_file_does_not_stop_the_others() {
    let output = mentorsim(&["check", "scenarios", "tests/corpus/dead-end.scenario.ron"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("error[dead-end]"), "{text}");
    assert!(text.contains("1 error(s)"), "{text}");
}

#[test]
fn check_json_follows_the_documented_contract() {
    let output = mentorsim(&[
        "check",
        "--stats",
        "--format",
        "json",
        "scenarios",
        "tests/corpus/unknown-node.scenario.ron",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let scenario = json["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == SCENARIO)
        .expect("bundled scenario listed");
    assert_eq!(scenario["topic"], "active-listening");
    let stats = &scenario["stats"];
    for key in [
        "nodes",
        "decisions_min",
        "decisions_max",
        "endings",
        "paths",
    ] {
        assert!(stats[key].as_u64().is_some(), "{key} in {stats}");
    }
    assert_eq!(stats["pass_reachable"], true);
    assert_eq!(stats["fail_reachable"], true);
    let bounds = stats["score_bounds"]["LIS"].as_array().unwrap();
    assert_eq!(bounds.len(), 2);
    let diagnostic = &json["diagnostics"][0];
    assert_eq!(diagnostic["severity"], "error");
    assert_eq!(diagnostic["code"], "unknown-node");
    assert_eq!(diagnostic["line"], 18);
    assert_eq!(diagnostic["column"], 53);
    assert!(
        diagnostic["file"]
            .as_str()
            .unwrap()
            .ends_with("unknown-node.scenario.ron")
    );
    assert!(!diagnostic["hint"].as_str().unwrap().is_empty());
}

fn scripted(seed: &str, choices: &str, mode: &str) -> Output {
    mentorsim(&[
        "play",
        SCENARIO,
        "--seed",
        seed,
        "--choices",
        choices,
        "--mode",
        mode,
        "--json",
    ])
}

/// Plays with position 1 at every decision, however many decisions the path has.
fn first_choices() -> String {
    ["1"; 7].join(",")
}

#[test]
fn scripted_play_prints_the_result_as_json_and_replays_identically() {
    let first = scripted("42", &first_choices(), "assessment");
    assert!(first.status.success(), "{}", stderr(&first));
    let result: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(result["scenario"], SCENARIO);
    assert!(result["passed"].is_boolean());
    assert!(
        result["scores"]["LIS"]
            .as_f64()
            .is_some_and(|s| (0.0..=1.0).contains(&s))
    );
    assert!(result["critical"].is_array());
    let path = result["path"].as_array().unwrap();
    assert_eq!(path.first().unwrap(), "opening", "{path:?}");
    assert_eq!(
        path.last().unwrap(),
        &result["ending"],
        "the path ends at the ending"
    );
    let again = scripted("42", &first_choices(), "assessment");
    assert_eq!(first.stdout, again.stdout);
}

#[test]
fn practice_mode_shows_feedback_during_play_and_assessment_does_not() {
    let practice = scripted("3", &first_choices(), "practice");
    assert!(
        stderr(&practice).contains("Feedback:"),
        "{}",
        stderr(&practice)
    );
    let assessment = scripted("3", &first_choices(), "assessment");
    assert!(!stderr(&assessment).contains("Feedback:"));
}

#[test]
fn a_bad_id_or_choice_is_a_clear_error_not_a_panic() {
    let unknown = mentorsim(&["play", "no-such-scenario"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(stderr(&unknown).contains("there is no scenario `no-such-scenario`"));
    assert!(
        stderr(&unknown).contains(SCENARIO),
        "lists what is available"
    );

    let too_big = scripted("1", "9", "practice");
    assert_eq!(too_big.status.code(), Some(1));
    assert!(
        stderr(&too_big).contains("does not exist"),
        "{}",
        stderr(&too_big)
    );

    let not_a_number = scripted("1", "x", "practice");
    assert_eq!(not_a_number.status.code(), Some(1));
    assert!(stderr(&not_a_number).contains("`x` is not a choice number"));

    let too_few = scripted("1", "1", "practice");
    assert_eq!(too_few.status.code(), Some(1));
    assert!(stderr(&too_few).contains("--choices ran out"));

    let too_many = scripted("1", &vec!["1"; 30].join(","), "practice");
    assert_eq!(too_many.status.code(), Some(1));
    assert!(stderr(&too_many).contains("the conversation ended after"));
}

#[test]
fn interactive_play_reads_numbers_and_reprompts_on_bad_input() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mentorsim"))
        .args(["play", SCENARIO, "--seed", "5"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = String::from("banana\n");
    for _ in 0..20 {
        input.push_str("\n1\n");
    }
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let text = stdout(&output);
    assert!(output.status.success(), "{text}{}", stderr(&output));
    assert!(text.contains("Type a number from 1 to"), "{text}");
    assert!(text.contains("== Debrief:"), "{text}");
}

#[test]
fn a_missing_path_is_reported_once_with_its_name_and_hint() {
    let output = mentorsim(&["check", "no/such/place.scenario.ron"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert_eq!(
        text.matches("in no/such/place.scenario.ron").count(),
        1,
        "{text}"
    );
    assert!(text.contains("error[unreadable-file]"), "{text}");
    assert!(text.contains("hint: check the path"), "{text}");
}

#[test]
fn check_of_a_folder_without_scenarios_is_an_error_not_a_clean_pass() {
    let empty = tempfile::tempdir().unwrap();
    let output = mentorsim(&["check", empty.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains("error[no-scenarios]: this folder holds no scenario files"),
        "{text}"
    );
}

/// Every command that prints, with its reader gone after the first line: it ends quietly with
/// its own status instead of panicking ("failed printing to stdout", exit 101).
#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    let data = tempfile::tempdir().unwrap();
    let commands: &[(&[&str], i32)] = &[
        (&["check", "--stats"], 0),
        (&["check", "--format", "json"], 0),
        (&["check", "tests/corpus/unknown-node.scenario.ron"], 1),
        (&["graph", "cb-asking-for-a-friend"], 0),
        (
            &[
                "play",
                "al-not-college-material",
                "--choices",
                "1,1,1,1,1,1,1",
                "--seed",
                "1",
            ],
            0,
        ),
        (
            &[
                "play",
                "al-not-college-material",
                "--choices",
                "1,1,1,1,1,1,1",
                "--seed",
                "1",
                "--json",
            ],
            0,
        ),
        (&["readiness"], 0),
        (&["analytics", "cb-asking-for-a-friend"], 0),
        (
            &["records", "import", "tests/corpus/no-such-export.json"],
            1,
        ),
    ];
    for (args, status) in commands {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mentorsim"))
            .args(*args)
            .env("MENTORSIM_DATA_DIR", data.path())
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Hang up before the first line, as `| head -1` does by the time of the second.
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let errors = stderr(&output);
        assert_eq!(output.status.code(), Some(*status), "{args:?}: {errors}");
        assert!(!errors.contains("panicked"), "{args:?}: {errors}");
    }
}

/// A scenario whose texts carry terminal escapes and bidirectional controls: `play` and `check`
/// show them as visible escapes and never send them to the terminal.
#[test]
fn escape_sequences_in_a_scenario_are_shown_not_obeyed() {
    let folder = tempfile::tempdir().unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    std::fs::copy(
        corpus.join("corpus.rubric.ron"),
        folder.path().join("corpus.rubric.ron"),
    )
    .unwrap();
    let text = std::fs::read_to_string(corpus.join("unknown-node.scenario.ron"))
        .unwrap()
        .replace("\"Hi.\"", "\"Hi.\\u{1b}[2J\\u{1b}]0;pwned\\u{7}\"")
        .replace("\"Hello.\"", "\"Hel\u{202E}lo.\u{9b}31m\"")
        .replace("\"edn\"", "\"end\"")
        .replace("id: \"corpus\",", "id: \"escapes\",");
    let file = folder.path().join("escapes.scenario.ron");
    std::fs::write(
        &file,
        text.replacen("// expect: error unknown-node 18:53\n", "", 1),
    )
    .unwrap();
    let library = folder.path().display().to_string();

    let played = mentorsim(&[
        "play",
        "escapes",
        "--library",
        &library,
        "--choices",
        "1",
        "--seed",
        "1",
    ]);
    let shown = stdout(&played);
    assert!(played.status.success(), "{}", stderr(&played));
    assert!(
        shown.contains("Hi.\\u{1b}[2J\\u{1b}]0;pwned\\u{7}"),
        "{shown}"
    );
    assert!(
        shown.contains("\\u{202e}") && shown.contains("\\u{9b}"),
        "{shown}"
    );
    for byte in [0x1b_u8, 0x07] {
        assert!(
            !played.stdout.contains(&byte),
            "raw control {byte:#x} reached the terminal"
        );
    }
    assert!(!shown.contains('\u{202E}') && !shown.contains('\u{9b}'));

    std::fs::write(
        &file,
        std::fs::read_to_string(&file).unwrap().replace(
            "next: \"end\", effects: {\"A\": -1}",
            "next: \"e\u{1b}[31mnd\", effects: {\"A\": -1}",
        ),
    )
    .unwrap();
    let checked = mentorsim(&["check", &library]);
    assert_eq!(checked.status.code(), Some(1));
    assert!(!checked.stdout.contains(&0x1b), "{}", stdout(&checked));
    assert!(
        stdout(&checked).contains("e\\u{1b}[31mnd"),
        "{}",
        stdout(&checked)
    );
}

/// Without a Vulkan driver the app names the package to install, and exits with status 2,
/// instead of the renderer's panic; nothing is written to the data folder.
#[cfg(all(unix, not(target_os = "macos")))]
#[test]
fn the_app_without_a_vulkan_driver_names_the_package_and_exits_2() {
    let data = tempfile::tempdir().unwrap();
    let records = data.path().join("records");
    let output = Command::new(env!("CARGO_BIN_EXE_mentorsim"))
        .args(["--data-dir", records.to_str().unwrap()])
        .env("DISPLAY", ":4242")
        .env("VK_DRIVER_FILES", data.path().join("no-such-driver.json"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("renders with Vulkan, and VK_DRIVER_FILES names no driver"),
        "{said}"
    );
    assert!(said.contains("mesa-vulkan-drivers"), "{said}");
    assert!(said.contains("mentorsim play"), "{said}");
    assert!(!said.contains("panicked"), "{said}");
    assert!(
        !records.exists(),
        "no records folder for a window that never opened"
    );
}

/// Without a display the app says what is missing and what to do, and exits with status 2,
/// instead of winit's panic; nothing is written to the data folder.
#[cfg(all(unix, not(target_os = "macos")))]
#[test]
fn the_app_without_a_display_says_what_to_do_and_exits_2() {
    let data = tempfile::tempdir().unwrap();
    let records = data.path().join("records");
    let output = Command::new(env!("CARGO_BIN_EXE_mentorsim"))
        .args(["--data-dir", records.to_str().unwrap()])
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("DISPLAY is not set"), "{said}");
    assert!(said.contains("xvfb-run mentorsim"), "{said}");
    assert!(said.contains("mentorsim play"), "{said}");
    assert!(!said.contains("panicked"), "{said}");
    assert!(
        !records.exists(),
        "no records folder for a window that never opened"
    );
}

/// The strongest reply at every decision but one, where a Major mistake is taken, on the first
/// bundled assessment where that still passes: the scenario, the seed and the positions.
fn passing_route_with_a_major() -> (String, u64, Vec<usize>) {
    use mentorsim_script::engine::{Mode, Session};
    use mentorsim_script::model::Severity;

    let library = mentorsim::bundled::library();
    let seed = 1;
    for id in library.scenario_ids() {
        let scenario = library.scenario(id).unwrap();
        if scenario.kind != mentorsim_script::model::ScenarioKind::Assessment {
            continue;
        }
        for slip in 0..20 {
            let mut session = Session::start(scenario.clone(), seed, Mode::Assessment).unwrap();
            let mut picks = Vec::new();
            while let Some(line) = session.current() {
                if line.options.is_empty() {
                    session.advance().unwrap();
                    continue;
                }
                let node = scenario.node_index(&line.node).unwrap();
                let severity = |pos: usize| {
                    let choice = scenario
                        .choices(node)
                        .iter()
                        .find(|c| c.id == line.options[pos].id)
                        .unwrap();
                    (choice.severity.clone(), choice.total_effect())
                };
                let offered = 0..line.options.len();
                let major = offered
                    .clone()
                    .find(|&p| matches!(severity(p).0, Severity::Major(_)));
                let pos = match major {
                    Some(p) if picks.len() == slip => p,
                    _ => offered
                        .filter(|&p| severity(p).0 == Severity::Normal)
                        .max_by_key(|&p| severity(p).1)
                        .unwrap(),
                };
                picks.push(pos + 1);
                session.choose(pos + 1).unwrap();
            }
            let result = session.result().unwrap();
            if result.passed && !result.major.is_empty() {
                return (id.to_owned(), seed, picks);
            }
        }
    }
    panic!("no bundled assessment passes with one Major mistake");
}

/// A pass does not make a serious mistake less serious: the debrief that shows the stronger
/// replies still names the Major mistake and why it was one.
#[test]
fn a_passed_assessment_debrief_still_names_its_major_mistake() {
    let (id, seed, picks) = passing_route_with_a_major();
    let picks: Vec<String> = picks.iter().map(usize::to_string).collect();
    let output = mentorsim(&[
        "play",
        &id,
        "--mode",
        "assessment",
        "--seed",
        &seed.to_string(),
        "--choices",
        &picks.join(","),
    ]);
    let shown = stdout(&output);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(shown.contains("== Debrief: PASSED =="), "{shown}");
    assert!(
        shown.contains("Stronger:"),
        "the stronger replies show after a pass"
    );
    assert!(shown.contains("   Major error: "), "{shown}");
}
