//! One severity rule for the library: the rubric's severity table gives the least severity an
//! option with each behaviour code may have, and an option coded as such a mistake but judged
//! more lightly is reported where it is written.

use super::findings::Findings;
use crate::diagnostic::Code;
use crate::model::{FloorLevel, Node, ScenarioFile, SeverityFloor};
use crate::syntax::RonPath;

/// Reports every option whose codes demand a higher severity than it has.
pub(super) fn check_severity_floors(
    findings: &mut Findings,
    file: &ScenarioFile,
    floors: &[SeverityFloor],
) {
    if floors.is_empty() {
        return;
    }
    for (n, node) in file.nodes.iter().enumerate() {
        let Node::Line(line) = node else {
            continue;
        };
        for (c, choice) in line.choices.iter().enumerate() {
            let demanded = choice
                .codes
                .iter()
                .filter_map(|code| floors.iter().find(|f| f.code == *code))
                .max_by_key(|f| f.at_least);
            let Some(floor) = demanded.filter(|f| !choice.severity.meets(f.at_least)) else {
                continue;
            };
            let level = match floor.at_least {
                FloorLevel::Major => "major",
                FloorLevel::Critical => "critical",
            };
            let wanted = match floor.at_least {
                FloorLevel::Major => "Major(\"why\")",
                FloorLevel::Critical => "Critical(\"why and what to do instead\")",
            };
            let why = if floor.why.is_empty() {
                String::new()
            } else {
                format!(" ({})", floor.why)
            };
            findings.report(
                Code::SeverityMismatch,
                RonPath::root()
                    .field("nodes")
                    .index(n)
                    .field("choices")
                    .index(c)
                    .field("codes"),
                format!(
                    "option `{}/{}` is coded `{:?}`, which the rubric judges at least {level}{why}, but its severity is lighter",
                    line.id, choice.id, floor.code
                ),
                format!("make it `severity: {wanted}`, or drop the code if the option does not do that"),
            );
        }
    }
}
