//! Trainer mode: the files and their findings on the left, the selected scenario's graph in the
//! middle (drag to pan, scroll to zoom, click a node to preview it) above the choice analytics
//! from the records, and on the right its score analysis and the node preview with "play from
//! here".

use std::collections::BTreeMap;

use bevy_egui::egui::{self, Rect, RichText, Ui};
use mentorsim_script::diagnostic::Diagnostic;
use mentorsim_script::engine::{Mode, Rehearsal};
use mentorsim_script::graph::{EdgeKind, GraphNodeKind, effect_colour};
use mentorsim_script::library::Library;

use super::analysis_view::{analysis, choice_analytics};
use super::{TrainerAction, TrainerSelection, TrainerView};
use crate::app::ui::graph_canvas;
use crate::app::ui::theme::{Palette, hex};
use crate::app::ui::widgets::{heading_with_note, primary_button};

/// What trainer mode shows.
pub struct TrainerScreen<'a> {
    /// Every file, checked.
    pub library: &'a Library,
    /// The selected scenario.
    pub view: &'a TrainerView,
    /// What is selected.
    pub selection: &'a TrainerSelection,
    /// Where the files come from, and whether saved edits reload.
    pub source: String,
    /// Whether saved edits reload.
    pub watched: bool,
}

/// The trainer's "play from here" settings, kept between frames for one node.
#[derive(Default)]
pub struct RehearsalDraft {
    /// The scenario and node the values are for; another selection starts afresh.
    for_node: Option<(String, String)>,
    values: BTreeMap<String, i32>,
    assessment: bool,
}

/// Draws trainer mode; `scene` (the graph's visible region) and `draft` are kept between
/// frames; `focus` brings the selected node into view.
pub fn show(
    ui: &mut Ui,
    screen: &TrainerScreen,
    scene: &mut Rect,
    focus: bool,
    draft: &mut RehearsalDraft,
    colours: &Palette,
) -> Option<TrainerAction> {
    let mut action = None;
    let note = if screen.watched {
        format!("Files in {}: saved edits show here at once.", screen.source)
    } else {
        format!(
            "{} (read-only): run mentorsim --library YOUR_FOLDER to see your own files update as you save them.",
            screen.source
        )
    };
    heading_with_note(ui, "Trainer mode", &note, colours);
    egui::Panel::left("trainer_files")
        .resizable(true)
        .default_size(300.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                if let Some(picked) = files(ui, screen, colours) {
                    action = Some(picked);
                }
            });
        });
    egui::Panel::right("trainer_analysis")
        .resizable(true)
        .default_size(320.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                analysis(ui, screen, colours);
                ui.separator();
                if let Some(picked) = preview(ui, screen, draft, colours) {
                    action = Some(picked);
                }
            });
        });
    egui::CentralPanel::default().show(ui, |ui| match &screen.view.graph {
        Some(graph) => {
            graph_canvas::legend(ui, colours);
            egui::Panel::bottom("choice_analytics")
                .resizable(true)
                .default_size(230.0)
                .show(ui, |ui| {
                    if let Some(picked) = choice_analytics(ui, screen.view, colours) {
                        action = Some(picked);
                    }
                });
            let selected = screen.selection.node.as_deref();
            if let Some(node) = graph_canvas::show(ui, graph, selected, scene, focus, colours) {
                action = Some(TrainerAction::Node(node));
            }
        }
        None => {
            ui.label(
                RichText::new(
                    "This scenario has errors, so it has no graph yet: fix the findings on the left.",
                )
                .color(colours.bad),
            );
        }
    });
    action
}

/// Every scenario file with its title and findings; a click selects it.
fn files(ui: &mut Ui, screen: &TrainerScreen, colours: &Palette) -> Option<TrainerAction> {
    let mut action = None;
    let library = screen.library;
    ui.label(RichText::new("Files").strong());
    ui.label(
        RichText::new(format!(
            "{} error(s), {} warning(s)",
            library.error_count(),
            library.warning_count()
        ))
        .color(if library.error_count() > 0 {
            colours.bad
        } else {
            colours.muted
        }),
    );
    ui.add_space(6.0);
    let mut files: Vec<(&str, Option<&str>, Option<&str>)> = library
        .scenarios
        .iter()
        .map(|e| {
            let meta = e.meta.as_ref();
            (
                e.file.as_str(),
                meta.map(|m| m.id.as_str()),
                meta.map(|m| m.title.as_str()),
            )
        })
        .collect();
    for diagnostic in &library.diagnostics {
        if !files.iter().any(|(file, _, _)| *file == diagnostic.file) {
            files.push((&diagnostic.file, None, None));
        }
    }
    for (file, id, title) in files {
        let findings: Vec<&Diagnostic> = library
            .diagnostics
            .iter()
            .filter(|d| d.file == file)
            .collect();
        let errors = findings.iter().filter(|d| d.is_error()).count();
        let selected = id.is_some() && id == screen.selection.scenario.as_deref();
        let status = match (errors, findings.len() - errors) {
            (0, 0) => RichText::new("ok").color(colours.good),
            (0, w) => RichText::new(format!("{w} warning(s)")).color(colours.caution),
            (e, _) => RichText::new(format!("{e} error(s)")).color(colours.bad),
        };
        ui.horizontal(|ui| {
            let name = title.unwrap_or(file);
            let response = ui.selectable_label(selected, RichText::new(name).strong());
            if let Some(id) = id
                && response.clicked()
            {
                action = Some(TrainerAction::Scenario(id.to_owned()));
            }
            ui.label(status);
        });
        ui.label(RichText::new(file).small().color(colours.muted));
        for finding in findings {
            let colour = if finding.is_error() {
                colours.bad
            } else {
                colours.caution
            };
            ui.label(
                RichText::new(format!(
                    "{}[{}] {}: {}",
                    if finding.is_error() {
                        "error"
                    } else {
                        "warning"
                    },
                    finding.code,
                    finding.location(),
                    finding.message
                ))
                .small()
                .color(colour),
            );
            if !finding.hint.is_empty() {
                ui.label(RichText::new(format!("hint: {}", finding.hint)).small());
            }
        }
        ui.add_space(6.0);
    }
    action
}

/// The selected node's line, "play from here" for anything but an ending, then where it leads:
/// its options with their effects and pick rates, or its routes.
fn preview(
    ui: &mut Ui,
    screen: &TrainerScreen,
    draft: &mut RehearsalDraft,
    colours: &Palette,
) -> Option<TrainerAction> {
    let (Some(graph), Some(node_id)) = (&screen.view.graph, &screen.selection.node) else {
        ui.label(RichText::new("Click a node to preview it.").color(colours.muted));
        return None;
    };
    let ix = graph.nodes.iter().position(|n| n.id == *node_id)?;
    let node = &graph.nodes[ix];
    ui.label(RichText::new(&node.id).strong().size(15.0));
    if let Some(speaker) = &node.speaker {
        ui.label(RichText::new(speaker).small().color(colours.muted));
    }
    if let GraphNodeKind::Ending { title, .. } = &node.kind {
        ui.label(RichText::new(format!("Ending: {title}")).strong());
    }
    if !node.text.is_empty() {
        ui.label(&node.text);
    }
    let mut action = None;
    if !matches!(node.kind, GraphNodeKind::Ending { .. }) {
        ui.add_space(6.0);
        let branch = node.kind == GraphNodeKind::Branch;
        action = play_from_here(ui, screen, node_id, branch, draft, colours);
        ui.add_space(6.0);
        ui.label(RichText::new("Where it leads").strong());
    }
    for edge in graph.edges.iter().filter(|e| e.from == ix) {
        ui.add_space(4.0);
        let to = &graph.nodes[edge.to].id;
        match &edge.kind {
            EdgeKind::Choice {
                id,
                text,
                effects,
                severity,
                picks,
                net,
            } => {
                let colour = hex(effect_colour(*net, edge.kind.is_critical()));
                ui.label(
                    RichText::new(format!("{id} to {to}"))
                        .strong()
                        .color(colour),
                );
                ui.label(text);
                let points: Vec<String> =
                    effects.iter().map(|(c, p)| format!("{c} {p:+}")).collect();
                let mut facts = vec![if points.is_empty() {
                    "no points".to_owned()
                } else {
                    points.join(", ")
                }];
                if let Some(severity) = severity {
                    facts.push(severity.to_uppercase());
                }
                if let Some(picks) = picks {
                    facts.push(format!(
                        "picked {} time(s), {:.0}%",
                        picks.count,
                        picks.rate * 100.0
                    ));
                }
                if let Some(condition) = &edge.condition {
                    facts.push(format!("only if {condition}"));
                }
                ui.label(
                    RichText::new(facts.join(" \u{00b7} "))
                        .small()
                        .color(colours.muted),
                );
            }
            EdgeKind::Continue => {
                ui.label(RichText::new(format!("continues to {to}")).color(colours.muted));
            }
            EdgeKind::Route => {
                let when = edge
                    .condition
                    .as_ref()
                    .map_or("otherwise".to_owned(), |c| format!("if {c}"));
                ui.label(RichText::new(format!("{when} to {to}")).color(colours.muted));
            }
        }
    }
    action
}

/// The rehearsal's values (set by hand, or one of the combinations play reaches here), its
/// mode, and the button that starts it.
fn play_from_here(
    ui: &mut Ui,
    screen: &TrainerScreen,
    node: &str,
    branch: bool,
    draft: &mut RehearsalDraft,
    colours: &Palette,
) -> Option<TrainerAction> {
    let view = screen.view;
    let key = screen.selection.scenario.clone().zip(Some(node.to_owned()));
    if draft.for_node != key {
        draft.for_node = key;
        draft.values = view.reachable.first().cloned().unwrap_or_else(|| {
            view.variables
                .iter()
                .map(|v| (v.name.clone(), v.start))
                .collect()
        });
    }
    ui.label(RichText::new("Rehearse from this node").strong().size(15.0));
    ui.label(
        RichText::new("A rehearsal: nothing is recorded, and the scores count only the decisions from this node.")
            .small()
            .color(colours.muted),
    );
    if !view.variables.is_empty() {
        egui::Grid::new("rehearsal_values")
            .num_columns(2)
            .show(ui, |ui| {
                for def in &view.variables {
                    let value = draft.values.entry(def.name.clone()).or_insert(def.start);
                    let name = ui.label(RichText::new(&def.name).monospace());
                    if !def.description.is_empty() {
                        name.on_hover_text(&def.description);
                    }
                    ui.add(egui::Slider::new(value, def.min..=def.max));
                    ui.end_row();
                }
            });
        if !view.reachable.is_empty() {
            ui.label(
                RichText::new("Values play reaches here (click to use):")
                    .small()
                    .color(colours.muted),
            );
            ui.horizontal_wrapped(|ui| {
                for values in view.reachable.iter().take(8) {
                    let text: Vec<String> =
                        values.iter().map(|(n, v)| format!("{n} {v}")).collect();
                    if ui
                        .selectable_label(draft.values == *values, text.join(", "))
                        .clicked()
                    {
                        draft.values = values.clone();
                    }
                }
                if view.reachable.len() > 8 {
                    ui.label(
                        RichText::new(format!("and {} more", view.reachable.len() - 8)).small(),
                    );
                }
            });
            if !view.reachable.contains(&draft.values) {
                ui.label(
                    RichText::new("No path reaches this node with these values.")
                        .small()
                        .color(colours.caution),
                );
            }
        } else if !branch {
            ui.label(
                RichText::new("No path reaches this line.")
                    .small()
                    .color(colours.caution),
            );
        }
    }
    ui.horizontal(|ui| {
        ui.radio_value(&mut draft.assessment, false, "Practice");
        ui.radio_value(&mut draft.assessment, true, "Assessment");
    });
    primary_button(ui, colours, "Play from here")
        .clicked()
        .then(|| TrainerAction::Rehearse {
            from: Rehearsal {
                node: node.to_owned(),
                variables: draft.values.clone(),
            },
            mode: if draft.assessment {
                Mode::Assessment
            } else {
                Mode::Practice
            },
        })
}
