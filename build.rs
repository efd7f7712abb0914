//! Embeds the bundled library (`scenarios/`) in the binary, so `mentorsim` finds its content
//! wherever it runs. Writes `$OUT_DIR/bundled.rs`: a list of (path, text) pairs.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    // Read at run time, not with `env!`: a build script compiled once is reused by builds of
    // other checkouts sharing the target folder, and must read *their* scenarios.
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let root = root.as_path();
    let library = root.join("scenarios");
    println!("cargo:rerun-if-changed={}", library.display());
    let mut files = Vec::new();
    collect(&library, &mut files);
    files.sort();

    let mut out = String::from(
        "/// Every bundled content file: its path from the top of the project, and its text.\n",
    );
    out.push_str("pub const FILES: &[(&str, &str)] = &[\n");
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let name = file
            .strip_prefix(root)
            .expect("under the project")
            .to_string_lossy()
            .replace('\\', "/");
        writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            file.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    let dest =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("bundled.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}

/// Fails the build when a folder cannot be read: an app without its library is no app.
fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| {
        panic!(
            "cannot read the bundled library folder {}: {e}",
            dir.display()
        )
    });
    for entry in entries.flatten() {
        let path = entry.path();
        // Folders are watched too, so a new scenario file is picked up on the next build.
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, files);
        } else if path.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
            [
                ".scenario.ron",
                ".rubric.ron",
                ".modules.ron",
                ".policy.ron",
            ]
            .iter()
            .any(|kind| n.ends_with(kind))
        }) {
            files.push(path);
        }
    }
}
