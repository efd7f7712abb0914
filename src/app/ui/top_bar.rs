//! The bar over every screen: the app's name, the way back to the library, the tools, the
//! settings and who is signed in, with any notice beneath it. It shows what it is given and
//! reports what was clicked; the screens decide what that means.

use bevy_egui::egui::{self, RichText, Ui};

use super::theme::Palette;

/// What the bar offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TopBar<'a> {
    /// The signed-in trainee's name.
    pub trainee: Option<&'a str>,
    /// Whether "Library" leads back from here.
    pub library: bool,
    /// The tools' buttons.
    pub tools: Tools,
    /// Whether the profile can be switched here (not mid-conversation).
    pub switch_profile: bool,
    /// Something the trainee should know, until dismissed.
    pub notice: Option<&'a str>,
    /// Where the records stand with the program's LRS, when the station has one: a short
    /// line and, on hover, its explanation.
    pub sync: Option<(&'a str, &'a str)>,
}

/// Which buttons of the coordinators' and trainers' tools the bar shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tools {
    /// None here.
    Hidden,
    /// "Program" and "Trainer mode".
    Open,
    /// "Close program view".
    CloseProgram,
    /// "Close trainer mode".
    CloseTrainer,
}

/// What was clicked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopBarAction {
    /// "Library".
    Library,
    /// "Settings": open or close the settings window.
    ToggleSettings,
    /// "Program".
    OpenProgram,
    /// "Trainer mode".
    OpenTrainer,
    /// "Close program view" or "Close trainer mode".
    CloseTool,
    /// "Switch profile".
    SwitchProfile,
    /// "Dismiss" on the notice.
    DismissNotice,
}

/// Draws the bar at the top of `root`.
pub fn show(root: &mut Ui, bar: &TopBar, colours: &Palette) -> Option<TopBarAction> {
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
            if bar.library && ui.button("Library").clicked() {
                action = Some(TopBarAction::Library);
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Settings").clicked() {
                    action = Some(TopBarAction::ToggleSettings);
                }
                if let Some((short, long)) = bar.sync {
                    ui.label(RichText::new(short).small().color(colours.muted))
                        .on_hover_text(long);
                }
                match bar.tools {
                    Tools::Open => {
                        if ui.button("Program").clicked() {
                            action = Some(TopBarAction::OpenProgram);
                        }
                        if ui.button("Trainer mode").clicked() {
                            action = Some(TopBarAction::OpenTrainer);
                        }
                    }
                    Tools::CloseTrainer if ui.button("Close trainer mode").clicked() => {
                        action = Some(TopBarAction::CloseTool);
                    }
                    Tools::CloseProgram if ui.button("Close program view").clicked() => {
                        action = Some(TopBarAction::CloseTool);
                    }
                    _ => {}
                }
                if let Some(trainee) = bar.trainee {
                    if bar.switch_profile && ui.button("Switch profile").clicked() {
                        action = Some(TopBarAction::SwitchProfile);
                    }
                    ui.label(RichText::new(trainee).strong());
                }
            });
        });
        ui.add_space(4.0);
        if let Some(text) = bar.notice {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(text).color(colours.bad));
                if ui.small_button("Dismiss").clicked() {
                    action = Some(TopBarAction::DismissNotice);
                }
            });
            ui.add_space(4.0);
        }
    });
    action
}
