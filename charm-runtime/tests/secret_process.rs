//! Secrets through real processes: the runtime spawns `secret-add` and `secret-set` as
//! Juju's tools, found on `PATH` (here a shell script standing in for Juju), and the tool
//! reads the content from the `key#file=` files while they exist. What the process sees:
//! its argv (no value), no stdin, files of mode 0600 holding the values; after it: no
//! files. One test in this binary, because it sets `PATH`.

use charm_runtime::hooktools::{cmd, ProcessTools};
use charm_runtime::secret::{SecretContent, SecretMeta, SecretOwner};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

const VALUE: &str = "process-SECRET value\nwith a second line";

/// A stand-in for Juju's `secret-add`/`secret-set`: records argv, stdin and, for each
/// `key#file=path`, the file's mode and content; prints a URI; fails on request.
const TOOL: &str = r#"#!/bin/sh
out="$FAKE_DIR/$(basename "$0").record"
printf 'argv:%s\n' "$*" >> "$out"
s=$(cat); if [ -n "$s" ]; then printf 'stdin:%s\n' "$s" >> "$out"; fi
for a in "$@"; do
  case "$a" in
    *'#file='*)
      p="${a#*#file=}"
      printf 'mode:%s\n' "$(stat -c %a "$p")" >> "$out"
      printf 'dirmode:%s\n' "$(stat -c %a "$(dirname "$p")")" >> "$out"
      printf 'file:%s\n' "$p" >> "$out"
      printf 'content:' >> "$out"; cat "$p" >> "$out"; printf '\n' >> "$out" ;;
  esac
done
if [ -f "$FAKE_DIR/fail" ]; then echo "ERROR this unit is not the leader" >&2; exit 1; fi
echo "secret:d1b2k8hnm2h3bq5rpmn0"
"#;

fn record(dir: &Path, tool: &str) -> String {
    fs::read_to_string(dir.join(format!("{tool}.record"))).unwrap_or_default()
}

fn files_in(record: &str) -> Vec<String> {
    record
        .lines()
        .filter_map(|l| l.strip_prefix("file:"))
        .map(str::to_string)
        .collect()
}

#[test]
fn content_reaches_the_tool_only_through_private_files() {
    let dir = std::env::temp_dir().join(format!("charm-secret-e2e-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    for tool in ["secret-add", "secret-set"] {
        let p = dir.join(tool);
        fs::write(&p, TOOL).unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    std::env::set_var("PATH", path);
    std::env::set_var("FAKE_DIR", &dir);

    let content = SecretContent::from([("password", VALUE)]);
    let meta = SecretMeta {
        label: Some("db".into()),
        ..SecretMeta::default()
    };
    let uri = cmd::secret_add(&mut ProcessTools, &content, SecretOwner::App, &meta).unwrap();
    assert_eq!(uri, "secret:d1b2k8hnm2h3bq5rpmn0");
    let rec = record(&dir, "secret-add");
    let argv = rec.lines().next().unwrap();
    assert!(
        argv.starts_with("argv:--label db --owner application password#file=/"),
        "{rec}"
    );
    assert!(!argv.contains("process-SECRET"), "{rec}");
    assert!(!rec.contains("stdin:"), "no stdin: {rec}");
    assert!(rec.contains("mode:600\ndirmode:700\n"), "{rec}");
    assert!(
        rec.contains(&format!("content:{VALUE}\n")),
        "the value as it is, newline included: {rec}"
    );
    for f in files_in(&rec) {
        assert!(!Path::new(&f).exists(), "{f} is removed");
        assert!(!Path::new(&f).parent().unwrap().exists());
    }

    // A failing tool: an error without the value, and the files are gone too.
    fs::write(dir.join("fail"), "").unwrap();
    let err = cmd::secret_set(&mut ProcessTools, &uri, Some(&content), &meta).unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(text.contains("this unit is not the leader"), "{text}");
    assert!(!text.contains("process-SECRET"), "{text}");
    let rec = record(&dir, "secret-set");
    assert!(rec.contains(&format!("content:{VALUE}\n")), "{rec}");
    for f in files_in(&rec) {
        assert!(!Path::new(&f).exists(), "{f} is removed after a failure");
    }
    fs::remove_dir_all(&dir).unwrap();
}
