//! A Kubernetes charm drives its workload through Pebble: `#[container]` generates the
//! container const, `model.container(Self::DEMO_SERVER)` reaches its Pebble, the tutorial's
//! flow (read the plan, add the layer with combine, replan, report the service) runs
//! against an in-process Pebble passed through `HookEnv::pebble`, and a missing socket
//! reads as "waiting for Pebble" instead of failing the hook.

use charm_runtime::hooktools::{HookTools, ToolCall, ToolError};
use charm_runtime::pebble::{Layer, PebbleAccess, Service};
use charm_runtime::prelude::*;
use charm_runtime::{dispatch, ContainerName, HookEnv, Outcome};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct Demo;

#[charm(name = "demo", summary = "Demo", description = "Runs a FastAPI server.")]
#[container("demo-server", resource = "demo-server-image")]
impl Demo {
    #[on(pebble_ready("demo-server"), config_changed)]
    fn update_layer(&self, model: &mut Model) -> Result<()> {
        let layer = Layer::new().summary("FastAPI demo service").service(
            "fastapi-service",
            Service::new("uvicorn api_demo_server.app:app --host=0.0.0.0 --port=8000")
                .summary("fastapi demo")
                .enabled(),
        );
        let c = model.container(Self::DEMO_SERVER);
        match c.get_plan() {
            Ok(plan) if plan.services == layer.services => {}
            Ok(_) => {
                c.add_layer("fastapi_demo", &layer, true)?;
                c.replan()?;
            }
            Err(e) if e.is_cannot_connect() => {}
            Err(e) => return Err(e.into()),
        }
        Ok(())
    }

    #[on(collect_status)]
    fn status(&self, model: &mut Model) {
        let c = model.container(Self::DEMO_SERVER);
        match c.get_service("fastapi-service") {
            Ok(Some(s)) if s.is_running() => model.add_status(active("")),
            Ok(_) => model.add_status(maintenance("Waiting for the service to start up")),
            Err(_) => model.add_status(maintenance("Waiting for Pebble in workload container")),
        }
    }
}

/// Hook tools that record every call.
#[derive(Default)]
struct Tools(Vec<String>);

impl HookTools for Tools {
    fn call(&mut self, call: &ToolCall) -> std::result::Result<String, ToolError> {
        self.0.push(call.to_string());
        Ok(String::new())
    }
}

/// A tiny Pebble: a layer, whether the service runs, and the request lines it saw.
#[derive(Default)]
struct Fake {
    layer: Option<String>,
    running: bool,
    lines: Vec<String>,
}

fn answer(fake: &Mutex<Fake>, line: &str, body: &[u8]) -> String {
    let mut f = fake.lock().unwrap();
    f.lines.push(line.to_string());
    let (result, change) = if line.starts_with("GET /v1/plan") {
        (serde_json::json!(f.layer.clone().unwrap_or_default()), None)
    } else if line.starts_with("POST /v1/layers") {
        let req: serde_json::Value = serde_json::from_slice(body).unwrap();
        f.layer = Some(req["layer"].as_str().unwrap().to_string());
        (serde_json::json!(true), None)
    } else if line.starts_with("POST /v1/services") {
        f.running = true;
        (serde_json::Value::Null, Some("1"))
    } else if line.starts_with("GET /v1/changes/1/wait") {
        let change = serde_json::json!({"id": "1", "kind": "replan", "summary": "Replan",
            "status": "Done", "ready": true, "spawn-time": "2024-06-01T10:00:00Z"});
        (change, None)
    } else if line.starts_with("GET /v1/services") {
        let current = if f.running { "active" } else { "inactive" };
        let list = serde_json::json!([{"name": "fastapi-service", "startup": "enabled",
                                       "current": current}]);
        (if f.layer.is_some() { list } else { serde_json::json!([]) }, None)
    } else {
        panic!("unexpected request {line}")
    };
    let (code, status, typ) = match change {
        Some(_) => (202, "Accepted", "async"),
        None => (200, "OK", "sync"),
    };
    let body = serde_json::json!({"type": typ, "status-code": code, "status": status,
                                  "change": change, "result": result})
    .to_string();
    format!(
        "HTTP/1.1 {code} {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

fn serve(fake: Arc<Mutex<Fake>>, stream: UnixStream) {
    let mut r = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    r.read_line(&mut line).unwrap();
    let mut len = 0;
    loop {
        let mut h = String::new();
        r.read_line(&mut h).unwrap();
        if h == "\r\n" {
            break;
        }
        if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; len];
    r.read_exact(&mut body).unwrap();
    let reply = answer(&fake, line.trim_end(), &body);
    (&stream).write_all(reply.as_bytes()).unwrap();
}

fn env(pebble: PebbleAccess) -> HookEnv {
    let vars = [
        ("JUJU_DISPATCH_PATH", "hooks/demo-server-pebble-ready"),
        ("JUJU_WORKLOAD_NAME", "demo-server"),
        ("JUJU_UNIT_NAME", "demo/0"),
        ("JUJU_MODEL_NAME", "m"),
        ("JUJU_MODEL_UUID", "u"),
        ("JUJU_VERSION", "3.6.4"),
        ("CHARM_CONTAINERS_DIR", "/nonexistent/containers"),
    ];
    let mut env = HookEnv::from_vars(|k| {
        vars.iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.to_string())
    })
    .unwrap()
    .unwrap();
    assert_eq!(
        env.pebble,
        PebbleAccess::sockets("/nonexistent/containers")
    );
    env.pebble = pebble;
    env
}

fn main() {
    const _: ContainerName = Demo::DEMO_SERVER;
    assert_eq!(Demo::DEMO_SERVER.name, "demo-server");

    // No socket yet: the hook succeeds and says it waits for Pebble.
    let mut tools = Tools::default();
    let no_socket = PebbleAccess::sockets("/nonexistent/containers");
    let outcome = dispatch::<Demo>(&env(no_socket), &mut tools);
    assert!(matches!(outcome, Outcome::Committed), "{outcome:?}");
    assert_eq!(
        tools.0,
        ["status-set --application=False maintenance -- Waiting for Pebble in workload container"]
    );

    // Pebble is up: the layer is added with combine, replanned, and the service runs.
    let fake = Arc::new(Mutex::new(Fake::default()));
    let served = Arc::clone(&fake);
    let access = PebbleAccess::connector(move |_container: &str| {
        let (client, server) = UnixStream::pair()?;
        let fake = Arc::clone(&served);
        std::thread::spawn(move || serve(fake, server));
        Ok(client)
    });
    let mut tools = Tools::default();
    let outcome = dispatch::<Demo>(&env(access.clone()), &mut tools);
    assert!(matches!(outcome, Outcome::Committed), "{outcome:?}");
    assert_eq!(tools.0, ["status-set --application=False active -- "]);
    let layer = fake.lock().unwrap().layer.clone().unwrap();
    // Sent as JSON, which Pebble reads as YAML: the same layer comes back.
    let sent = Layer::from_yaml(&layer).unwrap();
    assert_eq!(
        sent.services["fastapi-service"].command,
        "uvicorn api_demo_server.app:app --host=0.0.0.0 --port=8000",
        "{layer}"
    );
    assert_eq!(
        fake.lock().unwrap().lines,
        [
            "GET /v1/plan?format=yaml HTTP/1.1",
            "POST /v1/layers HTTP/1.1",
            "POST /v1/services HTTP/1.1",
            "GET /v1/changes/1/wait?timeout=4.000s HTTP/1.1",
            "GET /v1/services?names=fastapi-service HTTP/1.1",
        ]
    );

    // Again: the plan already has the service, so nothing is added.
    fake.lock().unwrap().lines.clear();
    let outcome = dispatch::<Demo>(&env(access), &mut Tools::default());
    assert!(matches!(outcome, Outcome::Committed), "{outcome:?}");
    assert_eq!(
        fake.lock().unwrap().lines,
        [
            "GET /v1/plan?format=yaml HTTP/1.1",
            "GET /v1/services?names=fastapi-service HTTP/1.1",
        ]
    );
}
