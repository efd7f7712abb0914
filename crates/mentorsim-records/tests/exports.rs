//! What exports make of hostile text in the records: a spreadsheet never runs a CSV cell as a
//! formula, and xAPI activity ids stay valid IRIs whatever the recorded ids hold.

#[path = "support/play.rs"]
#[allow(dead_code)] // only the weakest path is needed here
mod play;

use mentorsim_records::export::{Collected, Selection, collect, csv, xapi};
use mentorsim_records::policy::Program;
use mentorsim_records::store::{DATABASE_FILE, Store};
use mentorsim_script::engine::Mode;
use play::{Pick, bundled_library, play_recorded};

const NAME: &str = "=HYPERLINK(\"http://evil.example\",\"Ada\")";
const REFLECTION: &str = "-3 points, +cmd|' /C calc'!A0";

/// One finished attempt by a trainee whose id, name and reflection are formulas, with a
/// critical error and an ending whose recorded texts are formulas too.
fn hostile(dir: &std::path::Path) -> Collected {
    let library = bundled_library();
    let attempt = {
        let store = Store::open(dir).unwrap();
        store.save_trainee("@risk", NAME).unwrap();
        let scenario = library.scenario("cb-asking-for-a-friend").unwrap();
        let (attempt, _) = play_recorded(
            &store,
            "@risk",
            scenario,
            4,
            Mode::Assessment,
            Pick::Weakest,
        );
        store.save_reflection(&attempt, REFLECTION).unwrap();
        attempt
    };
    let db = rusqlite::Connection::open(dir.join(DATABASE_FILE)).unwrap();
    db.execute(
        "UPDATE attempts SET result = json_set(result, '$.critical[0].text', '=1+1',
             '$.ending', '@SUM(A1)') WHERE id = ?1",
        [&attempt],
    )
    .unwrap();
    drop(db);
    let store = Store::open_read_only(dir).unwrap();
    let selection = Selection {
        reflections: true,
        ..Selection::default()
    };
    collect(&store, &library, &selection).unwrap()
}

#[test]
fn csv_text_cells_that_a_spreadsheet_would_run_are_neutralised_and_numbers_stay_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let collected = hostile(dir.path());
    assert!(!collected.records[0].result.critical.is_empty());
    let mut bytes = Vec::new();
    csv::write(&collected.records, &[], true, &mut bytes).unwrap();

    let mut reader = ::csv::Reader::from_reader(bytes.as_slice());
    let header = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    let cell = |name: &str| {
        row.get(header.iter().position(|h| h == name).unwrap())
            .unwrap()
    };
    assert_eq!(cell("trainee"), "'@risk");
    assert_eq!(cell("trainee_name"), format!("'{NAME}"));
    assert_eq!(cell("reflection"), format!("'{REFLECTION}"));
    assert_eq!(cell("ending"), "'@SUM(A1)");
    assert!(
        cell("critical").starts_with("'=1+1"),
        "{}",
        cell("critical")
    );
    for number in [
        "overall",
        "duration_seconds",
        "scenario_version",
        "seed",
        "critical_errors",
    ] {
        assert!(
            cell(number).parse::<f64>().is_ok(),
            "{number}: {}",
            cell(number)
        );
    }
    let formula_starts = ['=', '+', '-', '@', '\t', '\r', '\n'];
    for (name, value) in header.iter().zip(row.iter()) {
        assert!(
            !value.starts_with(formula_starts),
            "{name} starts like a formula: {value:?}"
        );
    }

    assert_eq!(csv::text("-3 points"), "'-3 points");
    assert_eq!(csv::text("\tindented"), "'\tindented");
    assert_eq!(csv::text("\r=1"), "'\r=1");
    assert_eq!(csv::text("plain = fine"), "plain = fine");
}

#[test]
fn xapi_activity_ids_percent_encode_whatever_the_recorded_ids_hold() {
    let dir = tempfile::tempdir().unwrap();
    let mut collected = hostile(dir.path());
    let record = &mut collected.records[0];
    record.attempt.scenario = "my scenario?v=2#x".to_owned();
    record.result.decisions[0].node = "n 1/\u{202E}..".to_owned();
    let program = Program {
        name: "P".to_owned(),
        home_page: "https://mentors.example.org".to_owned(),
    };
    let statements = xapi::statements(&collected.records, &program);
    let answered = statements
        .iter()
        .find(|s| s["verb"]["id"].as_str().unwrap().ends_with("answered"))
        .unwrap();
    assert_eq!(
        answered["object"]["id"],
        "https://mentors.example.org/scenarios/my%20scenario%3Fv%3D2%23x/decisions/n%201%2F%E2%80%AE.."
    );
    for statement in &statements {
        let id = statement["object"]["id"].as_str().unwrap();
        assert!(
            id.chars()
                .all(|c| c.is_ascii_graphic() && !"?# ".contains(c) || c == '/' || c == ':'),
            "{id}"
        );
    }
    assert_eq!(xapi::iri_segment("a-b_c.d~e"), "a-b_c.d~e");
    assert_eq!(xapi::iri_segment(".."), "%2E%2E");
}
