//! The Rust side of the harness benchmark (`tools/bench.sh` runs it): the demo charm's
//! `start` as the leader, with the peer relation `fastapi-peer` holding
//! `unit_stats = {"started_counter": 5}`, run with `charm_testing`; every run must produce 6.
//! The same test as `tools/bench_ops_testing.py` runs in `ops.testing`.
//!
//! Prints one JSON line: `{"side": "charm-testing", "runs": N, "seconds": S, "runs_per_sec": R}`.
//!
//! ```sh
//! cargo run --release -p demo-charm --example bench_harness -- --seconds 5
//! ```

use charm_runtime::blocked;
use charm_testing::{Container, Context, Event, Relation, State};
use demo_charm::DemoCharm;
use std::time::{Duration, Instant};

fn main() {
    let mut seconds = 5.0_f64;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match (a.as_str(), args.next().and_then(|v| v.parse().ok())) {
            ("--seconds", Some(s)) => seconds = s,
            _ => {
                eprintln!("usage: bench_harness [--seconds S]");
                std::process::exit(2);
            }
        }
    }

    let ctx = Context::<DemoCharm>::new();
    let peers = Relation::peer("fastapi-peer")
        .local_app_data([("unit_stats", r#"{"started_counter": 5}"#)]);
    let id = peers.id;
    // The container exists but Pebble is not up yet (both sides), so collect-status asks it.
    let state_in = State::builder()
        .leader(true)
        .relation(peers)
        .container(Container::new("demo-server").can_connect(false))
        .build();
    let waiting_for_db = blocked("Waiting for database relation");

    let once = || {
        let out = ctx
            .run(Event::start(), &state_in)
            .expect("the run succeeds");
        let got = &out.relation(id).expect("the relation").local_app_data["unit_stats"];
        assert_eq!(got, r#"{"started_counter": 6}"#);
        assert_eq!(out.state.unit_status(), &waiting_for_db);
    };

    for _ in 0..1000 {
        once();
    }
    let budget = Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let mut runs: u64 = 0;
    let elapsed = loop {
        // Check the clock every 256 runs: a run takes microseconds.
        for _ in 0..256 {
            once();
        }
        runs += 256;
        let e = start.elapsed();
        if e >= budget {
            break e;
        }
    };
    let secs = elapsed.as_secs_f64();
    println!(
        "{{\"side\": \"charm-testing\", \"runs\": {runs}, \"seconds\": {secs:.3}, \"runs_per_sec\": {:.1}}}",
        runs as f64 / secs
    );
}
