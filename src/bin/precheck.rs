//! `precheck`: the same checks as the browser app, on the command line.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let code = id_precheck::cli::run(
        &args,
        &mut stdin.lock(),
        &mut stdout.lock(),
        &mut stderr.lock(),
    );
    std::process::ExitCode::from(code)
}

/// The CLI is native only; the wasm build has the app instead.
#[cfg(target_arch = "wasm32")]
fn main() {}
