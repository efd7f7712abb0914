//! The conversation: the exchange as speech bubbles, the mentee's card with a visible mood, the
//! choices as large buttons (keys 1-9), and in practice the feedback on each choice before the
//! next one (Enter moves on).

use bevy_egui::egui::{self, Key, RichText, Ui};
use mentorsim_script::engine::{ChoiceSummary, CurrentLine, Mode, TranscriptEntry};
use mentorsim_script::model::{Look, Mood, Speaker};
use mentorsim_script::scenario::Scenario;

use super::ConversationAction;
use crate::app::ui::face::face;
use crate::app::ui::theme::{Palette, mood_look};
use crate::app::ui::widgets::{
    bubble, chip, choice_button, feedback_card, narration, primary_button,
};

/// What the conversation screen shows.
pub struct ConversationView<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// Practice or assessment.
    pub mode: Mode,
    /// Everything said so far.
    pub transcript: Vec<TranscriptEntry>,
    /// The line waiting for the trainee.
    pub current: Option<CurrentLine>,
    /// Practice feedback on the last choice.
    pub feedback: Option<&'a ChoiceSummary>,
    /// Choices made so far.
    pub decisions: usize,
    /// For a trainer's rehearsal, where it started and with which values.
    pub rehearsal: Option<String>,
}

/// Draws the conversation.
pub fn show(ui: &mut Ui, view: &ConversationView, colours: &Palette) -> Option<ConversationAction> {
    let mut action = keys(ui, view);
    egui::Panel::left("persona")
        .resizable(false)
        .exact_size(270.0)
        .show(ui, |ui| persona_card(ui, view, colours));
    egui::CentralPanel::default().show(ui, |ui| {
        // The answers sit under the transcript at their natural height, measured on the
        // previous pass; a change of height asks egui for another pass at once.
        let answers_id = ui.id().with("answers_height");
        let answers_height: f32 = ui.data(|d| d.get_temp(answers_id)).unwrap_or(120.0);
        let transcript_height = (ui.available_height() - answers_height - 16.0).max(120.0);
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .max_height(transcript_height)
            .stick_to_bottom(true)
            .show(ui, |ui| transcript(ui, view, colours));
        ui.separator();
        let drawn = ui.scope(|ui| answers(ui, view, colours));
        if let Some(picked) = drawn.inner {
            action = Some(picked);
        }
        let height = drawn.response.rect.height();
        if (height - answers_height).abs() > 0.5 {
            ui.data_mut(|d| d.insert_temp(answers_id, height));
            ui.ctx().request_discard("answers changed height");
        }
    });
    action
}

fn keys(ui: &Ui, view: &ConversationView) -> Option<ConversationAction> {
    if ui.ctx().egui_wants_keyboard_input() {
        return None;
    }
    let waiting_to_continue =
        view.feedback.is_some() || view.current.as_ref().is_some_and(|c| c.options.is_empty());
    ui.input(|i| {
        if waiting_to_continue && (i.key_pressed(Key::Enter) || i.key_pressed(Key::Space)) {
            return Some(ConversationAction::Continue);
        }
        if i.key_pressed(Key::Escape) {
            return Some(ConversationAction::Leave);
        }
        if waiting_to_continue {
            return None;
        }
        const DIGITS: [Key; 9] = [
            Key::Num1,
            Key::Num2,
            Key::Num3,
            Key::Num4,
            Key::Num5,
            Key::Num6,
            Key::Num7,
            Key::Num8,
            Key::Num9,
        ];
        let count = view.current.as_ref().map_or(0, |c| c.options.len());
        DIGITS
            .iter()
            .take(count)
            .position(|k| i.key_pressed(*k))
            .map(|p| ConversationAction::Choose(p + 1))
    })
}

fn persona_card(ui: &mut Ui, view: &ConversationView, colours: &Palette) {
    let persona = &view.scenario.persona;
    ui.add_space(12.0);
    ui.vertical_centered(|ui| {
        let look = persona
            .look
            .unwrap_or_else(|| Look::from_name(&persona.name));
        face(ui, &persona.name, &look, current_mood(view), colours, 120.0);
        ui.label(RichText::new(&persona.name).size(22.0).strong());
        let (word, colour, _) = mood_look(current_mood(view), colours);
        ui.label(RichText::new(word).color(colour).strong());
    });
    ui.add_space(8.0);
    ui.label(RichText::new(format!("{}, {}", persona.age, persona.pronouns)).color(colours.muted));
    ui.label(RichText::new(&persona.setting).small());
    ui.add_space(12.0);
    ui.horizontal_wrapped(|ui| {
        let mode = match view.mode {
            Mode::Practice => "Practice: feedback after each choice",
            Mode::Assessment => "Assessment: feedback at the end",
        };
        chip(ui, mode, colours.accent);
    });
    ui.label(
        RichText::new(format!("Decisions made: {}", view.decisions))
            .small()
            .color(colours.muted),
    );
    if let Some(rehearsal) = &view.rehearsal {
        ui.add_space(8.0);
        chip(ui, "Rehearsal, not recorded", colours.caution);
        ui.label(RichText::new(rehearsal).small());
    }
    ui.add_space(12.0);
    ui.label(
        RichText::new(if view.rehearsal.is_some() {
            "Keys: 1-9 choose, Enter continue, Esc back to trainer mode."
        } else {
            "Keys: 1-9 choose, Enter continue, Esc back to the library (your place is kept)."
        })
        .small()
        .color(colours.muted),
    );
}

/// The mentee's mood: at their current line, else as they last spoke.
fn current_mood(view: &ConversationView) -> Mood {
    if let Some(line) = view
        .current
        .as_ref()
        .filter(|l| l.speaker == Speaker::Mentee)
    {
        return line.mood;
    }
    view.transcript
        .iter()
        .rev()
        .find_map(|entry| match entry {
            TranscriptEntry::Line {
                speaker: Speaker::Mentee,
                mood,
                ..
            } => Some(*mood),
            _ => None,
        })
        .unwrap_or_default()
}

fn transcript(ui: &mut Ui, view: &ConversationView, colours: &Palette) {
    ui.set_max_width(820.0);
    ui.add_space(8.0);
    for entry in &view.transcript {
        match entry {
            TranscriptEntry::Line { speaker, text, .. } => match speaker {
                Speaker::Mentee => bubble(
                    ui,
                    &view.scenario.persona.name,
                    text,
                    colours.mentee_bubble,
                    false,
                ),
                Speaker::Narrator => narration(ui, text, colours),
                Speaker::Other(name) => bubble(ui, name, text, colours.mentee_bubble, false),
            },
            TranscriptEntry::Trainee { text } => {
                bubble(ui, "You", text, colours.trainee_bubble, true)
            }
        }
        ui.add_space(4.0);
    }
    // Bring each new line into view as it arrives (and only then, so the trainee can scroll
    // back through the conversation in peace).
    let seen_id = ui.id().with("entries_seen");
    let seen: usize = ui.data(|d| d.get_temp(seen_id)).unwrap_or(0);
    if seen != view.transcript.len() && !ui.ctx().will_discard() {
        ui.data_mut(|d| d.insert_temp(seen_id, view.transcript.len()));
        ui.scroll_to_cursor(Some(egui::Align::BOTTOM));
    }
}

fn answers(ui: &mut Ui, view: &ConversationView, colours: &Palette) -> Option<ConversationAction> {
    let mut action = None;
    if let Some(feedback) = view.feedback {
        feedback_card(ui, view.scenario, feedback, colours);
        ui.add_space(6.0);
        if primary_button(ui, colours, "Continue  (Enter)").clicked() {
            action = Some(ConversationAction::Continue);
        }
        return action;
    }
    let Some(line) = &view.current else {
        return None;
    };
    if line.options.is_empty() {
        if primary_button(ui, colours, "Continue  (Enter)").clicked() {
            action = Some(ConversationAction::Continue);
        }
        return action;
    }
    ui.label(RichText::new("Your reply").strong().color(colours.muted));
    for (i, option) in line.options.iter().enumerate() {
        if choice_button(ui, i + 1, &option.text, true).clicked() {
            action = Some(ConversationAction::Choose(i + 1));
        }
    }
    action
}
