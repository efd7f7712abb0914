//! The debrief: pass or not with the reasons, each competency against its threshold, every
//! decision with the chosen option, its feedback and the best option, and a reflection that is
//! kept with the attempt. A trainer's rehearsal has the same debrief, marked as such, without
//! the reflection, and leads back to trainer mode.

use bevy_egui::egui::{self, RichText, Ui};
use mentorsim_records::policy::BEST_OPTIONS_WITHHELD;
use mentorsim_script::engine::{AttemptResult, DecisionReview, Mode};
use mentorsim_script::listening::ListeningProfile;
use mentorsim_script::model::{Outcome, Severity, Speaker};
use mentorsim_script::scenario::Scenario;
use mentorsim_script::scoring::{FailReason, Level, shown_percent};

use super::DebriefAction;
use crate::app::ui::theme::Palette;
use crate::app::ui::widgets::{card, chip, feedback_card, primary_button, score_bar};

/// Draws the debrief. `draft` is the reflection being typed; `saved` the one stored.
pub fn show(
    ui: &mut Ui,
    scenario: &Scenario,
    result: &AttemptResult,
    show_best: bool,
    draft: &mut String,
    saved: &str,
    colours: &Palette,
) -> Option<DebriefAction> {
    let mut action = None;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.set_max_width(900.0);
            verdict(ui, scenario, result, colours);
            ui.add_space(10.0);
            competencies(ui, result, colours);
            ui.add_space(10.0);
            card(ui, colours, |ui| {
                ui.set_width(ui.available_width());
                let outcome = match result.outcome {
                    Outcome::Positive => "How it ended: well",
                    Outcome::Mixed => "How it ended: mixed",
                    Outcome::Negative => "How it ended: badly",
                };
                ui.label(RichText::new(format!("{outcome}: {}", result.ending_title)).strong());
                ui.label(&result.ending_debrief);
            });
            ui.add_space(10.0);
            listening(ui, result, colours);
            ui.add_space(10.0);
            ui.label(RichText::new("Your decisions").size(20.0).strong());
            for (i, decision) in result.decisions.iter().enumerate() {
                decision_card(ui, scenario, i + 1, decision, show_best, colours);
            }
            if !show_best {
                ui.label(RichText::new(BEST_OPTIONS_WITHHELD).color(colours.muted));
            }
            ui.add_space(10.0);
            if result.rehearsal.is_none()
                && let Some(picked) = reflection(ui, draft, saved, colours)
            {
                action = Some(picked);
            }
            ui.add_space(10.0);
            ui.horizontal(|ui| {
                let back = if result.rehearsal.is_some() {
                    "Back to trainer mode"
                } else {
                    "Back to library"
                };
                if primary_button(ui, colours, back).clicked() {
                    action = Some(DebriefAction::Leave);
                }
                let again_text = if result.rehearsal.is_some() {
                    "Rehearse again"
                } else {
                    "Try this scenario again"
                };
                if ui
                    .add(egui::Button::new(again_text).min_size(egui::vec2(0.0, 40.0)))
                    .clicked()
                {
                    action = Some(DebriefAction::Again);
                }
            });
            ui.add_space(20.0);
        });
    action
}

/// The listening the trainee chose, against MITI 4.2.1's thresholds.
fn listening(ui: &mut Ui, result: &AttemptResult, colours: &Palette) {
    card(ui, colours, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new("Your listening").strong());
        for line in ListeningProfile::of(&result.codes).lines() {
            ui.label(line);
        }
    });
}

fn verdict(ui: &mut Ui, scenario: &Scenario, result: &AttemptResult, colours: &Palette) {
    let (title, colour) = if result.passed {
        ("Passed", colours.good)
    } else {
        ("Not passed yet", colours.bad)
    };
    card(ui, colours, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(title).size(28.0).strong().color(colour));
            ui.label(RichText::new(&scenario.title).size(20.0));
            let mode = match result.mode {
                Mode::Practice => "Practice",
                Mode::Assessment => "Assessment",
            };
            chip(ui, mode, colours.accent);
            if result.rehearsal.is_some() {
                chip(ui, "Rehearsal, not recorded", colours.caution);
            }
        });
        if let Some(from) = &result.rehearsal {
            ui.label(
                RichText::new(format!(
                    "Played {}; the scores count only the decisions from there.",
                    from.describe(scenario)
                ))
                .color(colours.muted),
            );
        }
        ui.label(format!(
            "Overall {:.0}% (needs {:.0}%)",
            shown_percent(result.overall),
            result.overall_threshold * 100.0
        ));
        for reason in &result.reasons {
            ui.label(
                RichText::new(format!("•  {}", reason_text(reason, result))).color(colours.bad),
            );
        }
        if result.passed && !result.major.is_empty() {
            ui.label(
                RichText::new("Passed, with serious mistakes to look at below.")
                    .color(colours.caution),
            );
        }
    });
}

/// A fail reason in words, with competency names instead of codes.
fn reason_text(reason: &FailReason, result: &AttemptResult) -> String {
    match reason {
        FailReason::CompetencyBelow {
            competency,
            score,
            threshold,
        } => {
            let name = result
                .competencies
                .iter()
                .find(|c| &c.id == competency)
                .map_or(competency.as_str(), |c| c.name.as_str());
            format!(
                "{name}: {:.0}%, below the {:.0}% needed",
                shown_percent(*score),
                threshold * 100.0
            )
        }
        FailReason::Critical { explanation, .. } => format!("Critical error: {explanation}"),
        other => other.to_string(),
    }
}

fn competencies(ui: &mut Ui, result: &AttemptResult, colours: &Palette) {
    card(ui, colours, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new("Competencies").size(20.0).strong());
        ui.label(
            RichText::new("Each bar is your score; the mark is what this scenario needs.")
                .small()
                .color(colours.muted),
        );
        egui::Grid::new("competencies")
            .num_columns(3)
            .spacing([16.0, 10.0])
            .show(ui, |ui| {
                for competency in &result.competencies {
                    ui.label(&competency.name);
                    score_bar(ui, competency.score, competency.threshold, colours);
                    let text = match (competency.score, competency.shown_level()) {
                        (Some(score), Some(level)) => format!(
                            "{:.0}% of {:.0}% needed, {}",
                            shown_percent(score),
                            competency.threshold * 100.0,
                            level_name(level)
                        ),
                        _ => "not assessed on this path".to_owned(),
                    };
                    ui.label(text);
                    ui.end_row();
                }
            });
    });
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Proficient => "proficient",
        Level::Developing => "developing",
        Level::NotYet => "not yet",
    }
}

fn decision_card(
    ui: &mut Ui,
    scenario: &Scenario,
    number: usize,
    decision: &DecisionReview,
    show_best: bool,
    colours: &Palette,
) {
    card(ui, colours, |ui| {
        ui.set_width(ui.available_width());
        let who = match &decision.speaker {
            Speaker::Mentee => scenario.persona.name.clone(),
            Speaker::Narrator => "Scene".to_owned(),
            Speaker::Other(name) => name.clone(),
        };
        ui.label(
            RichText::new(format!("{number}. {who}: {}", decision.prompt)).color(colours.muted),
        );
        ui.label(RichText::new(format!("You: {}", decision.chosen.text)).strong());
        if !show_best {
            // Only why a serious mistake was one: the feedback would point to the best reply.
            if let Severity::Critical(why) | Severity::Major(why) = &decision.chosen.severity {
                ui.label(RichText::new(why).color(colours.bad));
            }
            return;
        }
        feedback_card(ui, scenario, &decision.chosen, colours);
        if !decision.was_best {
            ui.label(
                RichText::new(format!("A stronger reply: {}", decision.best.text))
                    .color(colours.good),
            );
            ui.label(RichText::new(&decision.best.feedback).small());
        } else if decision.chosen.severity == Severity::Normal {
            ui.label(
                RichText::new("This was the strongest reply offered.")
                    .small()
                    .color(colours.good),
            );
        }
    });
}

fn reflection(
    ui: &mut Ui,
    draft: &mut String,
    saved: &str,
    colours: &Palette,
) -> Option<DebriefAction> {
    let mut action = None;
    card(ui, colours, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new("Reflection").size(20.0).strong());
        ui.label("What would you do differently with this mentee next time? It is kept with this attempt.");
        ui.add(
            egui::TextEdit::multiline(draft)
                .desired_rows(4)
                .desired_width(f32::INFINITY)
                .hint_text("A few sentences are enough."),
        );
        ui.horizontal(|ui| {
            let changed = draft.trim() != saved.trim();
            let save = ui
                .add_enabled(
                    changed && !draft.trim().is_empty(),
                    egui::Button::new("Save reflection  (Ctrl+Enter)"),
                )
                .clicked();
            let shortcut = ui.input(|i| i.modifiers.command && i.key_pressed(egui::Key::Enter));
            if (save || shortcut) && changed && !draft.trim().is_empty() {
                action = Some(DebriefAction::SaveReflection(draft.trim().to_owned()));
            }
            if !saved.is_empty() && !changed {
                ui.label(RichText::new("Saved").color(colours.good));
            }
        });
    });
    action
}
