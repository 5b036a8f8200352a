//! Tracking numbers of the built-in carrier: the UPU S10 layout used by
//! postal services (`TI` + 8 digits + check digit + `LC`), so a mistyped
//! number is caught when a refurbisher scans or types it.

const WEIGHTS: [u32; 8] = [8, 6, 4, 2, 3, 5, 9, 7];

/// The S10 check digit of an 8-digit serial.
pub fn s10_check_digit(serial: u32) -> u32 {
    let digits = format!("{serial:08}");
    let sum: u32 = digits
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    match 11 - sum % 11 {
        10 => 0,
        11 => 5,
        d => d,
    }
}

/// `TI12345678` + check digit + `LC` for serial 12345678.
pub fn tracking_number(prefix: &str, serial: u32) -> String {
    format!(
        "{prefix}{serial:08}{}LC",
        s10_check_digit(serial % 100_000_000)
    )
}

/// True when `text` (spaces ignored, any case) is a well-formed number with
/// a correct check digit.
pub fn is_valid_tracking_number(text: &str) -> bool {
    let t: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if t.len() != 13
        || !t[..2].chars().all(|c| c.is_ascii_uppercase())
        || !t[11..].chars().all(|c| c.is_ascii_uppercase())
    {
        return false;
    }
    let (Ok(serial), Some(check)) = (
        t[2..10].parse::<u32>(),
        t[10..11].chars().next().and_then(|c| c.to_digit(10)),
    ) else {
        return false;
    };
    t[2..10].chars().all(|c| c.is_ascii_digit()) && s10_check_digit(serial) == check
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_s10_example() {
        // The UPU's worked example: serial 47312482 has check digit 9.
        assert_eq!(s10_check_digit(47_312_482), 9);
        assert_eq!(tracking_number("TI", 47_312_482), "TI473124829LC");
        assert!(is_valid_tracking_number("ti 4731 2482 9 lc"));
    }

    /// S10 maps two remainders to the same digit (0 and 6 both give 5), so
    /// it catches most single-digit typos rather than all of them.
    #[test]
    fn most_single_digit_typos_are_caught() {
        let good = tracking_number("TI", 12_345_678);
        assert!(is_valid_tracking_number(&good));
        let (mut caught, mut total) = (0, 0);
        for pos in 2..11 {
            for d in b'0'..=b'9' {
                let mut bytes = good.clone().into_bytes();
                if bytes[pos] == d {
                    continue;
                }
                bytes[pos] = d;
                total += 1;
                if !is_valid_tracking_number(std::str::from_utf8(&bytes).unwrap()) {
                    caught += 1;
                }
            }
        }
        assert!(caught * 100 >= total * 90, "{caught} of {total}");
        assert!(!is_valid_tracking_number("TI1234"));
        assert!(!is_valid_tracking_number("TI12345678XLC"));
    }
}
