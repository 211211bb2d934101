use crate::pebble::{format_duration, parse_duration};
use std::time::Duration;

#[test]
fn formats_like_go() {
    let cases = [
        (Duration::ZERO, "0s"),
        (Duration::from_nanos(1), "1ns"),
        (Duration::from_nanos(1_100), "1.1µs"),
        (Duration::from_millis(500), "500ms"),
        (Duration::from_micros(1_500), "1.5ms"),
        (Duration::from_secs(1), "1s"),
        (Duration::from_millis(1_500), "1.5s"),
        (Duration::from_secs(30), "30s"),
        (Duration::from_secs(60), "1m0s"),
        (Duration::from_secs(90), "1m30s"),
        (Duration::from_secs(3600), "1h0m0s"),
        (Duration::new(2 * 3600 + 45 * 60, 500_000_000), "2h45m0.5s"),
    ];
    for (d, text) in cases {
        assert_eq!(format_duration(d), text, "{d:?}");
        assert_eq!(parse_duration(text).unwrap(), d, "{text}");
    }
}

#[test]
fn parses_go_syntax() {
    let ok = [
        ("0", Duration::ZERO),
        ("+5s", Duration::from_secs(5)),
        ("-0s", Duration::ZERO),
        ("1h30m", Duration::from_secs(5400)),
        ("1.5h", Duration::from_secs(5400)),
        (".5s", Duration::from_millis(500)),
        ("5.s", Duration::from_secs(5)),
        ("2us", Duration::from_micros(2)),
        ("2\u{3bc}s", Duration::from_micros(2)),
        ("3.000s", Duration::from_secs(3)),
        ("1m1s1ms", Duration::from_millis(61_001)),
    ];
    for (text, d) in ok {
        assert_eq!(parse_duration(text).unwrap(), d, "{text}");
    }
    for bad in [
        "",
        "10",
        "s",
        ".s",
        "1x",
        "1.2.3s",
        "-1s",
        "1e3s",
        "99999999999999h",
        " 1s",
    ] {
        let e = parse_duration(bad).unwrap_err();
        assert_eq!(e.to_string(), format!("invalid duration {bad:?}"));
    }
}
