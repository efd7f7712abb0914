//! Rubric files: the competency framework scenarios are scored against.

use std::collections::HashMap;
use std::sync::Arc;

use super::findings::{Findings, check_fraction};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{self, RubricFile};
use crate::source::SourceText;
use crate::syntax::RonPath;

/// The most decisions a rubric can ask for per competency.
const MAX_MIN_EVIDENCE: u32 = 100;

/// A checked competency framework.
#[derive(Debug, Clone)]
pub struct Rubric {
    /// Id scenarios refer to.
    pub id: String,
    /// Version.
    pub version: u32,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Score bands.
    pub levels: model::Levels,
    /// Decisions each claimed competency needs on every path of an assessment.
    pub min_evidence: u32,
    /// The least severity per behaviour code.
    pub severity_floors: Vec<model::SeverityFloor>,
    /// Competencies.
    pub competencies: Vec<model::CompetencyDef>,
    /// Where it was loaded from.
    pub file: String,
    /// The file's text, kept for the records (see [`Scenario::source`]).
    pub source: Arc<str>,
    /// SHA-256 of that text, hex.
    pub sha256: String,
}

impl Rubric {
    /// A competency by id.
    pub fn competency(&self, id: &str) -> Option<&model::CompetencyDef> {
        self.competencies.iter().find(|c| c.id == id)
    }
}

/// Checks a rubric file.
pub fn check_rubric(source: &SourceText, file: RubricFile) -> (Option<Rubric>, Vec<Diagnostic>) {
    let mut findings = Findings::default();
    let root = RonPath::root();
    findings.non_empty(|| root.field("id"), &file.id, "rubric id");
    findings.non_empty(|| root.field("title"), &file.title, "title");
    let levels = root.field("levels");
    for (name, value) in [
        ("proficient", file.levels.proficient),
        ("developing", file.levels.developing),
    ] {
        check_fraction(&mut findings, levels.field(name), value);
    }
    if file.levels.developing > file.levels.proficient {
        findings.report(
            Code::BadLevels,
            levels.field("developing"),
            "the developing band starts above the proficient band",
            "`developing` must be lower than `proficient`",
        );
    }
    if file.competencies.is_empty() {
        findings.report(
            Code::NoCompetencies,
            root.field("competencies"),
            "the rubric defines no competencies",
            "add at least one `Competency(...)`",
        );
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, competency) in file.competencies.iter().enumerate() {
        let path = root.field("competencies").index(i);
        if let Some(first) = seen.insert(&competency.id, i) {
            findings.report(
                Code::DuplicateId,
                path.field("id"),
                format!("competency id `{}` is used twice", competency.id),
                format!(
                    "competency {} already uses it; give each one its own id",
                    first + 1
                ),
            );
        }
        for (field, text) in [
            ("id", &competency.id),
            ("name", &competency.name),
            ("definition", &competency.definition),
            ("proficient", &competency.proficient),
            ("developing", &competency.developing),
            ("not_yet", &competency.not_yet),
        ] {
            findings.non_empty(|| path.field(field), text, field);
        }
        check_fraction(&mut findings, path.field("threshold"), competency.threshold);
    }
    if !(1..=MAX_MIN_EVIDENCE).contains(&file.min_evidence) {
        findings.report(
            Code::ValueOutOfRange,
            root.field("min_evidence"),
            format!(
                "`min_evidence` is {}; it must be 1 to {MAX_MIN_EVIDENCE}",
                file.min_evidence
            ),
            "the number of decisions each competency needs on every path of an assessment, 4 by default",
        );
    }
    let mut floors: HashMap<model::BehaviourCode, usize> = HashMap::new();
    for (i, floor) in file.severity_floors.iter().enumerate() {
        if let Some(first) = floors.insert(floor.code, i) {
            findings.report(
                Code::DuplicateId,
                root.field("severity_floors").index(i).field("code"),
                format!("`{:?}` is given a severity floor twice", floor.code),
                format!("the first is entry {}; keep one", first + 1),
            );
        }
    }
    let failed = findings.has_errors();
    let diagnostics = findings.into_diagnostics(source);
    let rubric = (!failed).then(|| Rubric {
        id: file.id,
        version: file.version,
        title: file.title,
        description: file.description,
        levels: file.levels,
        min_evidence: file.min_evidence,
        severity_floors: file.severity_floors,
        competencies: file.competencies,
        file: source.name.clone(),
        source: source.text.as_str().into(),
        sha256: crate::digest::sha256_hex(source.text.as_bytes()),
    });
    (rubric, diagnostics)
}
