use std::process::ExitCode;

fn main() -> ExitCode {
    healthpress::cli::run()
}
