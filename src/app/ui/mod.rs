//! The window: one egui pass per frame draws the top bar, any notice, and the current screen.
//! Each screen is a function from what it shows to what the trainee did ([`UiAction`]), so it
//! can be tested without a GPU; this module only gathers the data and forwards the action.

pub mod briefing;
pub mod conversation;
pub mod debrief;
pub mod graph_canvas;
pub mod library;
pub mod program;
pub mod settings;
pub mod sign_in;
pub mod theme;
pub mod trainer;
pub mod widgets;

use bevy::asset::AssetEventSystems;
use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy_egui::egui::{self, RichText};
use bevy_egui::{EguiContexts, EguiPostUpdateSet, EguiPrimaryContextPass};

use super::content::Content;
use super::flow::{Briefing, Debrief, Play, Profiles, Screen, SignedIn, Standing, UiAction};
use super::program::ProgramView;
use super::records::Notice;
use super::settings::{Settings, SettingsOpen};
use super::trainer::{TrainerSelection, TrainerView};
use theme::Palette;

/// Draws every screen.
pub struct UiPlugin;

impl Plugin for UiPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<Drafts>()
            // bevy_egui writes new glyphs into the font texture with no order against the
            // asset events; written after them, the texture's change reached the GPU only with
            // the next change, so a line's new letters stayed blank until then.
            .configure_sets(
                PostUpdate,
                EguiPostUpdateSet::PostProcessOutput.before(AssetEventSystems),
            )
            .add_systems(Startup, spawn_camera)
            .add_systems(Update, drop_unchanged_modifiers)
            .add_systems(EguiPrimaryContextPass, draw);
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

/// Text being typed, kept between frames.
#[derive(Resource, Default)]
struct Drafts {
    profile: sign_in::NewProfile,
    reflection: String,
    /// The attempt `reflection` belongs to.
    reflection_for: Option<String>,
    /// The part of the trainer's graph in view.
    graph_scene: GraphScene,
    /// The trainer's "play from here" values.
    rehearsal: trainer::RehearsalDraft,
}

/// The part of a scenario's graph in view (`Rect::ZERO`: the opening at full size).
struct GraphScene {
    scenario: Option<String>,
    /// The selected node last brought into view.
    node: Option<String>,
    rect: egui::Rect,
}

impl Default for GraphScene {
    fn default() -> Self {
        GraphScene {
            scenario: None,
            node: None,
            rect: egui::Rect::ZERO,
        }
    }
}

#[derive(SystemParam)]
struct Screens<'w> {
    screen: Res<'w, State<Screen>>,
    content: Res<'w, Content>,
    profiles: Res<'w, Profiles>,
    standing: Res<'w, Standing>,
    signed_in: Option<Res<'w, SignedIn>>,
    briefing: Option<Res<'w, Briefing>>,
    play: Option<Res<'w, Play>>,
    debrief: Option<Res<'w, Debrief>>,
    program: Res<'w, ProgramView>,
    trainer_view: Res<'w, TrainerView>,
    trainer_selection: Res<'w, TrainerSelection>,
    drafts: ResMut<'w, Drafts>,
    notice: ResMut<'w, Notice>,
    settings: ResMut<'w, Settings>,
    settings_open: ResMut<'w, SettingsOpen>,
}

fn draw(
    mut contexts: EguiContexts,
    mut screens: Screens,
    mut actions: MessageWriter<UiAction>,
    mut applied: Local<Option<Settings>>,
    launched: Option<Res<super::LaunchedAt>>,
) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    if let Some(launched) = launched.filter(|_| ctx.cumulative_frame_nr() == 0) {
        info!(
            "first frame drawn {} ms after launch",
            launched.0.elapsed().as_millis()
        );
    }
    if applied.as_ref() != Some(&*screens.settings) {
        theme::apply(&ctx, &screens.settings);
        *applied = Some(screens.settings.clone());
    }
    let colours = theme::palette(screens.settings.high_contrast);
    let mut root = egui::Ui::new(
        ctx.clone(),
        "root".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.content_rect()),
    );
    let mut action = top_bar(&mut root, &mut screens, &colours);
    egui::CentralPanel::default()
        .frame(
            egui::Frame::central_panel(&ctx.global_style())
                .inner_margin(egui::Margin::symmetric(24, 12)),
        )
        .show(&mut root, |ui| {
            if let Some(picked) = current_screen(ui, &mut screens, &colours) {
                action = Some(picked);
            }
        });
    if screens.settings_open.0 {
        let mut open = true;
        egui::Window::new("Settings")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .show(&ctx, |ui| settings::show(ui, &mut screens.settings));
        screens.settings_open.0 = open;
    }
    if let Some(action) = action {
        actions.write(action);
    }
    Ok(())
}

fn top_bar(root: &mut egui::Ui, screens: &mut Screens, colours: &Palette) -> Option<UiAction> {
    let mut action = None;
    egui::Panel::top("top_bar").show(root, |ui| {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.label(
                RichText::new("mentorsim")
                    .size(20.0)
                    .strong()
                    .color(colours.accent),
            );
            let signed_in = screens.signed_in.as_ref().map(|s| s.0.clone());
            let screen = *screens.screen.get();
            let rehearsal = screens
                .debrief
                .as_ref()
                .is_some_and(|d| d.attempt.is_none());
            if signed_in.is_some()
                && (screen == Screen::Briefing || screen == Screen::Debrief && !rehearsal)
                && ui.button("Library").clicked()
            {
                action = Some(UiAction::BackToLibrary);
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Settings").clicked() {
                    screens.settings_open.0 = !screens.settings_open.0;
                }
                match screen {
                    Screen::SignIn | Screen::Library => {
                        if ui.button("Program").clicked() {
                            action = Some(UiAction::OpenProgram);
                        }
                        if ui.button("Trainer mode").clicked() {
                            action = Some(UiAction::OpenTrainer);
                        }
                    }
                    Screen::Trainer if ui.button("Close trainer mode").clicked() => {
                        action = Some(UiAction::CloseTrainer);
                    }
                    Screen::Program if ui.button("Close program view").clicked() => {
                        action = Some(UiAction::CloseProgram);
                    }
                    _ => {}
                }
                if let Some(trainee) = &signed_in {
                    if *screens.screen.get() != Screen::Conversation
                        && ui.button("Switch profile").clicked()
                    {
                        action = Some(UiAction::SwitchProfile);
                    }
                    ui.label(RichText::new(&trainee.name).strong());
                }
            });
        });
        ui.add_space(4.0);
        if let Some(text) = screens.notice.0.clone() {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(text).color(colours.bad));
                if ui.small_button("Dismiss").clicked() {
                    screens.notice.0 = None;
                }
            });
            ui.add_space(4.0);
        }
    });
    action
}

fn current_screen(ui: &mut egui::Ui, screens: &mut Screens, colours: &Palette) -> Option<UiAction> {
    match screens.screen.get() {
        Screen::Loading => {
            ui.centered_and_justified(|ui| ui.label("Loading the scenario library..."));
            None
        }
        Screen::SignIn => sign_in::show(
            ui,
            &screens.profiles.0,
            &mut screens.drafts.profile,
            colours,
        ),
        Screen::Library => {
            let view = library::LibraryView::new(
                &screens.content.library,
                &screens.standing.0,
                screens.content.source.is_watched(),
                screens.content.source.describe(),
            );
            library::show(ui, &view, colours)
        }
        Screen::Briefing => {
            let briefing = screens.briefing.as_ref()?;
            briefing::show(
                ui,
                &briefing.scenario,
                briefing.open_attempt.is_some(),
                colours,
            )
        }
        Screen::Conversation => {
            let play = screens.play.as_ref()?;
            let view = conversation::ConversationView {
                scenario: play.session().scenario(),
                mode: play.session().mode(),
                transcript: play.session().transcript(),
                current: play.session().current(),
                feedback: play.feedback.as_ref(),
                decisions: play.session().decisions_made(),
                rehearsal: play
                    .session()
                    .rehearsal()
                    .map(|from| format!("Started {}.", from.describe(play.session().scenario()))),
            };
            conversation::show(ui, &view, colours)
        }
        Screen::Program => program::show(ui, &screens.program, colours),
        Screen::Trainer => {
            let drafts = &mut *screens.drafts;
            let scene = &mut drafts.graph_scene;
            if scene.scenario != screens.trainer_selection.scenario {
                // Another scenario: fit its whole graph into view again.
                *scene = GraphScene {
                    scenario: screens.trainer_selection.scenario.clone(),
                    ..GraphScene::default()
                };
            }
            // A node picked elsewhere (a table row, an error) is brought into view once.
            let focus = scene.node != screens.trainer_selection.node;
            scene.node.clone_from(&screens.trainer_selection.node);
            let view = trainer::TrainerScreen {
                library: &screens.content.library,
                view: &screens.trainer_view,
                selection: &screens.trainer_selection,
                source: screens.content.source.describe(),
                watched: screens.content.source.is_watched(),
            };
            trainer::show(
                ui,
                &view,
                &mut scene.rect,
                focus,
                &mut drafts.rehearsal,
                colours,
            )
        }
        Screen::Debrief => {
            let debrief = screens.debrief.as_ref()?;
            let drafts = &mut *screens.drafts;
            if drafts.reflection_for != debrief.attempt {
                drafts.reflection_for = debrief.attempt.clone();
                drafts.reflection = debrief.reflection.clone();
            }
            debrief::show(
                ui,
                &debrief.scenario,
                &debrief.result,
                &mut drafts.reflection,
                &debrief.reflection,
                colours,
            )
        }
    }
}
