//! The library: the modules the library declares, with their scenarios and where this trainee stands on each,
//! and, for trainers, every file that could not be loaded with its located errors.

use std::collections::BTreeMap;

use bevy_egui::egui::{self, RichText, Ui};
use mentorsim_records::retakes::NextForm;
use mentorsim_records::store::{Progress, Status};
use mentorsim_script::diagnostic::Severity as Finding;
use mentorsim_script::library::Library;
use mentorsim_script::model::ScenarioKind;
use mentorsim_script::scoring::shown_percent;

use crate::app::screens::briefing::OpenBriefing;
use crate::app::ui::theme::Palette;
use crate::app::ui::widgets::{card, chip, empty_state, heading_with_note};

/// One scenario's card.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioCard {
    /// Scenario id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Practice or assessment.
    pub kind: ScenarioKind,
    /// Estimated minutes.
    pub minutes: u32,
    /// Library text.
    pub summary: String,
    /// This trainee's standing.
    pub status: Status,
    /// Best overall score so far.
    pub best: Option<f64>,
    /// The assessment form to take next in its module.
    pub offered: bool,
}

/// One module as the library shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ModuleShelf {
    /// Module id.
    pub id: String,
    /// Title.
    pub title: String,
    /// What it trains.
    pub description: String,
    /// Its playable scenarios, practice first.
    pub cards: Vec<ScenarioCard>,
    /// The assessment form to take next under the program's retake rule, and why.
    pub next: Option<NextForm>,
}

/// A file with errors, as the library lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct BrokenFile {
    /// The file.
    pub file: String,
    /// Each error as `line:column message (hint)`.
    pub errors: Vec<String>,
}

/// What the library screen shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LibraryView {
    /// Modules in order, each with its scenarios (assessment last).
    pub modules: Vec<ModuleShelf>,
    /// Files that cannot be played.
    pub broken: Vec<BrokenFile>,
    /// Whether edits to the files show up while the app runs.
    pub watched: bool,
    /// Where the files are.
    pub root: String,
}

impl LibraryView {
    /// Builds the view from the checked library and the trainee's progress.
    pub fn new(
        library: &Library,
        progress: &BTreeMap<String, Progress>,
        next_forms: &BTreeMap<String, NextForm>,
        watched: bool,
        root: String,
    ) -> Self {
        let mut modules: Vec<ModuleShelf> = library
            .modules
            .iter()
            .map(|m| ModuleShelf {
                id: m.id.clone(),
                title: m.title.clone(),
                description: m.description.clone(),
                cards: Vec::new(),
                next: next_forms.get(&m.id).cloned(),
            })
            .collect();
        for entry in &library.scenarios {
            let Some(scenario) = &entry.scenario else {
                continue;
            };
            let standing = progress.get(&scenario.id);
            let card = ScenarioCard {
                id: scenario.id.clone(),
                title: scenario.title.clone(),
                kind: scenario.kind,
                minutes: scenario.minutes,
                summary: scenario.summary.clone(),
                status: standing.map_or(Status::NotStarted, |p| p.status),
                best: standing.and_then(|p| p.best),
                offered: next_forms
                    .get(&scenario.topic)
                    .is_some_and(|n| n.form.as_deref() == Some(scenario.id.as_str())),
            };
            if let Some(shelf) = modules.iter_mut().find(|m| m.id == scenario.topic) {
                shelf.cards.push(card);
            }
        }
        for shelf in &mut modules {
            shelf
                .cards
                .sort_by(|a, b| (a.kind, &a.title).cmp(&(b.kind, &b.title)));
        }
        let mut broken: Vec<BrokenFile> = Vec::new();
        for diagnostic in library
            .diagnostics
            .iter()
            .filter(|d| d.severity == Finding::Error)
        {
            let text = format!(
                "{}:{}  {}{}",
                diagnostic.line,
                diagnostic.column,
                diagnostic.message,
                if diagnostic.hint.is_empty() {
                    String::new()
                } else {
                    format!("  (hint: {})", diagnostic.hint)
                }
            );
            match broken.iter_mut().find(|b| b.file == diagnostic.file) {
                Some(file) => file.errors.push(text),
                None => broken.push(BrokenFile {
                    file: diagnostic.file.clone(),
                    errors: vec![text],
                }),
            }
        }
        LibraryView {
            modules,
            broken,
            watched,
            root,
        }
    }
}

/// Draws the library.
pub fn show(ui: &mut Ui, view: &LibraryView, colours: &Palette) -> Option<OpenBriefing> {
    let mut action = None;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.set_max_width(980.0);
            heading_with_note(
                ui,
                "Your training",
                "Each module has practice scenarios, with feedback after every choice, and an assessment.",
                colours,
            );
            for shelf in &view.modules {
                ui.add_space(14.0);
                ui.label(RichText::new(&shelf.title).size(21.0).strong().color(colours.accent));
                if !shelf.description.is_empty() {
                    ui.label(RichText::new(&shelf.description).color(colours.muted));
                }
                if shelf.cards.is_empty() {
                    empty_state(ui, "No playable scenarios in this module yet.", colours);
                }
                if let Some(next) = shelf.next.as_ref().filter(|n| n.form.is_none()) {
                    ui.label(
                        RichText::new(format!("Assessment: {}.", next.why)).color(colours.caution),
                    );
                }
                for scenario in &shelf.cards {
                    if scenario_card(ui, scenario, colours) {
                        action = Some(OpenBriefing(scenario.id.clone()));
                    }
                }
            }
            if !view.broken.is_empty() {
                ui.add_space(18.0);
                ui.label(
                    RichText::new("Scenarios that could not be loaded")
                        .size(19.0)
                        .strong()
                        .color(colours.bad),
                );
                ui.label(RichText::new(if view.watched {
                    "Fix the file and save it: this list updates by itself."
                } else {
                    "Run `mentorsim check` on the file for the full report."
                }).color(colours.muted));
                for file in &view.broken {
                    card(ui, colours, |ui| {
                        ui.set_width(ui.available_width());
                        ui.label(RichText::new(&file.file).monospace().strong());
                        for error in &file.errors {
                            ui.label(RichText::new(error).monospace().color(colours.bad));
                        }
                    });
                }
            }
            ui.add_space(10.0);
            ui.label(RichText::new(format!("Scenarios from {}", view.root)).small().color(colours.muted));
        });
    action
}

/// One scenario row; returns whether it was opened.
fn scenario_card(ui: &mut Ui, scenario: &ScenarioCard, colours: &Palette) -> bool {
    let mut open = false;
    card(ui, colours, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal(|ui| {
            ui.vertical(|ui| {
                ui.set_max_width(ui.available_width() - 130.0);
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(&scenario.title).size(18.0).strong());
                    let kind = match scenario.kind {
                        ScenarioKind::Practice => ("Practice", colours.muted),
                        ScenarioKind::Assessment => ("Assessment", colours.accent),
                    };
                    chip(ui, kind.0, kind.1);
                    ui.label(
                        RichText::new(format!("{} min", scenario.minutes)).color(colours.muted),
                    );
                    let (text, colour) = status_look(scenario.status, colours);
                    chip(ui, text, colour);
                    if scenario.offered {
                        chip(ui, "Take this form next", colours.good);
                    }
                    if let Some(best) = scenario.best {
                        ui.label(
                            RichText::new(format!("best {:.0}%", shown_percent(best)))
                                .color(colours.muted),
                        );
                    }
                });
                ui.label(&scenario.summary);
            });
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let label = match scenario.status {
                    Status::NotStarted => "Start",
                    Status::InProgress => "Continue",
                    Status::Passed | Status::NeedsAnotherTry => "Play again",
                };
                let button = ui
                    .add(egui::Button::new(label).min_size(egui::vec2(110.0, 36.0)))
                    .on_hover_text(format!("Open the briefing for {}", scenario.title));
                // A screen reader hears which scenario the button is for.
                button.widget_info(|| {
                    egui::WidgetInfo::labeled(
                        egui::WidgetType::Button,
                        true,
                        format!("{label}: {}", scenario.title),
                    )
                });
                if button.clicked() {
                    open = true;
                }
            });
        });
    });
    open
}

/// The words and colour of a status.
pub fn status_look(status: Status, colours: &Palette) -> (&'static str, egui::Color32) {
    match status {
        Status::NotStarted => ("Not started", colours.muted),
        Status::InProgress => ("In progress", colours.caution),
        Status::Passed => ("Passed", colours.good),
        Status::NeedsAnotherTry => ("Needs another try", colours.bad),
    }
}
