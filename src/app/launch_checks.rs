//! What the window needs before it opens, checked first so that a missing piece is a sentence
//! saying what to install instead of a panic with a backtrace from winit or the renderer.
//! This build speaks X11 only and renders through Vulkan only (see Cargo.toml): on Linux the
//! window needs a `DISPLAY` and a Vulkan driver (an installable client driver, ICD).

use std::path::{Path, PathBuf};

use super::LaunchError;

/// Whether a window can be opened at all.
pub fn check_display() -> Result<(), LaunchError> {
    if cfg!(all(unix, not(target_os = "macos")))
        && std::env::var_os("DISPLAY").is_none_or(|d| d.is_empty())
    {
        return Err(LaunchError::NoDisplay(
            if std::env::var_os("WAYLAND_DISPLAY").is_some() {
                "WAYLAND_DISPLAY is set but DISPLAY is not: XWayland is not running"
            } else {
                "DISPLAY is not set"
            },
        ));
    }
    Ok(())
}

/// Whether a Vulkan driver is installed where the Vulkan loader looks for one (Linux only;
/// other systems ship theirs). The renderer would otherwise panic with "Unable to find a GPU".
pub fn check_vulkan() -> Result<(), LaunchError> {
    if !cfg!(all(unix, not(target_os = "macos"))) {
        return Ok(());
    }
    // The loader's own overrides: the files they name are the only drivers it loads.
    for variable in ["VK_DRIVER_FILES", "VK_ICD_FILENAMES"] {
        if let Some(list) = std::env::var_os(variable).filter(|v| !v.is_empty()) {
            return if std::env::split_paths(&list).any(|f| f.is_file()) {
                Ok(())
            } else {
                Err(LaunchError::NoVulkan(format!(
                    "{variable} names no driver file that exists"
                )))
            };
        }
    }
    if driver_folders().iter().any(|folder| has_driver(folder)) {
        Ok(())
    } else {
        Err(LaunchError::NoVulkan(
            "no Vulkan driver (ICD) is installed".to_owned(),
        ))
    }
}

/// The folders the Vulkan loader searches for driver manifests, in its order.
fn driver_folders() -> Vec<PathBuf> {
    let mut folders = Vec::new();
    let data_home = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".local/share")));
    folders.extend(data_home);
    let data_dirs = std::env::var_os("XDG_DATA_DIRS")
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "/usr/local/share:/usr/share".into());
    folders.extend(std::env::split_paths(&data_dirs));
    let config_dirs = std::env::var_os("XDG_CONFIG_DIRS")
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "/etc/xdg".into());
    folders.extend(std::env::split_paths(&config_dirs));
    folders.push(PathBuf::from("/etc"));
    folders
        .into_iter()
        .map(|folder| folder.join("vulkan/icd.d"))
        .collect()
}

fn has_driver(folder: &Path) -> bool {
    std::fs::read_dir(folder).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.path().extension().is_some_and(|x| x == "json"))
    })
}
