//! The records database in the app, and the one place its failures reach the trainee.
//!
//! A write that fails never stops the conversation (the trainee is mid-thought); it is shown as
//! a notice, and the attempt's seed and actions still replay to the same result.

use std::sync::{Mutex, MutexGuard};

use bevy::prelude::*;
use mentorsim_records::store::{Store, StoreError};

/// The open records database.
#[derive(Resource)]
pub struct Records(Mutex<Store>);

impl Records {
    /// Wraps an opened store.
    pub fn new(store: Store) -> Self {
        Records(Mutex::new(store))
    }

    /// The store. A panic while it was held cannot leave SQLite half-written (each write is
    /// one transaction), so a poisoned lock is safe to take over.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Something the trainee should know that is not part of the conversation (a failed save, a
/// scenario that changed under a saved attempt). Shown in a banner until dismissed.
#[derive(Resource, Default, Debug)]
pub struct Notice(pub Option<String>);

impl Notice {
    /// Shows a records failure, and logs it for the program's support.
    pub fn store_failed(&mut self, what: &str, error: &StoreError) {
        error!("{what}: {error}");
        self.0 = Some(format!("{what}: {error}"));
    }
}
