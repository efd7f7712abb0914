//! A library: the rubrics and scenarios found under some paths, each checked, with every
//! finding kept beside the file it is about. One broken file never stops the others.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analysis::Analysis;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::limits::{FOLDER_DEPTH, MAX_FILE_BYTES};
use crate::load::{FileKind, not_a_file, parse, parse_scenario, read_source, too_large};
use crate::model::{RubricFile, ScenarioKind, Topic};
use crate::scenario::Scenario;
use crate::source::SourceText;
use crate::syntax::{RonPath, locate};
use crate::validate::{Rubric, check_rubric, check_scenario};

/// One scenario file and what became of it.
#[derive(Debug)]
pub struct ScenarioEntry {
    /// The file as named by the user.
    pub file: String,
    /// Id, title and topic, when the file parsed.
    pub meta: Option<ScenarioMeta>,
    /// The playable scenario, when the file has no errors.
    pub scenario: Option<Arc<Scenario>>,
    /// The path analysis, when the scenario could be built.
    pub analysis: Option<Analysis>,
}

/// What the library shows of a scenario even when it cannot be played.
#[derive(Debug, Clone)]
pub struct ScenarioMeta {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Module.
    pub topic: Topic,
    /// Practice or assessment.
    pub kind: ScenarioKind,
}

/// Checked content.
#[derive(Debug, Default)]
pub struct Library {
    /// Rubrics without errors.
    pub rubrics: Vec<Rubric>,
    /// Every scenario file, in path order.
    pub scenarios: Vec<ScenarioEntry>,
    /// Every finding, grouped by file in path order.
    pub diagnostics: Vec<Diagnostic>,
    sources: HashMap<String, SourceText>,
}

/// A file to check, already read.
pub struct SourceFile {
    /// What it holds.
    pub kind: FileKind,
    /// Its text.
    pub source: SourceText,
}

impl Library {
    /// Loads the scenario and rubric files at these paths (folders are searched recursively).
    /// A scenario whose rubric is not among them also sees the rubrics in the folders above it.
    pub fn load(paths: &[PathBuf]) -> Library {
        let (files, mut diagnostics) = find_files(paths);

        let mut sources = Vec::new();
        for (path, kind) in &files {
            match read_source(path, &path.display().to_string()) {
                Ok(source) => sources.push(SourceFile {
                    kind: *kind,
                    source,
                }),
                Err(diagnostic) => diagnostics.push(diagnostic),
            }
        }
        let mut library = Library::from_sources(sources, |rubric_id, scenario_file| {
            ancestor_rubric(rubric_id, Path::new(scenario_file), &files)
        });
        diagnostics.append(&mut library.diagnostics);
        library.diagnostics = diagnostics;
        library
    }

    /// Checks already-read files. `extra_rubric` may supply a rubric none of them defines
    /// (given its id and the scenario's file name).
    pub fn from_sources(
        files: Vec<SourceFile>,
        extra_rubric: impl Fn(&str, &str) -> Option<(Rubric, SourceText)>,
    ) -> Library {
        let mut library = Library::default();
        let mut findings: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
        let (rubric_files, scenario_files): (Vec<_>, Vec<_>) =
            files.into_iter().partition(|f| f.kind == FileKind::Rubric);

        let mut rubric_sources: HashMap<String, String> = HashMap::new();
        for file in rubric_files {
            let name = file.source.name.clone();
            let diagnostics = findings.entry(name.clone()).or_default();
            match parse::<RubricFile>(&file.source) {
                Err(diagnostic) => diagnostics.push(diagnostic),
                Ok(parsed) => {
                    let (rubric, mut found) = check_rubric(&file.source, parsed);
                    diagnostics.append(&mut found);
                    if let Some(rubric) = rubric {
                        if let Some(first) = rubric_sources.get(&rubric.id) {
                            diagnostics.push(duplicate_id(
                                &file.source,
                                "rubric",
                                &rubric.id,
                                first,
                            ));
                        } else {
                            rubric_sources.insert(rubric.id.clone(), name.clone());
                            library.rubrics.push(rubric);
                        }
                    }
                }
            }
            library.sources.insert(name, file.source);
        }

        let mut scenario_sources: HashMap<String, String> = HashMap::new();
        let mut borrowed: Vec<Rubric> = Vec::new();
        for file in scenario_files {
            let name = file.source.name.clone();
            let diagnostics = findings.entry(name.clone()).or_default();
            let mut entry = ScenarioEntry {
                file: name.clone(),
                meta: None,
                scenario: None,
                analysis: None,
            };
            match parse_scenario(&file.source) {
                Err(diagnostic) => diagnostics.push(diagnostic),
                Ok(parsed) => {
                    if !library
                        .rubrics
                        .iter()
                        .chain(&borrowed)
                        .any(|r| r.id == parsed.rubric)
                        && let Some((rubric, source)) = extra_rubric(&parsed.rubric, &name)
                    {
                        library.sources.insert(source.name.clone(), source);
                        borrowed.push(rubric);
                    }
                    let meta = ScenarioMeta {
                        id: parsed.id.clone(),
                        title: parsed.title.clone(),
                        topic: parsed.topic,
                        kind: parsed.kind,
                    };
                    let checked = check_scenario(&file.source, parsed, |id| {
                        library.rubrics.iter().chain(&borrowed).find(|r| r.id == id)
                    });
                    diagnostics.extend(checked.diagnostics);
                    entry.analysis = checked.analysis;
                    if let Some(first) = scenario_sources.get(&meta.id) {
                        diagnostics.push(duplicate_id(&file.source, "scenario", &meta.id, first));
                    } else {
                        scenario_sources.insert(meta.id.clone(), name.clone());
                        entry.scenario =
                            checked.scenario.filter(|_| checked.playable).map(Arc::new);
                    }
                    entry.meta = Some(meta);
                }
            }
            library.sources.insert(name, file.source);
            library.scenarios.push(entry);
        }
        library.scenarios.sort_by(|a, b| a.file.cmp(&b.file));
        library.diagnostics = findings.into_values().flatten().collect();
        library
    }

    /// A playable scenario by id.
    pub fn scenario(&self, id: &str) -> Option<&Arc<Scenario>> {
        self.scenarios
            .iter()
            .filter_map(|e| e.scenario.as_ref())
            .find(|s| s.id == id)
    }

    /// The ids of all playable scenarios.
    pub fn scenario_ids(&self) -> Vec<&str> {
        self.scenarios
            .iter()
            .filter_map(|e| e.scenario.as_ref())
            .map(|s| s.id.as_str())
            .collect()
    }

    /// The text a file was loaded from, for rendering its diagnostics.
    pub fn source(&self, file: &str) -> Option<&SourceText> {
        self.sources.get(file)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// Adds findings made about the library after loading (e.g. by [`crate::guessing`]), each
    /// after its file's other findings, so they stay grouped by file.
    pub fn add_findings(&mut self, findings: Vec<Diagnostic>) {
        for finding in findings {
            let at = self
                .diagnostics
                .iter()
                .rposition(|d| d.file == finding.file)
                .map_or(self.diagnostics.len(), |last| last + 1);
            self.diagnostics.insert(at, finding);
        }
    }
}

fn duplicate_id(source: &SourceText, what: &str, id: &str, first: &str) -> Diagnostic {
    let span = locate(&source.text, &[RonPath::root().field("id")])[0]
        .clone()
        .unwrap_or(0..0);
    Diagnostic::at(
        Code::DuplicateId,
        source,
        span,
        format!("{what} id `{id}` is already used by {first}"),
    )
    .with_hint(format!("give each {what} its own id"))
    .with_label("duplicate")
}

/// The scenario and rubric files at these paths (folders searched recursively), in path order,
/// with findings about what cannot be read as one: a named pipe, a name that is not UTF-8, a
/// folder too deep. The app, which reads the files its own way, shows these findings too.
pub fn find_files(paths: &[PathBuf]) -> (Vec<(PathBuf, FileKind)>, Vec<Diagnostic>) {
    let mut walk = Walk::default();
    for path in paths {
        walk.collect(path, true, 0);
    }
    walk.files.sort();
    (walk.files, walk.diagnostics)
}

/// The files found under the paths a user named. Each real folder is searched once, however
/// many links lead to it, and no deeper than [`FOLDER_DEPTH`]: a link back into the library
/// must not make the search exponential. Each real file is taken once, under the first name
/// it was found by.
#[derive(Default)]
struct Walk {
    files: Vec<(PathBuf, FileKind)>,
    diagnostics: Vec<Diagnostic>,
    seen: HashSet<PathBuf>,
}

impl Walk {
    /// Adds the mentorsim files at `path`. An explicitly named file must be one.
    fn collect(&mut self, path: &Path, explicit: bool, depth: usize) {
        let name = path.display().to_string();
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) if explicit => {
                self.diagnostics.push(
                    Diagnostic::whole_file(
                        Code::UnreadableFile,
                        &name,
                        format!("cannot read this path: {e}"),
                    )
                    .with_hint("check the path"),
                );
                return;
            }
            Err(_) => return,
        };
        if meta.is_dir() {
            self.folder(path, &name, explicit, depth);
            return;
        }
        let kind = FileKind::of(path);
        if kind.is_none() && !explicit {
            if path
                .file_name()
                .is_some_and(|n| n.to_str().is_none() && FileKind::named(&n.to_string_lossy()))
            {
                self.diagnostics.push(
                    Diagnostic::whole_file(
                        Code::BadFileName,
                        &name,
                        "this file's name is not valid UTF-8, so it is not loaded",
                    )
                    .with_hint("rename the file using letters, digits, `-` and `_`"),
                );
            }
            return;
        }
        let Some(kind) = kind else {
            self.diagnostics.push(
                Diagnostic::whole_file(
                    Code::UnknownFileKind,
                    &name,
                    "this is not a scenario or rubric file",
                )
                .with_hint("name scenario files `*.scenario.ron` and rubric files `*.rubric.ron`"),
            );
            return;
        };
        if !meta.is_file() {
            self.diagnostics.push(not_a_file(&name, meta.file_type()));
            return;
        }
        if meta.len() > MAX_FILE_BYTES {
            self.diagnostics.push(too_large(&name, meta.len()));
            return;
        }
        let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        if self.seen.insert(real) {
            self.files.push((path.to_path_buf(), kind));
        }
    }

    fn folder(&mut self, path: &Path, name: &str, explicit: bool, depth: usize) {
        let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        if !self.seen.insert(real) {
            return;
        }
        if depth > FOLDER_DEPTH {
            self.diagnostics.push(
                Diagnostic::whole_file(
                    Code::FolderTooDeep,
                    name,
                    format!("this folder is more than {FOLDER_DEPTH} levels below the library, so it is not searched"),
                )
                .with_hint("keep scenarios in shallower folders, or check for a link that leads back up"),
            );
            return;
        }
        let Ok(entries) = std::fs::read_dir(path) else {
            self.diagnostics.push(Diagnostic::whole_file(
                Code::UnreadableFile,
                name,
                "cannot list this folder",
            ));
            return;
        };
        // In name order, so that which link to a folder is followed first never varies.
        let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        let before = self.files.len();
        for entry in &entries {
            self.collect(entry, false, depth + 1);
        }
        if explicit
            && !self.files[before..]
                .iter()
                .any(|(_, k)| *k == FileKind::Scenario)
        {
            self.diagnostics.push(
                Diagnostic::whole_file(
                    Code::NoScenarios,
                    name,
                    "this folder holds no scenario files",
                )
                .with_hint("scenario files are named `*.scenario.ron`; check the path"),
            );
        }
    }
}

/// A rubric with this id in a folder above the scenario, unless it was loaded already.
fn ancestor_rubric(
    id: &str,
    scenario: &Path,
    loaded: &[(PathBuf, FileKind)],
) -> Option<(Rubric, SourceText)> {
    for dir in scenario.ancestors().skip(1) {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut candidates: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| FileKind::of(p) == Some(FileKind::Rubric))
            .filter(|p| !loaded.iter().any(|(l, _)| l == p))
            .collect();
        candidates.sort();
        for path in candidates {
            let Ok(source) = read_source(&path, &path.display().to_string()) else {
                continue;
            };
            let Ok(parsed) = parse::<RubricFile>(&source) else {
                continue;
            };
            if parsed.id == id
                && let (Some(rubric), _) = check_rubric(&source, parsed)
            {
                return Some((rubric, source));
            }
        }
    }
    None
}
