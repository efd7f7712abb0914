//! What surrounds every screen: the top bar (whose buttons lead between screens), the notice
//! beneath it, and the settings window. It claims its space first; the screen gets the rest.

use bevy::prelude::*;
use bevy_egui::egui;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::debrief::Debrief;
use super::sign_in::SignedIn;
use super::{Navigate, Screen};
use crate::app::program_sync::ProgramSync;
use crate::app::records::Notice;
use crate::app::settings::{Settings, SettingsOpen};
use crate::app::ui::theme::Palette;
use crate::app::ui::top_bar::{self, Tools, TopBar, TopBarAction};
use crate::app::ui::{ScreenArea, UiSystems, settings};
use crate::app::voice::Speech;

/// The top bar, notices and settings window.
pub(super) struct ChromePlugin;

impl Plugin for ChromePlugin {
    fn build(&self, app: &mut App) {
        app.add_systems(EguiPrimaryContextPass, draw.in_set(UiSystems::Chrome));
    }
}

fn draw(
    mut contexts: EguiContexts,
    screen: Res<State<Screen>>,
    signed_in: Option<Res<SignedIn>>,
    debrief: Option<Res<Debrief>>,
    colours: Res<Palette>,
    mut notice: ResMut<Notice>,
    mut settings: ResMut<Settings>,
    mut settings_open: ResMut<SettingsOpen>,
    mut area: ResMut<ScreenArea>,
    mut navigate: MessageWriter<Navigate>,
    sync: Option<Res<ProgramSync>>,
    speech: Option<Res<Speech>>,
) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    let screen = *screen.get();
    let signed_in = signed_in.as_deref().map(|s| s.0.name.as_str());
    let rehearsal = debrief.is_some_and(|d| d.attempt.is_none());
    let sync_status = sync.as_deref().map(ProgramSync::status);
    let bar = TopBar {
        trainee: signed_in,
        library: signed_in.is_some()
            && (screen == Screen::Briefing || screen == Screen::Debrief && !rehearsal),
        tools: match screen {
            Screen::SignIn | Screen::Library => Tools::Open,
            Screen::Program => Tools::CloseProgram,
            Screen::Trainer => Tools::CloseTrainer,
            _ => Tools::Hidden,
        },
        switch_profile: screen != Screen::Conversation,
        notice: notice.0.as_deref(),
        sync: sync_status
            .as_ref()
            .map(|(short, long)| (short.as_str(), long.as_str())),
    };
    let mut root = egui::Ui::new(
        ctx.clone(),
        "chrome".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.content_rect()),
    );
    let clicked = top_bar::show(&mut root, &bar, &colours);
    area.0 = root.available_rect_before_wrap();
    let destination = match clicked {
        Some(TopBarAction::Library) => Some(Screen::Library),
        Some(TopBarAction::OpenProgram) => Some(Screen::Program),
        Some(TopBarAction::OpenTrainer) => Some(Screen::Trainer),
        // Back from a tool to where a trainee would be: the library, once signed in.
        Some(TopBarAction::CloseTool) => Some(Screen::Library),
        Some(TopBarAction::SwitchProfile) => Some(Screen::SignIn),
        Some(TopBarAction::ToggleSettings) => {
            settings_open.0 = !settings_open.0;
            None
        }
        Some(TopBarAction::DismissNotice) => {
            notice.0 = None;
            None
        }
        None => None,
    };
    if let Some(screen) = destination {
        navigate.write(Navigate(screen));
    }
    if settings_open.0 {
        let mut open = true;
        egui::Window::new("Settings")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .show(&ctx, |ui| {
                settings::show(
                    ui,
                    &mut settings,
                    speech.as_ref().is_some_and(|s| s.available),
                )
            });
        settings_open.0 = open;
    }
    Ok(())
}
