use std::process::ExitCode;

fn main() -> ExitCode {
    healthpress::memory::keep_freed_memory();
    healthpress::cli::run()
}
