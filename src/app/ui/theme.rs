//! Colours, type sizes and how moods look: a calm light theme, and a high-contrast one.

use bevy::prelude::Resource;
use bevy_egui::egui::{
    self, Color32, CornerRadius, FontFamily, FontId, Stroke, TextStyle, Visuals,
    style::ScrollAnimation,
};
use mentorsim_script::model::Mood;

use crate::app::settings::Settings;

/// The colours a screen needs beyond egui's own; as a resource, those of the current settings.
#[derive(Resource, Debug, Clone, Copy)]
pub struct Palette {
    /// Accent for primary buttons and headings.
    pub accent: Color32,
    /// Text on the accent colour.
    pub on_accent: Color32,
    /// Mentee speech bubbles.
    pub mentee_bubble: Color32,
    /// The trainee's speech bubbles.
    pub trainee_bubble: Color32,
    /// Cards and panels raised above the background.
    pub card: Color32,
    /// Secondary text.
    pub muted: Color32,
    /// Good news: passed, helpful choice.
    pub good: Color32,
    /// Partial: developing, mixed.
    pub caution: Color32,
    /// Bad news: failed, harmful choice.
    pub bad: Color32,
    /// Outlines of cards.
    pub outline: Color32,
    /// Whether this is the high-contrast palette (faces draw thicker outlines).
    pub high_contrast: bool,
    /// The outline of a face.
    pub face_outline: Color32,
    /// A face's pupils, brows and mouth.
    pub face_ink: Color32,
}

/// The palette for the current settings.
pub fn palette(high_contrast: bool) -> Palette {
    if high_contrast {
        Palette {
            accent: Color32::from_rgb(255, 221, 0),
            on_accent: Color32::BLACK,
            mentee_bubble: Color32::from_rgb(20, 20, 20),
            trainee_bubble: Color32::from_rgb(0, 45, 90),
            card: Color32::BLACK,
            muted: Color32::from_rgb(230, 230, 230),
            good: Color32::from_rgb(120, 255, 120),
            caution: Color32::from_rgb(255, 221, 0),
            bad: Color32::from_rgb(255, 130, 130),
            outline: Color32::WHITE,
            high_contrast: true,
            face_outline: Color32::WHITE,
            face_ink: Color32::BLACK,
        }
    } else {
        Palette {
            accent: Color32::from_rgb(22, 110, 110),
            on_accent: Color32::WHITE,
            mentee_bubble: Color32::from_rgb(236, 240, 243),
            trainee_bubble: Color32::from_rgb(214, 236, 232),
            card: Color32::WHITE,
            muted: Color32::from_rgb(92, 100, 108),
            good: Color32::from_rgb(30, 125, 70),
            caution: Color32::from_rgb(170, 110, 0),
            bad: Color32::from_rgb(180, 40, 40),
            outline: Color32::from_rgb(214, 219, 224),
            high_contrast: false,
            face_outline: Color32::from_rgb(70, 50, 40),
            face_ink: Color32::from_rgb(35, 28, 25),
        }
    }
}

/// Applies the settings to egui: visuals, text sizes, zoom and motion.
pub fn apply(ctx: &egui::Context, settings: &Settings) {
    let colours = palette(settings.high_contrast);
    let mut visuals = if settings.high_contrast {
        let mut v = Visuals::dark();
        v.override_text_color = Some(Color32::WHITE);
        v.panel_fill = Color32::BLACK;
        v.window_fill = Color32::BLACK;
        v.extreme_bg_color = Color32::BLACK;
        v.window_stroke = Stroke::new(2.0, Color32::WHITE);
        for widget in [
            &mut v.widgets.inactive,
            &mut v.widgets.hovered,
            &mut v.widgets.active,
            &mut v.widgets.noninteractive,
        ] {
            widget.bg_stroke = Stroke::new(2.0, Color32::WHITE);
        }
        v.widgets.hovered.bg_stroke = Stroke::new(3.0, colours.accent);
        v.selection.bg_fill = Color32::from_rgb(0, 70, 140);
        v
    } else {
        let mut v = Visuals::light();
        v.panel_fill = Color32::from_rgb(247, 248, 246);
        v.window_fill = Color32::WHITE;
        v.override_text_color = Some(Color32::from_rgb(28, 34, 40));
        v.widgets.inactive.weak_bg_fill = Color32::from_rgb(233, 238, 238);
        v.widgets.hovered.weak_bg_fill = Color32::from_rgb(214, 232, 230);
        v.widgets.hovered.bg_stroke = Stroke::new(1.5, colours.accent);
        v.selection.bg_fill = Color32::from_rgb(190, 225, 220);
        v
    };
    visuals.window_corner_radius = CornerRadius::same(10);
    for widget in [
        &mut visuals.widgets.inactive,
        &mut visuals.widgets.hovered,
        &mut visuals.widgets.active,
    ] {
        widget.corner_radius = CornerRadius::same(8);
    }
    ctx.set_visuals(visuals);
    ctx.global_style_mut(|style| {
        style.text_styles = [
            (
                TextStyle::Heading,
                FontId::new(26.0, FontFamily::Proportional),
            ),
            (TextStyle::Body, FontId::new(17.0, FontFamily::Proportional)),
            (
                TextStyle::Button,
                FontId::new(17.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Small,
                FontId::new(14.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(15.0, FontFamily::Monospace),
            ),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(10.0, 8.0);
        style.spacing.button_padding = egui::vec2(14.0, 8.0);
        if settings.reduced_motion {
            style.animation_time = 0.0;
            style.scroll_animation = ScrollAnimation::none();
        } else {
            style.animation_time = 0.12;
            style.scroll_animation = ScrollAnimation::default();
        }
    });
    ctx.set_zoom_factor(settings.text_scale);
}

/// How a mood is shown on the persona card: a word, a colour, and how the face smiles
/// (-1 frown .. 1 smile).
pub fn mood_look(mood: Mood, colours: &Palette) -> (&'static str, Color32, f32) {
    match mood {
        Mood::Neutral => ("Neutral", colours.muted, 0.0),
        Mood::Calm => ("Calm", colours.good, 0.3),
        Mood::Warm => ("Warm", colours.good, 0.7),
        Mood::Hopeful => ("Hopeful", colours.good, 0.8),
        Mood::Relieved => ("Relieved", colours.good, 0.6),
        Mood::Anxious => ("Anxious", colours.caution, -0.3),
        Mood::Guarded => ("Guarded", colours.caution, -0.1),
        Mood::Sad => ("Sad", colours.caution, -0.7),
        Mood::Frustrated => ("Frustrated", colours.bad, -0.5),
        Mood::Angry => ("Angry", colours.bad, -0.8),
        Mood::Withdrawn => ("Withdrawn", colours.muted, -0.4),
        Mood::Distressed => ("Distressed", colours.bad, -0.9),
        Mood::Overwhelmed => ("Overwhelmed", colours.bad, -0.8),
    }
}

/// A colour from `#rrggbb`.
pub fn hex(text: &str) -> Color32 {
    let value = u32::from_str_radix(text.trim_start_matches('#'), 16).unwrap_or(0x808080);
    Color32::from_rgb((value >> 16) as u8, (value >> 8) as u8, value as u8)
}
