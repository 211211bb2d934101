//! Corrupt state files (issue 11 §2): every file of a state directory that the simulator
//! reads back, spoiled in a few ways (truncated, empty, not JSON, binary, wrong types).
//! Each command then fails with one `ERROR` line naming the file and what is wrong, and
//! changes nothing (every file of the state directory byte for byte, the Pebble servers
//! the same processes); `destroy` still removes it all. Files whose contents are only a
//! hint (the Pebble server's pid file, the mark) change nothing when spoiled. Then randomly
//! edited (well-formed) models: never a panic, a success or one `ERROR` line.

mod common;

use common::*;
use std::path::Path;

const META: &str = "name: rot
summary: s
description: d
containers:
  work:
    resource: img
resources:
  img:
    type: oci-image
peers:
  peers:
    interface: rot_peers
requires:
  db:
    interface: pgsql
";

const CONFIG: &str = "options:\n  greeting:\n    type: string\n    default: hi\n";

/// A deployed model of the `rot` charm: one unit, one container (its Pebble running), a
/// peer relation, a `db` relation and a secret.
fn deployed(name: &str) -> Model {
    let m = Model::new(name);
    let charm = shell_charm(
        &m.state.with_file_name("charm"),
        META,
        Some(CONFIG),
        "exit 0",
    );
    std::fs::write(charm.join("actions.yaml"), "act:\n  description: a\n").unwrap();
    m.sim(&["deploy", charm.to_str().unwrap()]).ok();
    m.sim(&["relate", "db", "postgresql"]).ok();
    m.sim(&["add-secret", "postgresql", "password=x"]).ok();
    m
}

/// Pids of the Pebble servers serving sockets under `state`.
fn servers(state: &Path) -> Vec<String> {
    let needle = format!("{}/units/", state.display());
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let cmdline = std::fs::read(e.path().join("cmdline")).unwrap_or_default();
        let args: Vec<String> = cmdline
            .split(|b| *b == 0)
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        if args.iter().any(|a| a == "__pebble-server")
            && args.iter().any(|a| a.starts_with(&needle))
        {
            out.push(name);
        }
    }
    out.sort();
    out
}

/// Every command, reading or changing the model.
const COMMANDS: &[&[&str]] = &[
    &["status"],
    &["show-unit", "rot/0"],
    &["events"],
    &["debug-log"],
    &["config"],
    &["config", "greeting=hello"],
    &["relate", "db", "mysql"],
    &["unrelate", "db", "postgresql"],
    &["set-data", "db", "postgresql", "k=v"],
    &["add-secret", "postgresql", "token=y"],
    &["delete-pod", "rot/0"],
    &["scale", "2"],
    &["leader", "rot/0"],
    &["run", "rot/0", "act"],
    &["dispatch", "rot/0", "update-status"],
    &["pebble", "rot/0", "work", "plan"],
];

/// Spoils `file` (relative to the state directory) with `bytes`, then runs every command:
/// each fails with one ERROR line holding every `expect`, and nothing changes. Returns
/// the number of commands run.
fn every_command_refuses(
    m: &Model,
    file: &str,
    bytes: &[u8],
    expect: &[&str],
    case: &str,
) -> usize {
    let path = m.state.join(file);
    let good = std::fs::read(&path).unwrap();
    std::fs::write(&path, bytes).unwrap();
    let before = snapshot(&m.state);
    let running = servers(&m.state);
    for cmd in COMMANDS {
        let r = m.sim(cmd);
        let lines: Vec<&str> = r.stderr.lines().collect();
        assert_eq!(r.code, 1, "{case}: {cmd:?} did not fail: {}", r.stderr);
        assert_eq!(lines.len(), 1, "{case}: {cmd:?}: {}", r.stderr);
        assert!(
            lines[0].starts_with("ERROR "),
            "{case}: {cmd:?}: {}",
            lines[0]
        );
        for e in expect {
            assert!(
                lines[0].contains(e),
                "{case}: {cmd:?}: {e:?} not in {}",
                lines[0]
            );
        }
        assert!(
            lines[0].len() < 1000,
            "{case}: {cmd:?}: {} bytes",
            lines[0].len()
        );
        assert_eq!(r.stdout, "", "{case}: {cmd:?}");
        assert!(
            snapshot(&m.state) == before,
            "{case}: {cmd:?} changed the state directory"
        );
        assert_eq!(
            servers(&m.state),
            running,
            "{case}: {cmd:?} started or stopped a server"
        );
    }
    std::fs::write(&path, good).unwrap();
    COMMANDS.len()
}

/// Bytes that are not UTF-8, with NULs (a fixed sequence: the test is reproducible).
fn binary(n: usize) -> Vec<u8> {
    let mut x: u32 = 0x9e37_79b9;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8 | 0x80
        })
        .chain([0, 0xff])
        .collect()
}

/// `model` with `edit` applied, as bytes.
fn edited(model: &[u8], edit: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let mut v: serde_json::Value = serde_json::from_slice(model).unwrap();
    edit(&mut v);
    serde_json::to_vec_pretty(&v).unwrap()
}

#[test]
fn corrupt_state_files_are_refused_and_left_as_they_are() {
    let m = deployed("corrupt-every-file");
    let state = m.state.display().to_string();
    let model = m.model_bytes();
    let mut cases = 0;
    let mut runs = 0;

    let json = "is corrupt: model.json is not valid JSON";
    let model_cases: Vec<(&str, Vec<u8>, Vec<&str>)> = vec![
        ("truncated to half", model[..model.len() / 2].to_vec(), vec![json]),
        ("truncated to one byte", model[..1].to_vec(), vec![json]),
        ("empty", vec![], vec![json]),
        ("not JSON", b"model: yes\n".to_vec(), vec![json]),
        ("binary", binary(300), vec![json]),
        ("a JSON array", b"[1, 2]".to_vec(), vec!["is corrupt: model.json is not a JSON object"]),
        ("null", b"null".to_vec(), vec!["is corrupt: model.json is not a JSON object"]),
        (
            "format as a string",
            edited(&model, |v| v["format"] = "1".into()),
            vec!["has format none (no numeric `format`) in model.json"],
        ),
        (
            "units as a string",
            edited(&model, |v| v["apps"]["rot"]["units"] = "rot/0".into()),
            vec!["is corrupt: model.json: invalid type: string \"rot/0\", expected a map (at `apps.rot.units`)"],
        ),
        (
            "a unit's name as a number",
            edited(&model, |v| v["apps"]["rot"]["units"]["0"]["name"] = 5.into()),
            vec!["invalid type: integer `5`, expected a string (at `apps.rot.units.0.name`)"],
        ),
        (
            "a negative counter",
            edited(&model, |v| v["next"]["dispatch"] = (-1).into()),
            vec!["invalid value: integer `-1`, expected u64 (at `next.dispatch`)"],
        ),
        (
            "a huge string for a number",
            edited(&model, |v| v["next"]["dispatch"] = "9".repeat(100_000).into()),
            vec!["... (100037 bytes in all) (at `next.dispatch`)"],
        ),
        (
            "a history extent of the wrong type",
            edited(&model, |v| v["history"]["events"]["bytes"] = "many".into()),
            vec!["(at `history.events.bytes`)"],
        ),
        (
            "a relation id that is not a number",
            edited(&model, |v| {
                let r = v["relations"]["0"].take();
                v["relations"] = serde_json::json!({ "peers": r });
            }),
            vec!["expected key to be a number in quotes (at `relations.?`)"],
        ),
        (
            "a missing field",
            edited(&model, |v| {
                v["apps"]["rot"].as_object_mut().unwrap().remove("name");
            }),
            vec!["missing field `name` (at `apps.rot`)"],
        ),
    ];
    for (case, bytes, mut expect) in model_cases {
        expect.push(&state);
        runs += every_command_refuses(&m, "model.json", &bytes, &expect, case);
        cases += 1;
    }

    // A history file that does not hold its committed extent: every command refuses.
    let events = "history/events.jsonl";
    let good = std::fs::read(m.state.join(events)).unwrap();
    let mut no_newline = good.clone();
    *no_newline.last_mut().unwrap() = b' ';
    let history_cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated to half",
            good[..good.len() / 2].to_vec(),
            "is truncated",
        ),
        ("empty", vec![], "is truncated (0 bytes"),
        ("binary, shorter", binary(20), "is truncated"),
        (
            "its last newline gone",
            no_newline,
            "does not end its last committed record",
        ),
    ];
    let full = format!("{state} is corrupt: {events}");
    for (case, bytes, what) in history_cases {
        runs += every_command_refuses(&m, events, &bytes, &[&full, what], case);
        cases += 1;
    }
    // Spoiled inside, its extent whole: the commands that read the history refuse (the
    // others only check the extent, so that a step never reads the whole history).
    let mut spoiled = good.clone();
    spoiled[0] = b'x';
    // Same length: the extent still holds.
    let wrong_type = String::from_utf8(good.clone()).unwrap().replacen(
        "\"action\":false",
        "\"action\":\"fal\"",
        1,
    );
    assert_eq!(wrong_type.len(), good.len());
    let path = m.state.join(events);
    for (case, bytes, what) in [
        (
            "a record that is not JSON",
            spoiled,
            "line 1: expected value",
        ),
        (
            "a field of the wrong type",
            wrong_type.into_bytes(),
            "line 1: invalid type: string",
        ),
    ] {
        std::fs::write(&path, &bytes).unwrap();
        let before = snapshot(&m.state);
        for cmd in [
            &["status"][..],
            &["events"],
            &["debug-log"],
            &["show-unit", "rot/0"],
        ] {
            let r = m.sim(cmd);
            let lines: Vec<&str> = r.stderr.lines().collect();
            assert_eq!(r.code, 1, "{case}: {cmd:?} did not fail: {}", r.stderr);
            assert_eq!(lines.len(), 1, "{case}: {cmd:?}: {}", r.stderr);
            assert!(lines[0].starts_with("ERROR "), "{case}: {cmd:?}");
            assert!(lines[0].contains(&full), "{case}: {cmd:?}: {}", lines[0]);
            assert!(lines[0].contains(what), "{case}: {cmd:?}: {}", lines[0]);
            assert!(
                snapshot(&m.state) == before,
                "{case}: {cmd:?} changed the state"
            );
            runs += 1;
        }
        cases += 1;
    }
    std::fs::write(&path, &good).unwrap();

    let pebble = "units/rot-0/workloads/work/pebble.json";
    let good = std::fs::read(m.state.join(pebble)).unwrap();
    let corrupt = "the Pebble state of container \"work\" of rot/0 is corrupt";
    let pebble_cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated",
            good[..good.len() / 2].to_vec(),
            "invalid Pebble state: EOF while parsing",
        ),
        (
            "empty",
            vec![],
            "invalid Pebble state: EOF while parsing a value at line 1 column 0",
        ),
        (
            "not JSON",
            b"plan: {}\n".to_vec(),
            "invalid Pebble state: expected value",
        ),
        ("binary", binary(200), "stream did not contain valid UTF-8"),
        (
            "null",
            b"null".to_vec(),
            "invalid Pebble state: invalid type: null",
        ),
        (
            "wrong types",
            edited(&good, |v| v["layers"] = "base".into()),
            "invalid Pebble state: invalid type: string \"base\"",
        ),
    ];
    let full = m.state.join(pebble).display().to_string();
    for (case, bytes, what) in pebble_cases {
        runs += every_command_refuses(&m, pebble, &bytes, &[corrupt, &full, what], case);
        cases += 1;
    }

    // Only a hint: a spoiled pid file of a Pebble server changes nothing (the server is
    // found by its command line); a spoiled mark still marks the directory.
    let running = servers(&m.state);
    assert_eq!(running.len(), 1, "{running:?}");
    for (file, bytes) in [
        (
            "units/rot-0/workloads/work/pebbled.pid",
            b"garbage".to_vec(),
        ),
        ("units/rot-0/workloads/work/pebbled.pid", vec![]),
        ("units/rot-0/workloads/work/pebbled.pid", b"1\n".to_vec()),
        (".cargo-charm-state", vec![]),
        (".cargo-charm-state", binary(50)),
    ] {
        let path = m.state.join(file);
        let good = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes).unwrap();
        let before = snapshot(&m.state);
        for cmd in [
            &["status"][..],
            &["show-unit", "rot/0"],
            &["pebble", "rot/0", "work", "plan"],
        ] {
            m.sim(cmd).ok();
            runs += 1;
        }
        assert!(
            snapshot(&m.state) == before,
            "{file} {bytes:?}: the state changed"
        );
        assert_eq!(
            servers(&m.state),
            running,
            "{file} {bytes:?}: another server"
        );
        std::fs::write(&path, good).unwrap();
        cases += 1;
    }
    m.sim(&["delete-pod", "rot/0"]).ok();

    // Destroy works whatever is corrupt, and stops the servers.
    std::fs::write(m.state.join("model.json"), binary(100)).unwrap();
    std::fs::write(m.state.join(pebble), b"{").unwrap();
    std::fs::write(m.state.join("units/rot-0/workloads/work/pebbled.pid"), "x").unwrap();
    m.sim(&["destroy"]).ok();
    assert!(!m.state.exists());
    assert_eq!(servers(&m.state), Vec::<String>::new());
    eprintln!("{cases} corruption cases, {runs} commands run on them");
}

/// A small deterministic generator (xorshift64*), for reproducible random edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Every (path, value) of `v`, depth first.
fn leaves(v: &serde_json::Value, path: Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(path.clone());
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                let mut p = path.clone();
                p.push(k.clone());
                leaves(x, p, out);
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let mut p = path.clone();
                p.push(i.to_string());
                leaves(x, p, out);
            }
        }
        _ => {}
    }
}

fn at<'a>(v: &'a mut serde_json::Value, path: &[String]) -> &'a mut serde_json::Value {
    path.iter().fold(v, |v, k| match v {
        serde_json::Value::Array(a) => &mut a[k.parse::<usize>().unwrap()],
        other => &mut other[k.as_str()],
    })
}

/// One to three random edits that keep the model well-formed JSON: a value removed, a
/// string swapped for another string of the model, a number for an edge value, a boolean
/// flipped, a list cut, an entry of a map copied under another key.
fn mutate(rng: &mut Rng, v: &mut serde_json::Value, strings: &[String]) -> Vec<String> {
    let mut done = Vec::new();
    for _ in 0..1 + rng.below(3) {
        let mut paths = Vec::new();
        leaves(v, vec![], &mut paths);
        let path = paths[1 + rng.below(paths.len() - 1)].clone();
        let (parent, key) = path.split_at(path.len() - 1);
        let what = match (at(v, &path).clone(), rng.below(4)) {
            (_, 0) if at(v, parent).is_object() => {
                at(v, parent).as_object_mut().unwrap().remove(&key[0]);
                "removed"
            }
            (serde_json::Value::String(_), _) => {
                let pick = ["", "x/9", "../x", "rot/7"];
                let s = if rng.below(2) == 0 {
                    strings[rng.below(strings.len())].clone()
                } else {
                    pick[rng.below(pick.len())].to_string()
                };
                *at(v, &path) = s.into();
                "string"
            }
            (serde_json::Value::Number(_), _) => {
                let pick = [0u64, 1, 2, 7, 99, u64::MAX];
                *at(v, &path) = pick[rng.below(pick.len())].into();
                "number"
            }
            (serde_json::Value::Bool(b), _) => {
                *at(v, &path) = (!b).into();
                "bool"
            }
            (serde_json::Value::Array(a), _) if !a.is_empty() => {
                let keep = rng.below(a.len());
                *at(v, &path) = a[..keep].to_vec().into();
                "list cut"
            }
            (serde_json::Value::Object(o), _) if !o.is_empty() => {
                let keys: Vec<&String> = o.keys().collect();
                let from = keys[rng.below(keys.len())].clone();
                let to = ["0", "1", "5", "99"][rng.below(4)];
                let copy = o[&from].clone();
                at(v, &path)
                    .as_object_mut()
                    .unwrap()
                    .insert(to.into(), copy);
                "map entry copied"
            }
            _ => "unchanged",
        };
        done.push(format!("{what} at {}", path.join(".")));
    }
    done
}

/// Randomly edited but well-formed models: whatever the edit, reading commands end in
/// success or one ERROR line, never a panic (exit 101) or a hang.
#[test]
fn randomly_edited_models_never_panic() {
    const CASES: usize = 60;
    let m = deployed("corrupt-random");
    let good = m.model_bytes();
    let value: serde_json::Value = serde_json::from_slice(&good).unwrap();
    let mut paths = Vec::new();
    leaves(&value, vec![], &mut paths);
    let strings: Vec<String> = paths
        .iter()
        .filter_map(|p| {
            let mut v = value.clone();
            at(&mut v, p).as_str().map(str::to_string)
        })
        .collect();
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let (mut ok, mut refused) = (0, 0);
    for case in 0..CASES {
        let mut v = value.clone();
        let edits = mutate(&mut rng, &mut v, &strings);
        std::fs::write(m.state.join("model.json"), serde_json::to_vec(&v).unwrap()).unwrap();
        for cmd in [&["status"][..], &["show-unit", "rot/0"]] {
            let r = m.sim(cmd);
            match r.code {
                0 => ok += 1,
                1 => {
                    refused += 1;
                    let lines: Vec<&str> = r.stderr.lines().collect();
                    assert!(
                        lines.len() == 1 && lines[0].starts_with("ERROR "),
                        "case {case} ({edits:?}), {cmd:?}: {}",
                        r.stderr
                    );
                }
                code => panic!(
                    "case {case} ({edits:?}), {cmd:?}: exit {code}: {}",
                    r.stderr
                ),
            }
        }
    }
    std::fs::write(m.state.join("model.json"), &good).unwrap();
    m.sim(&["status"]).ok();
    eprintln!("{CASES} edited models: {ok} commands succeeded, {refused} refused");
}
