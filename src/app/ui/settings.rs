//! The settings window: text size, font, high contrast, reduced motion.

use bevy_egui::egui::{self, Ui};

use crate::app::app_assets;
use crate::app::settings::{FontChoice, Settings};

/// Draws the settings controls; changes apply at once.
pub fn show(ui: &mut Ui, settings: &mut Settings) {
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
    ui.add_space(6.0);
    if ui.add(egui::Button::new("Restore defaults")).clicked() {
        *settings = Settings::default();
    }
}
