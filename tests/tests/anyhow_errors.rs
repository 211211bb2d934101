//! `anyhow::Error` converts into `charm_runtime::Error` with `?`, keeping anyhow's context
//! chain in the message, and a handler may return `anyhow::Result<()>`. (Only one of the
//! two `Context` traits is imported per scope: both have a `context` method.)

use anyhow::anyhow;
use charm_runtime::__private::handler_result;

fn read_port(text: &str) -> anyhow::Result<u16> {
    use anyhow::Context as _;
    let port: u16 = text
        .parse()
        .with_context(|| format!("parsing the port `{text}`"))?;
    Ok(port)
}

fn configure(text: &str) -> charm_runtime::Result<u16> {
    use anyhow::Context as _;
    Ok(read_port(text).context("loading the config")?)
}

#[test]
fn question_mark_keeps_the_context_chain() {
    use anyhow::Context as _;
    let err = configure("eighty").unwrap_err();
    assert_eq!(
        err.to_string(),
        "loading the config: parsing the port `eighty`: invalid digit found in string"
    );
    // The text anyhow itself prints with `{:#}`.
    let from_anyhow = read_port("eighty")
        .context("loading the config")
        .unwrap_err();
    assert_eq!(err.to_string(), format!("{from_anyhow:#}"));
    assert_eq!(configure("80").unwrap(), 80);
}

#[test]
fn runtime_context_goes_before_the_anyhow_chain() {
    use charm_runtime::Context as _;
    let r: anyhow::Result<()> = Err(anyhow!("no leader yet").context("electing"));
    let err = r.context("start").unwrap_err();
    assert_eq!(err.to_string(), "start: electing: no leader yet");
}

#[test]
fn an_anyhow_handler_result_converts() {
    use anyhow::Context as _;
    let failed: anyhow::Result<()> = Err(anyhow!("boom")).context("reconciling");
    let err = handler_result(failed).unwrap_err();
    assert_eq!(err.to_string(), "reconciling: boom");
    assert!(handler_result(anyhow::Ok(())).is_ok());
}
