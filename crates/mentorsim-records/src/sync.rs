//! Keeping the program's LRS up to date from a station, in the background.
//!
//! A [`Syncer`] owns a thread with its own connection to the station's records. It drains the
//! records' queue ([`Lrs::drain`]) when nudged (after each committed step), after a pause that
//! doubles with each failure (1 s up to [`LONGEST_PAUSE`]) while the LRS cannot be reached, and
//! every [`LONGEST_PAUSE`] otherwise in case another process played on this station. Play never
//! waits for it: a step is safe once it is in the records, sent or not.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::connection::Connection;
use crate::lrs::LrsError;
use crate::policy::Program;
use crate::store::Store;
use mentorsim_script::library::Library;

/// The longest pause between tries while the LRS cannot be reached, and between drains when
/// nothing nudges.
pub const LONGEST_PAUSE: Duration = Duration::from_secs(60);

/// Where a station's records stand with the program's LRS.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncState {
    /// Statements the LRS has not acknowledged yet.
    pub waiting: usize,
    /// Why the last try failed (the LRS's reason where it gave one); `None` when it worked.
    pub failing: Option<String>,
    /// Whether the thread has tried at least once.
    pub tried: bool,
}

impl SyncState {
    /// One line for people: "all sent", "N waiting" or why sending fails.
    pub fn describe(&self, endpoint: &str) -> String {
        match (&self.failing, self.waiting) {
            (_, _) if !self.tried => format!("connecting to {endpoint}"),
            (Some(why), waiting) => {
                format!("{waiting} statement(s) waiting: {why}; trying again shortly")
            }
            (None, 0) => format!("all sent to {endpoint}"),
            (None, waiting) => format!("{waiting} statement(s) waiting to send to {endpoint}"),
        }
    }
}

/// What the thread is asked to do.
enum Signal {
    /// Something was committed: send it.
    Nudge,
    /// Try once more, then stop.
    Finish,
}

/// The background sender of one station's records.
pub struct Syncer {
    signals: Sender<Signal>,
    state: Arc<Mutex<SyncState>>,
    /// Hears once the thread has stopped (behind a lock so a window can share the syncer).
    done: Mutex<Receiver<()>>,
    endpoint: String,
}

impl Syncer {
    /// Starts sending the records in `data_dir` to the connection's LRS, with statements named
    /// under `program`. `changed` is called (on the sync thread) whenever the state changes,
    /// so a window can redraw.
    pub fn spawn(
        data_dir: PathBuf,
        connection: &Connection,
        program: Program,
        changed: impl Fn() + Send + 'static,
    ) -> Syncer {
        let (signals, inbox) = mpsc::channel();
        let (finished, done) = mpsc::channel();
        let state = Arc::new(Mutex::new(SyncState::default()));
        let shared = Arc::clone(&state);
        let lrs = connection.lrs.clone();
        std::thread::spawn(move || {
            let update = |next: SyncState| {
                let mut current = shared.lock().unwrap_or_else(|p| p.into_inner());
                if *current != next {
                    *current = next;
                    drop(current);
                    changed();
                }
            };
            let library = Library::default();
            let mut failures: u32 = 0;
            let mut finishing = false;
            loop {
                let next = match Store::open(&data_dir) {
                    Ok(store) => {
                        let outcome = lrs.drain(&store, &library, &program);
                        let waiting = store
                            .waiting(&lrs.endpoint)
                            .map(|w| w.iter().map(|a| a.available - a.sent).sum())
                            .unwrap_or(0);
                        let failing = match outcome {
                            Ok(drained) => drained
                                .refused
                                .first()
                                .map(|(_, why)| format!("the LRS refused an attempt ({why})"))
                                .or_else(|| {
                                    drained.unreadable.first().map(|(attempt, why)| {
                                        format!("attempt {attempt} cannot be sent: {why}")
                                    })
                                }),
                            Err(error) => Some(short_reason(&error)),
                        };
                        SyncState {
                            waiting,
                            failing,
                            tried: true,
                        }
                    }
                    Err(error) => SyncState {
                        waiting: 0,
                        failing: Some(format!("the records cannot be opened: {error}")),
                        tried: true,
                    },
                };
                failures = if next.failing.is_some() {
                    failures + 1
                } else {
                    0
                };
                update(next);
                if finishing {
                    break;
                }
                let pause = match failures {
                    0 => LONGEST_PAUSE,
                    n => Duration::from_secs(1 << (n - 1).min(6)).min(LONGEST_PAUSE),
                };
                let until = Instant::now() + pause;
                // While failing, nudges wait for the pause; otherwise one sends at once.
                loop {
                    let left = until.saturating_duration_since(Instant::now());
                    match inbox.recv_timeout(left) {
                        Ok(Signal::Nudge) if failures == 0 => break,
                        Ok(Signal::Nudge) => continue,
                        Ok(Signal::Finish) => {
                            finishing = true;
                            break;
                        }
                        Err(RecvTimeoutError::Timeout) => break,
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
            }
            let _ = finished.send(());
        });
        Syncer {
            signals,
            state,
            done: Mutex::new(done),
            endpoint: crate::lrs::without_credentials(&connection.lrs.endpoint),
        }
    }

    /// Asks for what was just committed to be sent.
    pub fn nudge(&self) {
        let _ = self.signals.send(Signal::Nudge);
    }

    /// The state now.
    pub fn state(&self) -> SyncState {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The endpoint it sends to, without credentials.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Tries once more to send everything and waits for it up to `within`; what is still
    /// waiting then goes the next time this station syncs.
    pub fn finish(self, within: Duration) -> SyncState {
        let _ = self.signals.send(Signal::Finish);
        if let Ok(done) = self.done.lock() {
            let _ = done.recv_timeout(within);
        }
        self.state()
    }
}

/// The failure in a few words, for a status line.
fn short_reason(error: &LrsError) -> String {
    match error {
        LrsError::Unreachable { last, .. } | LrsError::Unreadable { last, .. } => {
            format!("the LRS cannot be reached ({last})")
        }
        LrsError::Credentials { status, .. } => {
            format!("the LRS refused this station's credentials (HTTP {status})")
        }
        other => other.to_string(),
    }
}
