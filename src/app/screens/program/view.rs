//! The program view, for coordinators: the roster with each trainee's readiness, and one
//! trainee's requirements, attempts and growth from first to latest attempt.

use bevy_egui::egui::{self, RichText, Ui};
use mentorsim_script::scoring::shown_percent;

use super::{LrsPanel, ProgramAction, ProgramView, TraineeDetail};
use crate::app::ui::theme::Palette;
use crate::app::ui::widgets::{card, chip, empty_state, heading_with_note};

/// Draws the program view.
pub fn show(ui: &mut Ui, view: &ProgramView, colours: &Palette) -> Option<ProgramAction> {
    let mut action = None;
    let policy = match &view.policy {
        Ok(policy) => policy,
        Err(why) => {
            heading_with_note(
                ui,
                "Program",
                "The readiness policy cannot be used.",
                colours,
            );
            ui.label(RichText::new(why).color(colours.bad));
            return None;
        }
    };
    heading_with_note(
        ui,
        "Program",
        &format!(
            "Readiness under policy {policy}: a module counts when its assessment was passed in assessment mode, without a critical error, within the policy's limits."
        ),
        colours,
    );
    ui.add_space(8.0);
    if let Some(panel) = &view.lrs {
        action = lrs_panel(ui, panel, colours);
        ui.add_space(8.0);
    }
    if view.roster.is_empty() {
        let empty = match &view.lrs {
            Some(panel) if panel.using => "No finished attempts in the program's LRS yet.",
            _ => "No trainees in the records yet.",
        };
        empty_state(ui, empty, colours);
        return action;
    }
    let ready = view.roster.iter().filter(|t| t.ready).count();
    ui.label(format!("{ready} of {} trainee(s) ready", view.roster.len()));
    ui.add_space(8.0);
    ui.columns(2, |columns| {
        egui::ScrollArea::vertical()
            .id_salt("roster")
            .show(&mut columns[0], |ui| {
                for trainee in &view.roster {
                    let met = trainee.requirements.iter().filter(|r| r.met).count();
                    let selected = view
                        .detail
                        .as_ref()
                        .is_some_and(|d| d.readiness.trainee == trainee.trainee);
                    card(ui, colours, |ui| {
                        ui.set_width(ui.available_width());
                        ui.horizontal(|ui| {
                            let label = format!("{}  ({})", trainee.name, trainee.trainee);
                            if ui
                                .selectable_label(selected, RichText::new(label).strong())
                                .clicked()
                            {
                                action = Some(ProgramAction::Inspect(trainee.trainee.clone()));
                            }
                            ui.with_layout(
                                egui::Layout::right_to_left(egui::Align::Center),
                                |ui| {
                                    if trainee.ready {
                                        chip(ui, "Ready", colours.good);
                                    } else {
                                        chip(ui, "Not yet", colours.caution);
                                    }
                                    ui.label(format!("{met}/{} met", trainee.requirements.len()));
                                },
                            );
                        });
                    });
                    ui.add_space(4.0);
                }
            });
        egui::ScrollArea::vertical()
            .id_salt("trainee")
            .show(&mut columns[1], |ui| match &view.detail {
                None => empty_state(
                    ui,
                    "Pick a trainee to see their attempts and growth.",
                    colours,
                ),
                Some(detail) => trainee_detail(ui, detail, view, colours),
            });
    });
    action
}

/// Where the attempts come from: this computer's records or the program's LRS, what the last
/// read did, and the attempts in the LRS that do not count.
fn lrs_panel(ui: &mut Ui, panel: &LrsPanel, colours: &Palette) -> Option<ProgramAction> {
    let mut action = None;
    card(ui, colours, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal(|ui| {
            ui.label("Judge from:");
            if ui.radio(!panel.using, "this computer's records").clicked() && panel.using {
                action = Some(ProgramAction::UseLrs(false));
            }
            if ui.radio(panel.using, "the program's LRS").clicked() && !panel.using {
                action = Some(ProgramAction::UseLrs(true));
            }
            if panel.using
                && ui
                    .add_enabled(!panel.reading, egui::Button::new("Read again"))
                    .clicked()
            {
                action = Some(ProgramAction::ReadLrsAgain);
            }
        });
        if panel.using {
            match &panel.status {
                Some(Ok(said)) => {
                    ui.label(RichText::new(said).color(colours.muted));
                }
                Some(Err(why)) => {
                    ui.label(
                        RichText::new(format!("The LRS could not be read: {why}"))
                            .color(colours.bad),
                    );
                }
                None => {}
            }
            ui.label(
                RichText::new(
                    "Every attempt is replayed on this library's scenarios: only what its choices earn counts.",
                )
                .color(colours.muted),
            );
            if !panel.not_counted.is_empty() {
                ui.add_space(4.0);
                ui.label(
                    RichText::new(format!(
                        "Not counted ({}): attempts in the LRS whose claimed result is not what their choices earn, or that cannot be replayed",
                        panel.not_counted.len()
                    ))
                    .strong()
                    .color(colours.caution),
                );
                for attempt in &panel.not_counted {
                    let who = attempt.trainee.as_deref().unwrap_or("unknown trainee");
                    ui.label(format!(
                        "Attempt {} ({who}): {}",
                        attempt.attempt, attempt.reason
                    ));
                }
            }
        }
    });
    action
}

fn trainee_detail(ui: &mut Ui, detail: &TraineeDetail, view: &ProgramView, colours: &Palette) {
    let name = |id: &str| view.names.get(id).map_or(id.to_owned(), Clone::clone);
    let readiness = &detail.readiness;
    ui.label(RichText::new(&readiness.name).size(20.0).strong());
    if let Some(until) = &readiness.valid_until {
        ui.label(format!("Ready until {}", &until[..10.min(until.len())]));
    }
    ui.add_space(6.0);
    card(ui, colours, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new("Requirements").strong());
        for requirement in &readiness.requirements {
            let (mark, colour) = if requirement.met {
                ("✔", colours.good)
            } else {
                ("○", colours.caution)
            };
            ui.label(RichText::new(format!("{mark} {}", requirement.requirement)).color(colour));
            for reason in &requirement.reasons {
                ui.label(RichText::new(format!("    {reason}")).color(colours.muted));
            }
        }
    });
    ui.add_space(6.0);
    card(ui, colours, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new("Growth, first → latest attempt").strong());
        if detail.growth.is_empty() {
            ui.label("No finished attempts yet.");
        }
        egui::Grid::new("growth").striped(true).show(ui, |ui| {
            for growth in &detail.growth {
                ui.label(name(&growth.competency));
                ui.label(format!("{:.0}%", shown_percent(growth.first)));
                ui.label("→");
                ui.label(format!("{:.0}%", shown_percent(growth.latest)));
                let change = (growth.latest - growth.first) * 100.0;
                let colour = if change >= 0.0 {
                    colours.good
                } else {
                    colours.bad
                };
                ui.label(RichText::new(format!("{change:+.0}")).color(colour));
                ui.label(
                    RichText::new(format!("{} attempt(s)", growth.attempts)).color(colours.muted),
                );
                ui.end_row();
            }
        });
    });
    ui.add_space(6.0);
    card(ui, colours, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new("Listening across all attempts (MITI 4.2.1 thresholds)").strong());
        for line in detail.listening.lines() {
            ui.label(line);
        }
    });
    ui.add_space(6.0);
    card(ui, colours, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new("Attempts, newest first").strong());
        egui::Grid::new("attempts").striped(true).show(ui, |ui| {
            for attempt in &detail.attempts {
                ui.label(&attempt.ended[..10.min(attempt.ended.len())]);
                ui.label(name(&attempt.scenario));
                ui.label(attempt.mode.as_str());
                ui.label(format!("{:.0}%", shown_percent(attempt.overall)));
                let (verdict, colour) = match (attempt.passed, attempt.critical.is_empty()) {
                    (true, _) => ("passed", colours.good),
                    (false, false) => ("critical error", colours.bad),
                    (false, true) => ("not yet", colours.caution),
                };
                ui.label(RichText::new(verdict).color(colour));
                ui.end_row();
            }
        });
    });
}
