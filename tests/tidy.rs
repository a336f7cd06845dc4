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
/// The front ends (the three protocols, the legacy API, the shopper's pages) and the outbound
/// notification adapter.
const ADAPTERS: &[&str] = &["tco-rest", "tco-jsonrpc", "tco-soap", "tco-legacy", "tco-pages", "tco-notify"];

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

/// Nothing but the server (and the tests) depends on a front end; no front end on another.
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

/// Every `.rs` file under `directory`.
fn rust_files(directory: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(directory).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
    files
}

/// The top-level modules of `tco-core` and which others each names (`crate::x`), tests left out.
fn core_module_graph() -> BTreeMap<String, std::collections::BTreeSet<String>> {
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/tco-core/src");
    let top = |path: &std::path::Path| {
        let relative = path.strip_prefix(&source).unwrap();
        let first = relative.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
        first.trim_end_matches(".rs").to_owned()
    };
    let files: Vec<_> = rust_files(&source).into_iter().filter(|path| !path.ends_with("lib.rs")).collect();
    let modules: std::collections::BTreeSet<String> = files.iter().map(|path| top(path)).collect();
    let mut graph: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let from = top(path);
        let edges = graph.entry(from.clone()).or_default();
        let mut named = Vec::new();
        for (index, _) in code.match_indices("crate::") {
            let rest = &code[index + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let group = &group[..group.find('}').unwrap_or(group.len())];
                named.extend(
                    group.split(',').filter_map(|item| item.trim().split("::").next()).map(str::to_owned),
                );
            } else {
                named.push(rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect());
            }
        }
        edges.extend(named.into_iter().filter(|name| *name != from && modules.contains(name)));
    }
    graph
}

/// ARCHITECTURE.md: the families stand on the kernel and on families below them, the gateway on
/// all of them — no import circle among `tco-core`'s top-level modules.
#[test]
fn the_cores_modules_import_each_other_in_no_circle() {
    let graph = core_module_graph();
    // Depth-first search for a back edge, reporting the circle it closes.
    fn visit<'g>(
        module: &'g str,
        graph: &'g BTreeMap<String, std::collections::BTreeSet<String>>,
        path: &mut Vec<&'g str>,
        done: &mut std::collections::BTreeSet<&'g str>,
    ) {
        if let Some(start) = path.iter().position(|on_path| *on_path == module) {
            panic!(
                "tco-core's modules import each other in a circle: {} -> {module}",
                path[start..].join(" -> ")
            );
        }
        if !done.insert(module) {
            return;
        }
        path.push(module);
        for next in graph.get(module).into_iter().flatten() {
            visit(next, graph, path, done);
        }
        path.pop();
    }
    let mut done = std::collections::BTreeSet::new();
    for module in graph.keys() {
        visit(module, &graph, &mut Vec::new(), &mut done);
    }
    assert!(
        graph["gateway"].contains("orders") && graph["orders"].contains("catalog"),
        "the graph was read: {graph:?}"
    );
}
