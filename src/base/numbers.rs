//! How numbers are written: without float noise (`24`, `4.2`, `1e308`), rounded half
//! away from zero on their decimal value, joined to a unit, and byte sizes in MB.
//!
//! Pure formatting; it must not know what a number measures or where it is shown.

/// Formats a number without a trailing `.0`: `24`, `4.2`, `0.5`.
/// Numbers beyond ±1e15 and nonzero ones within ±1e-4 are written `1e308`, `5e-5`
/// rather than as hundreds of digits or as `0`.
pub(crate) fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else if n.is_nan() || n.abs() >= 1e15 || n.abs() < 1e-4 {
        format!("{n:e}")
    } else {
        let s = format!("{n:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Rounds `v` to `places` decimals, half away from zero on its decimal value rather
/// than on float noise: 38.75 and 98.25 both round up (to 38.8 and 98.3), and so does
/// 2.675 (to 2.68), though its nearest float lies just below. The value is first
/// snapped to 12 significant digits, which removes the noise of arithmetic on floats.
pub(crate) fn round_half_away(v: f64, places: i32) -> f64 {
    if !v.is_finite() {
        return v;
    }
    let f = 10f64.powi(places);
    let scaled = v * f;
    // Snapping moves the value by less than a part in 10^11, which changes how it
    // rounds only within that distance of a half: elsewhere the value rounds as it is
    // (and the snapping, a print and a parse, was most of the cost of a report cell).
    if ((scaled.abs().fract() - 0.5).abs()) > scaled.abs() * 1e-10 {
        return scaled.round() / f;
    }
    snapped(scaled).round() / f
}

/// `v` snapped to 12 significant digits.
fn snapped(v: f64) -> f64 {
    format!("{v:.11e}").parse().unwrap_or(v)
}

/// Joins a value and its unit: no space before `%`, `‰`, an empty unit or one that
/// starts with a hyphen, which English joins to the number (`-star`: `3-star`).
pub(crate) fn with_unit(value: &str, unit: &str) -> String {
    if unit.is_empty() || unit == "%" || unit == "‰" || unit.starts_with('-') {
        format!("{value}{unit}")
    } else {
        format!("{value} {unit}")
    }
}

/// `12.3 MB`, for size limits (1 MB = 2^20 bytes); `formats::yaml` re-exports it.
pub(crate) fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1u64 << 20) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_join_their_numbers_as_readers_write_them() {
        assert_eq!(with_unit("36", "小时"), "36 小时");
        assert_eq!(with_unit("36", "hours"), "36 hours");
        assert_eq!(with_unit("90", "%"), "90%");
        assert_eq!(with_unit("3", "‰"), "3‰");
        assert_eq!(with_unit("10", ""), "10");
        assert_eq!(with_unit("3", "-star"), "3-star");
    }

    #[test]
    fn numbers_format_without_noise() {
        assert_eq!(format_number(1e308), "1e308");
        assert_eq!(format_number(-2.5e20), "-2.5e20");
        assert_eq!(format_number(0.00005), "5e-5");
        assert_eq!(format_number(0.25), "0.25");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(format_number(999_999_999_999_999.0), "999999999999999");
    }

    #[test]
    fn rounding_is_half_away_from_zero_on_the_decimal_value() {
        assert_eq!(format_number(round_half_away(38.75, 1)), "38.8");
        assert_eq!(format_number(round_half_away(98.25, 1)), "98.3");
        assert_eq!(format_number(round_half_away(2.675, 2)), "2.68");
        assert_eq!(format_number(round_half_away(-2.675, 2)), "-2.68");
        assert_eq!(format_number(round_half_away(0.1 + 0.2, 1)), "0.3");
        // 40 × (3.4 − 1) / (4.2 − 1) = 30 exactly, computed as 29.999999999999996.
        assert_eq!(format_number(round_half_away(40.0 * (3.4 - 1.0) / (4.2 - 1.0), 1)), "30");
        assert_eq!(format_number(round_half_away(51.111_111, 2)), "51.11");
        assert_eq!(format_number(round_half_away(1.005, 2)), "1.01");
    }

    #[test]
    fn rounding_away_from_a_half_needs_no_snapping() {
        // The shortcut agrees with snapping every value: hundredths and thousandths
        // of a wide range, their sums and quotients (float noise), halves of both signs.
        let slow = |v: f64, places: i32| {
            let f = 10f64.powi(places);
            snapped(v * f).round() / f
        };
        let mut checked = 0;
        for i in -200_000i64..200_000 {
            let a = i as f64 / 1000.0;
            let b = (i as f64) * 0.01 + 0.1 + 0.2;
            let c = (i as f64 * 7.0) / 3.0;
            for v in [a, b, c, a * 1e6, b / 1e3] {
                for places in [0, 1, 2] {
                    assert_eq!(round_half_away(v, places), slow(v, places), "{v} to {places} places");
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 6_000_000);
    }

    #[test]
    fn sizes_are_written_in_megabytes() {
        assert_eq!(megabytes(100 << 20), "100.0 MB");
    }
}
