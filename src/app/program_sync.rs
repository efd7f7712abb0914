//! A station's attempts streamed to its program's LRS while the app runs (docs/records.md, "A
//! station's connection"). The sync thread wakes the window's loop when where things stand
//! changes, so the top bar's status is current without the loop polling.

use std::path::PathBuf;
use std::sync::Mutex;

use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy::winit::{EventLoopProxyWrapper, WinitUserEvent};
use mentorsim_records::connection::Connection;
use mentorsim_records::policy::Program;
use mentorsim_records::sync::{SyncState, Syncer};

/// Sends to the program's LRS, when the station has a connection.
pub struct ProgramSyncPlugin {
    /// The station's connection and the program its statements are named under; without one
    /// nothing is sent.
    pub sync: Option<(Connection, Program)>,
    /// The records folder.
    pub data_dir: PathBuf,
}

/// The station's connection, for the program view to read the LRS with.
#[derive(Resource, Clone)]
pub struct ProgramConnection {
    /// The connection.
    pub connection: Connection,
    /// The records folder, which keeps what was read.
    pub data_dir: PathBuf,
}

/// The running syncer, and the state last shown.
#[derive(Resource)]
pub struct ProgramSync {
    syncer: Syncer,
    shown: SyncState,
}

impl ProgramSync {
    /// Asks for what was just committed to be sent.
    pub fn nudge(&self) {
        self.syncer.nudge();
    }

    /// The status for the top bar: a short line and its longer explanation.
    pub fn status(&self) -> (String, String) {
        let state = &self.shown;
        let short = match (&state.failing, state.waiting) {
            _ if !state.tried => "Program LRS: connecting".to_owned(),
            (Some(_), waiting) => format!("Program LRS: not sending ({waiting} waiting)"),
            (None, 0) => "Program LRS: all sent".to_owned(),
            (None, waiting) => format!("Program LRS: {waiting} waiting"),
        };
        let long = format!(
            "{}. Every choice is saved on this computer first: nothing waiting is lost, and it goes as soon as the LRS answers.",
            state.describe(self.syncer.endpoint())
        );
        (short, long)
    }
}

impl Plugin for ProgramSyncPlugin {
    fn build(&self, app: &mut App) {
        let Some((connection, program)) = &self.sync else {
            return;
        };
        // The loop's proxy exists once the window plugin is built; the thread reaches it
        // through this slot.
        let proxy: Wake = Default::default();
        let wake = std::sync::Arc::clone(&proxy);
        let syncer = Syncer::spawn(
            self.data_dir.clone(),
            connection,
            program.clone(),
            move || {
                if let Ok(wake) = wake.lock()
                    && let Some(wake) = wake.as_ref()
                {
                    wake();
                }
            },
        );
        syncer.nudge();
        app.add_message::<RequestRedraw>()
            .insert_resource(ProgramSync {
                shown: syncer.state(),
                syncer,
            })
            .insert_resource(ProxySlot(proxy))
            .insert_resource(ProgramConnection {
                connection: connection.clone(),
                data_dir: self.data_dir.clone(),
            })
            .add_systems(Startup, connect_proxy)
            .add_systems(Update, show_changes);
    }
}

/// Wakes the window's loop, once it exists.
type Wake = std::sync::Arc<Mutex<Option<Box<dyn Fn() + Send + Sync>>>>;

#[derive(Resource)]
struct ProxySlot(Wake);

fn connect_proxy(slot: Res<ProxySlot>, proxy: Option<Res<EventLoopProxyWrapper>>) {
    if let (Some(proxy), Ok(mut slot)) = (proxy, slot.0.lock()) {
        let proxy = Mutex::new((**proxy).clone());
        *slot = Some(Box::new(move || {
            if let Ok(proxy) = proxy.lock() {
                let _ = proxy.send_event(WinitUserEvent::WakeUp);
            }
        }));
    }
}

/// Redraws when the sync thread has news.
fn show_changes(mut sync: ResMut<ProgramSync>, mut redraw: MessageWriter<RequestRedraw>) {
    let now = sync.syncer.state();
    if now != sync.shown {
        sync.shown = now;
        redraw.write(RequestRedraw);
    }
}
