//! The app's own files from the top-level `assets/` folder: embedded in the binary (so the app
//! runs from anywhere, as the bundled scenarios do) and read through the asset server from the
//! `app://` source. The fonts are handed to egui once loaded, and again whenever the trainee
//! picks the other font in Settings.

use std::path::Path;

use bevy::asset::io::memory::{Dir, MemoryAssetReader};
use bevy::asset::io::{AssetSourceBuilder, AssetSourceId, Reader};
use bevy::asset::{AssetLoader, LoadContext};
use bevy::prelude::*;
use bevy_egui::egui::{FontData, FontDefinitions, FontFamily};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::settings::{FontChoice, Settings};

/// The asset source the files are read from.
pub const SOURCE: &str = "app";

/// The files of `assets/`, as embedded at build time.
const FILES: &[(&str, &[u8])] = &[
    (
        "fonts/Inter-Regular.otf",
        include_bytes!("../../assets/fonts/Inter-Regular.otf"),
    ),
    (
        "fonts/OpenDyslexic-Regular.otf",
        include_bytes!("../../assets/fonts/OpenDyslexic-Regular.otf"),
    ),
];

/// Registers `app://`. Must run before `AssetPlugin` is added.
pub fn register_source(app: &mut App) {
    let root = Dir::default();
    for (name, bytes) in FILES {
        root.insert_asset(Path::new(name), *bytes);
    }
    app.register_asset_source(
        AssetSourceId::from(SOURCE),
        AssetSourceBuilder::new(move || Box::new(MemoryAssetReader { root: root.clone() })),
    );
}

/// A font file's bytes.
#[derive(Asset, TypePath, Debug)]
pub struct FontFile {
    bytes: Vec<u8>,
}

/// Reads font files whole; egui parses them.
#[derive(Default, TypePath)]
pub struct FontFileLoader;

impl AssetLoader for FontFileLoader {
    type Asset = FontFile;
    type Settings = ();
    type Error = std::io::Error;

    async fn load(
        &self,
        reader: &mut dyn Reader,
        _settings: &(),
        _load_context: &mut LoadContext<'_>,
    ) -> Result<FontFile, std::io::Error> {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).await?;
        Ok(FontFile { bytes })
    }

    fn extensions(&self) -> &[&str] {
        &["otf", "ttf"]
    }
}

/// The UI fonts, loading or loaded.
#[derive(Resource)]
struct UiFonts {
    standard: Handle<FontFile>,
    dyslexia_friendly: Handle<FontFile>,
}

/// Loads the fonts and gives egui the one the settings pick.
pub struct AppAssetsPlugin;

impl Plugin for AppAssetsPlugin {
    fn build(&self, app: &mut App) {
        app.init_asset::<FontFile>()
            .init_asset_loader::<FontFileLoader>()
            .add_systems(Startup, load_fonts)
            .add_systems(EguiPrimaryContextPass, apply_fonts);
    }
}

fn load_fonts(mut commands: Commands, server: Res<AssetServer>) {
    commands.insert_resource(UiFonts {
        standard: server.load(format!("{SOURCE}://fonts/Inter-Regular.otf")),
        dyslexia_friendly: server.load(format!("{SOURCE}://fonts/OpenDyslexic-Regular.otf")),
    });
}

/// Hands egui the chosen font once both are loaded and whenever the choice changes, ahead of
/// egui's own fonts, which give the emoji and symbols it lacks.
fn apply_fonts(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    fonts: Option<Res<UiFonts>>,
    files: Res<Assets<FontFile>>,
    mut applied: Local<Option<FontChoice>>,
) -> Result {
    let Some(fonts) = fonts else {
        return Ok(());
    };
    if *applied == Some(settings.font) {
        return Ok(());
    }
    let (Some(standard), Some(dyslexia_friendly)) = (
        files.get(&fonts.standard),
        files.get(&fonts.dyslexia_friendly),
    ) else {
        return Ok(());
    };
    let (name, file) = match settings.font {
        FontChoice::Standard => ("Inter", standard),
        FontChoice::DyslexiaFriendly => ("OpenDyslexic", dyslexia_friendly),
    };
    let mut definitions = FontDefinitions::default();
    definitions.font_data.insert(
        name.to_owned(),
        std::sync::Arc::new(FontData::from_owned(file.bytes.clone())),
    );
    definitions
        .families
        .entry(FontFamily::Proportional)
        .or_default()
        .insert(0, name.to_owned());
    contexts.ctx_mut()?.set_fonts(definitions);
    *applied = Some(settings.font);
    Ok(())
}

/// How the chosen font names itself in Settings.
pub fn describe(choice: FontChoice) -> &'static str {
    match choice {
        FontChoice::Standard => "Standard (Inter)",
        FontChoice::DyslexiaFriendly => "Dyslexia-friendly (OpenDyslexic)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use skrifa::MetadataProvider;

    fn font(name: &str) -> skrifa::FontRef<'static> {
        let (_, bytes) = FILES.iter().find(|(n, _)| *n == name).unwrap();
        skrifa::FontRef::new(bytes).expect("a font egui's reader can read")
    }

    /// The UI font has the glyphs the UI needs (an arrow had to be avoided with egui's own).
    #[test]
    fn the_ui_font_has_arrows_typographic_quotes_accents_and_the_pound_sign() {
        let charmap = font("fonts/Inter-Regular.otf").charmap();
        for glyph in [
            '→', '←', '“', '”', '‘', '’', '–', '…', 'é', 'ñ', 'ł', 'ö', '£', '○',
        ] {
            assert!(charmap.map(glyph).is_some(), "Inter lacks {glyph:?}");
        }
    }

    /// The dyslexia-friendly font reads too, with the letters and quotes of the scenarios.
    #[test]
    fn the_dyslexia_friendly_font_has_the_scenarios_letters() {
        let charmap = font("fonts/OpenDyslexic-Regular.otf").charmap();
        for glyph in ['a', 'Z', '“', '’', 'é', '£'] {
            assert!(charmap.map(glyph).is_some(), "OpenDyslexic lacks {glyph:?}");
        }
    }
}
