//! Sign in: pick a profile on this computer, or make one. Entering the screen signs the last
//! trainee out.

pub mod view;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use mentorsim_records::store::{Trainee, new_trainee_id};

use super::{Act, Screen, first_only};
use crate::app::records::{Notice, Records};
use crate::app::ui::theme::Palette;
use crate::app::ui::{ScreenArea, UiSystems, draw_screen};
use view::NewProfile;

/// What the trainee did on the sign-in screen.
#[derive(Message, Debug, Clone, PartialEq)]
pub enum SignInAction {
    /// Continue as this existing trainee.
    AsTrainee(String),
    /// Create a profile and continue as it; an empty id is generated.
    CreateProfile {
        /// Display name.
        name: String,
        /// Program id, or empty.
        id: String,
    },
}

/// The signed-in trainee.
#[derive(Resource, Debug, Clone)]
pub struct SignedIn(pub Trainee);

/// The profiles on this computer, read when the sign-in screen opens.
#[derive(Resource, Debug, Default)]
pub struct Profiles(pub Vec<Trainee>);

/// Profiles and signing in.
pub(super) struct SignInPlugin;

impl Plugin for SignInPlugin {
    fn build(&self, app: &mut App) {
        app.add_message::<SignInAction>()
            .init_resource::<Profiles>()
            .add_systems(OnEnter(Screen::SignIn), (sign_out, read_profiles))
            .add_systems(
                Update,
                apply.run_if(in_state(Screen::SignIn)).in_set(Act::Within),
            )
            .add_systems(
                EguiPrimaryContextPass,
                draw.run_if(in_state(Screen::SignIn))
                    .in_set(UiSystems::Screen),
            );
    }
}

fn sign_out(mut commands: Commands) {
    commands.remove_resource::<SignedIn>();
}

fn read_profiles(
    records: Res<Records>,
    mut profiles: ResMut<Profiles>,
    mut notice: ResMut<Notice>,
) {
    match records.store().trainees() {
        Ok(trainees) => profiles.0 = trainees,
        Err(error) => notice.store_failed("Could not read the profiles", &error),
    }
}

fn apply(
    mut actions: MessageReader<SignInAction>,
    mut commands: Commands,
    records: Res<Records>,
    mut notice: ResMut<Notice>,
    mut next: ResMut<NextState<Screen>>,
) {
    let (signed_in, failed) = match first_only(&mut actions) {
        None => return,
        Some(SignInAction::AsTrainee(id)) => (records.store().trainee(&id), "Could not sign in"),
        Some(SignInAction::CreateProfile { name, id }) => {
            // A blank id field means "make one up"; any other id is taken exactly as typed,
            // and the store refuses one with stray spaces or invisible characters, saying why.
            let id = if id.trim().is_empty() {
                new_trainee_id()
            } else {
                id
            };
            (
                records.store().save_trainee(&id, &name),
                "Could not create the profile",
            )
        }
    };
    match signed_in {
        Ok(trainee) => {
            commands.insert_resource(SignedIn(trainee));
            next.set(Screen::Library);
        }
        Err(error) => notice.store_failed(failed, &error),
    }
}

fn draw(
    mut contexts: EguiContexts,
    area: Res<ScreenArea>,
    colours: Res<Palette>,
    profiles: Res<Profiles>,
    mut draft: Local<NewProfile>,
    mut actions: MessageWriter<SignInAction>,
) -> Result {
    let picked = draw_screen(&mut contexts, &area, |ui| {
        view::show(ui, &profiles.0, &mut draft, &colours)
    })?;
    if let Some(action) = picked {
        actions.write(action);
    }
    Ok(())
}
