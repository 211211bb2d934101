//! Each unit's containers get a Pebble: a server process per container that outlives the
//! command, reached by the charm at `/charm/containers/<c>/pebble.socket` (a private
//! mount namespace per dispatch) and through `CHARM_CONTAINERS_DIR`, reset on pod churn
//! (storage mounted into the container stays), restarted when dead, stopped with its unit.
//! The client is ops 3.9.0's `pebble.Client` (`pebble_client.py`), from the tests and from
//! the charms' hooks.
//!
//! Needs the repository's venv (`bash tools/python-venv.sh`; `tools/test.sh` makes it), and
//! mount namespaces (root, or unprivileged user namespaces): without them the namespace
//! tests fail, saying so.

mod common;

use common::*;
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::Command;

fn python() -> PathBuf {
    let py = root().join(".venv/bin/python");
    assert!(
        py.exists(),
        "{} is missing: run `bash tools/python-venv.sh` (tools/test.sh does)",
        py.display()
    );
    py
}

fn client_script() -> PathBuf {
    root().join("cargo-charm/tests/pebble_client.py")
}

/// `pebble_client.py SOCKET ARGS...` (ops.pebble.Client), its stdout; it must succeed.
fn client(socket: &str, args: &[&str]) -> String {
    let out = Command::new(python())
        .arg(client_script())
        .arg(socket)
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "pebble_client.py {args:?}: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

const META: &str = r#"name: pebble-charm
summary: A charm with a workload container and storage mounted into it
description: Test fixture.
containers:
  app:
    resource: app-image
    mounts:
      - storage: data
        location: /srv/data
resources:
  app-image:
    type: oci-image
    description: Any image.
storage:
  data:
    type: filesystem
"#;

/// On pebble-ready: add a layer naming the unit through `/charm/containers` (ops' path);
/// if that fails, through `$CHARM_CONTAINERS_DIR` (the Rust runtime's variable).
fn script() -> String {
    format!(
        r#"
case "$JUJU_HOOK_NAME" in
app-pebble-ready)
  if out=$({py} {client} /charm/containers/app/pebble.socket identify "$JUJU_UNIT_NAME"); then
    juju-log -- "charm-containers: $out"
  else
    juju-log -- "charm-containers failed: $out"
    out=$({py} {client} "$CHARM_CONTAINERS_DIR/app/pebble.socket" identify "$JUJU_UNIT_NAME")
    juju-log -- "containers-dir: $out"
  fi
  ;;
esac
"#,
        py = python().display(),
        client = client_script().display()
    )
}

fn charm(m: &Model) -> String {
    let dir = shell_charm(&m.state.with_file_name("charm"), META, None, &script());
    dir.to_str().unwrap().to_string()
}

const NO_NAMESPACE: &str = "warning: hooks run without a mount namespace";

/// Fails, saying what to enable, if the command's hooks ran without a namespace.
fn assert_namespaces(r: &Run) {
    assert!(
        !r.stderr.contains(NO_NAMESPACE),
        "hooks could not run in a private mount namespace, so a charm cannot reach its Pebble at /charm/containers; this machine (or CI) needs root or unprivileged user namespaces, and CAP_SYS_ADMIN inside a container:\n{}",
        r.stderr
    );
}

fn deploy(m: &Model, units: &str) {
    let r = m.sim(&["deploy", &charm(m), "-n", units]);
    assert_namespaces(&r);
    r.ok();
}

fn socket(m: &Model, unit: &str) -> String {
    m.sim(&["pebble", unit, "app"]).ok().trim().to_string()
}

fn pid(m: &Model, unit: &str) -> i32 {
    let file = m
        .state
        .join("units")
        .join(unit.replace('/', "-"))
        .join("workloads/app/pebbled.pid");
    std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()))
        .trim()
        .parse()
        .unwrap()
}

/// Whether `pid` runs (and is no zombie).
fn running(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            s.rsplit_once(')')
                .map(|(_, r)| r.split_whitespace().next() != Some("Z"))
        })
        .unwrap_or(false)
}

fn wait_gone(pid: i32) {
    for _ in 0..500 {
        if !running(pid) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("process {pid} still runs");
}

/// Whitespace runs as one space (table columns without their padding).
fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `GET path` on a socket, as `curl --unix-socket` would: the status line and body.
fn get(socket: &str, path: &str) -> String {
    let mut s = UnixStream::connect(socket).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn each_unit_reaches_its_own_pebble_at_charm_containers() {
    let m = Model::short("pebble-own");
    deploy(&m, "2");
    let log = m.sim(&["debug-log"]).ok();
    for unit in ["pebble-charm-0", "pebble-charm-1"] {
        assert!(
            log.contains(&format!("unit-{unit}: ")) && !log.contains("charm-containers failed"),
            "{log}"
        );
    }
    assert_eq!(log.matches("charm-containers: ok").count(), 2, "{log}");
    // Each unit's layer, added through /charm/containers, is in its own Pebble only.
    for unit in ["pebble-charm/0", "pebble-charm/1"] {
        let plan = m.sim(&["pebble", unit, "app", "plan"]).ok();
        assert!(
            plan.contains(&format!("/bin/who-am-i {unit}")),
            "{unit}: {plan}"
        );
        assert_eq!(plan.matches("who-am-i").count(), 1, "{plan}");
        let services = client(&socket(&m, unit), &["services"]);
        assert_eq!(services, "who active\n");
        let shown = m.unit(unit);
        assert_eq!(
            shown["containers"]["app"]["services"]["who"]["current"],
            "active"
        );
        assert_eq!(
            shown["containers"]["app"]["services"]["who"]["startup"],
            "enabled"
        );
    }
    let status = words(&m.sim(&["status"]).ok());
    assert!(status.contains("Unit Container Services"), "{status}");
    assert!(
        status.contains("pebble-charm/0* app who: active"),
        "{status}"
    );
    assert!(
        status.contains("pebble-charm/1 app who: active"),
        "{status}"
    );
    // Nothing was mounted or created on the host's /charm/containers.
    let leaked: Vec<_> = std::fs::read_dir("/charm/containers")
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(leaked.is_empty(), "{leaked:?}");
}

#[test]
fn pod_churn_resets_the_container_but_keeps_its_mounted_storage() {
    let m = Model::short("pebble-churn");
    deploy(&m, "1");
    let unit = "pebble-charm/0";
    let sock = socket(&m, unit);
    assert!(sock.ends_with("units/pebble-charm-0/containers/app/pebble.socket"));
    client(&sock, &["push", "/etc/app.conf", "conf"]);
    client(&sock, &["push", "/srv/data/kept.txt", "kept"]);
    // The mounted storage is the unit's storage directory; the rest is the container's root.
    let storage = m.unit(unit)["storage"]["data/0"]["location"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        std::fs::read_to_string(Path::new(&storage).join("kept.txt")).unwrap(),
        "kept"
    );
    let workload = m.state.join("units/pebble-charm-0/workloads/app");
    assert!(workload.join("root/etc/app.conf").is_file());
    let files = m.sim(&["pebble", unit, "app", "files", "/srv/data"]).ok();
    assert!(files.contains("/srv/data/kept.txt"), "{files}");
    assert!(files.lines().nth(1).unwrap().starts_with("-644"), "{files}");
    assert_eq!(
        m.sim(&["pebble", unit, "app", "pull", "/etc/app.conf"])
            .ok(),
        "conf"
    );

    let old = pid(&m, unit);
    m.sim(&["delete-pod", unit]).ok();
    wait_gone(old);
    assert!(running(pid(&m, unit)));
    // A new container: its files are gone, the storage mounted into it is not.
    assert_eq!(
        client(&sock, &["pull", "/etc/app.conf"]),
        "not-found: stat /etc/app.conf: no such file or directory\n"
    );
    assert_eq!(client(&sock, &["pull", "/srv/data/kept.txt"]), "kept");
    // The plan was empty until pebble-ready added the layer again.
    let log = m.sim(&["debug-log"]).ok();
    assert_eq!(log.matches("charm-containers: ok").count(), 2, "{log}");
    assert_eq!(client(&sock, &["services"]), "who active\n");

    // `sim pebble`'s input is checked.
    let r = m.sim(&["pebble", unit, "web"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains(r#"application "pebble-charm" has no container "web" (containers: app)"#),
        "{}",
        r.stderr
    );
    let r = m.sim(&["pebble", unit, "app", "files"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("needs a PATH"), "{}", r.stderr);
    let r = m.sim(&["pebble", unit, "app", "pull", "/etc/app.conf"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("stat /etc/app.conf: no such file or directory"),
        "{}",
        r.stderr
    );
    let r = m.sim(&["pebble", "pebble-charm/7", "app"]);
    assert!(
        r.stderr.contains(r#"unit "pebble-charm/7" not found"#),
        "{}",
        r.stderr
    );
}

#[test]
fn servers_outlive_commands_restart_when_dead_and_stop_with_their_unit() {
    let m = Model::short("pebble-procs");
    deploy(&m, "2");
    let sock = socket(&m, "pebble-charm/0");
    // Live between commands, for any tool.
    let reply = get(&sock, "/v1/system-info");
    assert!(reply.starts_with("HTTP/1.1 200 OK"), "{reply}");
    assert!(reply.contains(r#""version":"v1.32.1""#), "{reply}");

    // A dead server comes back with its state at the next command.
    let first = pid(&m, "pebble-charm/0");
    rustix::process::kill_process(
        rustix::process::Pid::from_raw(first).unwrap(),
        rustix::process::Signal::KILL,
    )
    .unwrap();
    wait_gone(first);
    m.sim(&["status"]).ok();
    let second = pid(&m, "pebble-charm/0");
    assert_ne!(first, second);
    assert!(running(second));
    assert_eq!(client(&sock, &["services"]), "who active\n");
    let plan = client(&sock, &["plan"]);
    assert!(plan.contains("/bin/who-am-i pebble-charm/0"), "{plan}");

    // Scale-down stops the removed unit's server; destroy stops the rest.
    let other = pid(&m, "pebble-charm/1");
    m.sim(&["scale", "1"]).ok();
    wait_gone(other);
    assert!(!m.state.join("units/pebble-charm-1").exists());
    assert!(running(second));
    m.sim(&["destroy"]).ok();
    wait_gone(second);
    assert!(!m.state.exists());
}

#[test]
fn without_a_namespace_one_warning_and_the_variable_still_reaches_pebble() {
    let m = Model::short("pebble-no-ns");
    let off = [("CARGO_CHARM_SIM_NAMESPACES", "off")];
    let r = m.sim_env(&["deploy", &charm(&m), "-n", "2"], &off);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let warnings: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains(NO_NAMESPACE))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", r.stderr);
    assert!(
        warnings[0].contains("ops charms cannot reach it")
            && warnings[0].ends_with("CARGO_CHARM_SIM_NAMESPACES=off"),
        "{}",
        warnings[0]
    );
    let log = m.sim(&["debug-log"]).ok();
    assert_eq!(
        log.matches("charm-containers failed: ConnectionError")
            .count(),
        2,
        "{log}"
    );
    assert_eq!(log.matches("containers-dir: ok").count(), 2, "{log}");
    let plan = m.sim(&["pebble", "pebble-charm/1", "app", "plan"]).ok();
    assert!(plan.contains("/bin/who-am-i pebble-charm/1"), "{plan}");
    // A charm without containers never needs (nor warns about) a namespace.
    let plain = Model::new("pebble-no-containers");
    let dir = shell_charm(
        &plain.state.with_file_name("charm"),
        "name: plain\nsummary: s\ndescription: d\n",
        None,
        "true",
    );
    let r = plain.sim_env(&["deploy", dir.to_str().unwrap()], &off);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains(NO_NAMESPACE), "{}", r.stderr);
}

#[test]
fn a_deep_state_directory_still_has_working_sockets() {
    let base = scratch("pebble-deep");
    let deep =
        base.join("a-directory-name-long-enough-to-push-the-socket-path-past-the-limit/state");
    let m = Model { state: deep };
    let sock = m
        .state
        .join("units/pebble-charm-0/containers/app/pebble.socket");
    assert!(sock.as_os_str().len() > 108, "{}", sock.display());
    deploy(&m, "1");
    let log = m.sim(&["debug-log"]).ok();
    assert!(log.contains("charm-containers: ok"), "{log}");
    let services = words(&m.sim(&["pebble", "pebble-charm/0", "app", "services"]).ok());
    assert!(
        services.starts_with("Service Startup Current Since who enabled active 20"),
        "{services}"
    );
    m.sim(&[
        "dispatch",
        "pebble-charm/0",
        "app-pebble-custom-notice",
        "--notice-key",
        "example.com/deep",
    ])
    .ok();
    let notices = words(&m.sim(&["pebble", "pebble-charm/0", "app", "notices"]).ok());
    assert!(notices.contains(" 0 custom example.com/deep "), "{notices}");
}

/// pebbled's `ops.pebble.Client` suite (every client operation a charm uses, and the error
/// cases with real Pebble's exception types and texts) against the server the simulator
/// runs for each container: `cargo-charm __pebble-server`, started by the suite through a
/// two-line wrapper that has the `pebbled` binary's command line.
#[test]
fn the_ops_client_suite_passes_against_the_simulators_server() {
    let work =
        Path::new("/tmp/cargo-charm-tests").join(format!("ops-suite-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    let wrapper = work.join("pebbled");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nexec {} __pebble-server \"$@\"\n",
            env!("CARGO_BIN_EXE_cargo-charm")
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = Command::new(python())
        .arg(root().join("pebbled/tests/ops_client.py"))
        .arg(&wrapper)
        .arg(&work)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let _ = std::fs::remove_dir_all(&work);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.contains("ops.pebble.Client suite passed"),
        "{stdout}"
    );
}

/// Storage a hook adds (`storage-add`) to a storage the container mounts is seen in the
/// container too: its Pebble restarts (state kept) with the new mount.
#[test]
fn storage_added_later_is_mounted_into_the_container() {
    let m = Model::short("pebble-storage-add");
    let meta = r#"name: adder
summary: s
description: d
containers:
  app:
    resource: app-image
    mounts:
      - storage: cache
        location: /cache
resources:
  app-image:
    type: oci-image
    description: Any image.
storage:
  cache:
    type: filesystem
    multiple:
      range: 1-2
"#;
    let script = r#"case "$JUJU_HOOK_NAME" in update-status) storage-add cache;; esac"#;
    let dir = shell_charm(&m.state.with_file_name("charm"), meta, None, script);
    let r = m.sim(&["deploy", dir.to_str().unwrap()]);
    assert_namespaces(&r);
    r.ok();
    let unit = "adder/0";
    let sock = m.sim(&["pebble", unit, "app"]).ok().trim().to_string();
    client(&sock, &["push", "/cache/cache/0/first", "1"]);
    client(&sock, &["identify", "adder"]);
    let before = pid(&m, unit);
    m.sim(&["dispatch", unit, "update-status"]).ok();
    assert_ne!(pid(&m, unit), before);
    wait_gone(before);
    client(&sock, &["push", "/cache/cache/1/second", "2"]);
    let storage = &m.unit(unit)["storage"];
    for (id, file, text) in [("cache/0", "first", "1"), ("cache/1", "second", "2")] {
        let location = storage[id]["location"].as_str().unwrap();
        assert_eq!(
            std::fs::read_to_string(Path::new(location).join(file)).unwrap(),
            text,
            "{id}"
        );
    }
    // The restart kept the plan and the started service.
    assert_eq!(client(&sock, &["services"]), "who active\n");
}
