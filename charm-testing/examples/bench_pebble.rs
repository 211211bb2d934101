//! How fast the harness runs an event that talks to Pebble: a charm whose `pebble-ready`
//! adds its layer and replans (three requests to the container's in-memory Pebble, over
//! the runtime's real client), checked to end with its service active. The counterpart of
//! `demo-charm/examples/bench_harness.rs`, which has no container.
//!
//! Prints one JSON line: `{"side": "charm-testing-pebble", "runs": N, "seconds": S, "runs_per_sec": R}`.
//!
//! ```sh
//! cargo run --release -p charm-testing --example bench_pebble -- --seconds 5
//! ```

use charm_runtime::pebble::{Layer, Service, ServiceStatus};
use charm_runtime::prelude::{charm, Model, Result};
use charm_testing::{Container, Context, Event, State};
use std::time::{Duration, Instant};

/// Runs `srv` in container `web`.
#[derive(Default)]
struct Bench;

fn layer() -> Layer {
    Layer::new().service("srv", Service::new("/bin/srv").enabled())
}

#[charm(
    name = "bench",
    summary = "Runs srv",
    description = "A benchmark charm."
)]
#[container("web")]
impl Bench {
    #[on(pebble_ready("web"))]
    fn ready(&self, model: &mut Model) -> Result<()> {
        let web = model.container(Self::WEB);
        web.add_layer("web", &layer(), true)?;
        web.replan()?;
        Ok(())
    }
}

fn main() {
    let mut seconds = 5.0_f64;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match (a.as_str(), args.next().and_then(|v| v.parse().ok())) {
            ("--seconds", Some(s)) => seconds = s,
            _ => {
                eprintln!("usage: bench_pebble [--seconds S]");
                std::process::exit(2);
            }
        }
    }

    let ctx = Context::<Bench>::new();
    let web = Container::new("web").can_connect(true);
    let state_in = State::builder().container(web.clone()).build();
    let event = Event::pebble_ready(&web);

    let once = || {
        let out = ctx.run(event.clone(), &state_in).expect("the run succeeds");
        let c = out.container("web").expect("the container");
        assert_eq!(c.service_statuses["srv"], ServiceStatus::Active);
        assert_eq!(out.pebble_calls.len(), 3);
    };

    for _ in 0..200 {
        once();
    }
    let budget = Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let mut runs: u64 = 0;
    let elapsed = loop {
        for _ in 0..32 {
            once();
        }
        runs += 32;
        let e = start.elapsed();
        if e >= budget {
            break e;
        }
    };
    let secs = elapsed.as_secs_f64();
    println!(
        "{{\"side\": \"charm-testing-pebble\", \"runs\": {runs}, \"seconds\": {secs:.3}, \"runs_per_sec\": {:.1}}}",
        runs as f64 / secs
    );
}
