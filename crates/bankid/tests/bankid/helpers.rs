//! A simulator served on a free loopback port, with a manual clock and a client for it.

use std::net::{IpAddr, Ipv4Addr, TcpListener};
use std::sync::Arc;

use actix_web::dev::ServerHandle;
use actix_web::{App, HttpServer};
use chrono::{TimeDelta, Utc};
use incert_bankid::simulator::{ManualClock, Simulator, SimulatorConfig};
use incert_bankid::{BankIdClient, ClientConfig};
use incert_domain::Personnummer;
use serde_json::Value;

pub const PREFIX: &str = "/bankid-sim";

pub fn end_user_ip() -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(192, 0, 2, 10))
}

/// 19121212-1212, a commonly used test number with a valid check digit.
pub fn person_a() -> Personnummer {
    Personnummer::from_canonical("191212121212").unwrap()
}

/// 19900101-2385, a second valid test number.
pub fn person_b() -> Personnummer {
    Personnummer::from_canonical("199001012385").unwrap()
}

pub struct TestSimulator {
    pub simulator: Simulator,
    pub clock: ManualClock,
    pub client: BankIdClient,
    /// `http://127.0.0.1:{port}/bankid-sim`.
    pub base_url: String,
    pub http: reqwest::Client,
    handle: ServerHandle,
}

impl TestSimulator {
    pub async fn start() -> Self {
        Self::start_with(SimulatorConfig::default()).await
    }

    pub async fn start_with(config: SimulatorConfig) -> Self {
        let clock = ManualClock::new(Utc::now());
        let simulator = Simulator::with_clock(config, Arc::new(clock.clone()));
        let (base_url, handle) = serve(simulator.clone(), PREFIX);
        let client = BankIdClient::new(&ClientConfig::new(base_url.clone())).unwrap();
        Self {
            simulator,
            clock,
            client,
            base_url,
            http: reqwest::Client::new(),
            handle,
        }
    }

    pub fn advance(&self, seconds: i64) {
        self.clock.advance(TimeDelta::seconds(seconds));
    }

    pub fn rp_url(&self, endpoint: &str) -> String {
        format!("{}/rp/v6.0/{endpoint}", self.base_url)
    }

    /// Posts raw bytes to an RP endpoint and returns the status and the JSON body.
    pub async fn post_rp(&self, endpoint: &str, content_type: &str, body: &str) -> (u16, Value) {
        let response = self
            .http
            .post(self.rp_url(endpoint))
            .header("Content-Type", content_type)
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap())
    }

    /// Posts JSON to the virtual app API and returns the status and the JSON body.
    pub async fn post_app(&self, path: &str, body: &Value) -> (u16, Value) {
        let response = self
            .http
            .post(format!("{}/app/api/{path}", self.base_url))
            .json(body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        let json = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap()
        };
        (status, json)
    }
}

impl Drop for TestSimulator {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        tokio::spawn(async move { handle.stop(false).await });
    }
}

/// Serves `simulator` under `prefix` on a free loopback port.
pub fn serve(simulator: Simulator, prefix: &'static str) -> (String, ServerHandle) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let server = HttpServer::new(move || App::new().service(simulator.scope(prefix)))
        .workers(1)
        .disable_signals()
        .listen(listener)
        .unwrap()
        .run();
    let handle = server.handle();
    tokio::spawn(server);
    (format!("http://{address}{prefix}"), handle)
}
