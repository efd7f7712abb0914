//! The briefing: who the trainee is about to talk to, what to practise, content notes, and the
//! choice between practice (feedback after each choice) and assessment (feedback at the end).

use bevy_egui::egui::{self, Key, RichText, Ui};
use mentorsim_script::engine::Mode;
use mentorsim_script::model::ScenarioKind;
use mentorsim_script::scenario::Scenario;

use super::BriefingAction;
use crate::app::ui::theme::Palette;
use crate::app::ui::widgets::{card, chip, primary_button};

/// Draws the briefing. Keys: P practice (not on an assessment form), A assessment, R resume,
/// Esc back.
pub fn show(
    ui: &mut Ui,
    scenario: &Scenario,
    can_resume: bool,
    would_not_count: Option<&str>,
    practice_refused: Option<&str>,
    colours: &Palette,
) -> Option<BriefingAction> {
    let mut action = keys(ui, can_resume, practice_refused.is_none());
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.set_max_width(860.0);
            ui.horizontal_wrapped(|ui| {
                ui.heading(&scenario.title);
                chip(ui, &scenario.module_title, colours.accent);
                if scenario.kind == ScenarioKind::Assessment {
                    chip(ui, "Module assessment", colours.accent);
                }
                ui.label(RichText::new(format!("about {} min", scenario.minutes)).color(colours.muted));
            });
            ui.label(&scenario.summary);
            ui.add_space(10.0);

            if !scenario.content_notes.is_empty() {
                card(ui, colours, |ui| {
                    ui.set_width(ui.available_width());
                    ui.label(RichText::new("Content note").strong().color(colours.caution));
                    for note in &scenario.content_notes {
                        ui.label(note);
                    }
                    ui.label(
                        RichText::new("You can leave at any time with \"Back to library\"; your place is kept.")
                            .small()
                            .color(colours.muted),
                    );
                });
                ui.add_space(8.0);
            }

            let persona = &scenario.persona;
            card(ui, colours, |ui| {
                ui.set_width(ui.available_width());
                let pronouns = if persona.pronouns.is_empty() {
                    String::new()
                } else {
                    format!(", {}", persona.pronouns)
                };
                ui.label(
                    RichText::new(format!("{}, {}{pronouns}", persona.name, persona.age))
                        .size(19.0)
                        .strong(),
                );
                ui.label(RichText::new(&persona.setting).color(colours.muted));
                ui.add_space(4.0);
                ui.label(&persona.background);
            });
            ui.add_space(8.0);

            // An assessment form names what it assesses, not its objectives: they describe the
            // keyed replies, and a trainee who read them would be told the answers.
            let objectives: &[String] = if practice_refused.is_some() {
                &[]
            } else {
                &scenario.objectives
            };
            card(ui, colours, |ui| {
                ui.set_width(ui.available_width());
                if !objectives.is_empty() {
                    ui.label(RichText::new("You will practise").strong());
                    for objective in objectives {
                        ui.label(format!("•  {objective}"));
                    }
                }
                let assessed: Vec<String> = scenario
                    .competencies
                    .iter()
                    .map(|c| format!("{} ({:.0}% to pass)", c.name, c.threshold * 100.0))
                    .collect();
                ui.label(
                    RichText::new(format!("Assessed: {}", assessed.join(", ")))
                        .small()
                        .color(colours.muted),
                );
            });
            ui.add_space(14.0);
            if let Some(note) = would_not_count {
                ui.label(RichText::new(note).color(colours.caution));
                ui.add_space(6.0);
            }

            ui.horizontal_wrapped(|ui| {
                if can_resume && primary_button(ui, colours, "Resume where you left off  (R)").clicked() {
                    action = Some(BriefingAction::Resume);
                }
                let practice = "Practice: feedback after each choice  (P)";
                let assessment = "Assessment: feedback at the end  (A)";
                let tall = |text: &str| egui::Button::new(text).min_size(egui::vec2(0.0, 40.0));
                let practised = practice_refused.is_none().then(|| {
                    if can_resume {
                        ui.add(tall(practice))
                    } else {
                        primary_button(ui, colours, practice)
                    }
                });
                let assessed = if can_resume || practised.is_some() {
                    ui.add(tall(assessment))
                } else {
                    primary_button(ui, colours, assessment)
                };
                if practised.is_some_and(|button| button.clicked()) {
                    action = Some(BriefingAction::Start(Mode::Practice));
                }
                if assessed.clicked() {
                    action = Some(BriefingAction::Start(Mode::Assessment));
                }
                if ui.button("Back to library  (Esc)").clicked() {
                    action = Some(BriefingAction::Back);
                }
            });
            if let Some(refused) = practice_refused {
                ui.label(RichText::new(refused).small().color(colours.muted));
            }
            if can_resume {
                ui.label(
                    RichText::new("Starting again keeps your unfinished attempt in your records as unfinished.")
                        .small()
                        .color(colours.muted),
                );
            }
        });
    action
}

fn keys(ui: &Ui, can_resume: bool, can_practise: bool) -> Option<BriefingAction> {
    if ui.ctx().egui_wants_keyboard_input() {
        return None;
    }
    ui.input(|i| {
        if can_practise && i.key_pressed(Key::P) {
            Some(BriefingAction::Start(Mode::Practice))
        } else if i.key_pressed(Key::A) {
            Some(BriefingAction::Start(Mode::Assessment))
        } else if can_resume && i.key_pressed(Key::R) {
            Some(BriefingAction::Resume)
        } else if i.key_pressed(Key::Escape) {
            Some(BriefingAction::Back)
        } else {
            None
        }
    })
}
