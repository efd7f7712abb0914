//! Before the library's first load: a line saying so, and on to sign-in once it is there.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::{Act, Screen};
use crate::app::content::Content;
use crate::app::ui::{ScreenArea, UiSystems, draw_screen};

/// Waits for the library.
pub(super) struct LoadingPlugin;

impl Plugin for LoadingPlugin {
    fn build(&self, app: &mut App) {
        app.add_systems(
            Update,
            leave_loading
                .run_if(in_state(Screen::Loading))
                .in_set(Act::Within),
        )
        .add_systems(
            EguiPrimaryContextPass,
            draw.run_if(in_state(Screen::Loading))
                .in_set(UiSystems::Screen),
        );
    }
}

fn leave_loading(content: Res<Content>, mut next: ResMut<NextState<Screen>>) {
    if content.is_loaded() {
        next.set(Screen::SignIn);
    }
}

fn draw(mut contexts: EguiContexts, area: Res<ScreenArea>) -> Result {
    draw_screen(&mut contexts, &area, |ui| {
        ui.centered_and_justified(|ui| ui.label("Loading the scenario library..."));
    })
}
