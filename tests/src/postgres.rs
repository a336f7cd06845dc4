//! A throwaway PostgreSQL server a test can stop and start again, for outage tests. It needs the
//! server binaries (`initdb`, `pg_ctl`), which scripts/test.sh installs when they are missing.

use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug)]
pub struct PrivatePostgres {
    directory: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    as_postgres: bool,
}

fn find_bin() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path().join("bin"))
        .filter(|bin| bin.join("pg_ctl").exists())
        .collect();
    versions.sort();
    versions.pop().or_else(|| {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path).find(|dir| dir.join("pg_ctl").exists() && dir.join("initdb").exists())
    })
}

impl PrivatePostgres {
    /// Creates and starts a cluster on a free port, trusting local connections.
    pub fn start() -> Self {
        let bin = find_bin().expect("no PostgreSQL server binaries (initdb, pg_ctl): run scripts/test.sh");
        let directory = tempfile::Builder::new().prefix("tco-pg-").tempdir_in("/tmp").unwrap();
        // PostgreSQL refuses to run as root.
        let as_postgres =
            Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0\n")).unwrap_or(false);
        if as_postgres {
            let status = Command::new("chown").arg("postgres").arg(directory.path()).status().unwrap();
            assert!(status.success(), "cannot give the cluster directory to the postgres user");
        }
        let port = free_port();
        let server = PrivatePostgres { directory, bin, port, as_postgres };
        let data = server.data();
        server.run("initdb", &["-D", &data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
        server.resume();
        server
    }

    fn data(&self) -> String {
        self.directory.path().join("data").display().to_string()
    }

    fn run(&self, program: &str, args: &[&str]) {
        let program = self.bin.join(program);
        let mut command = if self.as_postgres {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(&program);
            command
        } else {
            Command::new(&program)
        };
        let output = command.args(args).output().unwrap();
        assert!(
            output.status.success(),
            "{}: {}",
            program.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Stops the server at once, as a crash or an operator would.
    pub fn stop(&self) {
        self.run("pg_ctl", &["-D", &self.data(), "-m", "immediate", "-w", "stop"]);
    }

    /// Starts it again on the same port and data.
    pub fn resume(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.directory.path().display()
        );
        let log = self.directory.path().join("log").display().to_string();
        self.run("pg_ctl", &["-D", &self.data(), "-l", &log, "-o", &options, "-w", "start"]);
    }

    pub fn directory(&self) -> &Path {
        self.directory.path()
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let program = self.bin.join("pg_ctl");
        let data = self.data();
        let args = ["-D", data.as_str(), "-m", "immediate", "stop"];
        let _ = if self.as_postgres {
            Command::new("runuser").args(["-u", "postgres", "--"]).arg(&program).args(args).output()
        } else {
            Command::new(&program).args(args).output()
        };
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}
