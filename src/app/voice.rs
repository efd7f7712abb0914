//! Reading the other people's lines aloud (optional, off by default): each line the mentee or
//! someone else says is spoken by espeak-ng in a voice for that person, in a process of its own
//! so the window never waits for it, and stopped as soon as the trainee moves on, leaves the
//! conversation or turns speech off. Without espeak-ng the setting says what to install.

use std::process::{Child, Command, Stdio};

use bevy::prelude::*;
use mentorsim_script::engine::CurrentLine;
use mentorsim_script::model::{Persona, Speaker};

use super::screens::Screen;
use super::screens::conversation::Play;
use super::settings::Settings;

/// The program that speaks.
pub const SPEAKER: &str = "espeak-ng";

/// How a voice sounds, in espeak-ng's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voice {
    /// `en-gb+VARIANT`.
    pub variant: String,
    /// 0-99.
    pub pitch: u8,
    /// Words a minute.
    pub rate: u16,
}

impl Voice {
    /// The voice of whoever speaks a line: the persona's own (from the scenario, or from their
    /// age and pronouns), or for someone else a steady adult voice that differs from it.
    pub fn for_speaker(persona: &Persona, speaker: &Speaker) -> Option<Voice> {
        match speaker {
            Speaker::Narrator => None,
            Speaker::Mentee => Some(Voice::of(persona)),
            Speaker::Other(_) => {
                let mentee = Voice::of(persona);
                Some(Voice {
                    variant: if mentee.variant.starts_with('f') {
                        "m3"
                    } else {
                        "f2"
                    }
                    .into(),
                    pitch: 45,
                    rate: 165,
                })
            }
        }
    }

    /// The persona's voice: what the scenario says, the rest from age and pronouns (younger
    /// people a little higher and quicker).
    pub fn of(persona: &Persona) -> Voice {
        let spec = persona.voice.clone().unwrap_or_default();
        let pronouns = persona.pronouns.to_lowercase();
        let derived_variant = if pronouns.starts_with("she") {
            "f3"
        } else if pronouns.starts_with("he") {
            "m3"
        } else {
            "f5"
        };
        let young = persona.age < 18;
        Voice {
            variant: spec
                .variant
                .filter(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric()))
                .unwrap_or_else(|| derived_variant.to_owned()),
            pitch: spec
                .pitch
                .map_or(if young { 62 } else { 48 }, |p| p.min(99)),
            rate: spec
                .rate
                .map_or(if young { 175 } else { 160 }, |r| r.clamp(80, 450)),
        }
    }

    /// espeak-ng's arguments to say `text` in this voice.
    pub fn arguments(&self, text: &str) -> Vec<String> {
        vec![
            "-v".into(),
            format!("en-gb+{}", self.variant),
            "-p".into(),
            self.pitch.to_string(),
            "-s".into(),
            self.rate.to_string(),
            "--".into(),
            text.to_owned(),
        ]
    }
}

/// Whether espeak-ng can be run here.
pub fn speech_available() -> bool {
    Command::new(SPEAKER)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The line being spoken, and the process speaking it.
#[derive(Resource)]
pub struct Speech {
    /// Whether espeak-ng runs here (checked once, at start).
    pub available: bool,
    spoken: Option<(String, String)>,
    child: Option<Child>,
}

impl Speech {
    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Speech {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Speaks the conversation's lines when the setting is on.
pub struct VoicePlugin;

impl Plugin for VoicePlugin {
    fn build(&self, app: &mut App) {
        app.insert_resource(Speech {
            available: speech_available(),
            spoken: None,
            child: None,
        })
        .add_systems(Update, speak)
        .add_systems(OnExit(Screen::Conversation), stop_speaking);
    }
}

fn stop_speaking(mut speech: ResMut<Speech>) {
    speech.stop();
    speech.spoken = None;
}

/// Starts speaking a new line, stopping the one before; reaps a finished process.
fn speak(mut speech: ResMut<Speech>, settings: Res<Settings>, play: Option<Res<Play>>) {
    if let Some(child) = &mut speech.child
        && matches!(child.try_wait(), Ok(Some(_)))
    {
        speech.child = None;
    }
    let line = play
        .as_deref()
        // Not while practice feedback on the last choice is being read.
        .filter(|p| settings.speech && speech.available && p.feedback.is_none())
        .and_then(|p| {
            Some((
                p.session().scenario().persona.clone(),
                p.session().current()?,
            ))
        });
    let Some((
        persona,
        CurrentLine {
            node,
            speaker,
            text,
            ..
        },
    )) = line
    else {
        speech.stop();
        speech.spoken = None;
        return;
    };
    let key = (node, text.clone());
    if speech.spoken.as_ref() == Some(&key) {
        return;
    }
    speech.stop();
    speech.spoken = Some(key);
    if let Some(voice) = Voice::for_speaker(&persona, &speaker) {
        speech.child = Command::new(SPEAKER)
            .args(voice.arguments(&text))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok();
    }
}
