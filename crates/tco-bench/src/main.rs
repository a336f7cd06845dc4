//! The benchmark's baseline: the least an axum HTTP/1 server can do — answer every request with a
//! fixed small JSON body — so the gateway's figures can be read as a share of what this machine
//! and stack allow. Usage: `tco-bench-baseline ADDRESS` (e.g. 127.0.0.1:0); prints the address.

use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;

async fn answer() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], r#"{"status":"ok"}"#)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:0".to_owned());
    let listener = tokio::net::TcpListener::bind(&address).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, Router::new().fallback(answer)).await
}
