//! The long fuzz run: `cargo run --release -p mentorsim-script --example fuzz -- --minutes 30`.
//!
//! One worker process per core runs the fuzzer of `tests/support/fuzz.rs`; this process
//! watches them and prints executions per second. A worker catches a panic itself and keeps
//! the input. A crash that no program can catch (a stack overflow aborts, memory runs out, an
//! input hangs) ends the worker, so each worker writes every input to its own file before
//! running it, and this process keeps that file when the worker dies, is stopped for using more
//! than the memory limit, or makes no progress for two minutes; then it starts a fresh worker.
//!
//! Options: `--minutes M` (default 10), `--executions N` (stop after N in all), `--jobs J`
//! (default: the cores), `--seed S`, `--out DIR` (default `fuzz-crashes`).

#[path = "../tests/support/fuzz.rs"]
mod fuzz;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::FileExt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use fuzz::{Fuzzer, seed_files};

/// A worker using more memory than this is stopped and its input kept.
const MEMORY_LIMIT_KB: u64 = 4 * 1024 * 1024;
/// A worker silent for this long is stopped and its input kept as a hang.
const HANG_AFTER: Duration = Duration::from_secs(120);

struct Options {
    minutes: f64,
    executions: Option<u64>,
    jobs: usize,
    seed: u64,
    out: PathBuf,
    worker: Option<PathBuf>,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        minutes: 10.0,
        executions: None,
        jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
        seed: 1,
        out: PathBuf::from("fuzz-crashes"),
        worker: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        let number = |text: String| {
            text.parse::<f64>()
                .map_err(|_| format!("{flag}: `{text}` is not a number"))
        };
        match flag.as_str() {
            "--minutes" => options.minutes = number(value()?)?,
            "--executions" => options.executions = Some(number(value()?)? as u64),
            "--jobs" => options.jobs = (number(value()?)? as usize).max(1),
            "--seed" => options.seed = number(value()?)? as u64,
            "--out" => options.out = PathBuf::from(value()?),
            "--worker" => options.worker = Some(PathBuf::from(value()?)),
            other => {
                return Err(format!(
                    "unknown option `{other}`; see the header of examples/fuzz.rs"
                ));
            }
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    match &options.worker {
        Some(current) => work(&options, current),
        None => supervise(&options),
    }
}

/// A worker: fuzzes until the time or its share of executions is up, writing each input to
/// `current` first and a progress line to stdout twice a second.
fn work(options: &Options, current: &Path) -> ExitCode {
    std::panic::set_hook(Box::new(|_| {}));
    let file = std::fs::File::create(current).expect("the worker's input file");
    let deadline = Instant::now() + Duration::from_secs_f64(options.minutes * 60.0);
    let mut fuzzer = Fuzzer::new(options.seed, seed_files());
    let mut last = Instant::now();
    let mut stdout = std::io::stdout().lock();
    loop {
        let outcome = fuzzer.outcome();
        let done = options.executions.is_some_and(|n| outcome.executions >= n);
        if done || Instant::now() >= deadline || last.elapsed() >= Duration::from_millis(500) {
            let line = format!(
                "progress {} {} {}",
                outcome.executions, outcome.played, outcome.pool
            );
            if writeln!(stdout, "{line}")
                .and_then(|()| stdout.flush())
                .is_err()
            {
                return ExitCode::FAILURE;
            }
            last = Instant::now();
            if done || Instant::now() >= deadline {
                return ExitCode::SUCCESS;
            }
        }
        let input = fuzzer.next_input();
        let _ = file.set_len(0).and_then(|()| file.write_all_at(&input, 0));
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| fuzzer.run(&input))) {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            let kept = options.out.join(format!(
                "panic-{}-{}.ron",
                options.seed,
                fuzzer.outcome().executions
            ));
            let _ = std::fs::write(&kept, &input);
            let _ = writeln!(
                stdout,
                "crash {} {}",
                kept.display(),
                message.replace('\n', " ")
            );
        }
    }
}

struct Worker {
    child: Child,
    seed: u64,
    current: PathBuf,
    heard: Instant,
    executions: u64,
    played: u64,
    pool: usize,
    finished: bool,
}

/// The parent: starts the workers, prints figures every ten seconds, keeps what killed a
/// worker, and ends with totals. Exit 1 when anything crashed.
fn supervise(options: &Options) -> ExitCode {
    if let Err(e) = std::fs::create_dir_all(&options.out) {
        eprintln!("error: cannot create {}: {e}", options.out.display());
        return ExitCode::from(2);
    }
    let start = Instant::now();
    let (send, receive) = mpsc::channel::<(usize, String)>();
    let mut workers: Vec<Worker> = Vec::new();
    let mut crashes: Vec<String> = Vec::new();
    let mut retired = (0u64, 0u64);
    let mut next_seed = options.seed;
    let share = options.executions.map(|n| n.div_ceil(options.jobs as u64));
    let spawn = |slot: usize, seed: u64, minutes: f64, executions: Option<u64>| -> Worker {
        let current = options.out.join(format!("current-{slot}.ron"));
        let mut command = Command::new(std::env::current_exe().expect("this program"));
        command
            .args(["--worker", &current.display().to_string()])
            .args([
                "--seed",
                &seed.to_string(),
                "--minutes",
                &minutes.to_string(),
            ])
            .args(["--out", &options.out.display().to_string()])
            .stdout(Stdio::piped());
        if let Some(n) = executions {
            command.args(["--executions", &n.to_string()]);
        }
        let mut child = command.spawn().expect("a worker");
        let lines = BufReader::new(child.stdout.take().expect("piped"));
        let send = send.clone();
        std::thread::spawn(move || {
            for line in lines.lines().map_while(Result::ok) {
                if send.send((slot, line)).is_err() {
                    break;
                }
            }
        });
        Worker {
            child,
            seed,
            current,
            heard: Instant::now(),
            executions: 0,
            played: 0,
            pool: 0,
            finished: false,
        }
    };
    for slot in 0..options.jobs {
        workers.push(spawn(slot, next_seed, options.minutes, share));
        next_seed += 1;
    }
    println!(
        "fuzzing with {} worker(s) for {} minute(s){}; crashes go to {}",
        options.jobs,
        options.minutes,
        options
            .executions
            .map_or(String::new(), |n| format!(" or {n} executions")),
        options.out.display()
    );
    let mut report = Instant::now();
    loop {
        while let Ok((slot, line)) = receive.recv_timeout(Duration::from_millis(200)) {
            let worker = &mut workers[slot];
            worker.heard = Instant::now();
            let mut words = line.split(' ');
            match words.next() {
                Some("progress") => {
                    let mut next = || {
                        words
                            .next()
                            .and_then(|w| w.parse::<u64>().ok())
                            .unwrap_or(0)
                    };
                    worker.executions = next();
                    worker.played = next();
                    worker.pool = next() as usize;
                }
                Some("crash") => {
                    println!("PANIC: {line}");
                    crashes.push(line);
                }
                _ => {}
            }
            if report.elapsed() >= Duration::from_secs(10) {
                break;
            }
        }
        for (slot, worker) in workers.iter_mut().enumerate() {
            if worker.finished {
                continue;
            }
            let died = match worker.child.try_wait() {
                Ok(Some(status)) if status.success() => {
                    worker.finished = true;
                    None
                }
                Ok(Some(status)) => Some(format!("died ({status})")),
                Ok(None) if worker.heard.elapsed() > HANG_AFTER => Some("hung".to_owned()),
                Ok(None) if rss_kb(worker.child.id()) > MEMORY_LIMIT_KB => {
                    Some("used more than 4 GB".to_owned())
                }
                Ok(None) => None,
                Err(e) => Some(format!("could not be watched ({e})")),
            };
            let Some(why) = died else { continue };
            let _ = worker.child.kill();
            let _ = worker.child.wait();
            let kept = options.out.join(format!(
                "{}-{}-{}.ron",
                why.split(' ').next().unwrap_or("crash"),
                worker.seed,
                worker.executions
            ));
            let _ = std::fs::copy(&worker.current, &kept);
            let line = format!("worker {why}: its input is kept in {}", kept.display());
            println!("CRASH: {line}");
            crashes.push(line);
            retired.0 += worker.executions;
            retired.1 += worker.played;
            let left = options.minutes - start.elapsed().as_secs_f64() / 60.0;
            let executions = share.map(|n| n.saturating_sub(worker.executions));
            if left > 0.0 && executions != Some(0) {
                next_seed += 1;
                *worker = spawn(slot, next_seed, left, executions);
            } else {
                worker.finished = true;
            }
        }
        let executions = retired.0 + workers.iter().map(|w| w.executions).sum::<u64>();
        let played = retired.1 + workers.iter().map(|w| w.played).sum::<u64>();
        let all_done = workers.iter().all(|w| w.finished);
        if report.elapsed() >= Duration::from_secs(10) || all_done {
            let seconds = start.elapsed().as_secs_f64();
            println!(
                "{:>6.0} s  {executions:>11} executions  {:>7.0}/s  {played} played  pool {}  crashes {}",
                seconds,
                executions as f64 / seconds,
                workers.iter().map(|w| w.pool).max().unwrap_or(0),
                crashes.len()
            );
            report = Instant::now();
        }
        if all_done {
            for worker in &workers {
                let _ = std::fs::remove_file(&worker.current);
            }
            println!(
                "done: {executions} executions in {:.0} s ({:.0}/s), {} crash(es)",
                start.elapsed().as_secs_f64(),
                executions as f64 / start.elapsed().as_secs_f64(),
                crashes.len()
            );
            return if crashes.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            };
        }
    }
}

/// A process's resident memory in KiB, from `/proc` (0 where that cannot be read).
fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
