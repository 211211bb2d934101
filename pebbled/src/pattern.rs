//! Shell patterns as Go's `path.Match` reads them, for `list_files(pattern=...)`: `*` (any
//! run of characters but `/`), `?` (one character but `/`), `[...]` classes with ranges and
//! `^` negation, `\` escapes. A malformed pattern is Go's `path.ErrBadPattern`, whose text
//! Pebble returns: `syntax error in pattern`.
//!
//! Hand-written: the `glob` crate accepts patterns Go rejects (`[]`, a trailing `\`) and
//! treats `[!...]` as negation where Go uses `[^...]`.

/// Go's `path.ErrBadPattern` text.
pub const BAD_PATTERN: &str = "syntax error in pattern";

#[derive(Debug)]
enum Token {
    Literal(char),
    AnyOne,
    AnyRun,
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

fn compile(pattern: &str) -> Result<Vec<Token>, &'static str> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    // One class character: escaped or plain, never an unescaped `-` or `]`.
    let class_char = |i: &mut usize| -> Result<char, &'static str> {
        match chars.get(*i) {
            None | Some('-') | Some(']') => Err(BAD_PATTERN),
            Some('\\') => {
                let c = *chars.get(*i + 1).ok_or(BAD_PATTERN)?;
                *i += 2;
                Ok(c)
            }
            Some(c) => {
                *i += 1;
                Ok(*c)
            }
        }
    };
    while i < chars.len() {
        match chars[i] {
            '*' => {
                tokens.push(Token::AnyRun);
                i += 1;
            }
            '?' => {
                tokens.push(Token::AnyOne);
                i += 1;
            }
            '\\' => {
                let c = *chars.get(i + 1).ok_or(BAD_PATTERN)?;
                tokens.push(Token::Literal(c));
                i += 2;
            }
            '[' => {
                i += 1;
                let negated = chars.get(i) == Some(&'^');
                if negated {
                    i += 1;
                }
                let mut ranges = Vec::new();
                loop {
                    if chars.get(i) == Some(&']') && !ranges.is_empty() {
                        i += 1;
                        break;
                    }
                    let low = class_char(&mut i)?;
                    let mut high = low;
                    if chars.get(i) == Some(&'-') {
                        i += 1;
                        high = class_char(&mut i)?;
                    }
                    ranges.push((low, high));
                }
                tokens.push(Token::Class { negated, ranges });
            }
            c => {
                tokens.push(Token::Literal(c));
                i += 1;
            }
        }
    }
    Ok(tokens)
}

fn matches_from(tokens: &[Token], name: &[char]) -> bool {
    match tokens.split_first() {
        None => name.is_empty(),
        Some((Token::AnyRun, rest)) => {
            // `*` never crosses a `/`.
            let limit = name.iter().position(|c| *c == '/').unwrap_or(name.len());
            (0..=limit).any(|skip| matches_from(rest, &name[skip..]))
        }
        Some((token, rest)) => {
            let Some((first, tail)) = name.split_first() else {
                return false;
            };
            let one = match token {
                Token::Literal(c) => c == first,
                Token::AnyOne => *first != '/',
                Token::Class { negated, ranges } => {
                    let inside = ranges
                        .iter()
                        .any(|(low, high)| low <= first && first <= high);
                    inside != *negated
                }
                Token::AnyRun => unreachable!("handled above"),
            };
            one && matches_from(rest, tail)
        }
    }
}

/// Whether `name` matches `pattern`, as Go's `path.Match`; `Err` carries
/// [`BAD_PATTERN`] when the pattern is malformed (checked whatever the name).
pub fn matches(pattern: &str, name: &str) -> Result<bool, &'static str> {
    let tokens = compile(pattern)?;
    let name: Vec<char> = name.chars().collect();
    Ok(matches_from(&tokens, &name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_like_go() {
        let yes = [
            ("*.txt", "a.txt"),
            ("*", ""),
            ("a?c", "abc"),
            ("[a-c]x", "bx"),
            ("[^a-c]x", "dx"),
            ("\\*", "*"),
            ("*c", "abc"),
            ("a*b*c", "axxbyyc"),
            ("[\\]]", "]"),
        ];
        for (pattern, name) in yes {
            assert_eq!(matches(pattern, name), Ok(true), "{pattern} {name}");
        }
        let no = [
            ("*.txt", "a.log"),
            ("a*", "a/b"),
            ("?", "/"),
            ("[^a-c]x", "ax"),
            ("abc", "ab"),
        ];
        for (pattern, name) in no {
            assert_eq!(matches(pattern, name), Ok(false), "{pattern} {name}");
        }
    }

    #[test]
    fn bad_patterns_are_go_errors() {
        for pattern in ["[", "[]", "[a", "\\", "[a-]", "[-]", "a[", "[x-"] {
            assert_eq!(matches(pattern, "whatever"), Err(BAD_PATTERN), "{pattern}");
        }
    }
}
