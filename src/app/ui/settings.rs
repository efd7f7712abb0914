//! The settings window: text size, font, high contrast, reduced motion, speech.

use bevy_egui::egui::{self, Ui};

use crate::app::app_assets;
use crate::app::settings::{FontChoice, Settings};

/// Draws the settings controls; changes apply at once. `speech_available`: whether the
/// speech program runs here (otherwise the setting says what to install).
pub fn show(ui: &mut Ui, settings: &mut Settings, speech_available: bool) {
    ui.label("Text size");
    ui.horizontal(|ui| {
        for (scale, name) in Settings::TEXT_SCALES {
            if ui
                .selectable_label((settings.text_scale - scale).abs() < 0.01, name)
                .clicked()
            {
                settings.text_scale = scale;
            }
        }
    });
    ui.add_space(6.0);
    ui.label("Font");
    ui.horizontal(|ui| {
        for choice in [FontChoice::Standard, FontChoice::DyslexiaFriendly] {
            if ui
                .selectable_label(settings.font == choice, app_assets::describe(choice))
                .clicked()
            {
                settings.font = choice;
            }
        }
    });
    ui.add_space(6.0);
    ui.checkbox(&mut settings.high_contrast, "High contrast");
    ui.checkbox(
        &mut settings.reduced_motion,
        "Reduce motion (no animations or smooth scrolling)",
    );
    ui.add_enabled_ui(speech_available, |ui| {
        ui.checkbox(
            &mut settings.speech,
            "Read the mentee's and other people's lines aloud",
        );
    });
    if !speech_available {
        ui.label(
            egui::RichText::new(
                "Speech needs espeak-ng, which is not installed. On Debian or Ubuntu: sudo apt-get install espeak-ng",
            )
            .small(),
        );
    }
    ui.add_space(6.0);
    if ui.add(egui::Button::new("Restore defaults")).clicked() {
        *settings = Settings::default();
    }
}
