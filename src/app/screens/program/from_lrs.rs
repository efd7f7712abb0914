//! The program view judged from the program's LRS, when the station has a connection: the
//! statements are read on a thread of their own (the first read of a large program takes
//! seconds; later ones ask only for what is new, docs/records.md), then rebuilt, replayed and
//! judged like `mentorsim readiness --lrs`. The view says what was read and lists each attempt
//! that does not count with the reason.

use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, TryRecvError};

use bevy::prelude::*;
use bevy::window::RequestRedraw;
use mentorsim_records::lrs::{Fetched, without_credentials};
use mentorsim_records::store::Store;
use serde_json::Value;

use crate::app::program_sync::ProgramConnection;

/// Where the program view's attempts come from, and the LRS read in progress or done.
#[derive(Resource, Default)]
pub struct LrsReading {
    /// Judge from the LRS rather than this computer's records.
    pub using: bool,
    /// A read under way.
    pending: Option<Mutex<Receiver<Result<Fetched, String>>>>,
    /// The statements of the last read that worked.
    pub statements: Option<Vec<Value>>,
    /// What the last read did, or why it failed.
    pub status: Option<Result<String, String>>,
}

impl LrsReading {
    /// Whether a read is under way.
    pub fn reading(&self) -> bool {
        self.pending.is_some()
    }

    /// Starts reading the statements about `activities`, unless a read is under way.
    pub fn start(&mut self, program: &ProgramConnection, activities: Vec<String>) {
        if self.pending.is_some() {
            return;
        }
        let (send, receive) = mpsc::channel();
        let lrs = program.connection.lrs.clone();
        let data_dir = program.data_dir.clone();
        std::thread::spawn(move || {
            let fetched = match Store::open(&data_dir) {
                Ok(store) => lrs.fetch_kept(&activities, &store),
                Err(_) => lrs.fetch(&activities),
            };
            let _ = send.send(fetched.map_err(|e| e.to_string()));
        });
        self.pending = Some(Mutex::new(receive));
        self.status = Some(Ok(format!(
            "Reading the program's statements from {}…",
            without_credentials(&program.connection.lrs.endpoint)
        )));
    }
}

/// Takes a finished read, keeping frames coming while one is under way.
pub(super) fn receive(
    mut reading: ResMut<LrsReading>,
    program: Option<Res<ProgramConnection>>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let Some(pending) = &reading.pending else {
        return;
    };
    let received = match pending.lock() {
        Ok(receiver) => receiver.try_recv(),
        Err(_) => Err(TryRecvError::Disconnected),
    };
    let endpoint = program
        .map(|p| without_credentials(&p.connection.lrs.endpoint))
        .unwrap_or_default();
    match received {
        Err(TryRecvError::Empty) => {
            redraw.write(RequestRedraw);
        }
        Ok(Ok(fetched)) => {
            reading.pending = None;
            reading.status = Some(Ok(format!(
                "Read {} new statement(s) from {endpoint} in {} request(s); {} in all.",
                fetched.new,
                fetched.requests,
                fetched.statements.len()
            )));
            reading.statements = Some(fetched.statements);
        }
        Ok(Err(why)) => {
            reading.pending = None;
            reading.status = Some(Err(why));
        }
        Err(TryRecvError::Disconnected) => {
            reading.pending = None;
            reading.status = Some(Err("the read stopped without an answer".to_owned()));
        }
    }
}
