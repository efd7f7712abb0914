//! Sign in: pick your profile, or make one. Profiles are local to this computer's records.

use bevy_egui::egui::{self, Key, RichText, Ui};
use mentorsim_records::store::Trainee;

use super::SignInAction;
use crate::app::ui::theme::Palette;
use crate::app::ui::widgets::{card, heading_with_note, primary_button};

/// The new-profile form as typed so far.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct NewProfile {
    /// Display name.
    pub name: String,
    /// Optional program id.
    pub id: String,
}

/// Draws the sign-in screen.
pub fn show(
    ui: &mut Ui,
    trainees: &[Trainee],
    draft: &mut NewProfile,
    colours: &Palette,
) -> Option<SignInAction> {
    let mut action = None;
    ui.vertical_centered(|ui| {
        ui.set_max_width(560.0);
        ui.add_space(24.0);
        heading_with_note(
            ui,
            "Welcome to mentorsim",
            "Practise the hard conversations of mentoring before you meet your mentee.",
            colours,
        );
        ui.add_space(16.0);
        if !trainees.is_empty() {
            card(ui, colours, |ui| {
                ui.set_width(ui.available_width());
                ui.label(RichText::new("Continue as").strong());
                for trainee in trainees {
                    let text = format!("{}   ({})", trainee.name, trainee.id);
                    if ui
                        .add_sized([ui.available_width(), 40.0], egui::Button::new(text))
                        .clicked()
                    {
                        action = Some(SignInAction::AsTrainee(trainee.id.clone()));
                    }
                }
            });
            ui.add_space(12.0);
        }
        card(ui, colours, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new("New profile").strong());
            ui.label("Your name");
            let name = ui.add(
                egui::TextEdit::singleline(&mut draft.name)
                    .hint_text("e.g. Robin Okafor")
                    .desired_width(f32::INFINITY),
            );
            ui.label("Program id (optional: your coordinator may give you one)");
            let id = ui.add(
                egui::TextEdit::singleline(&mut draft.id)
                    .hint_text("left empty, one is made for you")
                    .desired_width(f32::INFINITY),
            );
            let entered =
                (name.lost_focus() || id.lost_focus()) && ui.input(|i| i.key_pressed(Key::Enter));
            let ready = !draft.name.trim().is_empty();
            let clicked = ui
                .add_enabled_ui(ready, |ui| {
                    primary_button(ui, colours, "Create profile and start")
                })
                .inner
                .clicked();
            if ready && (clicked || entered) {
                action = Some(SignInAction::CreateProfile {
                    name: draft.name.trim().to_owned(),
                    id: draft.id.trim().to_owned(),
                });
                *draft = NewProfile::default();
            }
        });
    });
    action
}
