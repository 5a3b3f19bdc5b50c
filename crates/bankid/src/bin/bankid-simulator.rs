//! `bankid-simulator`: runs the BankID simulator alone, for manual tests of the login pages.
//!
//! The RP API is at `http://{listen}{prefix}/rp/v6.0/` and the virtual app page at
//! `http://{listen}{prefix}/app`.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use actix_web::{App, HttpServer};
use clap::Parser;
use incert_bankid::simulator::{FaultRates, Simulator, SimulatorConfig};

/// Local simulator of the BankID RP API v6.0 with a virtual BankID app. For development and
/// tests only: it has no authentication and signs nothing.
#[derive(Debug, Parser)]
#[command(name = "bankid-simulator", version)]
struct Cli {
    /// Address to listen on.
    #[arg(
        long,
        env = "BANKID_SIMULATOR_LISTEN",
        default_value = "127.0.0.1:8181"
    )]
    listen: SocketAddr,
    /// Path prefix of every route, for example `/bankid-sim`; empty serves at the root.
    #[arg(long, env = "BANKID_SIMULATOR_PREFIX", default_value = "")]
    prefix: String,
    /// Seconds within which an app must open an auth or sign order before it fails with
    /// `startFailed`.
    #[arg(long, default_value_t = 30)]
    start_timeout_seconds: u64,
    /// Seconds after which a pending order fails with `expiredTransaction`.
    #[arg(long, default_value_t = 180)]
    order_lifetime_seconds: u64,
    /// Maximum age in seconds of a scanned QR code.
    #[arg(long, default_value_t = 10)]
    qr_max_age_seconds: u64,
    /// Share (0.0 to 1.0) of RP requests that get HTTP 408 `requestTimeout`.
    #[arg(long, default_value_t = 0.0)]
    request_timeout_rate: f64,
    /// Share (0.0 to 1.0) of RP requests that get HTTP 500 `internalError`.
    #[arg(long, default_value_t = 0.0)]
    internal_error_rate: f64,
    /// Share (0.0 to 1.0) of RP requests that get HTTP 503 `maintenance`.
    #[arg(long, default_value_t = 0.0)]
    maintenance_rate: f64,
    /// Share (0.0 to 1.0) of order requests that get HTTP 400 `alreadyInProgress`.
    #[arg(long, default_value_t = 0.0)]
    already_in_progress_rate: f64,
}

#[actix_web::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let cli = Cli::parse();

    let config = SimulatorConfig {
        start_timeout: Duration::from_secs(cli.start_timeout_seconds),
        order_lifetime: Duration::from_secs(cli.order_lifetime_seconds),
        qr_max_age: Duration::from_secs(cli.qr_max_age_seconds),
        fault_rates: FaultRates {
            request_timeout: cli.request_timeout_rate,
            internal_error: cli.internal_error_rate,
            maintenance: cli.maintenance_rate,
            already_in_progress: cli.already_in_progress_rate,
        },
        ..SimulatorConfig::default()
    };
    let simulator = Simulator::new(config);
    let prefix = cli.prefix.trim_end_matches('/').to_owned();

    let server = match HttpServer::new(move || App::new().service(simulator.scope(&prefix)))
        .workers(1)
        .bind(cli.listen)
    {
        Ok(server) => server,
        Err(error) => {
            tracing::error!(listen = %cli.listen, %error, "cannot listen");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(
        rp_api = %format!("http://{}{}/rp/v6.0/", cli.listen, cli.prefix.trim_end_matches('/')),
        virtual_app = %format!("http://{}{}/app", cli.listen, cli.prefix.trim_end_matches('/')),
        "BankID simulator started"
    );
    match server.run().await {
        Ok(()) => {
            tracing::info!("BankID simulator stopped");
            ExitCode::SUCCESS
        }
        Err(error) => {
            tracing::error!(%error, "BankID simulator failed");
            ExitCode::FAILURE
        }
    }
}
