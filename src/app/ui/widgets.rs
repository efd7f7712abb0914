//! Small drawing pieces shared by the screens: cards, chips, speech bubbles, score bars, the
//! large choice buttons and the feedback on a choice. The persona's face is `face.rs`.

use bevy_egui::egui::{
    self, Align2, Color32, CornerRadius, FontId, Frame, Margin, Pos2, Response, RichText, Sense,
    Stroke, Ui, Vec2,
};
use mentorsim_script::engine::ChoiceSummary;
use mentorsim_script::model::Severity;
use mentorsim_script::scenario::Scenario;

use super::theme::Palette;

/// A raised card with an outline.
pub fn card<R>(ui: &mut Ui, colours: &Palette, add: impl FnOnce(&mut Ui) -> R) -> R {
    Frame::new()
        .fill(colours.card)
        .stroke(Stroke::new(1.0, colours.outline))
        .corner_radius(CornerRadius::same(10))
        .inner_margin(Margin::same(14))
        .show(ui, add)
        .inner
}

/// A small coloured label, e.g. a status or a mode.
pub fn chip(ui: &mut Ui, text: &str, colour: Color32) -> Response {
    Frame::new()
        .stroke(Stroke::new(1.0, colour))
        .corner_radius(CornerRadius::same(12))
        .inner_margin(Margin::symmetric(8, 2))
        .show(ui, |ui| ui.label(RichText::new(text).small().color(colour)))
        .inner
}

/// A button in the accent colour, for the main thing to do on a screen.
pub fn primary_button(ui: &mut Ui, colours: &Palette, text: &str) -> Response {
    ui.add(
        egui::Button::new(RichText::new(text).strong().color(colours.on_accent))
            .fill(colours.accent)
            .min_size(Vec2::new(0.0, 40.0)),
    )
}

/// A speech bubble; the trainee's sit on the right.
pub fn bubble(ui: &mut Ui, who: &str, text: &str, fill: Color32, on_right: bool) {
    let max_width = (ui.available_width() * 0.78).max(240.0);
    let layout = if on_right {
        egui::Layout::right_to_left(egui::Align::Min)
    } else {
        egui::Layout::left_to_right(egui::Align::Min)
    };
    ui.with_layout(layout, |ui| {
        Frame::new()
            .fill(fill)
            .corner_radius(CornerRadius::same(14))
            .inner_margin(Margin::symmetric(14, 10))
            .show(ui, |ui| {
                ui.set_max_width(max_width);
                ui.vertical(|ui| {
                    ui.label(RichText::new(who).small().strong());
                    ui.label(text);
                });
            });
    });
}

/// Narration, centred and in italics.
pub fn narration(ui: &mut Ui, text: &str, colours: &Palette) {
    ui.vertical_centered(|ui| {
        ui.set_max_width(ui.available_width() * 0.85);
        ui.label(RichText::new(text).italics().color(colours.muted));
    });
}

/// A horizontal bar from 0 to 100 % with the score filled and the threshold marked.
pub fn score_bar(ui: &mut Ui, score: Option<f64>, threshold: f64, colours: &Palette) -> Response {
    let width = ui.available_width().clamp(200.0, 360.0);
    let (rect, response) = ui.allocate_exact_size(Vec2::new(width, 16.0), Sense::hover());
    let painter = ui.painter_at(rect.expand(2.0));
    painter.rect_filled(
        rect,
        CornerRadius::same(8),
        colours.outline.gamma_multiply(0.6),
    );
    if let Some(score) = score {
        let met = mentorsim_script::scoring::meets(score, threshold);
        let fill = rect.with_max_x(rect.min.x + rect.width() * score.clamp(0.0, 1.0) as f32);
        painter.rect_filled(
            fill,
            CornerRadius::same(8),
            if met { colours.good } else { colours.bad },
        );
    }
    let x = rect.min.x + rect.width() * threshold.clamp(0.0, 1.0) as f32;
    painter.line_segment(
        [
            Pos2::new(x, rect.min.y - 2.0),
            Pos2::new(x, rect.max.y + 2.0),
        ],
        Stroke::new(2.5, ui.visuals().text_color()),
    );
    response
}

/// A large, full-width answer button with its key number.
pub fn choice_button(ui: &mut Ui, number: usize, text: &str, enabled: bool) -> Response {
    let label = format!("{number}   {text}");
    let button = egui::Button::new(RichText::new(label).size(17.0))
        .wrap()
        .min_size(Vec2::new(ui.available_width(), 46.0));
    ui.add_enabled(enabled, button)
}

/// A heading line with a muted note under it.
pub fn heading_with_note(ui: &mut Ui, heading: &str, note: &str, colours: &Palette) {
    ui.heading(heading);
    if !note.is_empty() {
        ui.label(RichText::new(note).color(colours.muted));
    }
}

/// Paints `text` centred in an area, for empty states.
pub fn empty_state(ui: &mut Ui, text: &str, colours: &Palette) {
    let (rect, _) = ui.allocate_exact_size(Vec2::new(ui.available_width(), 60.0), Sense::hover());
    ui.painter().text(
        rect.center(),
        Align2::CENTER_CENTER,
        text,
        FontId::proportional(16.0),
        colours.muted,
    );
}

/// Practice feedback: how the choice landed, why, and its effect on each competency.
pub fn feedback_card(ui: &mut Ui, scenario: &Scenario, choice: &ChoiceSummary, colours: &Palette) {
    let total: i32 = choice.effects.values().sum();
    let (verdict, colour) = match &choice.severity {
        Severity::Critical(_) => ("Critical error", colours.bad),
        Severity::Major(_) => ("Serious mistake", colours.bad),
        Severity::Normal if total > 0 => ("This helped", colours.good),
        Severity::Normal if total < 0 => ("This did not help", colours.bad),
        Severity::Normal => ("Mixed", colours.caution),
    };
    card(ui, colours, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new(verdict).size(19.0).strong().color(colour));
        ui.label(&choice.feedback);
        if let Severity::Critical(why) | Severity::Major(why) = &choice.severity {
            ui.label(RichText::new(why).strong().color(colour));
        }
        ui.horizontal_wrapped(|ui| {
            for (id, points) in &choice.effects {
                let name = scenario
                    .competencies
                    .iter()
                    .find(|c| &c.id == id)
                    .map_or(id.as_str(), |c| c.name.as_str());
                let colour = if *points > 0 {
                    colours.good
                } else {
                    colours.bad
                };
                chip(ui, &format!("{points:+} {name}"), colour);
            }
        });
    });
}
