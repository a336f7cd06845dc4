//! The architecture's invariants (ARCHITECTURE.md), checked on the dependency graph `cargo
//! metadata` reports: the core depends on no web, wire or database crate; the registry on no
//! framework; an adapter on no other adapter and no store; only the server wires; the client
//! stays an independent oracle.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

/// Each workspace package and its normal (not dev or build) dependencies.
fn graph() -> BTreeMap<String, Vec<String>> {
    let output = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|package| {
            let dependencies = package["dependencies"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|dependency| dependency["kind"].is_null())
                .map(|dependency| dependency["name"].as_str().unwrap().to_owned())
                .collect();
            (package["name"].as_str().unwrap().to_owned(), dependencies)
        })
        .collect()
}

const WEB_WIRE_DATABASE: &[&str] = &[
    "axum",
    "hyper",
    "hyper-util",
    "tower",
    "quick-xml",
    "serde",
    "serde_json",
    "sqlx",
    "rusqlite",
    "reqwest",
    "tokio",
];
const ADAPTERS: &[&str] = &["tco-rest", "tco-jsonrpc", "tco-soap"];

#[track_caller]
fn refuses(graph: &BTreeMap<String, Vec<String>>, package: &str, forbidden: &[&str]) {
    let dependencies = graph.get(package).unwrap_or_else(|| panic!("no package {package}"));
    for dependency in dependencies {
        assert!(!forbidden.contains(&dependency.as_str()), "{package} must not depend on {dependency}");
    }
}

#[test]
fn the_core_depends_on_nothing_of_the_web_the_wire_or_a_database() {
    let graph = graph();
    refuses(&graph, "tco-core", WEB_WIRE_DATABASE);
    let gateway_crates: Vec<&str> =
        graph.keys().map(String::as_str).filter(|name| name.starts_with("tco-")).collect();
    refuses(&graph, "tco-core", &gateway_crates);
}

#[test]
fn the_registry_depends_on_the_core_and_serde_only() {
    let graph = graph();
    refuses(
        &graph,
        "tco-api",
        &["axum", "hyper", "quick-xml", "sqlx", "rusqlite", "tokio", "tco-store", "tco-server", "tco-client"],
    );
    refuses(&graph, "tco-api", ADAPTERS);
}

#[test]
fn adapters_depend_on_no_other_adapter_and_no_store() {
    let graph = graph();
    for adapter in ADAPTERS {
        let mut forbidden: Vec<&str> = ADAPTERS.iter().copied().filter(|other| other != adapter).collect();
        forbidden.extend(["tco-store", "tco-server", "tco-client", "sqlx", "rusqlite"]);
        refuses(&graph, adapter, &forbidden);
    }
    refuses(&graph, "tco-store", &["axum", "hyper", "quick-xml", "tco-api", "tco-server"]);
    refuses(&graph, "tco-store", ADAPTERS);
}

#[test]
fn only_the_server_wires_and_the_client_stays_independent() {
    let graph = graph();
    let wiring: Vec<&str> = ["tco-store", "tco-server"].into_iter().chain(ADAPTERS.iter().copied()).collect();
    for (package, dependencies) in &graph {
        for dependency in dependencies.iter().filter(|dependency| wiring.contains(&dependency.as_str())) {
            let allowed = match dependency.as_str() {
                "tco-server" => package == "tco-tests",
                _ => package == "tco-server" || package == "tco-tests",
            };
            assert!(allowed, "{package} depends on {dependency}: only tco-server wires the gateway");
        }
    }
    for dependency in &graph["tco-client"] {
        assert!(
            !dependency.starts_with("tco-") || dependency == "tco-xml",
            "tco-client must not depend on {dependency}"
        );
    }
}
