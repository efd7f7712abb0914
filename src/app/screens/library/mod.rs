//! The library: the modules and their scenarios with the trainee's standing in each, and the
//! files that cannot be played with their errors. Picking a scenario opens its briefing.

pub mod view;

use std::collections::BTreeMap;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use mentorsim_records::retakes::{NextForm, next_form};
use mentorsim_records::store::{Progress, Which};

use super::Screen;
use super::briefing::OpenBriefing;
use super::sign_in::SignedIn;
use crate::app::content::{Content, ProgramPolicy};
use crate::app::records::{Notice, Records};
use crate::app::ui::theme::Palette;
use crate::app::ui::{ScreenArea, UiSystems, draw_screen};
use view::LibraryView;

/// The signed-in trainee's standing, read when the library opens (not per frame).
#[derive(Resource, Debug, Default)]
pub struct Standing {
    /// Per scenario id.
    pub progress: BTreeMap<String, Progress>,
    /// Per module id, the assessment form to take next under the program's retake rule.
    pub next_forms: BTreeMap<String, NextForm>,
}

/// The library and the trainee's standing.
pub(super) struct LibraryPlugin;

impl Plugin for LibraryPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<Standing>()
            .add_systems(OnEnter(Screen::Library), read_standing)
            .add_systems(
                EguiPrimaryContextPass,
                draw.run_if(in_state(Screen::Library))
                    .in_set(UiSystems::Screen),
            );
    }
}

fn read_standing(
    records: Res<Records>,
    content: Res<Content>,
    policy: Res<ProgramPolicy>,
    signed_in: Option<Res<SignedIn>>,
    mut standing: ResMut<Standing>,
    mut notice: ResMut<Notice>,
) {
    let Some(SignedIn(trainee)) = signed_in.as_deref() else {
        return;
    };
    let store = records.store();
    match store.progress(&trainee.id) {
        Ok(progress) => standing.progress = progress,
        Err(error) => notice.store_failed("Could not read your progress", &error),
    }
    standing.next_forms.clear();
    // A policy with errors offers no form; the program view names its errors.
    let Ok(policy) = policy.for_play() else {
        return;
    };
    match store.summaries(Which::Trainee(&trainee.id)) {
        Ok(history) => {
            let library = &content.library;
            let now = jiff::Timestamp::now();
            standing.next_forms = library
                .modules
                .iter()
                .map(|m| {
                    (
                        m.id.clone(),
                        next_form(&policy, library, &m.id, &history, now),
                    )
                })
                .collect();
        }
        Err(error) => notice.store_failed("Could not read your attempts", &error),
    }
}

fn draw(
    mut contexts: EguiContexts,
    area: Res<ScreenArea>,
    colours: Res<Palette>,
    content: Res<Content>,
    standing: Res<Standing>,
    mut open: MessageWriter<OpenBriefing>,
) -> Result {
    let view = LibraryView::new(
        &content.library,
        &standing.progress,
        &standing.next_forms,
        content.source.is_watched(),
        content.source.describe(),
    );
    if let Some(picked) = draw_screen(&mut contexts, &area, |ui| view::show(ui, &view, &colours))? {
        open.write(picked);
    }
    Ok(())
}
