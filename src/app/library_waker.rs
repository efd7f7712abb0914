//! Saved edits show at once: the window's loop sleeps until input (or a timeout of seconds,
//! up to a minute when unfocused), and a trainer saving a file in their editor is not input to
//! the window. The library folder's watcher therefore wakes the loop itself, and the loop keeps
//! turning for a moment after, while the changed file is read and the library rebuilt; the rest
//! of the time it sleeps and idles at no CPU.

use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use bevy::asset::io::{AssetSource, AssetSourceEvent, AssetWatcher};
use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy::winit::{EventLoopProxyWrapper, WinitUserEvent};

/// How long the watcher waits for a burst of writes (an editor's save) to settle.
const SETTLE: Duration = Duration::from_millis(100);
/// How long the loop keeps turning after a change, at most.
const KEEP_AWAKE: Duration = Duration::from_secs(2);

/// Shared between the watcher's thread and the app.
#[derive(Resource, Clone, Default)]
pub struct LibraryWaker {
    /// Wakes the event loop; set once the window's loop exists.
    wake: Arc<OnceLock<Box<dyn Fn() + Send + Sync>>>,
    /// Until when the loop keeps turning after the latest change.
    awake_until: Arc<Mutex<Option<Instant>>>,
}

impl LibraryWaker {
    /// The folder's watcher, forwarding its events to the asset server and waking the loop.
    pub fn watcher(
        &self,
        folder: String,
    ) -> impl FnMut(async_channel::Sender<AssetSourceEvent>) -> Option<Box<dyn AssetWatcher>>
    + Send
    + Sync
    + 'static {
        let waker = self.clone();
        move |to_assets: async_channel::Sender<AssetSourceEvent>| {
            let (to_us, from_watcher) = async_channel::unbounded();
            let watcher = AssetSource::get_default_watcher(folder.clone(), SETTLE)(to_us)?;
            let waker = waker.clone();
            std::thread::Builder::new()
                .name("library-watch".to_owned())
                .spawn(move || {
                    while let Ok(event) = bevy::tasks::block_on(from_watcher.recv()) {
                        if to_assets.try_send(event).is_err() {
                            break;
                        }
                        waker.changed();
                    }
                })
                .ok()?;
            Some(watcher)
        }
    }

    fn changed(&self) {
        if let Ok(mut until) = self.awake_until.lock() {
            *until = Some(Instant::now() + KEEP_AWAKE);
        }
        if let Some(wake) = self.wake.get() {
            wake();
        }
    }

    /// The library was rebuilt: the loop may sleep again.
    pub fn settled(&self) {
        if let Ok(mut until) = self.awake_until.lock() {
            *until = None;
        }
    }

    fn keeps_awake(&self) -> bool {
        self.awake_until
            .lock()
            .is_ok_and(|until| until.is_some_and(|t| Instant::now() < t))
    }
}

/// Connects the waker to the window's event loop (absent in headless runs).
pub fn connect(waker: Option<Res<LibraryWaker>>, proxy: Option<Res<EventLoopProxyWrapper>>) {
    let (Some(waker), Some(proxy)) = (waker, proxy) else {
        return;
    };
    let proxy = Mutex::new((**proxy).clone());
    let _ = waker.wake.set(Box::new(move || {
        if let Ok(proxy) = proxy.lock() {
            let _ = proxy.send_event(WinitUserEvent::WakeUp);
        }
    }));
}

/// Keeps frames coming while a change is being read and checked.
pub fn keep_awake(waker: Option<Res<LibraryWaker>>, mut redraw: MessageWriter<RequestRedraw>) {
    if waker.is_some_and(|w| w.keeps_awake()) {
        redraw.write(RequestRedraw);
    }
}
