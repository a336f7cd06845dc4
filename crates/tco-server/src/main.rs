//! `tco-gateway`: parse the command line, install tracing, serve until SIGTERM or Ctrl-C.

use std::io::IsTerminal;

use anyhow::Context;
use clap::Parser;
use tco_server::config::{Cli, Command, Config};
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let args = match cli.command {
        Some(Command::Serve(args)) => *args,
        Some(Command::Sign(args)) => {
            println!("{}", tco_server::sign::sign(&args, chrono::Utc::now())?);
            return Ok(());
        }
        Some(Command::Generate(args)) => {
            install_tracing("warn");
            return Ok(tco_server::generate::generate(*args).await?);
        }
        Some(Command::Snapshot(args)) => {
            install_tracing("warn");
            return Ok(tco_server::snapshot::snapshot(*args).await?);
        }
        None => cli.serve,
    };
    let config = Config::load(args)?;
    install_tracing(&config.log);

    let started = std::time::Instant::now();
    let app = tco_server::build(&config).await.context("cannot start the gateway")?;
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let address = listener.local_addr()?;
    tracing::info!(
        %address,
        startup_ms = started.elapsed().as_millis() as u64,
        merchants = ?config.merchants.iter().map(|m| m.code.as_str()).collect::<Vec<_>>(),
        "tco-gateway listening: REST at http://{address}/rest/6.0/"
    );
    tco_server::serve(listener, app, shutdown_signal()).await.context("server failed")?;
    tracing::info!("stopped");
    Ok(())
}

/// Installs the subscriber.
fn install_tracing(filter: &str) {
    let filter = std::env::var("RUST_LOG").ok().unwrap_or_else(|| filter.to_owned());
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_new(&filter).unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
