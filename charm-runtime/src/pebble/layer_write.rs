//! Writing a layer as the text `add_layer` sends: JSON, which is YAML (1.2 flow syntax), so
//! Pebble's `plan.ParseLayer` (`gopkg.in/yaml.v3`) reads it as it reads the YAML ops sends.
//!
//! Why not YAML: a YAML emitter in every charm binary costs ~60 KiB, and the charm already
//! carries `serde_json`. The JSON is written so that a YAML reader gets exactly the same
//! values:
//!
//! - `": "` and `", "` separators (yaml.v3 would also take `"a":1` in flow context; libyaml
//!   based readers want the blank);
//! - in strings, besides JSON's own escapes, every character yaml.v3's reader refuses or
//!   treats as a line break is escaped as `\uXXXX`: DEL, the C1 controls (U+0080–U+009F,
//!   NEL included), U+2028, U+2029, U+FEFF, U+FFFE and U+FFFF (go-yaml `readerc.go` accepts
//!   `#x9 | #xA | #xD | [#x20-#x7E] | #x85 | [#xA0-#xD7FF] | [#xE000-#xFFFD] |
//!   [#x10000-#x10FFFF]`, and folds a raw NEL, U+2028 or U+2029 inside a quoted scalar into a
//!   space). Characters beyond the BMP are written as they are: yaml.v3 refuses `\u`
//!   escapes of surrogates, so the `\ud83d\ude00` pairs JSON allows would be an error;
//! - a `backoff-factor` that is not a finite number is an error (JSON has no NaN; YAML's
//!   `.nan` would be refused by Pebble anyway).

use super::layer::{Layer, LayerError};
use serde::Serialize;
use std::io;

/// `serde_json`'s compact output with `": "` / `", "` and the escapes above.
struct YamlSafe;

impl serde_json::ser::Formatter for YamlSafe {
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.begin_array_value(w, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if needs_escape(c) {
                w.write_all(&fragment.as_bytes()[start..i])?;
                write!(w, "\\u{:04x}", c as u32)?;
                start = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }
}

/// Characters (other than the controls below U+0020, which JSON escapes itself) that a
/// YAML reader would refuse or fold; all are in the BMP, so `\uXXXX` holds them.
fn needs_escape(c: char) -> bool {
    matches!(
        c,
        '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
    )
}

fn to_text<T: Serialize>(what: &'static str, value: &T) -> Result<String, LayerError> {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, YamlSafe);
    value.serialize(&mut ser).map_err(|e| LayerError {
        what,
        message: e.to_string(),
    })?;
    // serde_json writes UTF-8 and the escapes are ASCII.
    String::from_utf8(out).map_err(|e| LayerError {
        what,
        message: e.to_string(),
    })
}

impl Layer {
    /// The layer as `add_layer` sends it: JSON written so that it is also YAML with the same
    /// values (Pebble parses the `layer` field as YAML). `Layer::from_yaml` reads it back.
    ///
    /// ```
    /// use charm_runtime::pebble::{Layer, Service};
    /// let layer = Layer::new().service("web", Service::new("/bin/web").enabled());
    /// let text = layer.to_json().unwrap();
    /// assert_eq!(
    ///     text,
    ///     r#"{"services": {"web": {"startup": "enabled", "override": "replace", "command": "/bin/web"}}}"#
    /// );
    /// assert_eq!(Layer::from_yaml(&text).unwrap(), layer);
    /// ```
    pub fn to_json(&self) -> Result<String, LayerError> {
        for (name, service) in &self.services {
            if let Some(f) = service.backoff_factor.filter(|f| !f.is_finite()) {
                return Err(LayerError {
                    what: "layer",
                    message: format!("services.{name}.backoff-factor: {f} is not a finite number"),
                });
            }
        }
        to_text("layer", self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pebble::Service;

    #[test]
    fn escapes_what_yaml_readers_refuse_or_fold() {
        let value = "a\u{7f}b\u{85}c\u{2028}d\u{feff}e\u{ffff}f😀g\u{a0}h\té\"\\";
        let layer = Layer::new().service("s", Service::new("x").env("V", value));
        let text = layer.to_json().unwrap();
        let expected = concat!(
            r#""V": "a\u007fb\u0085c\u2028d\ufeffe\uffff"#,
            "f😀g\u{a0}h",
            r#"\té\"\\""#
        );
        assert!(text.contains(expected), "{text}");
        // Read back as YAML, the same value.
        let back = Layer::from_yaml(&text).unwrap();
        assert_eq!(back.services["s"].environment["V"], value);
        assert_eq!(back, layer);
    }

    #[test]
    fn non_finite_backoff_factor_is_an_error() {
        let layer = Layer::new().service("web", Service::new("x").backoff_factor(f64::NAN));
        let e = layer.to_json().unwrap_err();
        assert!(e.message.contains("services.web.backoff-factor"), "{e}");
    }
}
