//! The `juju` front end through the real binary, started as `juju` (the `juju-shim`
//! symlink): Juju's usage errors and exit codes, models, deploy, and the JSON shapes
//! jubilant parses (status, show-unit, config, run), with a shell-script charm.

mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const META: &str =
    "name: shell-charm\nsummary: s\ndescription: d\npeers:\n  peers:\n    interface: shell_peers\n";
const CONFIG: &str = "options:\n  greeting:\n    type: string\n    default: hi\n    description: what to say\n  size:\n    type: int\n    description: no default\n";
const ACTIONS: &str = "greet:\n  description: g\n  params:\n    name:\n      type: string\n  additionalProperties: false\nexplode:\n  description: e\n";

/// Sets its status from config; `greet` answers with a nested result; `explode` exits 1.
const SCRIPT: &str = r#"
case "$JUJU_ACTION_NAME" in
greet)
  action-log "greeting"
  action-set "reply.text=$(config-get greeting) $(action-get name)"
  exit 0 ;;
explode)
  echo boom >&2
  exit 1 ;;
esac
case "$JUJU_HOOK_NAME" in
start|config-changed)
  open-port 9000
  status-set active -- "$(config-get greeting)" ;;
esac
"#;

struct Juju {
    bin: PathBuf,
    home: PathBuf,
}

impl Juju {
    fn new(name: &str) -> Juju {
        let dir = scratch(name);
        let shim = dir.join("bin");
        cargo_charm(&["juju-shim", shim.to_str().unwrap()]).ok();
        Juju {
            bin: shim.join("juju"),
            home: dir.join("home"),
        }
    }

    fn run(&self, args: &[&str]) -> Run {
        let o = Command::new(&self.bin)
            .args(args)
            .env("CARGO_CHARM_JUJU_HOME", &self.home)
            .env_remove("JUJU_MODEL")
            .env_remove("CARGO_CHARM_CHARMHUB")
            .env_remove("CARGO_CHARM_CHARMHUB_MAP")
            .current_dir(root())
            .output()
            .unwrap();
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    fn json(&self, args: &[&str]) -> Value {
        let out = self.run(args).ok();
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
    }
}

impl Drop for Juju {
    fn drop(&mut self) {
        // No Pebble server outlives the test (the charm has no containers, but a model
        // left behind would be).
        let _ = self.run(&["destroy-model", "m", "--no-prompt"]);
    }
}

fn charm(dir: &Path) -> String {
    let c = shell_charm(&dir.join("charm"), META, Some(CONFIG), SCRIPT);
    std::fs::write(c.join("actions.yaml"), ACTIONS).unwrap();
    c.to_str().unwrap().to_string()
}

#[test]
fn usage_errors_as_juju_words_them() {
    let j = Juju::new("juju-usage");
    let r = j.run(&["bogus"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "ERROR juju: \"bogus\" is not a juju command. See \"juju --help\".\n"
    );
    let r = j.run(&["status", "--bogus"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (2, "ERROR option provided but not defined: --bogus\n")
    );
    let r = j.run(&["status", "--format", "xml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("ERROR invalid value \"xml\" for option --format"),
        "{}",
        r.stderr
    );
    let r = j.run(&["status", "--model", "nowhere"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "ERROR model cargo-charm-sim:admin/nowhere not found\n"
    );
    let v = j.json(&["version", "--format", "json", "--all"]);
    assert!(
        v["version"]
            .as_str()
            .unwrap()
            .starts_with("3.6.4-genericlinux-"),
        "{v}"
    );
}

#[test]
fn a_model_from_add_model_to_destroy_model() {
    let j = Juju::new("juju-model");
    j.run(&["add-model", "--no-switch", "m"]).ok();
    let r = j.run(&["add-model", "m"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);
    j.run(&["set-model-constraints", "--model", "m", "arch=amd64"])
        .ok();
    assert_eq!(
        j.json(&["model-constraints", "-m", "m", "--format", "json"])["arch"],
        "amd64"
    );
    let empty = j.json(&["status", "--model", "m", "--format", "json"]);
    assert_eq!(empty["applications"], serde_json::json!({}));
    assert_eq!(empty["model"]["type"], "caas");

    let dir = scratch("juju-model-charm");
    let charm = charm(&dir);
    // A store charm needs the Charmhub stand-in's mapping; the error names it.
    let r = j.run(&[
        "deploy",
        "--model",
        "m",
        "postgresql-k8s",
        "--channel",
        "14/stable",
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("CARGO_CHARM_CHARMHUB"), "{}", r.stderr);
    // A local charm path must be explicit (./ or /), as Juju wants.
    let r = j.run(&["deploy", "--model", "m", "Cargo.toml"]);
    assert!(r.stderr.contains("ambiguous"), "{}", r.stderr);
    j.run(&[
        "deploy",
        "--model",
        "m",
        &charm,
        "--num-units",
        "2",
        "--config",
        "greeting=hello",
    ])
    .ok();

    let s = j.json(&["status", "--model", "m", "--format", "json"]);
    let app = &s["applications"]["shell-charm"];
    assert_eq!(app["charm"], "local:shell-charm-0");
    assert_eq!(app["charm-origin"], "local");
    assert_eq!(app["scale"], 2);
    assert_eq!(app["application-status"]["current"], "active");
    assert_eq!(app["application-status"]["message"], "hello");
    assert_eq!(
        app["relations"]["peers"][0]["related-application"],
        "shell-charm"
    );
    let u0 = &app["units"]["shell-charm/0"];
    assert_eq!(u0["leader"], true);
    assert_eq!(u0["juju-status"]["current"], "idle");
    assert_eq!(u0["open-ports"][0], "9000/tcp");
    assert!(app["units"]["shell-charm/1"].get("leader").is_none());
    // Go's key order.
    let raw = j.run(&["status", "--model", "m", "--format", "json"]).ok();
    let keys = [
        "\"charm\":",
        "\"charm-origin\":",
        "\"charm-name\":",
        "\"charm-rev\":",
        "\"scale\":",
        "\"exposed\":",
        "\"application-status\":",
        "\"relations\":",
        "\"units\":",
    ];
    let at: Vec<usize> = keys.iter().map(|k| raw.find(k).unwrap()).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{raw}");
    let table = j.run(&["status", "--model", "m"]).ok();
    assert!(table.contains("shell-charm/0*  active    idle"), "{table}");

    // show-unit: the peer relation with the unit's own bag.
    let su = j.json(&[
        "show-unit",
        "--model",
        "m",
        "shell-charm/leader",
        "--format",
        "json",
    ]);
    let unit = &su["shell-charm/0"];
    assert_eq!(unit["charm"], "local:shell-charm-0");
    assert_eq!(unit["opened-ports"][0], "9000/tcp");
    let peers = &unit["relation-info"][0];
    assert_eq!(peers["endpoint"], "peers");
    assert_eq!(peers["local-unit"]["in-scope"], true);
    assert!(
        peers["local-unit"]["data"]["ingress-address"].is_string(),
        "{peers}"
    );
    assert!(peers["related-units"]["shell-charm/1"]["in-scope"]
        .as_bool()
        .unwrap());

    // config: typed values, sources.
    let c = j.json(&["config", "--model", "m", "--format", "json", "shell-charm"]);
    assert_eq!(c["settings"]["greeting"]["value"], "hello");
    assert_eq!(c["settings"]["greeting"]["source"], "user");
    assert!(c["settings"]["size"].get("value").is_none());
    assert_eq!(c["settings"]["size"]["source"], "unset");
    j.run(&[
        "config",
        "--model",
        "m",
        "shell-charm",
        "--reset",
        "greeting",
    ])
    .ok();
    assert_eq!(
        j.run(&["config", "-m", "m", "shell-charm", "greeting"])
            .ok(),
        "hi\n"
    );
    let r = j.run(&["config", "-m", "m", "shell-charm", "size=big"]);
    assert_eq!(r.code, 1, "{}", r.stderr);

    // run: jubilant's invocation, with a params file.
    let params = dir.join("params.yaml");
    std::fs::write(&params, "name: bob\n").unwrap();
    let t = j.json(&[
        "run",
        "--model",
        "m",
        "--format",
        "json",
        "shell-charm/leader",
        "greet",
        "--wait",
        "60s",
        "--params",
        params.to_str().unwrap(),
    ]);
    let task = &t["shell-charm/0"];
    assert_eq!(task["status"], "completed");
    assert_eq!(task["unit"], "shell-charm/0");
    assert_eq!(task["results"]["reply"]["text"], "hi bob");
    assert_eq!(task["results"]["return-code"], 0);
    assert!(
        task["log"][0].as_str().unwrap().ends_with(" greeting"),
        "{task}"
    );
    // A task that exits non-zero: the results, then Juju's error, exit 1.
    let r = j.run(&[
        "run",
        "--model",
        "m",
        "--format",
        "json",
        "shell-charm/1",
        "explode",
    ]);
    assert_eq!(r.code, 1);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["shell-charm/1"]["results"]["stderr"], "boom\n");
    assert!(
        r.stderr.contains("ERROR the following task failed:"),
        "{}",
        r.stderr
    );
    let r = j.run(&[
        "run",
        "-m",
        "m",
        "shell-charm/0",
        "greet",
        "--params",
        params.to_str().unwrap(),
        "extra=1",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);

    // Units come and go.
    j.run(&["add-unit", "-m", "m", "shell-charm", "-n", "2"])
        .ok();
    j.run(&[
        "remove-unit",
        "-m",
        "m",
        "shell-charm",
        "--num-units",
        "3",
        "--no-prompt",
    ])
    .ok();
    let s = j.json(&["status", "-m", "m", "--format", "json"]);
    assert_eq!(s["applications"]["shell-charm"]["scale"], 1);

    let models = j.json(&["models", "--format", "json"]);
    assert_eq!(models["models"][0]["short-name"], "m");
    j.run(&[
        "destroy-model",
        "m",
        "--no-prompt",
        "--destroy-storage",
        "--force",
    ])
    .ok();
    assert!(!j.home.join("models/m").exists());
    assert_eq!(
        j.json(&["models", "--format", "json"])["models"],
        serde_json::json!([])
    );
}

/// `juju exec`: shell text run in the unit's hook context, as jubilant calls it; the
/// hook tools' changes are committed only when the commands exit 0; it runs while the
/// unit is in hook error, and leaves the error alone.
#[test]
fn exec_runs_commands_in_the_units_hook_context() {
    let j = Juju::new("juju-exec");
    j.run(&["add-model", "--no-switch", "m"]).ok();
    let dir = scratch("juju-exec-charm");
    let script = r#"
case "$JUJU_HOOK_NAME" in
config-changed) [ "$(config-get greeting)" = fail ] && exit 1 ;;
esac
exit 0
"#;
    let charm = shell_charm(&dir.join("charm"), META, Some(CONFIG), script);
    j.run(&["deploy", "-m", "m", charm.to_str().unwrap(), "-n", "2"])
        .ok();

    let exec = |unit: &str, cmd: &[&str]| {
        let mut args = vec!["exec", "-m", "m", "--format", "json", "--unit", unit, "--"];
        args.extend(cmd);
        j.run(&args)
    };
    let r = exec(
        "shell-charm/leader",
        &["echo", "$JUJU_UNIT_NAME;", "is-leader"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let task = &v["shell-charm/0"];
    assert_eq!(task["status"], "completed");
    assert_eq!(task["unit"], "shell-charm/0");
    assert_eq!(task["results"]["stdout"], "shell-charm/0\nTrue\n");
    assert_eq!(task["results"]["return-code"], 0);
    assert!(task.get("message").is_none(), "{task}");

    // A failing command: the task completes with its code; juju exits 1 ("task failed").
    let r = exec(
        "shell-charm/1",
        &["relation-set -r $(relation-ids peers) k=v; echo bad >&2; exit 4"],
    );
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("task failed"), "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["shell-charm/1"]["status"], "completed");
    assert_eq!(v["shell-charm/1"]["results"]["return-code"], 4);
    assert_eq!(v["shell-charm/1"]["results"]["stderr"], "bad\n");
    let bag = |unit: &str| {
        let su = j.json(&["show-unit", "-m", "m", unit, "--format", "json"]);
        su[unit]["relation-info"][0]["local-unit"]["data"].clone()
    };
    assert!(bag("shell-charm/1").get("k").is_none(), "not committed");
    // Exit 0: committed.
    let r = exec(
        "shell-charm/1",
        &["relation-set -r $(relation-ids peers) k=v"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(bag("shell-charm/1")["k"], "v");

    // The unit in hook error: exec still runs, and the error stays.
    let r = j.run(&["config", "-m", "m", "shell-charm", "greeting=fail"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let unit_status = |unit: &str| {
        let s = j.json(&["status", "-m", "m", "--format", "json"]);
        s["applications"]["shell-charm"]["units"][unit]["workload-status"]["current"].clone()
    };
    assert_eq!(unit_status("shell-charm/0"), "error");
    let r = exec("shell-charm/0", &["echo", "still here"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(unit_status("shell-charm/0"), "error");

    // The default format prints the command's output as it wrote it; --application runs
    // on every unit of the application.
    let r = j.run(&["exec", "-m", "m", "-u", "shell-charm/1", "--", "echo", "hi"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, "hi\n"));
    let v = j.json(&[
        "exec",
        "-m",
        "m",
        "--format",
        "json",
        "--application",
        "shell-charm",
        "--",
        "true",
    ]);
    assert_eq!(
        v.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["shell-charm/0", "shell-charm/1"]
    );
    // Unknown units are named.
    let r = exec("shell-charm/7", &["true"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("shell-charm/7"), "{}", r.stderr);
}

/// An observer that read a secret gets `secret-changed` when the owner adds a revision
/// (here through `juju exec … secret-set`), with its own consumer label, which Juju keeps
/// across hooks; an observer that never read it gets nothing.
#[test]
fn observers_get_secret_changed_with_their_label() {
    let j = Juju::new("juju-secret-changed");
    j.run(&["add-model", "--no-switch", "m"]).ok();
    let dir = scratch("juju-secret-changed-charms");
    let owner = shell_charm(
        &dir.join("owner"),
        "name: owner\nsummary: s\ndescription: d\nprovides:\n  db:\n    interface: x\n",
        None,
        r#"
case "$JUJU_HOOK_NAME" in
db-relation-created)
  if [ "$(is-leader)" = True ]; then
    id=$(state-get secret-id 2>/dev/null || true)
    if [ -z "$id" ]; then
      id=$(secret-add password=one)
      state-set secret-id="$id"
    fi
    secret-grant "$id" -r "$JUJU_RELATION_ID"
    relation-set -r "$JUJU_RELATION_ID" --app secret-id="$id"
  fi ;;
esac
exit 0
"#,
    );
    let consumer_meta = "summary: s\ndescription: d\nrequires:\n  db:\n    interface: x\n";
    let consumer_script = r#"
case "$JUJU_HOOK_NAME" in
db-relation-changed)
  id=$(relation-get -r "$JUJU_RELATION_ID" --app secret-id owner)
  if [ -n "$id" ] && [ "${JUJU_UNIT_NAME%/*}" = reader ]; then
    secret-get "$id" --label mine password >/dev/null
    status-set active "read $(secret-get --label mine)"
  fi ;;
secret-changed)
  juju-log "secret-changed on $JUJU_UNIT_NAME"
  status-set active "changed $JUJU_SECRET_LABEL $(secret-get --label mine --refresh)" ;;
esac
exit 0
"#;
    let reader = shell_charm(
        &dir.join("reader"),
        &format!("name: reader\n{consumer_meta}"),
        None,
        consumer_script,
    );
    let idle = shell_charm(
        &dir.join("idle"),
        &format!("name: idle\n{consumer_meta}"),
        None,
        consumer_script,
    );
    for c in [&owner, &reader, &idle] {
        j.run(&["deploy", "-m", "m", c.to_str().unwrap()]).ok();
    }
    j.run(&["integrate", "-m", "m", "owner", "reader"]).ok();
    j.run(&["integrate", "-m", "m", "owner", "idle"]).ok();
    let message = |unit: &str| {
        let s = j.json(&["status", "-m", "m", "--format", "json"]);
        let app = unit.split('/').next().unwrap();
        s["applications"][app]["units"][unit]["workload-status"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(message("reader/0"), "read password: one");

    // The secret the owner granted to `reader` (one per relation).
    let su = j.json(&["show-unit", "-m", "m", "reader/0", "--format", "json"]);
    let id = su["reader/0"]["relation-info"][0]["application-data"]["secret-id"]
        .as_str()
        .unwrap()
        .to_string();
    let owner_exec = |cmd: &[&str]| {
        let mut args = vec!["exec", "-m", "m", "--unit", "owner/0", "--"];
        args.extend(cmd);
        j.run(&args)
    };
    let r = owner_exec(&["secret-set", &id, "password=two"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(message("reader/0"), "changed mine password: two");
    // `idle` was granted the same secret but never read it: no hook, no status.
    let su = j.json(&["show-unit", "-m", "m", "idle/0", "--format", "json"]);
    assert_eq!(
        su["idle/0"]["relation-info"][0]["application-data"]["secret-id"],
        id.as_str()
    );
    assert_eq!(message("idle/0"), "");
    // One hook per new revision: a command that adds none sends nothing more.
    let r = owner_exec(&["secret-get", &id]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let log = j
        .run(&["debug-log", "-m", "m", "--replay", "--no-tail"])
        .ok();
    let fired: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("secret-changed on"))
        .collect();
    assert_eq!(fired.len(), 1, "{log}");
    assert!(fired[0].contains("reader/0"), "{log}");
}
