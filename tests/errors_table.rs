//! `docs/errors.md` and the code agree: every catalogue code has exactly one row, in
//! catalogue order, and each protocol column matches that protocol's mapping function.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use tco_core::ErrorCode;

struct Row {
    code: String,
    rest_status: u16,
    jsonrpc_code: i32,
    soap_faultcode: String,
    soap12_code: String,
}

fn rows() -> Vec<Row> {
    let table = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/errors.md")).unwrap();
    let header: Vec<String> = table
        .lines()
        .find(|line| line.starts_with("| Code |"))
        .expect("a table header")
        .split('|')
        .map(|cell| cell.trim().to_owned())
        .collect();
    let column = |name: &str| {
        header.iter().position(|cell| cell == name).unwrap_or_else(|| panic!("no {name} column"))
    };
    let (code, rest, jsonrpc) = (column("Code"), column("REST status"), column("JSON-RPC code"));
    let (faultcode, soap12) = (column("SOAP faultcode"), column("SOAP 1.2 Code"));
    table
        .lines()
        .filter(|line| line.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            Row {
                code: cells[code].trim_matches('`').to_owned(),
                rest_status: cells[rest].parse().unwrap(),
                jsonrpc_code: cells[jsonrpc].parse().unwrap(),
                soap_faultcode: cells[faultcode].trim_matches('`').to_owned(),
                soap12_code: cells[soap12].to_owned(),
            }
        })
        .collect()
}

#[test]
fn every_code_has_one_row_in_catalogue_order() {
    let documented: Vec<String> = rows().into_iter().map(|row| row.code).collect();
    let catalogue: Vec<String> = ErrorCode::ALL.iter().map(|code| code.as_str().to_owned()).collect();
    assert_eq!(documented, catalogue);
}

#[test]
fn rest_column_matches_the_rest_mapping() {
    for (row, code) in rows().iter().zip(ErrorCode::ALL.iter().copied()) {
        assert_eq!(row.rest_status, tco_rest::error::status(code).as_u16(), "{code}");
    }
}

#[test]
fn jsonrpc_column_matches_the_jsonrpc_mapping() {
    for (row, code) in rows().iter().zip(ErrorCode::ALL.iter().copied()) {
        assert_eq!(row.jsonrpc_code, tco_jsonrpc::error::code(code), "{code}");
    }
}

#[test]
fn soap_columns_match_the_soap_mapping() {
    for (row, code) in rows().iter().zip(ErrorCode::ALL.iter().copied()) {
        let fault = tco_soap::error::fault(code);
        assert_eq!(row.soap_faultcode, fault.code, "{code}");
        assert_eq!(row.soap12_code, format!("{:?}", fault.class), "{code}");
    }
}
