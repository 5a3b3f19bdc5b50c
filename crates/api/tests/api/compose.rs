//! docker-compose.yml, read with a YAML parser because no Docker engine runs here: its
//! services, health checks and volumes fit together, and the API replicas' environment is a
//! configuration the server accepts.

use std::collections::BTreeMap;
use std::path::PathBuf;

use figment::Figment;
use figment::providers::Serialized;
use figment::value::{Dict, Value as ConfigValue};
use incert_api::config::Settings;
use serde_json::Value;

use crate::helpers::required_env;

const API_SERVICES: [&str; 2] = ["api-1", "api-2"];

/// Parses the compose file with PyYAML from the test virtual environment and returns it as
/// JSON.
fn compose_file() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docker-compose.yml");
    let output = std::process::Command::new(required_env("INCERT_TEST_PYTHON"))
        .arg("-c")
        .arg("import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))")
        .arg(&path)
        .output()
        .expect("run python");
    assert!(
        output.status.success(),
        "docker-compose.yml is not valid YAML: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON from python")
}

/// Replaces `${NAME:-default}` with its default and `${NAME:?message}` with a value fit for
/// `NAME`, as docker compose would with those variables set.
fn interpolate(text: &str) -> String {
    let mut result = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        result.push_str(&rest[..start]);
        let end = rest[start..].find('}').expect("closing brace") + start;
        let expression = &rest[start + 2..end];
        if let Some((_, default)) = expression.split_once(":-") {
            result.push_str(default);
        } else if let Some((name, _)) = expression.split_once(":?") {
            assert_eq!(
                name, "INCERT_SECRET_KEY",
                "unexpected required variable {name}"
            );
            result.push_str(&"ab".repeat(32));
        } else {
            panic!("variable without a default: {expression}");
        }
        rest = &rest[end + 1..];
    }
    result.push_str(rest);
    result
}

fn service<'a>(compose: &'a Value, name: &str) -> &'a Value {
    &compose["services"][name]
}

#[test]
fn services_are_complete_and_checked() {
    let compose = compose_file();
    let services: Vec<&str> = compose["services"]
        .as_object()
        .expect("services")
        .keys()
        .map(String::as_str)
        .collect();
    for expected in [
        "postgres",
        "mailpit",
        "bankid-sim",
        "api-1",
        "api-2",
        "load-balancer",
    ] {
        assert!(
            services.contains(&expected),
            "{expected} missing: {services:?}"
        );
    }
    for name in &services {
        let healthcheck = &service(&compose, name)["healthcheck"]["test"];
        assert!(healthcheck.is_array(), "{name} has no health check");
        for dependency in service(&compose, name)["depends_on"]
            .as_object()
            .map(|map| map.keys().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            assert!(
                services.contains(&dependency.as_str()),
                "{name} depends on unknown {dependency}"
            );
        }
    }
}

#[test]
fn volumes_are_named_and_declared() {
    let compose = compose_file();
    let declared = compose["volumes"].as_object().expect("volumes");
    let mut used = 0;
    for (name, definition) in compose["services"].as_object().expect("services") {
        for mount in definition["volumes"].as_array().into_iter().flatten() {
            let source = mount
                .as_str()
                .and_then(|text| text.split(':').next())
                .expect("short volume syntax");
            assert!(
                declared.contains_key(source),
                "{name} mounts {source}, which is not a named volume"
            );
            used += 1;
        }
    }
    assert!(used >= 4, "{used} volume mounts");
}

#[test]
fn api_environment_is_valid_configuration() {
    let compose = compose_file();
    let known = serde_json::to_value(Settings::default()).expect("settings as JSON");
    let known = known.as_object().expect("settings object");

    for name in API_SERVICES {
        let environment = service(&compose, name)["environment"]
            .as_object()
            .expect("environment map");
        let mut dict = Dict::new();
        for (variable, value) in environment {
            let key = variable
                .strip_prefix("INCERT_")
                .unwrap_or_else(|| panic!("{variable} is not an INCERT_ setting"))
                .to_lowercase();
            assert!(known.contains_key(&key), "{variable} is not a setting");
            let text = interpolate(value.as_str().expect("string value"));
            let parsed: ConfigValue = text.parse().expect("infallible");
            dict.insert(key, parsed);
        }
        let settings = Settings::from_figment(
            Figment::from(Serialized::defaults(Settings::default()))
                .merge(Serialized::globals(dict)),
        )
        .unwrap_or_else(|error| panic!("{name}: {error}"));

        let database = settings.database_url.expect("database URL");
        assert!(
            database
                .expose()
                .starts_with("postgres://incert:incert@postgres:5432/")
        );
        assert_eq!(
            settings.mail_transport,
            incert_api::config::MailTransportKind::Smtp
        );
        assert_eq!(
            settings.bankid_url.as_deref(),
            Some("http://bankid-sim:8181")
        );
        assert!(settings.secret_key.is_some());
        assert_eq!(settings.listen.port(), 8080);
    }
}

#[test]
fn load_balancer_reaches_every_replica() {
    let compose = compose_file();
    let site = compose["configs"]["nginx-site"]["content"]
        .as_str()
        .expect("nginx site");
    let upstreams: Vec<&str> = site
        .lines()
        .filter_map(|line| line.trim().strip_prefix("server "))
        .filter(|server| server.ends_with(';'))
        .filter_map(|server| server.split(':').next())
        .collect();
    assert_eq!(upstreams, API_SERVICES);
    // Compose turns `$$` into `$`, so nginx receives its own variables.
    assert!(site.contains("$$proxy_add_x_forwarded_for"), "{site}");

    let address = compose["services"]["load-balancer"]["networks"]["incert"]["ipv4_address"]
        .as_str()
        .expect("load balancer address");
    let mut trusted = BTreeMap::new();
    for name in API_SERVICES {
        let proxies = service(&compose, name)["environment"]["INCERT_TRUSTED_PROXIES"]
            .as_str()
            .expect("trusted proxies");
        trusted.insert(name, proxies.contains(address));
    }
    assert!(trusted.values().all(|listed| *listed), "{trusted:?}");
}
