//! How the window draws, for every screen: the camera, the theme, the order of a frame's parts
//! (the chrome claims its space, then the current screen fills what is left), and the widgets
//! the screens share. Nothing here knows which screens there are; each screen draws itself
//! (see `screens`) with [`draw_screen`].

pub mod face;
pub mod graph_canvas;
pub mod settings;
pub mod theme;
pub mod top_bar;
pub mod widgets;

use bevy::asset::AssetEventSystems;
use bevy::prelude::*;
use bevy_egui::egui;
use bevy_egui::{EguiContexts, EguiPostUpdateSet, EguiPrimaryContextPass};

use super::LaunchedAt;
use super::settings::Settings;
use theme::Palette;

/// The parts of a frame, drawn in this order.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UiSystems {
    /// What surrounds every screen (top bar, notices, windows).
    Chrome,
    /// The current screen, in the space the chrome left.
    Screen,
}

/// The space the chrome left for the screen this frame.
#[derive(Resource, Debug, Clone, Copy)]
pub struct ScreenArea(pub egui::Rect);

/// Camera, theme and the frame's order.
pub struct UiPlugin;

impl Plugin for UiPlugin {
    fn build(&self, app: &mut App) {
        app.insert_resource(ScreenArea(egui::Rect::ZERO))
            .insert_resource(theme::palette(false))
            // bevy_egui writes new glyphs into the font texture with no order against the
            // asset events; written after them, the texture's change reached the GPU only with
            // the next change, so a line's new letters stayed blank until then.
            .configure_sets(
                PostUpdate,
                EguiPostUpdateSet::PostProcessOutput.before(AssetEventSystems),
            )
            .configure_sets(
                EguiPrimaryContextPass,
                (UiSystems::Chrome, UiSystems::Screen).chain(),
            )
            .add_systems(Startup, spawn_camera)
            .add_systems(Update, drop_unchanged_modifiers)
            .add_systems(
                EguiPrimaryContextPass,
                (report_first_frame, apply_theme).before(UiSystems::Chrome),
            );
    }
}

fn spawn_camera(mut commands: Commands) {
    // egui smooths its own edges: multisampling would only add a 4x colour buffer and a
    // resolve to every frame (the largest allocation under software rendering).
    commands.spawn((Camera2d, Msaa::Off));
}

/// bevy_egui 0.42 reports the keyboard modifiers as a new event every frame; egui answers any
/// event with an immediate repaint, so the reactive window would redraw forever (150 % CPU
/// idle under Xvfb). Only real changes are passed on.
fn drop_unchanged_modifiers(
    mut inputs: Query<&mut bevy_egui::EguiInput>,
    mut last: Local<Option<egui::Modifiers>>,
) {
    for mut input in &mut inputs {
        input.0.events.retain(|event| match event {
            egui::Event::ModifiersChanged(now) if *last == Some(*now) => false,
            egui::Event::ModifiersChanged(now) => {
                *last = Some(*now);
                true
            }
            _ => true,
        });
    }
}

fn report_first_frame(mut contexts: EguiContexts, launched: Option<Res<LaunchedAt>>) -> Result {
    let Some(launched) = launched else {
        return Ok(());
    };
    if contexts.ctx_mut()?.cumulative_frame_nr() == 0 {
        info!(
            "first frame drawn {} ms after launch",
            launched.0.elapsed().as_millis()
        );
    }
    Ok(())
}

/// Text size, contrast and motion follow the settings as soon as they change.
fn apply_theme(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    mut palette: ResMut<Palette>,
    mut applied: Local<Option<Settings>>,
) -> Result {
    if applied.as_ref() != Some(&*settings) {
        theme::apply(contexts.ctx_mut()?, &settings);
        *palette = theme::palette(settings.high_contrast);
        *applied = Some(settings.clone());
    }
    Ok(())
}

/// Draws a screen into the space the chrome left, with the screens' margins.
pub fn draw_screen<R>(
    contexts: &mut EguiContexts,
    area: &ScreenArea,
    add: impl FnOnce(&mut egui::Ui) -> R,
) -> Result<R> {
    let ctx = contexts.ctx_mut()?.clone();
    let mut root = egui::Ui::new(
        ctx.clone(),
        "screen".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(area.0),
    );
    Ok(egui::CentralPanel::default()
        .frame(
            egui::Frame::central_panel(&ctx.global_style())
                .inner_margin(egui::Margin::symmetric(24, 12)),
        )
        .show(&mut root, add)
        .inner)
}
