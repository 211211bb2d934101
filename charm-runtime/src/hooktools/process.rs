//! The real backend: spawns Juju's hook tools, found on `PATH`, with the inherited
//! environment (as ops does; juju-protocol.md §1.1).

use super::backend::HookTools;
use super::call::ToolCall;
use super::error::ToolError;
use std::io::Write;
use std::process::{Command, Stdio};

/// Spawns each hook tool as a process.
#[derive(Debug, Default, Clone, Copy)]
pub struct ProcessTools;

impl HookTools for ProcessTools {
    fn call(&mut self, call: &ToolCall) -> Result<String, ToolError> {
        let spawn_err = |e: std::io::Error| ToolError::Spawn {
            tool: call.tool.to_string(),
            message: e.to_string(),
        };
        let mut cmd = Command::new(call.tool);
        cmd.args(&call.args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .stdin(if call.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            });
        let mut child = cmd.spawn().map_err(spawn_err)?;
        if let Some(input) = &call.stdin {
            // Take stdin so it is closed (EOF) once written.
            if let Some(mut pipe) = child.stdin.take() {
                pipe.write_all(input.as_bytes()).map_err(spawn_err)?;
            }
        }
        let out = child.wait_with_output().map_err(spawn_err)?;
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        if out.status.success() {
            Ok(stdout)
        } else {
            let stderr = String::from_utf8_lossy(&out.stderr);
            Err(ToolError::from_exit(
                call,
                out.status.code().unwrap_or(-1),
                &stderr,
            ))
        }
    }
}
