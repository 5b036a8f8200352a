//! The binary itself: bad configuration stops it with one clear line.

use std::process::Command;

fn run_with(vars: &[(&str, &str)]) -> (i32, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tradein"));
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn bad_configuration_names_the_variable_in_one_line() {
    for (var, value) in [
        ("DATABASE_URL", "mysql://localhost/x"),
        ("LEPTOS_SITE_ADDR", "not-an-address"),
        ("SEED_DEMO", "perhaps"),
        ("APP_SECRET", "123"),
    ] {
        let (code, stderr) = run_with(&[(var, value)]);
        assert_eq!(code, 2, "{var}: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{var}: {stderr}");
        assert!(stderr.contains(var), "{var}: {stderr}");
    }
}

#[test]
fn unreachable_postgres_stops_start_up_with_a_message() {
    let (code, stderr) = run_with(&[
        ("DATABASE_URL", "postgres://nobody:secret@127.0.0.1:1/none"),
        ("LEPTOS_SITE_ADDR", "127.0.0.1:0"),
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("cannot open the database"), "{stderr}");
    assert!(
        !stderr.contains("secret@"),
        "password must not be printed: {stderr}"
    );
}
