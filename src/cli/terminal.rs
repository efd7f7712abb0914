//! Where the command line writes, and how.
//!
//! Two rules for every subcommand. Text for people shows what the files hold without obeying
//! it: control characters and bidirectional marks are printed as visible escapes
//! ([`mentorsim_script::printable`]). And a closed pipe (`mentorsim check --stats | head -1`) is
//! no error: the rest of the output is dropped, the command finishes its work (an attempt is
//! still recorded) and exits with its own status, where `println!` would panic.
//! Machine-readable output (JSON, CSV, DOT) is written as it is, through [`Terminal::raw`].

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use mentorsim_script::printable::printable;

/// Set once a stream's reader has gone.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);

/// Standard output or standard error, for people or for programs.
#[derive(Debug, Clone, Copy)]
pub struct Terminal {
    stderr: bool,
    human: bool,
}

impl Terminal {
    /// Standard output, for people.
    pub fn stdout() -> Self {
        Terminal {
            stderr: false,
            human: true,
        }
    }

    /// Standard error, for people.
    pub fn stderr() -> Self {
        Terminal {
            stderr: true,
            human: true,
        }
    }

    /// The same stream, written byte for byte: for JSON, CSV, DOT and text already made
    /// printable (rendered findings).
    pub fn raw(self) -> Self {
        Terminal {
            human: false,
            ..self
        }
    }

    fn closed(&self) -> &'static AtomicBool {
        if self.stderr {
            &STDERR_CLOSED
        } else {
            &STDOUT_CLOSED
        }
    }

    fn write_bytes(&self, bytes: &[u8]) -> io::Result<()> {
        if self.stderr {
            io::stderr().lock().write_all(bytes)
        } else {
            io::stdout().lock().write_all(bytes)
        }
    }
}

impl Write for Terminal {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed().load(Ordering::Relaxed) {
            return Ok(buf.len());
        }
        let written = if self.human {
            // Callers write whole `str` pieces (`write!`), so the bytes are whole characters.
            let text = String::from_utf8_lossy(buf);
            self.write_bytes(printable(&text).as_bytes())
        } else {
            self.write_bytes(buf)
        };
        match written {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed().store(true, Ordering::Relaxed);
                Ok(buf.len())
            }
            Err(e) => Err(e),
            Ok(()) => Ok(buf.len()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed().load(Ordering::Relaxed) {
            return Ok(());
        }
        let flushed = if self.stderr {
            io::stderr().flush()
        } else {
            io::stdout().flush()
        };
        match flushed {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed().store(true, Ordering::Relaxed);
                Ok(())
            }
            other => other,
        }
    }
}

/// Writes to standard output for people, like `print!`.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!($crate::cli::terminal::Terminal::stdout(), $($arg)*);
    }};
}

/// Writes a line to standard output for people, like `println!`.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!($crate::cli::terminal::Terminal::stdout(), $($arg)*);
    }};
}

/// Writes a line to standard error for people, like `eprintln!`.
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!($crate::cli::terminal::Terminal::stderr(), $($arg)*);
    }};
}

pub(crate) use {errln, out, outln};

/// Writes bytes to standard output exactly as they are (JSON, CSV, DOT, rendered findings).
pub fn raw_out(bytes: impl AsRef<[u8]>) -> io::Result<()> {
    Terminal::stdout().raw().write_all(bytes.as_ref())
}

/// Writes rendered text to standard error exactly as it is.
pub fn raw_err(bytes: impl AsRef<[u8]>) {
    let _ = Terminal::stderr().raw().write_all(bytes.as_ref());
}
