//! Pushing statements to a Learning Record Store that misbehaves: a server on loopback answers
//! each request with the next status of a script, so retries, refusals and what ends up marked
//! sent can be checked exactly. (tests/records_cli.rs pushes to a real LRS.)

#[path = "support/play.rs"]
mod play;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mentorsim_records::export::{Selection, collect};
use mentorsim_records::lrs::{Lrs, LrsError};
use mentorsim_records::policy::Program;
use mentorsim_records::store::Store;
use mentorsim_script::engine::Mode;
use play::{Pick, bundled_library, play_recorded};

/// A request as the fake LRS saw it.
#[derive(Debug, Clone)]
struct Seen {
    headers: Vec<String>,
    statements: usize,
}

/// Serves `script` (one status per request, then 200 forever) on a loopback port; returns the
/// endpoint and what it has seen so far.
fn scripted_lrs(script: Vec<u16>) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}/xAPI/", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let mut script = script.into_iter();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut headers = Vec::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                    break;
                }
                headers.push(line.trim_end().to_owned());
            }
            let length: usize = headers
                .iter()
                .find_map(|h| {
                    h.to_ascii_lowercase()
                        .strip_prefix("content-length: ")
                        .map(str::to_owned)
                })
                .map_or(0, |n| n.parse().unwrap());
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let statements: Vec<serde_json::Value> = serde_json::from_slice(&body).unwrap();
            log.lock().unwrap().push(Seen {
                headers,
                statements: statements.len(),
            });
            let status = script.next().unwrap_or(200);
            let answer = if status == 200 {
                "[]"
            } else {
                "{\"error\":\"scripted\"}"
            };
            write!(
                stream,
                "HTTP/1.1 {status} Scripted\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                answer.len()
            )
            .unwrap();
        }
    });
    (endpoint, seen)
}

fn lrs(endpoint: &str, batch_size: usize) -> Lrs {
    Lrs {
        endpoint: endpoint.to_owned(),
        credentials: Some(("trainer".to_owned(), "s3cret".to_owned())),
        allow_insecure_http: false,
        batch_size,
        attempts: 3,
        backoff: Duration::from_millis(10),
    }
}

fn program() -> Program {
    Program {
        name: "Test programme".to_owned(),
        home_page: "https://mentors.example.org".to_owned(),
    }
}

/// A store with two finished attempts.
fn two_attempts() -> Store {
    let library = bundled_library();
    let store = Store::in_memory().unwrap();
    store.save_trainee("t-1", "Ada").unwrap();
    for id in ["cb-asking-for-a-friend", "al-nine-years-out"] {
        let scenario = library.scenario(id).unwrap();
        let pick = if id == "al-nine-years-out" {
            Pick::Weakest
        } else {
            Pick::Strongest
        };
        play_recorded(&store, "t-1", scenario, 1, Mode::Assessment, pick);
    }
    store
}

fn finished(store: &Store) -> Vec<mentorsim_records::export::Finished> {
    let collected = collect(store, &bundled_library(), &Selection::default()).unwrap();
    assert!(collected.damaged.is_empty(), "{:?}", collected.damaged);
    collected.records
}

#[test]
fn a_batch_the_lrs_fails_with_503_is_sent_again_and_then_marked_sent() {
    let store = two_attempts();
    let records = finished(&store);
    let (endpoint, seen) = scripted_lrs(vec![503]);

    let report = lrs(&endpoint, 1000)
        .push(&store, &records, &program())
        .unwrap();

    assert_eq!(report.requests, 2);
    assert_eq!(report.sent_attempts, 2);
    assert_eq!(store.delivered(&endpoint).unwrap().len(), 2);
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen[0].statements, seen[1].statements,
        "the same batch again"
    );
    assert_eq!(report.sent_statements, seen[1].statements);
    let headers = seen[1].headers.join("\n").to_ascii_lowercase();
    assert!(headers.contains("x-experience-api-version: 1.0.3"));
    assert!(headers.contains("authorization: basic dhjhaw5lcjpzm2nyzxq="));

    let again = lrs(&endpoint, 1000)
        .push(&store, &records, &program())
        .unwrap();
    assert_eq!(
        (again.requests, again.already_sent),
        (0, 2),
        "nothing is sent twice"
    );
}

#[test]
fn an_lrs_that_keeps_failing_leaves_every_attempt_unsent_for_the_next_push() {
    let store = two_attempts();
    let records = finished(&store);
    let (down, seen) = scripted_lrs(vec![503, 502, 500]);

    let error = lrs(&down, 1000)
        .push(&store, &records, &program())
        .unwrap_err();

    assert!(
        matches!(
            error,
            LrsError::Unreachable {
                tries: 3,
                sent: 0,
                ..
            }
        ),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .contains("run the same command again later")
    );
    assert_eq!(seen.lock().unwrap().len(), 3);
    assert!(store.delivered(&down).unwrap().is_empty());

    let (up, _) = scripted_lrs(vec![]);
    let report = lrs(&up, 1000).push(&store, &records, &program()).unwrap();
    assert_eq!(report.sent_attempts, 2);
}

#[test]
fn a_refused_batch_stops_the_push_and_only_acknowledged_attempts_count_as_sent() {
    let store = two_attempts();
    let records = finished(&store);
    let (endpoint, seen) = scripted_lrs(vec![200, 400]);

    let error = lrs(&endpoint, 1)
        .push(&store, &records, &program())
        .unwrap_err();

    assert!(
        matches!(
            error,
            LrsError::Refused {
                status: 400,
                sent: 1,
                ..
            }
        ),
        "{error}"
    );
    assert_eq!(seen.lock().unwrap().len(), 2, "a refusal is not retried");
    let sent = store.delivered(&endpoint).unwrap();
    assert_eq!(sent.len(), 1);
    assert!(sent.contains(&records[0].attempt.id));
}

#[test]
fn credentials_in_the_endpoint_are_refused_and_never_printed() {
    let store = two_attempts();
    let mut lrs = lrs("https://trainer:s3cret@lrs.example.org/xAPI/", 10);
    lrs.credentials = None;
    let refused = lrs.push(&store, &finished(&store), &program()).unwrap_err();
    let message = refused.to_string();
    assert!(matches!(refused, LrsError::Endpoint(_)), "{message}");
    assert!(message.contains("--lrs-user"), "{message}");
    assert!(message.contains("MENTORSIM_LRS_PASSWORD"), "{message}");
    assert!(!message.contains("s3cret"), "{message}");
    assert!(!format!("{lrs:?}").contains("s3cret"), "{lrs:?}");
    assert!(
        store
            .delivered("https://lrs.example.org/xAPI/")
            .unwrap()
            .is_empty()
    );
}

#[test]
fn the_password_goes_over_plain_http_only_to_this_computer_or_when_allowed() {
    let store = two_attempts();
    let records = finished(&store);
    let refused = lrs("http://lrs.example.org/xAPI/", 10)
        .push(&store, &records, &program())
        .unwrap_err();
    let message = refused.to_string();
    assert!(matches!(refused, LrsError::Endpoint(_)), "{message}");
    assert!(message.contains("--allow-insecure-http"), "{message}");
    assert!(message.contains("https://"), "{message}");

    for endpoint in [
        "http://127.0.0.1:9/xAPI/",
        "http://127.8.9.10/",
        "http://localhost:8080/xAPI/",
        "http://[::1]:8080/",
        "https://lrs.example.org/xAPI/",
    ] {
        assert!(lrs(endpoint, 10).check_endpoint().is_ok(), "{endpoint}");
    }
    let mut allowed = lrs("http://lrs.example.org/xAPI/", 10);
    allowed.allow_insecure_http = true;
    assert!(allowed.check_endpoint().is_ok());
    // Without a password there is nothing to leak.
    let mut anonymous = lrs("http://lrs.example.org/xAPI/", 10);
    anonymous.credentials = None;
    assert!(anonymous.check_endpoint().is_ok());
    for lookalike in [
        "http://localhost.evil.example/",
        "http://128.0.0.1/",
        "ftp://127.0.0.1/",
    ] {
        assert!(lrs(lookalike, 10).check_endpoint().is_err(), "{lookalike}");
    }
}
