//! Scenario content in the app: the library folder is an asset source, its files are loaded by
//! an [`AssetLoader`] and watched, and every change rebuilds the checked [`Library`] with the
//! core's validator. A file that does not check is listed with its located errors; nothing in
//! the content can make the app panic.

use std::path::{Path, PathBuf};

use bevy::asset::io::memory::{Dir, MemoryAssetReader};
use bevy::asset::io::{AssetSource, AssetSourceBuilder, AssetSourceId, Reader};
use bevy::asset::{AssetLoader, AssetPath, LoadContext, LoadedFolder};
use bevy::prelude::*;
use mentorsim_records::policy::{self, LoadedPolicy, Policy};
use mentorsim_script::contacts::Contacts;
use mentorsim_script::diagnostic::{Code, Diagnostic};
use mentorsim_script::library::{Library, SourceFile, find_files, with_default_modules};

use super::library_reader::GuardedFolderReader;
use super::library_waker::LibraryWaker;
use mentorsim_script::load::{FileKind, source_from_bytes};
use mentorsim_script::source::SourceText;

/// The asset source the library is read from.
const SOURCE: &str = "library";

/// Where the scenarios come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LibrarySource {
    /// The copy embedded in the binary.
    Bundled,
    /// A trainer's folder, watched for changes.
    Folder(PathBuf),
}

impl LibrarySource {
    /// Where the files are, as the trainer would find them (also the prefix of file names
    /// in diagnostics).
    pub fn describe(&self) -> String {
        match self {
            LibrarySource::Bundled => crate::bundled::ROOT.to_owned(),
            LibrarySource::Folder(dir) => dir.display().to_string(),
        }
    }

    /// Whether edits to the files can reach the running app.
    pub fn is_watched(&self) -> bool {
        matches!(self, LibrarySource::Folder(_))
    }
}

/// Registers the library as an asset source, and the app's own files beside it
/// ([`crate::app::app_assets`]). Must run before `AssetPlugin` is added.
pub fn register_source(app: &mut App, source: &LibrarySource) {
    crate::app::app_assets::register_source(app);
    let builder = match source {
        LibrarySource::Bundled => {
            let root = Dir::default();
            let prefix = format!("{}/", crate::bundled::ROOT);
            for (name, text) in crate::bundled::FILES {
                let relative = name.strip_prefix(&prefix).unwrap_or(name);
                root.insert_asset_text(Path::new(relative), text);
            }
            AssetSourceBuilder::new(move || Box::new(MemoryAssetReader { root: root.clone() }))
        }
        LibrarySource::Folder(dir) => {
            let waker = LibraryWaker::default();
            app.insert_resource(waker.clone());
            let dir_for_reader = dir.clone();
            AssetSourceBuilder::new(move || Box::new(GuardedFolderReader::new(&dir_for_reader)))
                .with_watcher(waker.watcher(dir.to_string_lossy().into_owned()))
                .with_watch_warning(AssetSource::get_default_watch_warning())
        }
    };
    app.register_asset_source(AssetSourceId::from(SOURCE), builder);
}

/// One scenario or rubric file, as read from disk or from the bundle.
#[derive(Asset, TypePath, Debug)]
pub struct ContentFile {
    bytes: Vec<u8>,
}

/// Reads content files as bytes; checking is the core's job, so this never fails on content.
#[derive(Default, TypePath)]
pub struct ContentFileLoader;

impl AssetLoader for ContentFileLoader {
    type Asset = ContentFile;
    type Settings = ();
    type Error = std::io::Error;

    async fn load(
        &self,
        reader: &mut dyn Reader,
        _settings: &(),
        _load_context: &mut LoadContext<'_>,
    ) -> Result<ContentFile, std::io::Error> {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).await?;
        Ok(ContentFile { bytes })
    }

    /// Policy files live beside the content; they are read too, so that loading the folder
    /// never stalls on them, and the library leaves them aside.
    fn extensions(&self) -> &[&str] {
        &["scenario.ron", "rubric.ron", "modules.ron", "policy.ron"]
    }
}

/// The checked library the screens show.
#[derive(Resource)]
pub struct Content {
    /// Checked scenarios and rubrics, with every finding.
    pub library: Library,
    /// Where it comes from.
    pub source: LibrarySource,
    /// Bumped on every rebuild, so screens can tell that the files changed under them.
    pub generation: u64,
}

impl Content {
    /// Whether the first load has finished.
    pub fn is_loaded(&self) -> bool {
        self.generation > 0
    }
}

/// The program's readiness policy, as given (`--policy FILE` or the bundled one): its contacts
/// fill the scenarios' texts, its rule judges the program view.
#[derive(Resource, Clone)]
pub struct ProgramPolicy(pub SourceText);

impl ProgramPolicy {
    /// The policy checked against `library`, or its located errors.
    pub fn load(&self, library: &Library) -> Result<LoadedPolicy, Vec<Diagnostic>> {
        policy::from_source(&self.0, library)
    }

    /// The policy with what playing needs checked (see [`policy::for_play`]).
    pub fn for_play(&self) -> Result<Policy, Vec<Diagnostic>> {
        policy::for_play(&self.0)
    }

    /// The program's contacts; the defaults when the policy has errors there (the program
    /// view names them).
    pub fn contacts(&self) -> Contacts {
        self.for_play().map(|p| p.contacts).unwrap_or_default()
    }
}

#[derive(Resource)]
struct LibraryFolder(Handle<LoadedFolder>);

/// Loads and watches the library; keeps [`Content`] up to date.
pub struct ContentPlugin {
    /// Where the scenarios come from (its asset source is registered by [`register_source`]).
    pub source: LibrarySource,
    /// The program's policy.
    pub policy: ProgramPolicy,
}

impl Plugin for ContentPlugin {
    fn build(&self, app: &mut App) {
        app.init_asset::<ContentFile>()
            .init_asset_loader::<ContentFileLoader>()
            .insert_resource(Content {
                library: Library::default(),
                source: self.source.clone(),
                generation: 0,
            })
            .insert_resource(self.policy.clone())
            .add_systems(Startup, load_library)
            .add_systems(PreUpdate, rebuild_on_change);
    }
}

fn load_library(mut commands: Commands, server: Res<AssetServer>) {
    let root = AssetPath::from_path(Path::new("")).with_source(SOURCE);
    commands.insert_resource(LibraryFolder(server.load_folder(root)));
}

/// Rebuilds the library when the folder finished loading or any file in it changed.
fn rebuild_on_change(
    mut file_events: MessageReader<AssetEvent<ContentFile>>,
    mut folder_events: MessageReader<AssetEvent<LoadedFolder>>,
    folder: Res<LibraryFolder>,
    folders: Res<Assets<LoadedFolder>>,
    files: Res<Assets<ContentFile>>,
    server: Res<AssetServer>,
    policy: Res<ProgramPolicy>,
    waker: Option<Res<LibraryWaker>>,
    mut content: ResMut<Content>,
) {
    let folder_changed = folder_events.read().any(|event| match event {
        AssetEvent::LoadedWithDependencies { id } | AssetEvent::Modified { id } => {
            *id == folder.0.id()
        }
        _ => false,
    });
    let file_changed = file_events.read().any(|event| {
        matches!(
            event,
            AssetEvent::Modified { .. } | AssetEvent::Removed { .. }
        )
    });
    if !(folder_changed || (file_changed && content.is_loaded())) {
        return;
    }
    let Some(loaded) = folders.get(&folder.0) else {
        return;
    };
    let root = content.source.describe();
    let mut sources = Vec::new();
    let mut unreadable = Vec::new();
    for handle in &loaded.handles {
        let Ok(typed) = handle.clone().try_typed::<ContentFile>() else {
            continue;
        };
        let (Some(file), Some(path)) = (files.get(&typed), server.get_path(typed.id())) else {
            continue;
        };
        let name = format!("{root}/{}", path.path().display());
        let Some(kind) = FileKind::of(path.path()) else {
            continue;
        };
        match source_from_bytes(&name, file.bytes.clone()) {
            Ok(source) => sources.push(SourceFile { kind, source }),
            Err(diagnostic) => unreadable.push(diagnostic),
        }
    }
    // What Bevy's reader passes over (pipes, undecodable names, deep folders, huge files) is listed
    // as `check` lists it.
    if let LibrarySource::Folder(dir) = &content.source {
        let (_, mut passed_over) = find_files(std::slice::from_ref(dir));
        passed_over.retain(|d| {
            matches!(
                d.code,
                Code::NotAFile | Code::BadFileName | Code::FolderTooDeep | Code::FileTooLarge
            )
        });
        unreadable.append(&mut passed_over);
    }
    with_default_modules(&mut sources, Some(crate::bundled::default_modules()));
    let mut library = Library::from_sources(sources, |_, _| None);
    unreadable.append(&mut library.diagnostics);
    library.diagnostics = unreadable;
    library.fill_contacts(&policy.contacts());
    info!(
        "library {}: {} scenario file(s), {} error(s), {} warning(s)",
        root,
        library.scenarios.len(),
        library.error_count(),
        library.warning_count()
    );
    content.library = library;
    content.generation += 1;
    if let Some(waker) = waker {
        waker.settled();
    }
}
