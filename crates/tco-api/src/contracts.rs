//! `docs/operations.md`: every operation × protocol — its JSON-RPC method and SOAP operation with
//! the positional parameters, its REST routes — and the error codes it can answer with,
//! generated from the registry. The choices made where the vendor's shape is not documented are
//! in each operation's description.

use std::fmt::Write;

use crate::operation::Descriptor;

/// The Markdown document.
pub fn operations_markdown(descriptors: &[Descriptor]) -> String {
    let mut markdown = String::from(
        "# Operations\n\n\
         Generated from the operation registry (`crates/tco-api`) by the `contracts` test; do not edit.\n\
         Every operation is one JSON-RPC method and one SOAP operation of the same name (matched in any case),\n\
         with the same positional parameters, session id first; REST routes are under `/rest/6.0` (trailing\n\
         slash optional). Besides the codes listed, a call can answer `AUTHENTICATION_ERROR` (REST's signature,\n\
         `login`), `INVALID_SESSION` and `SESSION_EXPIRED` (JSON-RPC, SOAP), `MALFORMED_REQUEST` and\n\
         `SERVICE_UNAVAILABLE`. The codes are in [errors.md](errors.md); the contracts are the WSDL\n\
         (`/soap/6.0/?wsdl`), [openapi.json](openapi.json) (`/rest/6.0/openapi.json`) and\n\
         [openrpc.json](openrpc.json) (`/rpc/6.0/openrpc.json`, `rpc.discover`).\n\n\
         | Operation | JSON-RPC method and SOAP operation | REST | Errors |\n|---|---|---|---|\n",
    );
    for operation in descriptors {
        let parameters: Vec<&str> = operation.params.fields.iter().map(|field| field.name).collect();
        let positional = if operation.positional {
            format!("`{}({})`", operation.name, parameters.join(", "))
        } else {
            "— (REST only, as on the vendor's API)".to_owned()
        };
        let routes: Vec<String> = operation
            .rest
            .iter()
            .map(|route| {
                let condition = route.query.map(|query| format!("?{query}=")).unwrap_or_default();
                format!("`{} {}/{condition}`", route.method.as_str(), route.path)
            })
            .collect();
        let routes = if routes.is_empty() { "—".to_owned() } else { routes.join("<br>") };
        let errors: Vec<String> = operation.errors.iter().map(|code| format!("`{code}`")).collect();
        let _ =
            writeln!(markdown, "| `{}` | {positional} | {routes} | {} |", operation.name, errors.join(" "));
    }
    markdown.push_str("\n## What each does\n");
    for operation in descriptors {
        let _ = write!(markdown, "\n### `{}`\n\n{}\n", operation.name, operation.doc.trim());
        for route in operation.rest.iter().filter(|route| !route.parameters.is_empty()) {
            let _ =
                write!(markdown, "\nREST `{} {}/` query parameters:\n\n", route.method.as_str(), route.path);
            for (name, meaning) in route.parameters {
                let _ = writeln!(markdown, "- `{name}`: {meaning}");
            }
        }
    }
    markdown
}
