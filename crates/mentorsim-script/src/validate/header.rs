//! What a scenario declares before its nodes: its id, texts and pass rule, the competencies it
//! claims from its rubric, and its variables.

use std::collections::HashSet;

use super::findings::{Findings, check_bound, check_fraction};
use super::nodes::{is_identifier, is_plain_id, nearest_hint};
use super::rubric::Rubric;
use crate::diagnostic::Code;
use crate::limits::{MAX_VARIABLE, SUGGESTION_BUDGET};
use crate::load::Suggester;
use crate::model::ScenarioFile;
use crate::scenario::{Competency, VariableDef};
use crate::syntax::RonPath;

pub(super) fn check_metadata(findings: &mut Findings, file: &ScenarioFile) {
    let root = RonPath::root();
    for (field, text) in [("id", &file.id), ("rubric", &file.rubric)] {
        findings.non_empty(|| root.field(field), text, field);
    }
    for (field, text) in [("title", &file.title), ("summary", &file.summary)] {
        findings.shown_text(|| root.field(field), text, field);
    }
    if !file.id.is_empty() && !is_plain_id(&file.id) {
        findings.report(
Code::BadId,
            root.field("id"),
            format!("scenario id `{}` has characters other than letters, digits, `-` and `_`", file.id),
            "ids are typed on the command line and stored in records: use e.g. `al-not-college-material`",
        );
    }
    if file.version == 0 {
        findings.report(
            Code::BadVersion,
            root.field("version"),
            "version 0 is not allowed",
            "start at `version: 1` and increase it whenever the content changes",
        );
    }
    let persona = root.field("persona");
    findings.non_empty(|| persona.field("name"), &file.persona.name, "persona name");
    findings.shown_text(
        || persona.field("setting"),
        &file.persona.setting,
        "persona setting",
    );
    findings.shown_text(
        || persona.field("background"),
        &file.persona.background,
        "persona background",
    );
    for (i, text) in file.objectives.iter().enumerate() {
        findings.shown_text(|| root.field("objectives").index(i), text, "objective");
    }
    for (i, text) in file.content_notes.iter().enumerate() {
        findings.shown_text(
            || root.field("content_notes").index(i),
            text,
            "content note",
        );
    }
    check_fraction(
        findings,
        root.field("pass").field("overall"),
        file.pass.overall,
    );
}

pub(super) fn check_competencies(
    findings: &mut Findings,
    file: &ScenarioFile,
    rubric: Option<&Rubric>,
) -> Vec<Competency> {
    let root = RonPath::root();
    if file.competencies.is_empty() {
        findings.report(
Code::NoCompetencies,
            root.field("competencies"),
            "the scenario assesses no competency",
            "list the rubric competencies its choices score, e.g. `competencies: [\"LIS\", \"COL\"]`",
        );
    }
    let mut seen = HashSet::new();
    let mut competencies = Vec::new();
    let mut suggester = Suggester::new(SUGGESTION_BUDGET);
    for (i, id) in file.competencies.iter().enumerate() {
        let path = root.field("competencies").index(i);
        if !seen.insert(id.as_str()) {
            findings.report(
                Code::DuplicateId,
                path,
                format!("competency `{id}` is listed twice"),
                "list each competency once",
            );
            continue;
        }
        let Some(rubric) = rubric else {
            // Without its rubric the scenario cannot be built; keep the id so that effects on
            // it are not reported as unknown too.
            competencies.push(Competency {
                id: id.clone(),
                name: id.clone(),
                threshold: 0.0,
            });
            continue;
        };
        match rubric.competency(id) {
            Some(def) => competencies.push(Competency {
                id: id.clone(),
                name: def.name.clone(),
                threshold: file
                    .pass
                    .competencies
                    .get(id)
                    .copied()
                    .unwrap_or(def.threshold),
            }),
            None => {
                findings
                    .report(
                        Code::UnknownCompetency,
                        path,
                        format!("rubric `{}` has no competency `{id}`", rubric.id),
                        nearest_hint(
                            &mut suggester,
                            id,
                            rubric.competencies.iter().map(|c| c.id.as_str()),
                        ),
                    )
                    .label("not in the rubric");
            }
        }
    }
    for (id, threshold) in &file.pass.competencies {
        let path = root.field("pass").field("competencies").key(id);
        check_fraction(findings, path.clone(), *threshold);
        if !seen.contains(id.as_str()) {
            findings.report(
                Code::UnknownCompetency,
                path,
                format!(
                    "the pass rule sets a threshold for `{id}`, which this scenario does not assess"
                ),
                "add it to `competencies`, or remove the threshold",
            );
        }
    }
    competencies
}

/// The scenario's variables, each checked: a range that holds its start, values within the
/// bounds, a name conditions can use.
pub(super) fn check_variables(findings: &mut Findings, file: &ScenarioFile) -> Vec<VariableDef> {
    let root = RonPath::root();
    let variables: Vec<VariableDef> = file
        .variables
        .iter()
        .map(|(name, v)| VariableDef {
            name: name.clone(),
            start: v.start,
            min: v.min,
            max: v.max,
            description: v.description.clone(),
        })
        .collect();
    for var in &variables {
        let path = root.field("variables").key(&var.name);
        if var.min > var.max || !(var.min..=var.max).contains(&var.start) {
            findings.report(
                Code::BadVariable,
                path.clone(),
                format!(
                    "variable `{}` starts at {} outside its range {}..={}",
                    var.name, var.start, var.min, var.max
                ),
                "`min` <= `start` <= `max` must hold",
            );
        }
        for (field, value) in [("start", var.start), ("min", var.min), ("max", var.max)] {
            check_bound(
                findings,
                || path.field(field),
                value,
                MAX_VARIABLE,
                "a variable",
            );
        }
        if !is_identifier(&var.name) {
            findings.report(
                Code::BadVariable,
                path,
                format!("`{}` cannot be used in conditions", var.name),
                "variable names are letters, digits and `_`, starting with a letter",
            );
        }
    }
    variables
}
