//! A Stoplight Prism mock server for one spec, for conformance tests of any generated client.
//!
//! Prism is installed by the project itself (`npm ci --prefix xtask/prism`, pinned in
//! `xtask/prism/package-lock.json`). The process is killed when the handle drops, so it
//! stops also when a test fails.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Prism {
    child: Child,
    port: u16,
}

/// Where the project installs Prism.
pub fn binary() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../xtask/prism/node_modules/.bin/prism")
}

/// `Some(path)` when Prism is installed — by this function, with the pinned `npm ci`, if
/// `npm` is on the PATH and Prism is not there yet. `None` (after one line saying the suite
/// was skipped) only where there is no `npm` at all; under `CI=true` that fails instead, since
/// a missing Prism must not pass quietly.
pub fn available(suite: &str) -> Option<PathBuf> {
    static INSTALL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let prism = binary();
    let _one_install_at_a_time = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    if prism.exists() {
        return Some(prism);
    }
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("../xtask/prism");
    let installed = Command::new("npm")
        .args(["ci", "--loglevel=error", "--prefix"])
        .arg(&project)
        .stdin(Stdio::null())
        .status();
    match installed {
        Ok(status) if status.success() && prism.exists() => {
            say(&format!(
                "{suite}: installed the pinned Prism with `npm ci`"
            ));
            return Some(prism);
        }
        Ok(status) => panic!(
            "{suite}: `npm ci --prefix xtask/prism` failed ({status}); Prism is pinned in xtask/prism/package-lock.json"
        ),
        Err(_) => {}
    }
    let hint = "install Node.js and npm; the tests then install the pinned Prism themselves";
    if std::env::var_os("CI").is_some() {
        panic!("{suite}: npm is not available and CI is set; {hint}");
    }
    say(&format!(
        "{suite}: SKIPPED — no npm to install Prism with ({hint})"
    ));
    None
}

impl Prism {
    /// Starts `prism mock <spec>` on a free loopback port and waits until it accepts
    /// connections. `dynamic` asks for randomized, schema-valid responses in which each
    /// optional property appears about half the time (json-schema-faker's options, given to
    /// Prism through a copy of a YAML spec, so the spec itself stays as it is).
    pub fn start(prism: &Path, spec: &Path, dynamic: bool) -> Prism {
        let port = {
            let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
            listener.local_addr().expect("address").port()
        };
        let spec = if dynamic && spec.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            let copy = std::env::temp_dir().join(format!("prism-{port}.yaml"));
            let mut text = std::fs::read_to_string(spec).expect("spec is readable");
            text.push_str("\nx-json-schema-faker:\n  alwaysFakeOptionals: false\n  optionalsProbability: 0.5\n");
            std::fs::write(&copy, text).expect("temp spec");
            copy
        } else {
            spec.to_path_buf()
        };
        let spec = spec.as_path();
        let log = std::env::temp_dir().join(format!("prism-{port}.log"));
        let log_file = std::fs::File::create(&log).expect("log file");
        let mut command = Command::new(prism);
        command
            .args([
                "mock",
                &spec.display().to_string(),
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
            ])
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("log file"))
            .stderr(log_file);
        if dynamic {
            command.arg("--dynamic");
        }
        let child = command.spawn().expect("Prism starts");
        let prism = Prism { child, port };
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let started = Instant::now();
        while TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "Prism did not listen on {port} within 60 s; its log: {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        prism
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One line on the real stderr: libtest captures `eprintln!` of passing tests, and a skip or
/// a count must be seen.
pub fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}
