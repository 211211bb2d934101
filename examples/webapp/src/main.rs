fn main() -> std::process::ExitCode {
    charm_runtime::run::<webapp::Webapp>()
}
