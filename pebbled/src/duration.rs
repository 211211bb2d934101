//! Go's `time.Duration` text: [`parse()`] follows `time.ParseDuration` (and its error
//! wording, which Pebble passes through), [`format()`] follows `Duration.String()`, which is
//! how Pebble writes durations back (`1m30s`, `500ms`, `1h0m0s`).
//!
//! Hand-written: no crate reproduces Go's format (units mixed from hours down, a
//! fraction only on the last unit) or its exact messages.

const NANOSECOND: u128 = 1;
const MICROSECOND: u128 = 1000 * NANOSECOND;
const MILLISECOND: u128 = 1000 * MICROSECOND;
const SECOND: u128 = 1000 * MILLISECOND;
const MINUTE: u128 = 60 * SECOND;
const HOUR: u128 = 60 * MINUTE;

/// Go's `%q` of a string, as its error messages quote their input.
pub fn go_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn unit(name: &str) -> Option<u128> {
    Some(match name {
        "ns" => NANOSECOND,
        "us" | "µs" | "μs" => MICROSECOND,
        "ms" => MILLISECOND,
        "s" => SECOND,
        "m" => MINUTE,
        "h" => HOUR,
        _ => return None,
    })
}

/// Parses a duration as Go's `time.ParseDuration` does (`"1h30m"`, `"1.5s"`, `"-2ms"`,
/// `"0"`), into nanoseconds. The error is Go's text, e.g. `time: invalid duration "x"`.
pub fn parse(text: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", go_quote(text));
    let mut rest = text;
    let mut negative = false;
    if let Some(first) = rest.chars().next() {
        if first == '-' || first == '+' {
            negative = first == '-';
            rest = &rest[1..];
        }
    }
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: u128 = 0;
    while !rest.is_empty() {
        let bytes = rest.as_bytes();
        if !(bytes[0] == b'.' || bytes[0].is_ascii_digit()) {
            return Err(invalid());
        }
        let int_len = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
        let int_part: u128 = if int_len == 0 {
            0
        } else {
            rest[..int_len].parse::<u64>().map_err(|_| invalid())? as u128
        };
        rest = &rest[int_len..];
        let mut fraction = "";
        let mut has_fraction = false;
        if rest.starts_with('.') {
            rest = &rest[1..];
            let frac_len = rest.bytes().take_while(|b| b.is_ascii_digit()).count();
            fraction = &rest[..frac_len];
            has_fraction = frac_len > 0;
            rest = &rest[frac_len..];
        }
        if int_len == 0 && !has_fraction {
            return Err(invalid());
        }
        let unit_len = rest
            .char_indices()
            .find(|(_, c)| *c == '.' || c.is_ascii_digit())
            .map_or(rest.len(), |(i, _)| i);
        if unit_len == 0 {
            return Err(format!("time: missing unit in duration {}", go_quote(text)));
        }
        let unit_name = &rest[..unit_len];
        rest = &rest[unit_len..];
        let scale = unit(unit_name).ok_or_else(|| {
            format!(
                "time: unknown unit {} in duration {}",
                go_quote(unit_name),
                go_quote(text)
            )
        })?;
        let mut value = int_part.checked_mul(scale).ok_or_else(invalid)?;
        if has_fraction {
            // Go keeps at most 19 significant fraction digits; more cannot change the result.
            let mut numerator: u128 = 0;
            let mut denominator: u128 = 1;
            for digit in fraction.bytes().take(19) {
                numerator = numerator * 10 + u128::from(digit - b'0');
                denominator *= 10;
            }
            value += numerator * scale / denominator;
        }
        total = total.checked_add(value).ok_or_else(invalid)?;
        if total > i64::MAX as u128 + u128::from(negative) {
            return Err(invalid());
        }
    }
    Ok(if negative {
        (total as i128).wrapping_neg() as i64
    } else {
        total as i64
    })
}

/// Writes `value / 10^precision` as Go's `fmtFrac` does: the fraction digits without
/// trailing zeros (no point when they are all zero); returns the integer part.
fn push_fraction(out: &mut String, value: u128, precision: u32) -> u128 {
    let scale = 10u128.pow(precision);
    let fraction = value % scale;
    if fraction != 0 {
        let digits = format!("{:0width$}", fraction, width = precision as usize);
        out.insert_str(0, digits.trim_end_matches('0'));
        out.insert(0, '.');
    }
    value / scale
}

/// Formats nanoseconds as Go's `Duration.String()`: `"0s"`, `"500ms"`, `"1.5s"`, `"1m30s"`,
/// `"1h0m0s"`.
pub fn format(nanos: i64) -> String {
    if nanos == 0 {
        return "0s".to_string();
    }
    let negative = nanos < 0;
    let mut value = u128::from(nanos.unsigned_abs());
    // Built from the right, as Go's does.
    let mut out = String::new();
    if value < SECOND {
        let (precision, suffix) = if value < MICROSECOND {
            (0, "ns")
        } else if value < MILLISECOND {
            (3, "µs")
        } else {
            (6, "ms")
        };
        out.push_str(suffix);
        let integer = push_fraction(&mut out, value, precision);
        out.insert_str(0, &integer.to_string());
    } else {
        out.push('s');
        value = push_fraction(&mut out, value, 9);
        out.insert_str(0, &(value % 60).to_string());
        value /= 60;
        if value > 0 {
            out.insert(0, 'm');
            out.insert_str(0, &(value % 60).to_string());
            value /= 60;
            if value > 0 {
                out.insert(0, 'h');
                out.insert_str(0, &value.to_string());
            }
        }
    }
    if negative {
        out.insert(0, '-');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_as_go_does() {
        let cases: [(i64, &str); 10] = [
            (0, "0s"),
            (1, "1ns"),
            (1_500, "1.5µs"),
            (500_000_000, "500ms"),
            (1_500_000_000, "1.5s"),
            (90_000_000_000, "1m30s"),
            (3_600_000_000_000, "1h0m0s"),
            (30_000_000_000, "30s"),
            (-2_000_000, "-2ms"),
            (93_784_000_000_000, "26h3m4s"),
        ];
        for (nanos, text) in cases {
            assert_eq!(format(nanos), text, "{nanos}");
            assert_eq!(parse(text), Ok(nanos), "{text}");
        }
    }

    #[test]
    fn parses_as_go_does() {
        assert_eq!(parse("1h30m"), Ok(5_400_000_000_000));
        assert_eq!(parse(".5s"), Ok(500_000_000));
        assert_eq!(parse("+0"), Ok(0));
        assert_eq!(parse("4.000s"), Ok(4_000_000_000));
        assert_eq!(parse("1us"), Ok(1_000));
    }

    #[test]
    fn errors_carry_go_wording() {
        assert_eq!(parse(""), Err("time: invalid duration \"\"".to_string()));
        assert_eq!(
            parse("abc"),
            Err("time: invalid duration \"abc\"".to_string())
        );
        assert_eq!(
            parse("10"),
            Err("time: missing unit in duration \"10\"".to_string())
        );
        assert_eq!(
            parse("10x"),
            Err("time: unknown unit \"x\" in duration \"10x\"".to_string())
        );
        assert_eq!(parse("."), Err("time: invalid duration \".\"".to_string()));
        assert_eq!(
            parse("99999999999h"),
            Err("time: invalid duration \"99999999999h\"".to_string())
        );
    }
}
