//! The codes a trainer or coordinator looks up are documented exactly as mentorsim reports
//! them: each table of codes in the docs is the list in `diagnostic::Code`, row by row.

use std::path::Path;

use mentorsim_script::diagnostic::{Code, Documented, Severity};

/// The table of codes in a document: the rows after its `| code | severity | meaning |` header.
fn table_in(document: &str) -> Vec<String> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(document))
        .unwrap_or_else(|e| panic!("{document}: {e}"));
    let rows: Vec<String> = text
        .lines()
        .skip_while(|line| line.trim() != "| code | severity | meaning |")
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .map(str::to_owned)
        .collect();
    assert!(!rows.is_empty(), "{document} has a table of codes");
    rows
}

/// The rows the list of codes gives: neighbours with the same severity and meaning share one.
fn rows_for(documented: Documented) -> Vec<String> {
    let mut groups: Vec<(Vec<Code>, Severity, &str)> = Vec::new();
    for &code in Code::ALL.iter().filter(|c| c.documented() == documented) {
        match groups.last_mut() {
            Some((codes, severity, meaning))
                if *severity == code.severity() && *meaning == code.meaning() =>
            {
                codes.push(code)
            }
            _ => groups.push((vec![code], code.severity(), code.meaning())),
        }
    }
    groups
        .into_iter()
        .map(|(codes, severity, meaning)| {
            let names: Vec<String> = codes.iter().map(|c| format!("`{c}`")).collect();
            let severity = match severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            format!("| {} | {severity} | {meaning} |", names.join(", "))
        })
        .collect()
}

#[test]
fn the_scenario_format_lists_every_code_of_scenario_and_rubric_files() {
    assert_eq!(
        table_in("../../docs/scenario-format.md"),
        rows_for(Documented::Scenario)
    );
}

#[test]
fn the_records_guide_lists_every_code_of_the_policy_file() {
    assert_eq!(
        table_in("../../docs/records.md"),
        rows_for(Documented::Policy)
    );
}

#[test]
fn codes_are_unique_kebab_case_names() {
    let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert!(names.iter().all(|n| {
        n.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    }));
    names.sort();
    let count = names.len();
    names.dedup();
    assert_eq!(names.len(), count, "no code twice");
}
