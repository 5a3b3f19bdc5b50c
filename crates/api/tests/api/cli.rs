//! The `incert` command line, run as a program.

/// `make test` exports `INCERT_TEST_*` variables, which are not settings; the program must
/// start with them set, as it does on a developer's shell after a test run.
#[test]
fn test_variables_are_not_settings() {
    let directory = tempfile::tempdir().expect("tempdir");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_incert"))
        .arg("migrate")
        .env("INCERT_TEST_SOMETHING", "1")
        .env("INCERT_DATA_DIR", directory.path())
        .env("INCERT_LOG_FILTER", "warn")
        .output()
        .expect("run incert");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn unknown_setting_is_rejected() {
    let directory = tempfile::tempdir().expect("tempdir");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_incert"))
        .arg("migrate")
        .env("INCERT_DATABSE_URL", "sqlite://typo.db")
        .env("INCERT_DATA_DIR", directory.path())
        .output()
        .expect("run incert");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("databse_url"), "{stderr}");
}
