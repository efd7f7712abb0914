//! The real window under Xvfb (software Vulkan): `mentorsim --autoplay` plays a scenario end to
//! end through the UI, saves a screenshot of every screen and exits cleanly; every screenshot
//! shows a drawn screen, not a blank window. Needs `Xvfb` (installed by `.ci/run`); without it
//! the test is skipped locally and fails in CI.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Xvfb(Child);

impl Drop for Xvfb {
    fn drop(&mut self) {
        // SIGTERM lets the server remove its lock file and socket; a killed one leaves them
        // behind for the next server that picks the same display.
        let _ = Command::new("kill").arg(self.0.id().to_string()).status();
        let _ = self.0.wait();
    }
}

/// Starts a private X server on a display it picks itself, or says why not.
fn start_xvfb() -> Result<(Xvfb, String), String> {
    let mut child = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start Xvfb: {e}"))?;
    let stdout = child.stdout.take().expect("piped");
    let server = Xvfb(child);
    // The server writes its display number once it accepts connections.
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = sender.send(line);
    });
    let line = receiver
        .recv_timeout(Duration::from_secs(10))
        .map_err(|_| "Xvfb did not start within 10 s".to_owned())?;
    match line.trim().parse::<u32>() {
        Ok(number) => Ok((server, format!(":{number}"))),
        Err(_) => Err("Xvfb did not start".into()),
    }
}

/// How many distinct colours a PNG has: a blank window has one or two.
fn distinct_colours(path: &Path) -> usize {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buffer).unwrap();
    let channels = info.color_type.samples();
    let mut colours: Vec<&[u8]> = buffer[..info.buffer_size()].chunks(channels).collect();
    colours.sort_unstable();
    colours.dedup();
    colours.len()
}

#[test]
fn autoplay_drives_the_window_through_a_scenario_and_every_screenshot_shows_a_screen() {
    let (_xvfb, display) = match start_xvfb() {
        Ok(started) => started,
        Err(why) if std::env::var_os("CI").is_none() => {
            eprintln!("skipped: {why} (install xvfb and mesa-vulkan-drivers, as .ci/run does)");
            return;
        }
        Err(why) => panic!("{why}"),
    };
    let shots = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_mentorsim"))
        .args([
            "--autoplay",
            "cb-promise-you-wont-tell:1,2,1,2,1,2,1,2",
            "--seed",
            "5",
        ])
        .arg("--screenshot-dir")
        .arg(shots.path())
        .arg("--data-dir")
        .arg(data.path())
        .env("DISPLAY", &display)
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "autoplay exited with {}:\n{}",
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );

    let mut names: Vec<String> = std::fs::read_dir(shots.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for screen in [
        "signin",
        "library",
        "briefing",
        "conversation",
        "debrief",
        "program",
        "trainer",
    ] {
        assert!(
            names.iter().any(|n| n.contains(screen)),
            "no screenshot of the {screen} screen among {names:?}"
        );
    }
    for name in &names {
        let colours = distinct_colours(&shots.path().join(name));
        assert!(colours > 50, "{name} looks blank ({colours} colours)");
    }
}
