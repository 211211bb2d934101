//! The Pebble client: each operation named and shaped as in ops 3.9.0's
//! `ops.pebble.Client` (method, path, query order and encoding, JSON keys, headers, and
//! how the answer is read). Comments name the ops method each one follows.

use super::error::{ErrorKind, PebbleError};
use super::http::{self, Connector, HttpError, Request, Response, SocketPath};
use super::layer::{CheckLevel, Layer, Plan};
use super::multipart;
use super::requests::{
    ChangeRequest, ChecksRequest, FileOwnership, FilesRequest, LayersRequest, MakeDir,
    NoticeRequest, RemovePath, ServicesRequest, SignalsRequest, WriteFile,
};
use super::types::{
    Change, CheckInfo, Envelope, FileInfo, FileResult, Notice, ResponseType, ServiceInfo,
    SystemInfo,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The result of a Pebble operation.
pub type Result<T, E = PebbleError> = std::result::Result<T, E>;

/// ops' default request timeout (`Client.__init__`, `timeout=5.0`).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
/// ops' default wait for service changes (`_services_action`, `timeout=30.0`).
pub const DEFAULT_CHANGE_TIMEOUT: Duration = Duration::from_secs(30);
/// ops' default polling delay (`delay=0.1`).
pub const DEFAULT_POLL_DELAY: Duration = Duration::from_millis(100);

/// Which changes [`Client::get_changes`] lists (ops' `ChangeState`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ChangeState {
    /// Every change.
    All,
    /// Changes not ready yet (ops' default).
    #[default]
    InProgress,
    /// Finished changes.
    Ready,
}

impl ChangeState {
    fn as_str(self) -> &'static str {
        match self {
            ChangeState::All => "all",
            ChangeState::InProgress => "in-progress",
            ChangeState::Ready => "ready",
        }
    }
}

/// Mode and ownership for [`Client::push`] and [`Client::make_dir`], with ops' keyword
/// arguments as builder methods. Unset fields are left to Pebble (files 0644, directories
/// 0755, owned by Pebble's user).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileOptions {
    /// Create missing parent directories (`make_dirs` for push, `make_parents` for
    /// make_dir).
    pub make_parents: bool,
    /// Permission bits, e.g. `0o600`.
    pub permissions: Option<u32>,
    /// Owner user ID.
    pub user_id: Option<u32>,
    /// Owner user name.
    pub user: Option<String>,
    /// Group ID.
    pub group_id: Option<u32>,
    /// Group name.
    pub group: Option<String>,
}

impl FileOptions {
    /// Nothing set.
    pub fn new() -> Self {
        Self::default()
    }
    /// Create missing parent directories.
    pub fn make_parents(mut self) -> Self {
        self.make_parents = true;
        self
    }
    /// Permission bits, e.g. `0o600`.
    pub fn permissions(mut self, mode: u32) -> Self {
        self.permissions = Some(mode);
        self
    }
    /// Owner user ID.
    pub fn user_id(mut self, uid: u32) -> Self {
        self.user_id = Some(uid);
        self
    }
    /// Owner user name.
    pub fn user(mut self, user: impl Into<String>) -> Self {
        self.user = Some(user.into());
        self
    }
    /// Group ID.
    pub fn group_id(mut self, gid: u32) -> Self {
        self.group_id = Some(gid);
        self
    }
    /// Group name.
    pub fn group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(group.into());
        self
    }

    /// ops' `_make_auth_dict`: permissions as `format(mode, '03o')`.
    fn ownership(&self) -> FileOwnership {
        FileOwnership {
            permissions: self.permissions.map(|m| format!("{m:03o}")),
            user_id: self.user_id,
            user: self.user.clone(),
            group_id: self.group_id,
            group: self.group.clone(),
        }
    }
}

/// Filters for [`Client::get_notices`] (ops' keyword arguments); empty matches all the
/// notices the caller may see.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NoticeFilter {
    /// `users=all`: every user's notices (Pebble admins only).
    pub all_users: bool,
    /// Notices of this user (and public ones).
    pub user_id: Option<u32>,
    /// Notices of any of these types.
    pub types: Vec<String>,
    /// Notices with any of these keys.
    pub keys: Vec<String>,
}

/// A synchronous Pebble client for one container.
///
/// Each request opens its own connection through the [`Connector`] (`Connection: close`),
/// so a client holds no socket between calls and survives a Pebble restart.
#[derive(Clone)]
pub struct Client {
    container: String,
    connector: Arc<dyn Connector>,
    timeout: Duration,
    change_timeout: Duration,
    poll_delay: Duration,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("container", &self.container)
            .field("socket", &self.connector.describe(&self.container))
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// What a request reads back.
enum Expect {
    Json,
    Multipart,
}

impl Client {
    /// A client of `container`'s Pebble, reached through `connector`.
    pub fn new(container: impl Into<String>, connector: Arc<dyn Connector>) -> Self {
        Client {
            container: container.into(),
            connector,
            timeout: DEFAULT_TIMEOUT,
            change_timeout: DEFAULT_CHANGE_TIMEOUT,
            poll_delay: DEFAULT_POLL_DELAY,
        }
    }

    /// A client of the Pebble listening at `socket` (ops' `Client(socket_path)`);
    /// `container` names it in errors.
    pub fn at_socket(container: impl Into<String>, socket: impl Into<PathBuf>) -> Self {
        Self::new(container, Arc::new(SocketPath(socket.into())))
    }

    /// Sets the connect and response timeout of each request (default 5 s, as ops).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets how long service operations wait for their change (default 30 s, as ops);
    /// zero submits the change and returns its ID without waiting.
    pub fn with_change_timeout(mut self, timeout: Duration) -> Self {
        self.change_timeout = timeout;
        self
    }

    /// Sets the delay between polls when Pebble has no wait endpoint (default 100 ms).
    pub fn with_poll_delay(mut self, delay: Duration) -> Self {
        self.poll_delay = delay;
        self
    }

    /// The container's name.
    pub fn container(&self) -> &str {
        &self.container
    }

    // ---- transport ---------------------------------------------------------------------

    fn error(&self, req: &Request, kind: ErrorKind) -> PebbleError {
        PebbleError {
            container: self.container.clone(),
            method: req.method,
            path: req.target(),
            kind: Box::new(kind),
        }
    }

    fn protocol(&self, req: &Request, message: impl Into<String>) -> PebbleError {
        self.error(
            req,
            ErrorKind::Protocol {
                message: message.into(),
            },
        )
    }

    /// Connects, sends, reads; a non-2xx status becomes an API error (ops `_request_raw`:
    /// urllib's `HTTPError`, with `result.message` from the body when it is JSON).
    fn send(&self, req: &Request, read_timeout: Duration) -> Result<Response> {
        let where_ = || self.connector.describe(&self.container);
        let stream =
            http::connect(&self.connector, &self.container, self.timeout).map_err(|e| {
                let message = match e.kind() {
                    // ops: "socket not found at ... (container restarted?)".
                    std::io::ErrorKind::NotFound => {
                        format!("socket not found at {} (container restarted?)", where_())
                    }
                    _ => {
                        // `<where> (<e>)`, built in the String `describe` made.
                        let mut message = where_();
                        let _ = write!(message, " ({e})");
                        message
                    }
                };
                self.error(req, ErrorKind::CannotConnect { message })
            })?;
        let resp = http::round_trip(stream, req, read_timeout).map_err(|e| match e {
            HttpError::Disconnected(io) => self.error(
                req,
                ErrorKind::CannotConnect {
                    message: format!("{}: connection lost ({io})", where_()),
                },
            ),
            HttpError::Timeout(d) => self.error(
                req,
                ErrorKind::Timeout {
                    message: format!("no complete response within {d:?}"),
                },
            ),
            other => self.protocol(req, other.to_string()),
        })?;
        if (200..300).contains(&resp.status) {
            return Ok(resp);
        }
        let (body, message, kind) = match serde_json::from_slice::<Value>(&resp.body) {
            Ok(body) => {
                let result = body.get("result");
                let message = result
                    .and_then(|r| r.get("message"))
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                let kind = result
                    .and_then(|r| r.get("kind"))
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned();
                let message =
                    message.unwrap_or_else(|| "the error body has no result.message".to_string());
                (body, message, kind)
            }
            Err(e) => (
                Value::Null,
                format!("the error body is not JSON ({e})"),
                String::new(),
            ),
        };
        Err(self.error(
            req,
            ErrorKind::Api {
                code: resp.status,
                status: resp.reason.clone(),
                message,
                kind,
                body,
            },
        ))
    }

    /// ops `_ensure_content_type`.
    fn ensure_content_type(&self, req: &Request, resp: &Response, expect: Expect) -> Result<()> {
        let expected = match expect {
            Expect::Json => "application/json",
            Expect::Multipart => "multipart/form-data",
        };
        let got = resp.content_type();
        if got != expected {
            return Err(self.protocol(
                req,
                format!("expected Content-Type {expected:?}, got {got:?}"),
            ));
        }
        Ok(())
    }

    /// A JSON request (ops `_request`): the envelope of a 2xx answer.
    fn request(&self, req: &Request) -> Result<Envelope> {
        self.request_with_timeout(req, self.timeout)
    }

    fn request_with_timeout(&self, req: &Request, read_timeout: Duration) -> Result<Envelope> {
        let resp = self.send(req, read_timeout)?;
        self.ensure_content_type(req, &resp, Expect::Json)?;
        let value: Value = serde_json::from_slice(&resp.body)
            .map_err(|e| self.protocol(req, format!("the response body is not valid JSON: {e}")))?;
        let env: Envelope = serde_json::from_value(value)
            .map_err(|e| self.protocol(req, format!("not a Pebble response envelope: {e}")))?;
        if env.type_ == ResponseType::Error {
            let r: super::types::ErrorResult =
                serde_json::from_value(env.result.clone()).unwrap_or_default();
            return Err(self.error(
                req,
                ErrorKind::Api {
                    code: env.status_code,
                    status: env.status.clone(),
                    message: r.message,
                    kind: r.kind,
                    body: serde_json::to_value(&env).unwrap_or(Value::Null),
                },
            ));
        }
        Ok(env)
    }

    /// A sync request whose `result` is a `T`.
    fn sync<T: DeserializeOwned>(&self, req: &Request) -> Result<T> {
        let env = self.request(req)?;
        self.result(req, env.result)
    }

    fn result<T: DeserializeOwned>(&self, req: &Request, result: Value) -> Result<T> {
        serde_json::from_value(result)
            .map_err(|e| self.protocol(req, format!("unexpected result: {e}")))
    }

    /// An async request: the change ID.
    fn async_change(&self, req: &Request) -> Result<String> {
        let env = self.request(req)?;
        env.change
            .filter(|c| !c.is_empty())
            .ok_or_else(|| self.protocol(req, "the response has no change ID"))
    }

    fn json_body<T: Serialize>(mut req: Request, body: &T) -> Request {
        // Serialising these request types cannot fail (string keys, no floats).
        let bytes = serde_json::to_vec(body).unwrap_or_default();
        req.body = Some(("application/json".into(), bytes));
        req
    }

    /// ops `_raise_on_path_error`: the entry for `path` in a files response, as an error.
    fn path_result(&self, req: &Request, result: Value, path: &str) -> Result<()> {
        let results: Option<Vec<FileResult>> = self.result(req, result)?;
        let results = results.unwrap_or_default();
        let Some(entry) = results.iter().find(|r| r.path == path) else {
            return Err(self.protocol(
                req,
                format!("path not found in response metadata: {path:?}"),
            ));
        };
        match &entry.error {
            Some(e) => Err(self.error(
                req,
                ErrorKind::Path {
                    kind: e.kind.clone(),
                    message: e.message.clone(),
                },
            )),
            None => Ok(()),
        }
    }

    // ---- system ------------------------------------------------------------------------

    /// `GET /v1/system-info` (ops `get_system_info`).
    pub fn get_system_info(&self) -> Result<SystemInfo> {
        self.sync(&Request::new("GET", "/v1/system-info"))
    }

    /// Whether Pebble answers `GET /v1/system-info` now (ops `Container.can_connect`). Any
    /// failure is `false`: ops also returns `false` on an API error, and this client
    /// treats a timeout or a garbled answer the same way (ops raises those).
    pub fn can_connect(&self) -> bool {
        self.get_system_info().is_ok()
    }

    // ---- layers and plan ---------------------------------------------------------------

    /// `POST /v1/layers` (ops `add_layer`): appends `layer` labelled `label`, or with
    /// `combine` merges it into the layer with that label (added if there is none).
    pub fn add_layer(&self, label: &str, layer: &Layer, combine: bool) -> Result<()> {
        let req = Request::new("POST", "/v1/layers");
        // JSON is YAML: Pebble reads it as the YAML ops sends (see `Layer::to_json`).
        let text = layer
            .to_json()
            .map_err(|e| self.protocol(&req, e.to_string()))?;
        self.add_layer_yaml(label, &text, combine)
    }

    /// [`Client::add_layer`] with the layer as YAML text, sent as given.
    pub fn add_layer_yaml(&self, label: &str, yaml: &str, combine: bool) -> Result<()> {
        let body = LayersRequest {
            action: "add".into(),
            combine,
            inner: false,
            label: label.into(),
            format: "yaml".into(),
            layer: yaml.into(),
        };
        let req = Self::json_body(Request::new("POST", "/v1/layers"), &body);
        self.request(&req).map(drop)
    }

    /// `GET /v1/plan?format=yaml` (ops `get_plan`): the combined plan.
    pub fn get_plan(&self) -> Result<Plan> {
        let mut req = Request::new("GET", "/v1/plan");
        req.query.push(("format", "yaml".into()));
        let yaml: Option<String> = self.sync(&req)?;
        Plan::from_yaml(yaml.as_deref().unwrap_or(""))
            .map_err(|e| self.protocol(&req, e.to_string()))
    }

    // ---- services ----------------------------------------------------------------------

    /// `GET /v1/services[?names=a,b]` (ops `get_services`); empty `names` lists all.
    pub fn get_services(&self, names: &[&str]) -> Result<Vec<ServiceInfo>> {
        let mut req = Request::new("GET", "/v1/services");
        if !names.is_empty() {
            req.query.push(("names", names.join(",")));
        }
        let list: Option<Vec<ServiceInfo>> = self.sync(&req)?;
        Ok(list.unwrap_or_default())
    }

    /// Starts services and waits for the change (ops `start_services`); returns its ID.
    pub fn start_services(&self, services: &[&str]) -> Result<String> {
        self.services_action("start", services)
    }

    /// Stops services and waits for the change (ops `stop_services`).
    pub fn stop_services(&self, services: &[&str]) -> Result<String> {
        self.services_action("stop", services)
    }

    /// Restarts services (stopped ones are started) and waits (ops `restart_services`).
    /// Pebbles older than the `restart` action answer 400; the container handle's
    /// `restart` falls back to stop and start then, as ops' `Container.restart` does.
    pub fn restart_services(&self, services: &[&str]) -> Result<String> {
        self.services_action("restart", services)
    }

    /// Replans: (re)starts changed and `startup: enabled` services, and waits (ops
    /// `replan_services`).
    pub fn replan_services(&self) -> Result<String> {
        self.services_action("replan", &[])
    }

    /// Starts the `startup: enabled` services and waits (ops `autostart_services`).
    pub fn autostart_services(&self) -> Result<String> {
        self.services_action("autostart", &[])
    }

    /// ops `_services_action`: `POST /v1/services`, then wait unless the change timeout is
    /// zero; a change that failed is an error.
    fn services_action(&self, action: &str, services: &[&str]) -> Result<String> {
        let body = ServicesRequest {
            action: action.into(),
            services: services.iter().map(|s| s.to_string()).collect(),
        };
        let req = Self::json_body(Request::new("POST", "/v1/services"), &body);
        let id = self.async_change(&req)?;
        if !self.change_timeout.is_zero() {
            let change = self.wait_change(&id, Some(self.change_timeout))?;
            if let Some(err) = change.err.clone().filter(|e| !e.is_empty()) {
                return Err(self.error(
                    &req,
                    ErrorKind::Change {
                        err,
                        change: Box::new(change),
                    },
                ));
            }
        }
        Ok(id)
    }

    /// `POST /v1/signals` (ops `send_signal`): sends `signal` (e.g. `"SIGHUP"`) to the
    /// services.
    pub fn send_signal(&self, signal: &str, services: &[&str]) -> Result<()> {
        let body = SignalsRequest {
            signal: signal.into(),
            services: services.iter().map(|s| s.to_string()).collect(),
        };
        let req = Self::json_body(Request::new("POST", "/v1/signals"), &body);
        self.request(&req).map(drop)
    }

    // ---- changes -----------------------------------------------------------------------

    /// `GET /v1/changes/{id}` (ops `get_change`).
    pub fn get_change(&self, id: &str) -> Result<Change> {
        self.sync(&Request::new("GET", format!("/v1/changes/{id}")))
    }

    /// `GET /v1/changes?select=...[&for=service]` (ops `get_changes`).
    pub fn get_changes(&self, select: ChangeState, service: Option<&str>) -> Result<Vec<Change>> {
        let mut req = Request::new("GET", "/v1/changes");
        req.query.push(("select", select.as_str().into()));
        if let Some(s) = service {
            req.query.push(("for", s.into()));
        }
        let list: Option<Vec<Change>> = self.sync(&req)?;
        Ok(list.unwrap_or_default())
    }

    /// `POST /v1/changes/{id}` `{"action": "abort"}` (ops `abort_change`).
    pub fn abort_change(&self, id: &str) -> Result<Change> {
        let body = ChangeRequest {
            action: "abort".into(),
        };
        let req = Self::json_body(Request::new("POST", format!("/v1/changes/{id}")), &body);
        self.sync(&req)
    }

    /// Waits until change `id` is ready (ops `wait_change`): `GET
    /// /v1/changes/{id}/wait?timeout=<s>.<ms>s` in slices of at most the request timeout
    /// less a second; a 504 answer ends a slice; a 404 (no wait endpoint) switches to
    /// polling `GET /v1/changes/{id}`. `None` waits forever. The change is returned even
    /// if it failed (its `err` is set).
    pub fn wait_change(&self, id: &str, timeout: Option<Duration>) -> Result<Change> {
        let start = Instant::now();
        let deadline = timeout.map(|t| start + t);
        let timed_out = |req: &Request| {
            let secs = timeout.map_or("no limit".to_string(), |t| {
                format!("{} seconds", t.as_secs_f64())
            });
            self.error(
                req,
                ErrorKind::Timeout {
                    message: format!("timed out waiting for change {id} ({secs})"),
                },
            )
        };
        let wait_path = format!("/v1/changes/{id}/wait");
        loop {
            // ops: max(self.timeout - 1, 1) so the server answers before the socket
            // timeout.
            let mut slice = self
                .timeout
                .saturating_sub(Duration::from_secs(1))
                .max(Duration::from_secs(1));
            if let Some(d) = deadline {
                let left = d.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(timed_out(&Request::new("GET", wait_path.clone())));
                }
                slice = slice.min(left);
            }
            let mut req = Request::new("GET", wait_path.clone());
            req.query.push(("timeout", format_timeout(slice)));
            match self.request_with_timeout(&req, slice + self.timeout) {
                Ok(env) => return self.result(&req, env.result),
                Err(e) if e.api_code() == Some(404) => break,
                Err(e) if e.api_code() == Some(504) => continue,
                Err(e) => return Err(e),
            }
        }
        // ops `_wait_change_using_polling`.
        loop {
            let change = self.get_change(id)?;
            if change.ready {
                return Ok(change);
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return Err(timed_out(&Request::new("GET", format!("/v1/changes/{id}"))));
            }
            std::thread::sleep(self.poll_delay);
        }
    }

    // ---- files -------------------------------------------------------------------------

    /// Writes `content` to `path` (ops `push`): a multipart `POST /v1/files` with a
    /// `request` part `{"action": "write", "files": [...]}` and a `files` part.
    pub fn push(&self, path: &str, content: &[u8], options: &FileOptions) -> Result<()> {
        let request = FilesRequest {
            action: "write".into(),
            files: vec![WriteFile {
                path: path.into(),
                make_dirs: options.make_parents,
                ownership: options.ownership(),
            }],
            ..FilesRequest::default()
        };
        let json = serde_json::to_vec(&request).unwrap_or_default();
        let (ctype, body) = multipart::encode_write(&json, path, content);
        let mut req = Request::new("POST", "/v1/files");
        req.body = Some((ctype, body));
        let env = self.request(&req)?;
        self.path_result(&req, env.result, path)
    }

    /// Reads `path` (ops `pull`): `GET /v1/files?action=read&path=...` accepting
    /// `multipart/form-data`.
    pub fn pull(&self, path: &str) -> Result<Vec<u8>> {
        let mut req = Request::new("GET", "/v1/files");
        req.query.push(("action", "read".into()));
        req.query.push(("path", path.into()));
        req.accept = "multipart/form-data";
        let resp = self.send(&req, self.timeout)?;
        self.ensure_content_type(&req, &resp, Expect::Multipart)?;
        let boundary = resp.content_type_param("boundary").unwrap_or_default();
        if boundary.is_empty() {
            return Err(self.protocol(&req, "invalid boundary \"\""));
        }
        let parts =
            multipart::parse_read(&resp.body, &boundary).map_err(|m| self.protocol(&req, m))?;
        let Some(response) = parts.response else {
            return Err(self.protocol(&req, "no \"response\" field in multipart body"));
        };
        #[derive(Deserialize)]
        struct FilesResponse {
            #[serde(default)]
            result: Value,
        }
        let meta: FilesResponse = serde_json::from_slice(&response).map_err(|e| {
            self.protocol(
                &req,
                format!("the \"response\" part is not valid JSON: {e}"),
            )
        })?;
        self.path_result(&req, meta.result, path)?;
        let mut files = parts.files;
        match files.len() {
            0 => Err(self.protocol(&req, "no file content in multipart response")),
            1 => {
                let (name, content) = files.remove(0);
                if name != path {
                    return Err(self.protocol(&req, format!("path not expected: {name:?}")));
                }
                Ok(content)
            }
            _ => Err(self.protocol(
                &req,
                "single file request resulted in a multi-file response",
            )),
        }
    }

    /// Lists a directory, or describes a file (ops `list_files`): `GET
    /// /v1/files?path=...[&pattern=...][&itself=true]&action=list` (ops adds `action` last).
    pub fn list_files(
        &self,
        path: &str,
        pattern: Option<&str>,
        itself: bool,
    ) -> Result<Vec<FileInfo>> {
        let mut req = Request::new("GET", "/v1/files");
        req.query.push(("path", path.into()));
        if let Some(p) = pattern.filter(|p| !p.is_empty()) {
            req.query.push(("pattern", p.into()));
        }
        if itself {
            req.query.push(("itself", "true".into()));
        }
        req.query.push(("action", "list".into()));
        let list: Option<Vec<FileInfo>> = self.sync(&req)?;
        Ok(list.unwrap_or_default())
    }

    /// Makes a directory (ops `make_dir`): `POST /v1/files` `{"action": "make-dirs",
    /// "dirs": [...]}`.
    pub fn make_dir(&self, path: &str, options: &FileOptions) -> Result<()> {
        let body = FilesRequest {
            action: "make-dirs".into(),
            dirs: vec![MakeDir {
                path: path.into(),
                make_parents: options.make_parents,
                ownership: options.ownership(),
            }],
            ..FilesRequest::default()
        };
        let req = Self::json_body(Request::new("POST", "/v1/files"), &body);
        let env = self.request(&req)?;
        self.path_result(&req, env.result, path)
    }

    /// Removes a file or directory (ops `remove_path`): `POST /v1/files` `{"action":
    /// "remove", "paths": [...]}`; `recursive` removes a tree and ignores a missing path.
    pub fn remove_path(&self, path: &str, recursive: bool) -> Result<()> {
        let body = FilesRequest {
            action: "remove".into(),
            paths: vec![RemovePath {
                path: path.into(),
                recursive,
            }],
            ..FilesRequest::default()
        };
        let req = Self::json_body(Request::new("POST", "/v1/files"), &body);
        let env = self.request(&req)?;
        self.path_result(&req, env.result, path)
    }

    // ---- checks ------------------------------------------------------------------------

    /// `GET /v1/checks[?level=...][&names=a&names=b]` (ops `get_checks`).
    pub fn get_checks(&self, level: Option<CheckLevel>, names: &[&str]) -> Result<Vec<CheckInfo>> {
        let mut req = Request::new("GET", "/v1/checks");
        if let Some(l) = level {
            req.query.push(("level", l.as_str().into()));
        }
        for n in names {
            req.query.push(("names", n.to_string()));
        }
        let list: Option<Vec<CheckInfo>> = self.sync(&req)?;
        Ok(list.unwrap_or_default())
    }

    /// Starts checks; returns those that were started (ops `start_checks`, Juju ≥ 3.6.4).
    pub fn start_checks(&self, checks: &[&str]) -> Result<Vec<String>> {
        self.checks_action("start", checks)
    }

    /// Stops checks; returns those that were stopped (ops `stop_checks`).
    pub fn stop_checks(&self, checks: &[&str]) -> Result<Vec<String>> {
        self.checks_action("stop", checks)
    }

    /// ops `_checks_action`: `changed` may be `null`.
    fn checks_action(&self, action: &str, checks: &[&str]) -> Result<Vec<String>> {
        let body = ChecksRequest {
            action: action.into(),
            checks: checks.iter().map(|s| s.to_string()).collect(),
        };
        let req = Self::json_body(Request::new("POST", "/v1/checks"), &body);
        #[derive(Deserialize)]
        struct Changed {
            #[serde(default)]
            changed: Option<Vec<String>>,
        }
        let r: Changed = self.sync(&req)?;
        Ok(r.changed.unwrap_or_default())
    }

    // ---- notices -----------------------------------------------------------------------

    /// Records a notice (ops `notify`): `POST /v1/notices`; returns its ID. `type_` is
    /// `"custom"` for clients; `key` looks like `example.com/path`.
    pub fn notify(
        &self,
        type_: &str,
        key: &str,
        data: Option<&BTreeMap<String, String>>,
        repeat_after: Option<Duration>,
    ) -> Result<String> {
        let body = NoticeRequest {
            action: "add".into(),
            type_: type_.into(),
            key: key.into(),
            data: data.cloned(),
            repeat_after: repeat_after.map(format_timeout),
        };
        let req = Self::json_body(Request::new("POST", "/v1/notices"), &body);
        #[derive(Deserialize)]
        struct Id {
            id: String,
        }
        let r: Id = self.sync(&req)?;
        Ok(r.id)
    }

    /// `GET /v1/notices/{id}` (ops `get_notice`); a missing notice is an API 404.
    pub fn get_notice(&self, id: &str) -> Result<Notice> {
        self.sync(&Request::new("GET", format!("/v1/notices/{id}")))
    }

    /// `GET /v1/notices` with the filter's `users`, `user-id`, `types` and `keys` (ops
    /// `get_notices`, in that order; lists repeat the key).
    pub fn get_notices(&self, filter: &NoticeFilter) -> Result<Vec<Notice>> {
        let mut req = Request::new("GET", "/v1/notices");
        if filter.all_users {
            req.query.push(("users", "all".into()));
        }
        if let Some(uid) = filter.user_id {
            req.query.push(("user-id", uid.to_string()));
        }
        for t in &filter.types {
            req.query.push(("types", t.clone()));
        }
        for k in &filter.keys {
            req.query.push(("keys", k.clone()));
        }
        let list: Option<Vec<Notice>> = self.sync(&req)?;
        Ok(list.unwrap_or_default())
    }

    // ---- exec --------------------------------------------------------------------------

    /// Running a command in the container needs Pebble's websocket protocol, which this
    /// client does not implement yet: always a `NotSupported` error.
    pub fn exec(&self, command: &[&str]) -> Result<()> {
        let _ = command;
        Err(PebbleError {
            container: self.container.clone(),
            method: "POST",
            path: "/v1/exec".into(),
            kind: Box::new(ErrorKind::NotSupported {
                message: "exec (Pebble's websocket protocol) is not implemented yet".into(),
            }),
        })
    }
}

/// ops `_format_timeout`: seconds with millisecond precision and an `s` (`"4.000s"`).
pub fn format_timeout(d: Duration) -> String {
    format!("{:.3}s", d.as_secs_f64())
}
