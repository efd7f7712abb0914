//! The trainee app: a Bevy window with an egui interface over the core. [`AppPlugin`] is the
//! whole app apart from the window: [`content`] (scenario assets, hot reload), [`records`] (the
//! database and its notices), [`settings`] (display), [`screens`] (a plugin per screen, with
//! its actions and systems), and [`ui`] (theme, frame order, widgets). [`autoplay`] drives it
//! through a scripted run with screenshots.

pub mod app_assets;
pub mod autoplay;
pub mod content;
mod launch_checks;
mod library_reader;
mod library_waker;
pub mod program_sync;
pub mod records;
pub mod screens;
pub mod settings;
pub mod ui;
pub mod voice;

use std::path::PathBuf;
use std::process::ExitCode;

use bevy::prelude::*;
use bevy::winit::WinitSettings;
use bevy_egui::EguiPlugin;
use mentorsim_records::connection::Connection;
use mentorsim_records::policy::Program;
use mentorsim_records::store::{Store, StoreError};
use mentorsim_script::engine::Mode;

use autoplay::{AutoplayPlugin, AutoplaySpec};
use content::{ContentPlugin, LibrarySource, ProgramPolicy};
use launch_checks::{check_display, check_vulkan};
use program_sync::ProgramSyncPlugin;
use records::{Notice, Records};
use screens::{ScreensPlugin, SeedOverride};
use settings::SettingsPlugin;
use ui::UiPlugin;

/// How the window app was asked to run.
#[derive(Debug, Clone)]
pub struct AppOptions {
    /// Scenario folder to use and watch; the bundled library when `None`.
    pub library: Option<PathBuf>,
    /// Where the records and settings are kept.
    pub data_dir: PathBuf,
    /// A scripted run, if any.
    pub autoplay: Option<AutoplaySpec>,
    /// Mode of the scripted run.
    pub mode: Mode,
    /// Seed for every attempt (random when `None`).
    pub seed: Option<u64>,
    /// Where a scripted run saves its screenshots.
    pub screenshot_dir: Option<PathBuf>,
    /// The program's policy text (`--policy FILE` or the bundled one).
    pub policy: mentorsim_script::source::SourceText,
    /// The station's connection to its program's LRS, if it has one, and the program its
    /// statements are named under.
    pub sync: Option<(Connection, Program)>,
}

/// When the app started, to report how long the first frame took.
#[derive(Resource, Debug, Clone, Copy)]
pub struct LaunchedAt(pub std::time::Instant);

/// Why the window could not open.
#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    /// `--library` names something that is not a folder.
    #[error(
        "--library {}: not a folder; give the folder that holds your *.scenario.ron files",
        .0.display()
    )]
    NotAFolder(PathBuf),
    /// The records cannot be opened for writing.
    #[error(transparent)]
    Records(#[from] StoreError),
    /// There is no graphical display to open the window on.
    #[error(
        "the app needs a graphical desktop, and none was found ({0}).\n  \
         Run it in a desktop session, or on a virtual display: `xvfb-run mentorsim` (Debian/Ubuntu package `xvfb`).\n  \
         Or play in the terminal: `mentorsim play al-not-college-material` (`mentorsim check --stats` lists the scenarios).\n  \
         The window uses X11; on a Wayland desktop it opens through XWayland."
    )]
    NoDisplay(&'static str),
    /// There is no Vulkan driver to render with.
    #[error(
        "the app renders with Vulkan, and {0}.\n  \
         On Debian/Ubuntu install one: `sudo apt-get install mesa-vulkan-drivers libvulkan1` (software rendering works too).\n  \
         Or play in the terminal: `mentorsim play al-not-college-material` (`mentorsim check --stats` lists the scenarios)."
    )]
    NoVulkan(String),
}

/// The app apart from its window and renderer: `run` adds it to a window, the headless tests
/// to `MinimalPlugins`. The caller registers the library's asset source before the asset
/// plugin ([`content::register_source`]) and inserts the opened [`Records`].
pub struct AppPlugin {
    /// Where the scenarios come from.
    pub source: LibrarySource,
    /// Where the display settings are kept; `None` not to keep them.
    pub settings_dir: Option<PathBuf>,
    /// A fixed seed for every attempt; random when `None`.
    pub seed: Option<u64>,
    /// The program's policy (see [`content::ProgramPolicy`]).
    pub policy: ProgramPolicy,
}

impl Plugin for AppPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<Notice>()
            .insert_resource(SeedOverride(self.seed))
            .add_plugins((
                ContentPlugin {
                    source: self.source.clone(),
                    policy: self.policy.clone(),
                },
                SettingsPlugin {
                    data_dir: self.settings_dir.clone(),
                },
                ScreensPlugin,
                UiPlugin,
                app_assets::AppAssetsPlugin,
                voice::VoicePlugin,
            ));
    }
}

/// Opens the window and runs until it is closed.
pub fn run(options: AppOptions) -> Result<ExitCode, LaunchError> {
    let launched = LaunchedAt(std::time::Instant::now());
    let source = match &options.library {
        Some(dir) if dir.is_dir() => {
            LibrarySource::Folder(dir.canonicalize().unwrap_or_else(|_| dir.clone()))
        }
        Some(dir) => return Err(LaunchError::NotAFolder(dir.clone())),
        None => LibrarySource::Bundled,
    };
    check_display()?;
    check_vulkan()?;
    let store = Store::open(&options.data_dir)?;

    let mut app = App::new();
    content::register_source(&mut app, &source);
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title: "mentorsim".to_owned(),
                    resolution: (1180, 800).into(),
                    ..default()
                }),
                ..default()
            })
            .set(AssetPlugin {
                watch_for_changes_override: Some(source.is_watched()),
                ..default()
            }),
    )
    .add_plugins(EguiPlugin::default())
    .insert_resource(ClearColor(Color::srgb(0.97, 0.97, 0.965)))
    // Redraw only on input (idle CPU near zero); a scripted run must keep frames coming.
    .insert_resource(if options.autoplay.is_some() {
        WinitSettings::continuous()
    } else {
        WinitSettings::desktop_app()
    })
    .insert_resource(launched)
    .insert_resource(Records::new(store))
    .add_plugins(ProgramSyncPlugin {
        sync: options.sync,
        data_dir: options.data_dir.clone(),
    })
    .add_systems(Startup, library_waker::connect)
    .add_systems(Update, library_waker::keep_awake)
    .add_plugins(AppPlugin {
        source,
        settings_dir: Some(options.data_dir.clone()),
        seed: options.seed,
        policy: ProgramPolicy(options.policy),
    });
    if let Some(spec) = options.autoplay {
        app.add_plugins(AutoplayPlugin {
            spec,
            mode: options.mode,
            screenshot_dir: options.screenshot_dir,
        });
    }
    Ok(match app.run() {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    })
}
