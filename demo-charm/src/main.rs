//! `dispatch`: the binary Juju runs for every event of `demo-api-charm`.

fn main() -> std::process::ExitCode {
    charm_runtime::run::<demo_charm::DemoCharm>()
}
