//! Text building without `core::fmt`: messages are joined from `&str` parts ([`concat`],
//! [`join`]) and numbers written by [`push_int`], which keeps the formatting machinery's
//! code out of the parts of the wasm that build messages (and `alloc`'s generic
//! `[a, b].concat()` / `join`, ~0.9 KB of wasm, out of all of it).

/// The parts one after another, as `parts.concat()` makes them.
pub fn concat(parts: &[&str]) -> String {
    join(parts, "")
}

/// The parts with `separator` between them, as `parts.join(separator)` makes them.
pub fn join(parts: &[&str], separator: &str) -> String {
    let len = parts.iter().map(|p| p.len() + separator.len()).sum();
    let mut out = String::with_capacity(len);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(part);
    }
    out
}

/// Appends the decimal digits of `n` (with a `-` when negative), as `n.to_string()` writes them.
pub fn push_int(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let mut rest = n.unsigned_abs();
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for &digit in &digits[at..] {
        out.push(char::from(digit));
    }
}

/// `n` in decimal, as `n.to_string()` writes it.
pub fn int(n: i64) -> String {
    let mut out = String::with_capacity(20);
    push_int(&mut out, n);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concat_and_join_are_std_s() {
        for parts in [
            &[][..],
            &[""],
            &["a"],
            &["a", ""],
            &["", "b", ""],
            &["ab", "c", "déf"],
        ] {
            assert_eq!(concat(parts), parts.concat());
            for separator in ["", ", ", "/"] {
                assert_eq!(join(parts, separator), parts.join(separator));
            }
        }
    }

    #[test]
    fn writes_integers_as_to_string_does() {
        for n in [
            0,
            1,
            -1,
            9,
            10,
            99,
            100,
            65_535,
            i64::from(u32::MAX),
            i64::MAX,
            i64::MIN,
            -1_000_000,
        ] {
            assert_eq!(int(n), n.to_string());
        }
        let mut out = String::from("x=");
        push_int(&mut out, -42);
        assert_eq!(out, "x=-42");
    }
}
