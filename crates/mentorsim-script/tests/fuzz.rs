//! A short, deterministic run of the fuzzer (`support/fuzz.rs`) on every `cargo test`: the
//! mutations that once crashed mentorsim (deep nesting, numbers at the edge of their type,
//! escapes) are among the first it tries. The long run is `examples/fuzz.rs`.

mod support;

use std::panic::{AssertUnwindSafe, catch_unwind};

use support::fuzz::{Fuzzer, seed_files};

#[test]
fn three_thousand_mutated_files_are_checked_and_played_without_a_panic() {
    let mut fuzzer = Fuzzer::new(2026, seed_files());
    for _ in 0..3_000 {
        let input = fuzzer.next_input();
        if catch_unwind(AssertUnwindSafe(|| fuzzer.run(&input))).is_err() {
            let kept = std::env::temp_dir().join("mentorsim-fuzz-crash.ron");
            std::fs::write(&kept, &input).unwrap();
            panic!(
                "an input made mentorsim panic; it is kept in {} (try `mentorsim check` on it)",
                kept.display()
            );
        }
    }
    let outcome = fuzzer.outcome();
    assert_eq!(outcome.executions, 3_000);
    assert!(
        outcome.played > 0,
        "some mutated files still play: {outcome:?}"
    );
    assert!(
        outcome.pool > seed_files().len(),
        "new findings grew the pool"
    );
}
