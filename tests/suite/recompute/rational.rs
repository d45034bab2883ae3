//! Exact rational numbers on i128: every figure is computed without floating point and
//! rounded only for display, half away from zero on the exact value.

use std::cell::Cell;
use std::cmp::Ordering;
use std::fmt;
use std::ops::{Add, Div, Mul, Neg, Sub};

thread_local! {
    static TIES_TOWARD_ZERO: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with exact ties at the last shown digit rounded toward zero (what rounding
/// a binary float that lies just below the decimal tie gives), to explain disagreements.
pub fn with_ties_toward_zero<T>(on: bool, f: impl FnOnce() -> T) -> T {
    let before = TIES_TOWARD_ZERO.with(|t| t.replace(on));
    let out = f();
    TIES_TOWARD_ZERO.with(|t| t.set(before));
    out
}

/// `n / d`, reduced, `d > 0`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Q {
    n: i128,
    d: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

impl Q {
    pub const ZERO: Q = Q { n: 0, d: 1 };

    pub fn new(n: i128, d: i128) -> Q {
        assert!(d != 0, "division by zero");
        let s = if d < 0 { -1 } else { 1 };
        let g = gcd(n, d);
        Q { n: s * n / g, d: s * d / g }
    }

    pub fn int(i: i64) -> Q {
        Q { n: i128::from(i), d: 1 }
    }

    /// A decimal literal such as `-4.31`, `12` or `.5` (what the data files hold).
    pub fn parse(s: &str) -> Option<Q> {
        let s = s.trim();
        let (neg, digits) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if int.is_empty() && frac.is_empty() || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        if int.len() + frac.len() > 30 {
            return None;
        }
        let mut n: i128 = 0;
        for c in int.chars().chain(frac.chars()) {
            n = n * 10 + i128::from(c as u8 - b'0');
        }
        let d = 10i128.pow(frac.len() as u32);
        Some(Q::new(if neg { -n } else { n }, d))
    }

    /// A YAML number: its shortest decimal representation is the literal written.
    pub fn from_f64(f: f64) -> Q {
        Q::parse(&format!("{f}")).unwrap_or_else(|| panic!("not a plain decimal: {f}"))
    }

    pub fn is_zero(self) -> bool {
        self.n == 0
    }

    pub fn is_negative(self) -> bool {
        self.n < 0
    }

    /// The smallest integer not below the value.
    pub fn ceil(self) -> i128 {
        let q = self.n.div_euclid(self.d);
        if self.n.rem_euclid(self.d) == 0 {
            q
        } else {
            q + 1
        }
    }

    pub fn clamp(self, lo: Q, hi: Q) -> Q {
        self.max(lo).min(hi)
    }

    /// Rounded half away from zero to `dp` decimals, trailing zeros dropped, ASCII minus.
    pub fn fmt_dp(self, dp: u32) -> String {
        let scale = 10i128.pow(dp);
        let x = self.n.abs() * scale;
        let tie = (2 * x) % (2 * self.d) == self.d;
        let r = if tie && TIES_TOWARD_ZERO.with(Cell::get) { x / self.d } else { (2 * x + self.d) / (2 * self.d) };
        let int = r / scale;
        let frac = r % scale;
        let mut s = if frac == 0 {
            int.to_string()
        } else {
            let f = format!("{frac:0width$}", width = dp as usize);
            format!("{int}.{}", f.trim_end_matches('0'))
        };
        if self.n < 0 && r != 0 {
            s.insert(0, '-');
        }
        s
    }
}

impl fmt::Debug for Q {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.d == 1 {
            write!(f, "{}", self.n)
        } else {
            write!(f, "{}/{}", self.n, self.d)
        }
    }
}

impl Ord for Q {
    fn cmp(&self, o: &Q) -> Ordering {
        (self.n * o.d).cmp(&(o.n * self.d))
    }
}

impl PartialOrd for Q {
    fn partial_cmp(&self, o: &Q) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Add for Q {
    type Output = Q;
    fn add(self, o: Q) -> Q {
        let g = gcd(self.d, o.d);
        Q::new(self.n * (o.d / g) + o.n * (self.d / g), self.d / g * o.d)
    }
}

impl Sub for Q {
    type Output = Q;
    fn sub(self, o: Q) -> Q {
        self + -o
    }
}

impl Neg for Q {
    type Output = Q;
    fn neg(self) -> Q {
        Q { n: -self.n, d: self.d }
    }
}

impl Mul for Q {
    type Output = Q;
    fn mul(self, o: Q) -> Q {
        let g1 = gcd(self.n, o.d);
        let g2 = gcd(o.n, self.d);
        Q::new((self.n / g1) * (o.n / g2), (self.d / g2) * (o.d / g1))
    }
}

impl Div for Q {
    type Output = Q;
    fn div(self, o: Q) -> Q {
        assert!(o.n != 0, "division by zero");
        self * Q::new(o.d, o.n)
    }
}

impl std::iter::Sum for Q {
    fn sum<I: Iterator<Item = Q>>(it: I) -> Q {
        it.fold(Q::ZERO, |a, b| a + b)
    }
}

#[test]
fn rounding_is_half_away_from_zero_on_the_exact_value() {
    let p = |s| Q::parse(s).unwrap();
    assert_eq!(p("38.75").fmt_dp(1), "38.8");
    assert_eq!(p("98.25").fmt_dp(1), "98.3");
    assert_eq!(p("2.675").fmt_dp(2), "2.68");
    assert_eq!(p("-2.675").fmt_dp(2), "-2.68");
    assert_eq!(p("4.50").fmt_dp(2), "4.5");
    assert_eq!(p("100.00").fmt_dp(2), "100");
    assert_eq!(p("-0.004").fmt_dp(2), "0");
    assert_eq!((Q::int(1) / Q::int(3)).fmt_dp(2), "0.33");
    assert_eq!((Q::int(2) / Q::int(3)).fmt_dp(1), "0.7");
    assert_eq!((Q::int(9) * Q::parse("0.9").unwrap()).ceil(), 9);
    assert_eq!(Q::from_f64(4.2), p("4.2"));
}
