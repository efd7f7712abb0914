//! Settings a trainee can change (text size, font, high contrast, reduced motion, speech), kept
//! in the data folder so they survive a restart.

use std::path::PathBuf;

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

use super::records::Notice;

/// The settings file inside the data folder.
const FILE: &str = "settings.ron";

/// How the app looks.
#[derive(Resource, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Scale of all text and controls.
    pub text_scale: f32,
    /// Black background, white text, strong outlines.
    pub high_contrast: bool,
    /// No animations or smooth scrolling.
    pub reduced_motion: bool,
    /// The font the text is set in.
    pub font: FontChoice,
    /// Read the mentee's and other people's lines aloud.
    pub speech: bool,
}

/// The fonts offered (`assets/fonts/`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum FontChoice {
    /// Inter: the UI font.
    #[default]
    Standard,
    /// OpenDyslexic, for readers who find it easier.
    DyslexiaFriendly,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            text_scale: 1.0,
            high_contrast: false,
            reduced_motion: false,
            font: FontChoice::Standard,
            speech: false,
        }
    }
}

impl Settings {
    /// The sizes offered, smallest first.
    pub const TEXT_SCALES: [(f32, &'static str); 4] = [
        (0.9, "Small"),
        (1.0, "Normal"),
        (1.2, "Large"),
        (1.45, "Largest"),
    ];
}

/// Where settings are saved; `None` keeps them for this run only.
#[derive(Resource, Debug, Clone)]
struct SettingsFile(Option<PathBuf>);

/// Whether the settings window is open.
#[derive(Resource, Debug, Default)]
pub struct SettingsOpen(pub bool);

/// Loads settings at start and saves them whenever they change.
pub struct SettingsPlugin {
    /// The data folder, or `None` not to persist.
    pub data_dir: Option<PathBuf>,
}

impl Plugin for SettingsPlugin {
    fn build(&self, app: &mut App) {
        let file = self.data_dir.as_ref().map(|dir| dir.join(FILE));
        let (settings, problem) = match &file {
            Some(path) if path.exists() => match std::fs::read_to_string(path)
                .map_err(|e| e.to_string())
                .and_then(|text| ron::from_str::<Settings>(&text).map_err(|e| e.to_string()))
            {
                Ok(settings) => (settings, None),
                Err(error) => (
                    Settings::default(),
                    Some(format!(
                        "Your display settings in {} could not be read ({error}); the defaults are used until you change them.",
                        path.display()
                    )),
                ),
            },
            _ => (Settings::default(), None),
        };
        app.insert_resource(settings)
            .insert_resource(SettingsFile(file))
            .init_resource::<SettingsOpen>()
            .add_systems(Update, save_when_changed);
        if let Some(problem) = problem {
            app.insert_resource(Notice(Some(problem)));
        }
    }
}

fn save_when_changed(settings: Res<Settings>, file: Res<SettingsFile>, mut notice: ResMut<Notice>) {
    if !settings.is_changed() || settings.is_added() {
        return;
    }
    let Some(path) = &file.0 else {
        return;
    };
    let text = ron::ser::to_string_pretty(&*settings, ron::ser::PrettyConfig::default());
    let written = text.map_err(|e| e.to_string()).and_then(|text| {
        mentorsim_records::output::write_atomically(path, text.as_bytes())
            .map_err(|e| e.to_string())
    });
    if let Err(error) = written {
        notice.0 = Some(format!(
            "Your display settings could not be saved to {}: {error}",
            path.display()
        ));
    }
}
