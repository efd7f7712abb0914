//! A Learning Record Store that takes many writes (Learning Locker's xapi-statements in memory,
//! tests/xapi/lrs-multi.sh), on loopback for one test and stopped when dropped.

use std::path::Path;

use serde_json::Value;

use crate::binary::{text, xapi_tool};

/// A Learning Record Store on loopback that takes many writes, stopped when dropped.
pub struct Lrs {
    dir: tempfile::TempDir,
    /// Its xAPI endpoint.
    pub endpoint: String,
}

impl Lrs {
    /// Starts one on a free port (user "trainer", password "s3cret").
    pub fn start() -> Lrs {
        let dir = tempfile::tempdir().unwrap();
        // A free port: bind, note it, let go.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let started = xapi_tool(&[
            "tests/xapi/lrs-multi.sh",
            "start",
            &port.to_string(),
            dir.path().to_str().unwrap(),
        ]);
        assert!(started.status.success(), "{}", text(&started.stderr));
        Lrs {
            endpoint: text(&started.stdout).trim().to_owned(),
            dir,
        }
    }

    /// `mentorsim ARGS` against this LRS with its credentials.
    #[allow(dead_code)] // Only the records tests run the binary against it.
    pub fn mentorsim(&self, data: &Path, args: &[&str], password: &str) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_mentorsim"))
            .args(args)
            .args(["--lrs", &self.endpoint, "--lrs-user", "trainer"])
            .env("MENTORSIM_DATA_DIR", data)
            .env("MENTORSIM_LRS_PASSWORD", password)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap()
    }

    /// Every statement the LRS holds for a registration, read from it directly.
    pub fn stored(&self, registration: &str) -> Vec<Value> {
        let fetched = std::process::Command::new("curl")
            .args([
                "-sf",
                "-u",
                "trainer:s3cret",
                "-H",
                "X-Experience-API-Version: 1.0.3",
            ])
            .arg(format!(
                "{}statements?registration={registration}&limit=1000",
                self.endpoint
            ))
            .output()
            .unwrap();
        assert!(fetched.status.success(), "{}", text(&fetched.stderr));
        let page: Value = serde_json::from_slice(&fetched.stdout).unwrap();
        page["statements"].as_array().unwrap().clone()
    }
}

impl Drop for Lrs {
    fn drop(&mut self) {
        let _ = xapi_tool(&[
            "tests/xapi/lrs-multi.sh",
            "stop",
            self.dir.path().to_str().unwrap(),
        ]);
    }
}
