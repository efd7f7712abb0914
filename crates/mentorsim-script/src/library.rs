//! A library: the rubrics, modules and scenarios found under some paths, each checked, with
//! every finding kept beside the file it is about. One broken file never stops the others.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::analysis::Analysis;
use crate::contacts::Contacts;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::limits::{FOLDER_DEPTH, MAX_FILE_BYTES};
use crate::load::{FileKind, closest, not_a_file, parse, parse_scenario, read_source, too_large};
use crate::model::{Module, ModulesFile, RubricFile, ScenarioFile, ScenarioKind};
use crate::scenario::Scenario;
use crate::source::SourceText;
use crate::syntax::{RonPath, locate};
use crate::validate::{CheckedScenario, Rubric, check_modules, check_rubric, check_scenario};

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
    /// The id of its module.
    pub topic: String,
    /// Practice or assessment.
    pub kind: ScenarioKind,
}

/// Checked content.
#[derive(Debug, Default)]
pub struct Library {
    /// Rubrics without errors.
    pub rubrics: Vec<Rubric>,
    /// The modules declared by its `*.modules.ron` files, in the order they are presented.
    pub modules: Vec<Module>,
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
        Library::load_with_default_modules(paths, None)
    }

    /// [`Library::load`], with the modules used when neither the paths nor the folders above
    /// their scenarios have a modules file: a trainer's folder made before modules were data
    /// keeps its scenarios playable under the bundled modules.
    pub fn load_with_default_modules(paths: &[PathBuf], default: Option<SourceFile>) -> Library {
        let (mut files, mut diagnostics) = find_files(paths);
        add_ancestor_modules(&mut files);

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
        with_default_modules(&mut sources, default);
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
        let (rubric_files, files): (Vec<_>, Vec<_>) =
            files.into_iter().partition(|f| f.kind == FileKind::Rubric);
        let (modules_files, scenario_files): (Vec<_>, Vec<_>) =
            files.into_iter().partition(|f| f.kind == FileKind::Modules);

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

        let mut module_sources: HashMap<String, String> = HashMap::new();
        for file in modules_files {
            let name = file.source.name.clone();
            let diagnostics = findings.entry(name.clone()).or_default();
            match parse::<ModulesFile>(&file.source) {
                Err(diagnostic) => diagnostics.push(diagnostic),
                Ok(parsed) => {
                    let (modules, mut found) = check_modules(&file.source, parsed);
                    diagnostics.append(&mut found);
                    for (i, module) in modules {
                        if let Some(first) = module_sources.get(&module.id) {
                            diagnostics.push(duplicate_module(&file.source, i, &module.id, first));
                        } else {
                            module_sources.insert(module.id.clone(), name.clone());
                            library.modules.push(module);
                        }
                    }
                }
            }
            library.sources.insert(name, file.source);
        }
        library
            .modules
            .sort_by(|a, b| (a.order, &a.id).cmp(&(b.order, &b.id)));

        // Read every scenario first (and any rubric one borrows from elsewhere), then check
        // them on all cores: each check is independent, and the path analysis is most of the
        // time of loading a library.
        let mut borrowed: Vec<Rubric> = Vec::new();
        let parsed: Vec<Result<ScenarioFile, Diagnostic>> = scenario_files
            .iter()
            .map(|file| {
                let parsed = parse_scenario(&file.source)?;
                if !library
                    .rubrics
                    .iter()
                    .chain(&borrowed)
                    .any(|r| r.id == parsed.rubric)
                    && let Some((rubric, source)) = extra_rubric(&parsed.rubric, &file.source.name)
                {
                    library.sources.insert(source.name.clone(), source);
                    borrowed.push(rubric);
                }
                Ok(parsed)
            })
            .collect();
        let rubrics: Vec<&Rubric> = library.rubrics.iter().chain(&borrowed).collect();
        let checked = check_all(&scenario_files, parsed, &rubrics);

        let mut scenario_sources: HashMap<String, String> = HashMap::new();
        for (file, checked) in scenario_files.into_iter().zip(checked) {
            let name = file.source.name.clone();
            let diagnostics = findings.entry(name.clone()).or_default();
            let mut entry = ScenarioEntry {
                file: name.clone(),
                meta: None,
                scenario: None,
                analysis: None,
            };
            match checked {
                Err(diagnostic) => diagnostics.push(diagnostic),
                Ok((meta, checked)) => {
                    diagnostics.extend(checked.diagnostics);
                    let module = library.module(&meta.topic);
                    let module_known = module.is_some();
                    let module_title = module.map(|m| m.title.clone());
                    if !module_known {
                        diagnostics.push(unknown_module(
                            &file.source,
                            &meta.topic,
                            &library.modules,
                        ));
                    }
                    entry.analysis = checked.analysis;
                    if let Some(first) = scenario_sources.get(&meta.id) {
                        diagnostics.push(duplicate_id(&file.source, "scenario", &meta.id, first));
                    } else {
                        scenario_sources.insert(meta.id.clone(), name.clone());
                        entry.scenario = checked
                            .scenario
                            .filter(|_| checked.playable)
                            .zip(module_title)
                            .map(|(mut scenario, title)| {
                                scenario.module_title = title;
                                Arc::new(scenario)
                            });
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

    /// The library as a program's trainees play it: every playable scenario's texts filled with
    /// the program's contacts (see [`crate::contacts`]). `check` never fills: it reports the
    /// placeholders as written.
    pub fn fill_contacts(&mut self, contacts: &Contacts) {
        for entry in &mut self.scenarios {
            if let Some(scenario) = &mut entry.scenario {
                *scenario = Arc::new(scenario.with_contacts(contacts));
            }
        }
    }

    /// A module by id.
    pub fn module(&self, id: &str) -> Option<&Module> {
        self.modules.iter().find(|m| m.id == id)
    }

    /// How people are shown a module: its title, or its id when the library does not
    /// declare it (an attempt recorded under a module since removed).
    pub fn module_title<'a>(&'a self, id: &'a str) -> &'a str {
        self.module(id).map_or(id, |m| m.title.as_str())
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

/// Adds `default` to files that hold no modules file.
pub fn with_default_modules(files: &mut Vec<SourceFile>, default: Option<SourceFile>) {
    if let Some(default) = default
        && !files.iter().any(|f| f.kind == FileKind::Modules)
    {
        files.push(default);
    }
}

fn duplicate_module(source: &SourceText, index: usize, id: &str, first: &str) -> Diagnostic {
    let span = locate(
        &source.text,
        &[RonPath::root().field("modules").index(index).field("id")],
    )[0]
    .clone()
    .unwrap_or(0..0);
    Diagnostic::at(
        Code::DuplicateId,
        source,
        span,
        format!("module id `{id}` is already declared by {first}"),
    )
    .with_hint("give each module its own id, or keep one of the two files")
    .with_label("duplicate")
}

fn unknown_module(source: &SourceText, id: &str, modules: &[Module]) -> Diagnostic {
    let span = locate(&source.text, &[RonPath::root().field("topic")])[0]
        .clone()
        .unwrap_or(0..0);
    let ids: Vec<&str> = modules.iter().map(|m| m.id.as_str()).collect();
    let hint = if ids.is_empty() {
        "the library declares no modules: put a `*.modules.ron` file beside the rubric (see docs/scenario-format.md, Modules)".to_owned()
    } else {
        match closest(id, &ids) {
            Some(near) => format!("did you mean `\"{near}\"`?"),
            None => format!(
                "the library's modules are {}; or declare this one in the `*.modules.ron` file",
                ids.join(", ")
            ),
        }
    };
    Diagnostic::at(
        Code::UnknownModule,
        source,
        span,
        format!("no module `{id}` is declared in this library"),
    )
    .with_hint(hint)
    .with_label("unknown module")
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
                    "this is not a scenario, rubric or modules file",
                )
                .with_hint("name scenario files `*.scenario.ron`, rubric files `*.rubric.ron` and modules files `*.modules.ron`"),
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

/// When none of the named files declares modules, the modules files in the folders above the
/// scenarios: checking one scenario file of a library sees its library's modules.
fn add_ancestor_modules(files: &mut Vec<(PathBuf, FileKind)>) {
    if files.iter().any(|(_, k)| *k == FileKind::Modules) {
        return;
    }
    let mut searched: HashSet<PathBuf> = HashSet::new();
    let found: Vec<PathBuf> = files
        .iter()
        .filter(|(_, k)| *k == FileKind::Scenario)
        .flat_map(|(scenario, _)| modules_above(scenario, &mut searched))
        .collect();
    files.extend(found.into_iter().map(|p| (p, FileKind::Modules)));
}

/// The modules files of the nearest folder above `file` that has any.
pub fn modules_files_above(file: &Path) -> Vec<PathBuf> {
    modules_above(file, &mut HashSet::new())
}

/// [`modules_files_above`], skipping folders already `searched` (and those above them).
fn modules_above(file: &Path, searched: &mut HashSet<PathBuf>) -> Vec<PathBuf> {
    for dir in file.ancestors().skip(1) {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if !searched.insert(dir.to_owned()) {
            break;
        }
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut here: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| FileKind::of(p) == Some(FileKind::Modules) && p.is_file())
            .collect();
        if !here.is_empty() {
            here.sort();
            return here;
        }
    }
    Vec::new()
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

/// A scenario file checked: what the library shows of it and the check, or why it did not parse.
type Checked = Result<(ScenarioMeta, CheckedScenario), Diagnostic>;

/// Each parsed scenario checked, on as many threads as the machine has cores (each takes the
/// next file not yet taken), in the files' order.
fn check_all(
    files: &[SourceFile],
    parsed: Vec<Result<ScenarioFile, Diagnostic>>,
    rubrics: &[&Rubric],
) -> Vec<Checked> {
    let count = parsed.len();
    // Popped from the end: the files in order.
    let queue = Mutex::new(parsed.into_iter().enumerate().rev().collect::<Vec<_>>());
    let take = || {
        queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop()
    };
    let check = |source: &SourceText, parsed: ScenarioFile| {
        let meta = ScenarioMeta {
            id: parsed.id.clone(),
            title: parsed.title.clone(),
            topic: parsed.topic.0.clone(),
            kind: parsed.kind,
        };
        let checked = check_scenario(source, parsed, |id| {
            rubrics.iter().copied().find(|r| r.id == id)
        });
        (meta, checked)
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, count.max(1));
    let mut done: Vec<(usize, Checked)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    while let Some((i, parsed)) = take() {
                        mine.push((i, parsed.map(|p| check(&files[i].source, p))));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, result)| result).collect()
}
