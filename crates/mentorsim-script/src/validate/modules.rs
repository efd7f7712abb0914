//! Modules files: the training modules a library's scenarios are grouped into.

use std::collections::HashMap;

use super::findings::Findings;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Module, ModulesFile};
use crate::source::SourceText;
use crate::syntax::RonPath;

/// Checks a modules file; gives back the modules without errors, each with its place in the
/// file's list, so that one broken entry does not hide the module every scenario names.
pub fn check_modules(
    source: &SourceText,
    file: ModulesFile,
) -> (Vec<(usize, Module)>, Vec<Diagnostic>) {
    let mut findings = Findings::default();
    let list = RonPath::root().field("modules");
    if file.modules.is_empty() {
        findings.report(
            Code::NoModules,
            list.clone(),
            "the file declares no modules",
            "add at least one `(id: \"...\", title: \"...\", order: 1)`",
        );
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut good = vec![true; file.modules.len()];
    for (i, module) in file.modules.iter().enumerate() {
        let path = list.index(i);
        let before = findings.0.len();
        findings.non_empty(|| path.field("id"), &module.id, "module id");
        findings.non_empty(|| path.field("title"), &module.title, "title");
        if !module.id.is_empty() && !is_module_id(&module.id) {
            findings.report(
                Code::BadId,
                path.field("id"),
                format!(
                    "module id `{}` has characters other than lowercase letters, digits and `-`",
                    module.id
                ),
                "module ids are stored in records and typed in policies: use e.g. `starting-well`",
            );
        }
        if let Some(first) = seen.insert(&module.id, i) {
            findings.report(
                Code::DuplicateId,
                path.field("id"),
                format!("module id `{}` is used twice", module.id),
                format!(
                    "module {} already uses it; give each module its own id",
                    first + 1
                ),
            );
        }
        good[i] = findings.0.len() == before;
    }
    let diagnostics = findings.into_diagnostics(source);
    let modules = file
        .modules
        .into_iter()
        .zip(good)
        .enumerate()
        .filter_map(|(i, (module, good))| good.then_some((i, module)))
        .collect();
    (modules, diagnostics)
}

fn is_module_id(id: &str) -> bool {
    id.chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}
