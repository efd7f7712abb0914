//! How a subcommand reaches the program's Learning Record Store: the endpoint, the user, and
//! the password from the environment (never from the command line, where shell history and
//! process lists would keep it).

use std::time::Duration;

use clap::Args;
use mentorsim_records::lrs::Lrs;

#[derive(Debug, Args)]
pub struct LrsArgs {
    /// The program's Learning Record Store, by its xAPI endpoint (e.g.
    /// https://lrs.example.org/xAPI/).
    #[arg(long = "lrs", value_name = "URL")]
    pub endpoint: Option<String>,
    /// LRS user for HTTP basic auth (the password comes from MENTORSIM_LRS_PASSWORD).
    #[arg(
        long,
        value_name = "USER",
        env = "MENTORSIM_LRS_USER",
        requires = "endpoint"
    )]
    lrs_user: Option<String>,
    /// Send the LRS password over plain http:// to a host other than this computer (only on a
    /// network you trust: anyone on it can read the password).
    #[arg(long, requires = "lrs_user")]
    allow_insecure_http: bool,
}

impl LrsArgs {
    /// The LRS at `endpoint`, sending or reading `batch_size` statements a request, with four
    /// tries per request.
    pub fn connect(&self, endpoint: &str, batch_size: usize) -> Lrs {
        Lrs {
            endpoint: endpoint.to_owned(),
            allow_insecure_http: self.allow_insecure_http,
            credentials: self.lrs_user.clone().map(|user| {
                (
                    user,
                    std::env::var("MENTORSIM_LRS_PASSWORD").unwrap_or_default(),
                )
            }),
            batch_size,
            attempts: 4,
            backoff: Duration::from_millis(500),
        }
    }
}
