//! The contracts generated from the operation registry are committed, and current: each test
//! regenerates its file and fails when the committed one differs (after writing the new one,
//! so committing it is all that is left to do). And they all name the same operations.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use tco_soap::wsdl::Bindings;

/// Fails if `path` (from the repository root) is not `contents`, and writes `contents` there.
fn ensure_file_contents(path: &str, contents: &str) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path);
    let committed = std::fs::read_to_string(&file).unwrap_or_default();
    if committed != contents {
        std::fs::write(&file, contents).unwrap();
        panic!("{path} was stale and has been regenerated: review and commit it");
    }
}

#[test]
fn the_wsdl_is_current() {
    ensure_file_contents("wsdl/tco-6.0.wsdl", tco_soap::wsdl_document(Bindings::Soap11));
    ensure_file_contents("wsdl/tco-6.0-soap12.wsdl", tco_soap::wsdl_document(Bindings::Both));
}

#[test]
fn the_openapi_document_is_current() {
    ensure_file_contents("docs/openapi.json", tco_server::openapi_document());
}

#[test]
fn the_openrpc_document_is_current() {
    ensure_file_contents("docs/openrpc.json", tco_jsonrpc::openrpc::document());
}

#[test]
fn the_legacy_openapi_document_is_current() {
    let document = serde_json::to_string_pretty(&tco_legacy::openapi::document()).unwrap() + "\n";
    ensure_file_contents("docs/legacy-openapi.json", &document);
}

#[test]
fn docs_operations_is_current() {
    ensure_file_contents("docs/operations.md", &tco_api::operations_markdown(&tco_api::descriptors()));
}

#[test]
fn every_contract_names_the_same_operations() {
    let descriptors = tco_api::descriptors();
    let wsdl = tco_soap::wsdl_document(Bindings::Soap11);
    let openapi: serde_json::Value = serde_json::from_str(tco_server::openapi_document()).unwrap();
    let openrpc: serde_json::Value = serde_json::from_str(tco_jsonrpc::openrpc::document()).unwrap();
    let markdown = tco_api::operations_markdown(&descriptors);
    let rpc_methods: Vec<&str> = openrpc["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|method| method["name"].as_str().unwrap())
        .collect();
    let openapi_text = openapi.to_string();
    for operation in &descriptors {
        assert!(
            markdown.contains(&format!("| `{}` |", operation.name)),
            "operations.md lacks {}",
            operation.name
        );
        assert_eq!(
            operation.positional,
            wsdl.contains(&format!(r#"<operation name="{}">"#, operation.name)),
            "WSDL and {}",
            operation.name
        );
        assert_eq!(
            operation.positional,
            rpc_methods.contains(&operation.name),
            "OpenRPC and {}",
            operation.name
        );
        for route in operation.rest {
            assert!(
                openapi["paths"].get(format!("{}/", route.path)).is_some(),
                "OpenAPI lacks {}",
                route.path
            );
        }
        if !operation.rest.is_empty() {
            assert!(openapi_text.contains(operation.name), "OpenAPI does not name {}", operation.name);
        }
    }
}

/// The OpenAPI document validates as OpenAPI 3 (openapi-spec-validator, installed by
/// scripts/test.sh).
#[test]
fn the_openapi_document_validates() {
    if std::env::var("TCO_SKIP_EXTERNAL_CLIENTS").as_deref() == Ok("1") {
        return;
    }
    let python = std::env::var("TCO_PYTHON").unwrap_or_else(|_| "python3".into());
    let document = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/openapi.json");
    let output = std::process::Command::new(python)
        .args(["-m", "openapi_spec_validator"])
        .arg(&document)
        .output()
        .expect("python (run scripts/test.sh to install the validator)");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `tco-client` keeps its own table of operations (it is an independent oracle, not built from
/// the registry); the WSDL the gateway serves must offer each with the same parts, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clients_table_matches_the_served_wsdl() {
    let gateway = tco_tests::TestGateway::start(tco_tests::Backend::Sqlite).await.unwrap();
    let wsdl = reqwest::get(format!("{}/soap/6.0/?wsdl", gateway.url())).await.unwrap().text().await.unwrap();
    let root =
        tco_soap::xml::parse(&wsdl, tco_soap::xml::Limits { max_depth: 16, max_elements: 100_000 }).unwrap();
    for (operation, parts) in tco_client::OPERATIONS {
        let message = root
            .children
            .iter()
            .find(|child| {
                child.local == "message" && child.attribute("name") == Some(&format!("{operation}Request"))
            })
            .unwrap_or_else(|| panic!("the WSDL has no {operation}Request"));
        let served: Vec<&str> = message.children.iter().filter_map(|part| part.attribute("name")).collect();
        assert_eq!(&served, parts, "{operation}");
    }
}
