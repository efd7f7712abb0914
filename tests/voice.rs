//! The optional speech: a persona's line rendered to a WAV file by espeak-ng with the same
//! voice the app would use, then measured with sox. It must be audible and about as long as
//! the words take at the voice's rate. Needs espeak-ng and sox (`.ci/run` installs them).

use std::path::Path;
use std::process::Command;

use mentorsim::app::voice::{SPEAKER, Voice};
use mentorsim_script::model::Speaker;

/// sox's `stat` figure `name` for a WAV file.
fn stat(wav: &Path, name: &str) -> f64 {
    let output = Command::new("sox")
        .arg(wav)
        .args(["-n", "stat"])
        .output()
        .expect("sox runs (apt-get install sox)");
    let text = String::from_utf8_lossy(&output.stderr).into_owned();
    text.lines()
        .find(|l| l.starts_with(name))
        .and_then(|l| l.rsplit(':').next()?.trim().parse().ok())
        .unwrap_or_else(|| panic!("no `{name}` in sox's answer: {text}"))
}

#[test]
fn a_mentee_line_and_another_speaker_s_are_spoken_audibly_at_a_plausible_length() {
    let library = mentorsim::bundled::library();
    let scenario = library.scenario("al-nine-years-out").unwrap();
    let persona = &scenario.persona;
    let dir = tempfile::tempdir().unwrap();
    let line =
        "I nearly rang Bev to cancel. Thursday, I mean. I've been sat with this all weekend.";
    let words = line.split_whitespace().count() as f64;
    let mentee = Voice::for_speaker(persona, &Speaker::Mentee).unwrap();
    let other = Voice::for_speaker(persona, &Speaker::Other("Bev".into())).unwrap();
    assert_ne!(mentee, other, "someone else does not sound like the mentee");
    assert!(Voice::for_speaker(persona, &Speaker::Narrator).is_none());
    for (who, voice) in [("mentee", &mentee), ("other", &other)] {
        let wav = dir.path().join(format!("{who}.wav"));
        let mut arguments = vec!["-w".to_owned(), wav.display().to_string()];
        arguments.extend(voice.arguments(line));
        let status = Command::new(SPEAKER)
            .args(&arguments)
            .status()
            .expect("espeak-ng runs (apt-get install espeak-ng)");
        assert!(status.success());
        let seconds = stat(&wav, "Length (seconds)");
        let expected = words / f64::from(voice.rate) * 60.0;
        assert!(
            seconds > expected * 0.5 && seconds < expected * 2.5,
            "{who}: {seconds:.2} s for {words} words at {} a minute",
            voice.rate
        );
        assert!(stat(&wav, "RMS     amplitude") > 0.01, "{who}: silent");
    }
}
