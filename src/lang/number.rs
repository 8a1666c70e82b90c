//! Numbers as Terraform has them. cty keeps every number as a Go `big.Float` and parses
//! literals at 512 bits of mantissa, so `0.1 * 1.5` is `0.15`, a whole number beyond 2^53
//! keeps its value and `1e500` is a number. amlplan does the same: a whole number within
//! ±2^53 is an `i64` (the common case, no allocation); anything else is a binary float
//! rounded to 512 bits (half to even, as `big.ToNearestEven`), and a number prints as
//! `big.Float.Text('f', -1)` does: the shortest decimal that rounds back to it.
//!
//! Functions that Terraform computes through `float64` (`pow`, `log`, ...) convert with
//! [`Number::to_f64`] and back with [`Number::from_f64`], which reads the float's shortest
//! decimal form, so their results print as Terraform prints them.

use std::cmp::Ordering;
use std::fmt;

use num_bigint::{BigInt, BigUint, Sign};
use num_integer::Integer;
use num_traits::{One, ToPrimitive, Zero};

/// The mantissa bits of a parsed literal and of every result, as cty parses numbers.
pub const PRECISION: u64 = 512;

/// The largest whole number kept as [`Number::Small`]: 2^53, beyond which `f64` would lose
/// whole numbers (so that every `Small` converts to `f64` exactly).
const SMALL_LIMIT: i64 = 1 << 53;

/// The largest decimal exponent a literal may have. Go's parser accepts more, but the exact
/// arithmetic here costs memory in proportion to the exponent, and no manifest needs more.
pub const MAX_DECIMAL_EXPONENT: i64 = 100_000;

/// The significant digits of a literal read exactly; 512 bits need about 155, and the
/// digits past these decide only whether the value is a little above them.
const STICKY_DIGITS: usize = 1_000;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Number {
    /// A whole number within ±2^53.
    Small(i64),
    /// Any other number, never zero: `(-1)^negative × mantissa × 2^exponent` with an odd
    /// mantissa, so that equal numbers have equal representations.
    Big(Box<Big>),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Big {
    negative: bool,
    mantissa: BigUint,
    exponent: i64,
}

/// A sign, magnitude and exponent without the canonical-form guarantees, for arithmetic.
struct Parts {
    negative: bool,
    mantissa: BigUint,
    exponent: i64,
}

impl Parts {
    fn of(n: &Number) -> Parts {
        match n {
            Number::Small(i) => Parts {
                negative: *i < 0,
                mantissa: BigUint::from(i.unsigned_abs()),
                exponent: 0,
            },
            Number::Big(b) => Parts {
                negative: b.negative,
                mantissa: b.mantissa.clone(),
                exponent: b.exponent,
            },
        }
    }

    /// The position just above the highest set bit (`mantissa < 2^top`), for zero `None`.
    fn top(&self) -> Option<i64> {
        (!self.mantissa.is_zero()).then(|| self.exponent + self.mantissa.bits() as i64)
    }
}

impl Number {
    pub const ZERO: Number = Number::Small(0);

    pub fn from_i64(i: i64) -> Number {
        if i.unsigned_abs() <= SMALL_LIMIT as u64 {
            Number::Small(i)
        } else {
            Number::canonical(i < 0, BigUint::from(i.unsigned_abs()), 0, false)
        }
    }

    pub fn from_u64(u: u64) -> Number {
        match i64::try_from(u) {
            Ok(i) => Number::from_i64(i),
            Err(_) => Number::canonical(false, BigUint::from(u), 0, false),
        }
    }

    /// A whole number of any size, exactly (as `big.Float.SetInt` keeps every bit).
    pub fn from_bigint(i: &BigInt) -> Number {
        if let Some(small) = i.to_i64() {
            return Number::from_i64(small);
        }
        Number::canonical(i.sign() == Sign::Minus, i.magnitude().clone(), 0, false)
    }

    /// A float as Terraform gets one back from a `float64` function: by its shortest decimal
    /// form. `None` for NaN and the infinities.
    pub fn from_f64(f: f64) -> Option<Number> {
        if !f.is_finite() {
            return None;
        }
        if f.fract() == 0.0 && f.abs() <= SMALL_LIMIT as f64 {
            return Some(Number::Small(f as i64));
        }
        Number::parse(&format!("{f:e}"))
    }

    /// A decimal literal: an optional sign, digits, an optional fraction and exponent
    /// (`-12`, `0.15`, `1e500`, `2.5E-3`, and `.5` and `5.` as Go reads them), rounded to [`PRECISION`] bits. `None` when the
    /// text is not such a literal or its exponent is beyond [`MAX_DECIMAL_EXPONENT`].
    pub fn parse(text: &str) -> Option<Number> {
        let (negative, rest) = match text.as_bytes().first()? {
            b'-' => (true, &text[1..]),
            b'+' => (false, &text[1..]),
            _ => (false, text),
        };
        let (mantissa_text, exponent_text) = match rest.find(['e', 'E']) {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        let (whole, fraction) = match mantissa_text.split_once('.') {
            Some((w, f)) => (w, f),
            None => (mantissa_text, ""),
        };
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() && fraction.is_empty() || !all_digits(whole) || !all_digits(fraction) {
            return None;
        }
        let mut exponent: i64 = 0;
        if let Some(e) = exponent_text {
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if digits.is_empty() || !all_digits(digits) {
                return None;
            }
            // Leading zeros aside, more than six digits is beyond the bound anyway.
            let significant = digits.trim_start_matches('0');
            if significant.len() > 7 {
                return None;
            }
            exponent = significant.parse::<i64>().unwrap_or(0);
            if e.starts_with('-') {
                exponent = -exponent;
            }
        }
        let digits = format!("{whole}{fraction}");
        let digits = digits.trim_start_matches('0');
        exponent -= fraction.len() as i64;
        if digits.is_empty() {
            return Some(Number::ZERO);
        }
        // Trailing zeros move into the exponent, which keeps the powers of ten small.
        let trimmed = digits.trim_end_matches('0');
        exponent += (digits.len() - trimmed.len()) as i64;
        let magnitude_exponent = exponent + trimmed.len() as i64;
        // Digits far below the last one that can matter only say "a little more": a
        // thousand digits and a sticky `1` round as all of them would, at a fixed cost
        // however long the literal is.
        let kept;
        let trimmed = if trimmed.len() > STICKY_DIGITS {
            kept = format!("{}1", &trimmed[..STICKY_DIGITS]);
            exponent += (trimmed.len() - STICKY_DIGITS - 1) as i64;
            kept.as_str()
        } else {
            trimmed
        };
        let significant: BigUint = trimmed.parse().ok()?;
        if !(-MAX_DECIMAL_EXPONENT..=MAX_DECIMAL_EXPONENT).contains(&magnitude_exponent) {
            return None;
        }
        Some(Number::from_decimal(negative, significant, exponent))
    }

    /// `(-1)^negative × significant × 10^exponent`, rounded: as `significant × 5^e × 2^e`,
    /// dividing by the power of five for a negative exponent.
    fn from_decimal(negative: bool, significant: BigUint, exponent: i64) -> Number {
        let five = BigUint::from(5u32);
        if exponent >= 0 {
            let mantissa = significant * five.pow(exponent as u32);
            return Number::canonical(negative, mantissa, exponent, true);
        }
        let divisor = five.pow((-exponent) as u32);
        Number::quotient(negative, &significant, exponent, &divisor, 0, PRECISION)
    }

    /// `(-1)^negative × (dividend × 2^dividend_exponent) / (divisor × 2^divisor_exponent)`,
    /// rounded to `precision` bits.
    fn quotient(
        negative: bool,
        dividend: &BigUint,
        dividend_exponent: i64,
        divisor: &BigUint,
        divisor_exponent: i64,
        precision: u64,
    ) -> Number {
        // Enough quotient bits for the precision plus a guard bit; the remainder is sticky.
        let shift = (precision as i64 + 2 + divisor.bits() as i64 - dividend.bits() as i64).max(0);
        let (q, r) = (dividend << shift as u64).div_rem(divisor);
        let mut q = q;
        let exponent = dividend_exponent - divisor_exponent - shift;
        if !r.is_zero() {
            // A sticky bit below every bit that matters, so that rounding sees "more than
            // half" rather than "exactly half".
            q = (q << 1u32) | BigUint::one();
            return Number::rounded(negative, q, exponent - 1, precision);
        }
        Number::rounded(negative, q, exponent, precision)
    }

    fn rounded(negative: bool, mantissa: BigUint, exponent: i64, precision: u64) -> Number {
        let (mantissa, exponent) = round(mantissa, exponent, precision);
        Number::canonical(negative, mantissa, exponent, false)
    }

    /// The canonical form of a value (rounded first when `round_it`).
    fn canonical(negative: bool, mantissa: BigUint, exponent: i64, round_it: bool) -> Number {
        let (mut mantissa, mut exponent) = if round_it {
            round(mantissa, exponent, PRECISION)
        } else {
            (mantissa, exponent)
        };
        if mantissa.is_zero() {
            return Number::ZERO;
        }
        let zeros = mantissa.trailing_zeros().unwrap_or(0);
        mantissa >>= zeros;
        exponent += zeros as i64;
        // A whole number within the small range is `Small`, whatever produced it.
        if exponent >= 0 && mantissa.bits() as i64 + exponent <= 53 {
            let magnitude = (mantissa << exponent as u64).to_i64().unwrap_or(0);
            return Number::Small(if negative { -magnitude } else { magnitude });
        }
        Number::Big(Box::new(Big {
            negative,
            mantissa,
            exponent,
        }))
    }

    fn from_parts(p: Parts, precision: u64) -> Number {
        Number::rounded(p.negative, p.mantissa, p.exponent, precision)
    }

    /// The precision a result is rounded to: 512 bits, or more for an operand that holds
    /// more (a whole number from `parseint`), as `big.Float` takes the larger precision.
    fn precision_of(a: &Number, b: &Number) -> u64 {
        let bits = |n: &Number| match n {
            Number::Small(_) => 0,
            Number::Big(b) => b.mantissa.bits(),
        };
        PRECISION.max(bits(a)).max(bits(b))
    }

    pub fn is_zero(&self) -> bool {
        matches!(self, Number::Small(0))
    }

    pub fn is_negative(&self) -> bool {
        match self {
            Number::Small(i) => *i < 0,
            Number::Big(b) => b.negative,
        }
    }

    pub fn is_integer(&self) -> bool {
        match self {
            Number::Small(_) => true,
            Number::Big(b) => b.exponent >= 0,
        }
    }

    /// The value as an `i64` when it is a whole number that fits.
    pub fn to_i64(&self) -> Option<i64> {
        match self {
            Number::Small(i) => Some(*i),
            Number::Big(_) => self.to_bigint()?.to_i64(),
        }
    }

    /// The value as a whole number, when it is one.
    pub fn to_bigint(&self) -> Option<BigInt> {
        match self {
            Number::Small(i) => Some(BigInt::from(*i)),
            Number::Big(b) if b.exponent >= 0 => {
                let magnitude = &b.mantissa << b.exponent as u64;
                let sign = if b.negative { Sign::Minus } else { Sign::Plus };
                Some(BigInt::from_biguint(sign, magnitude))
            }
            Number::Big(_) => None,
        }
    }

    /// The whole number toward zero (`big.Float.Int`).
    pub fn truncate(&self) -> BigInt {
        match self {
            Number::Small(i) => BigInt::from(*i),
            Number::Big(b) => {
                let magnitude = if b.exponent >= 0 {
                    &b.mantissa << b.exponent as u64
                } else {
                    &b.mantissa >> b.exponent.unsigned_abs()
                };
                let sign = if b.negative { Sign::Minus } else { Sign::Plus };
                BigInt::from_biguint(sign, magnitude)
            }
        }
    }

    pub fn floor(&self) -> Number {
        let t = Number::from_bigint(&self.truncate());
        if self.is_negative() && t != *self {
            t.sub(&Number::Small(1))
        } else {
            t
        }
    }

    pub fn ceil(&self) -> Number {
        let t = Number::from_bigint(&self.truncate());
        if !self.is_negative() && t != *self {
            t.add(&Number::Small(1))
        } else {
            t
        }
    }

    /// The nearest `f64` (for the functions Terraform computes in `float64`); a magnitude
    /// beyond `f64`'s range is an infinity.
    pub fn to_f64(&self) -> f64 {
        match self {
            Number::Small(i) => *i as f64,
            Number::Big(b) => {
                // The top 64 bits with a sticky bit for the rest convert to `f64` with one
                // correct rounding.
                let bits = b.mantissa.bits() as i64;
                let (top, shift) = if bits > 64 {
                    let shift = bits - 64;
                    let mut top = (&b.mantissa >> shift as u64).to_u64().unwrap_or(u64::MAX);
                    if b.mantissa.trailing_zeros().unwrap_or(0) < shift as u64 {
                        top |= 1;
                    }
                    (top, shift)
                } else {
                    (b.mantissa.to_u64().unwrap_or(u64::MAX), 0)
                };
                let magnitude = scale(top as f64, b.exponent + shift);
                if b.negative { -magnitude } else { magnitude }
            }
        }
    }

    pub fn neg(&self) -> Number {
        match self {
            Number::Small(i) => Number::Small(-i),
            Number::Big(b) => Number::Big(Box::new(Big {
                negative: !b.negative,
                mantissa: b.mantissa.clone(),
                exponent: b.exponent,
            })),
        }
    }

    pub fn abs(&self) -> Number {
        if self.is_negative() {
            self.neg()
        } else {
            self.clone()
        }
    }

    pub fn add(&self, other: &Number) -> Number {
        if let (Number::Small(a), Number::Small(b)) = (self, other) {
            return Number::from_i64(a + b);
        }
        let precision = Number::precision_of(self, other);
        let (a, b) = (Parts::of(self), Parts::of(other));
        let (Some(top_a), Some(top_b)) = (a.top(), b.top()) else {
            return if a.mantissa.is_zero() {
                other.clone()
            } else {
                self.clone()
            };
        };
        // An operand entirely below half an ulp of the other cannot change it (and
        // aligning the two would cost memory in proportion to the gap).
        let gap = precision as i64 + 2;
        if top_a - top_b > gap {
            return Number::from_parts(a, precision);
        }
        if top_b - top_a > gap {
            return Number::from_parts(b, precision);
        }
        let exponent = a.exponent.min(b.exponent);
        let signed = |p: &Parts| {
            let m = BigInt::from_biguint(Sign::Plus, &p.mantissa << (p.exponent - exponent) as u64);
            if p.negative { -m } else { m }
        };
        let sum = signed(&a) + signed(&b);
        Number::rounded(
            sum.sign() == Sign::Minus,
            sum.magnitude().clone(),
            exponent,
            precision,
        )
    }

    pub fn sub(&self, other: &Number) -> Number {
        self.add(&other.neg())
    }

    pub fn mul(&self, other: &Number) -> Number {
        if let (Number::Small(a), Number::Small(b)) = (self, other)
            && let Some(p) = a.checked_mul(*b)
        {
            return Number::from_i64(p);
        }
        let precision = Number::precision_of(self, other);
        let (a, b) = (Parts::of(self), Parts::of(other));
        Number::rounded(
            a.negative != b.negative,
            a.mantissa * b.mantissa,
            a.exponent + b.exponent,
            precision,
        )
    }

    /// `None` when dividing by zero.
    pub fn div(&self, other: &Number) -> Option<Number> {
        if other.is_zero() {
            return None;
        }
        if self.is_zero() {
            return Some(Number::ZERO);
        }
        if let (Number::Small(a), Number::Small(b)) = (self, other)
            && a % b == 0
        {
            return Some(Number::from_i64(a / b));
        }
        let precision = Number::precision_of(self, other);
        let (a, b) = (Parts::of(self), Parts::of(other));
        Some(Number::quotient(
            a.negative != b.negative,
            &a.mantissa,
            a.exponent,
            &b.mantissa,
            b.exponent,
            precision,
        ))
    }

    /// cty's remainder: `a - b × trunc(a / b)`, with the sign of `a`. `None` when `b` is
    /// zero.
    pub fn rem(&self, other: &Number) -> Option<Number> {
        if let (Number::Small(a), Number::Small(b)) = (self, other) {
            return (*b != 0).then(|| Number::Small(a % b));
        }
        let ratio = self.div(other)?;
        let whole = Number::from_bigint(&ratio.truncate());
        Some(self.sub(&other.mul(&whole)))
    }

    /// Terraform's JSON form of a number: its decimal text, which is a JSON number.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Number::Small(i) => serde_json::Value::from(*i),
            Number::Big(_) => {
                if let Some(i) = self.to_i64() {
                    return serde_json::Value::from(i);
                }
                if let Some(u) = self.to_bigint().and_then(|i| i.to_u64()) {
                    return serde_json::Value::from(u);
                }
                serde_json::Number::from_f64(self.to_f64())
                    .map_or(serde_json::Value::Null, serde_json::Value::Number)
            }
        }
    }

    /// A JSON number as Terraform reads one: from its text (so `0.1` is the 512-bit 0.1, not
    /// the `f64` nearest it).
    pub fn from_json(n: &serde_json::Number) -> Number {
        if let Some(i) = n.as_i64() {
            return Number::from_i64(i);
        }
        if let Some(u) = n.as_u64() {
            return Number::from_u64(u);
        }
        Number::parse(&n.to_string())
            .or_else(|| n.as_f64().and_then(Number::from_f64))
            .unwrap_or(Number::ZERO)
    }
}

/// `value × 2^exponent` in `f64`, scaling in steps so that no intermediate overflows or
/// underflows before the result would.
fn scale(mut value: f64, mut exponent: i64) -> f64 {
    while exponent > 1000 {
        value *= 2f64.powi(1000);
        exponent -= 1000;
        if value.is_infinite() {
            return value;
        }
    }
    while exponent < -1000 {
        value *= 2f64.powi(-1000);
        exponent += 1000;
        if value == 0.0 {
            return value;
        }
    }
    value * 2f64.powi(exponent as i32)
}

/// Rounds `mantissa × 2^exponent` to `precision` significant bits, half to even.
fn round(mantissa: BigUint, exponent: i64, precision: u64) -> (BigUint, i64) {
    let bits = mantissa.bits();
    if bits <= precision {
        return (mantissa, exponent);
    }
    let drop = bits - precision;
    let kept = &mantissa >> drop;
    let half = BigUint::one() << (drop - 1);
    let rest = &mantissa - (&kept << drop);
    let up = match rest.cmp(&half) {
        Ordering::Greater => true,
        Ordering::Less => false,
        Ordering::Equal => kept.bit(0),
    };
    let kept = if up { kept + BigUint::one() } else { kept };
    (kept, exponent + drop as i64)
}

impl Default for Number {
    fn default() -> Number {
        Number::ZERO
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Number) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Number) -> Ordering {
        if let (Number::Small(a), Number::Small(b)) = (self, other) {
            return a.cmp(b);
        }
        let (a, b) = (Parts::of(self), Parts::of(other));
        let sign = |p: &Parts| -> i8 {
            if p.mantissa.is_zero() {
                0
            } else if p.negative {
                -1
            } else {
                1
            }
        };
        let (sa, sb) = (sign(&a), sign(&b));
        if sa != sb || sa == 0 {
            return sa.cmp(&sb);
        }
        let magnitude = match a.top().cmp(&b.top()) {
            Ordering::Equal => {
                let exponent = a.exponent.min(b.exponent);
                let ma = &a.mantissa << (a.exponent - exponent) as u64;
                let mb = &b.mantissa << (b.exponent - exponent) as u64;
                ma.cmp(&mb)
            }
            order => order,
        };
        if sa < 0 {
            magnitude.reverse()
        } else {
            magnitude
        }
    }
}

/// A decimal digit string without leading or trailing zeros and the position of the
/// decimal point: the value is `0.DIGITS × 10^point`.
struct Decimal {
    digits: Vec<u8>,
    point: i64,
}

impl Decimal {
    /// The exact decimal of `mantissa × 2^exponent`.
    fn exact(mantissa: &BigUint, exponent: i64) -> Decimal {
        let (integer, fraction_digits) = if exponent >= 0 {
            (mantissa << exponent as u64, 0)
        } else {
            // m / 2^k = m × 5^k / 10^k.
            let k = exponent.unsigned_abs();
            (mantissa * BigUint::from(5u32).pow(k as u32), k as i64)
        };
        let text = integer.to_str_radix(10);
        let mut digits: Vec<u8> = text.bytes().collect();
        let point = digits.len() as i64 - fraction_digits;
        while digits.last() == Some(&b'0') {
            digits.pop();
        }
        if digits.is_empty() {
            return Decimal { digits, point: 0 };
        }
        Decimal { digits, point }
    }

    fn at(&self, i: usize) -> u8 {
        self.digits.get(i).copied().unwrap_or(b'0')
    }

    fn round_down(&mut self, n: usize) {
        self.digits.truncate(n);
        self.trim();
    }

    fn round_up(&mut self, n: usize) {
        self.digits.truncate(n);
        while let Some(last) = self.digits.last_mut() {
            if *last < b'9' {
                *last += 1;
                self.trim();
                return;
            }
            self.digits.pop();
        }
        // Every digit was a nine: 0.999 rounds up to 1.
        self.digits.push(b'1');
        self.point += 1;
    }

    /// Rounds to `n` digits, half to even.
    fn round(&mut self, n: usize) {
        if n >= self.digits.len() {
            return;
        }
        let up = if self.digits[n] == b'5' && n + 1 == self.digits.len() {
            n > 0 && (self.digits[n - 1] - b'0') % 2 == 1
        } else {
            self.digits[n] >= b'5'
        };
        if up {
            self.round_up(n)
        } else {
            self.round_down(n)
        }
    }

    fn trim(&mut self) {
        while self.digits.last() == Some(&b'0') {
            self.digits.pop();
        }
        if self.digits.is_empty() {
            self.point = 0;
        }
    }

    /// The plain decimal form (`'f'` format, all digits).
    fn plain(&self, negative: bool) -> String {
        let mut out = String::new();
        if negative {
            out.push('-');
        }
        if self.point > 0 {
            for i in 0..self.point as usize {
                out.push(self.at(i) as char);
            }
        } else {
            out.push('0');
        }
        let fraction = self.digits.len() as i64 - self.point;
        if fraction > 0 {
            out.push('.');
            for i in 0..fraction {
                let index = self.point + i;
                out.push(if index < 0 {
                    '0'
                } else {
                    self.at(index as usize) as char
                });
            }
        }
        out
    }
}

/// The shortest decimal that rounds back to `mantissa × 2^exponent` at `precision` bits,
/// with the search Go's `big.Float` makes (its digit-by-digit walk included, so that the
/// same value prints the same).
fn shortest(mantissa: &BigUint, exponent: i64, precision: u64) -> Decimal {
    let mut d = Decimal::exact(mantissa, exponent);
    // The mantissa with precision + 1 bits, whose lowest bit is half an ulp.
    let bits = mantissa.bits() as i64;
    let shift = bits - (precision as i64 + 1);
    let (m, e) = if shift < 0 {
        (mantissa << shift.unsigned_abs(), exponent + shift)
    } else {
        (mantissa >> shift as u64, exponent + shift)
    };
    let lower = Decimal::exact(&(&m - BigUint::one()), e);
    let upper = Decimal::exact(&(&m + BigUint::one()), e);
    // The bounds round to this value only when its mantissa is even (bit 1 of `m`).
    let inclusive = !m.bit(1);
    for i in 0..d.digits.len() {
        let (l, digit, u) = (lower.at(i), d.digits[i], upper.at(i));
        let ok_down = l != digit || inclusive && i + 1 == lower.digits.len();
        let ok_up = digit != u && (inclusive || digit + 1 < u || i + 1 < upper.digits.len());
        match (ok_down, ok_up) {
            (true, true) => {
                d.round(i + 1);
                break;
            }
            (true, false) => {
                d.round_down(i + 1);
                break;
            }
            (false, true) => {
                d.round_up(i + 1);
                break;
            }
            (false, false) => {}
        }
    }
    d
}

impl fmt::Display for Number {
    /// Terraform's text of a number (`big.Float.Text('f', -1)`): whole numbers in full, no
    /// exponent, and the fewest fraction digits that identify the value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Small(i) => write!(f, "{i}"),
            Number::Big(b) => {
                let precision = PRECISION.max(b.mantissa.bits());
                let d = shortest(&b.mantissa, b.exponent, precision);
                f.write_str(&d.plain(b.negative))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(text: &str) -> Number {
        Number::parse(text).unwrap_or_else(|| panic!("{:.40} does not parse", text))
    }

    /// Results of Go's `math/big` at cty's settings (`big.ParseFloat(s, 10, 512,
    /// big.ToNearestEven)`, results printed with `Text('f', -1)`), computed with Go 1.19.
    #[test]
    fn arithmetic_matches_big_float_at_512_bits() {
        let cases: &[(&str, char, &str, &str)] = &[
            ("0.1", '+', "0.2", "0.3"),
            ("0.1", '*', "1.5", "0.15"),
            ("1.5", '*', "3", "4.5"),
            ("9007199254740992", '+', "1", "9007199254740993"),
            ("1", '/', "4", "0.25"),
            ("10", '/', "4", "2.5"),
            (
                "1",
                '/',
                "3",
                "0.33333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333335",
            ),
            (
                "2",
                '/',
                "3",
                "0.6666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666667",
            ),
            ("7", '%', "3", "1"),
            ("-7", '%', "3", "-1"),
            ("7.5", '%', "2", "1.5"),
            (
                "1e20",
                '*',
                "1e20",
                "10000000000000000000000000000000000000000",
            ),
            (
                "0.3",
                '-',
                "0.1",
                "0.20000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002",
            ),
            ("100", '-', "0.01", "99.99"),
            (
                "1",
                '/',
                "7",
                "0.14285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285",
            ),
            (
                "0.1",
                '*',
                "0.1",
                "0.010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001",
            ),
            ("1e-20", '+', "1", "1.00000000000000000001"),
            ("123456789.123456789", '*', "1000", "123456789123.456789"),
            ("5.5", '%', "-2", "1.5"),
            (
                "1e300",
                '*',
                "1e300",
                "1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
            ),
            (
                "22",
                '/',
                "7",
                "3.1428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428",
            ),
            ("0.7", '+', "0.1", "0.8"),
            ("3", '*', "0.1", "0.3"),
        ];
        for (a, op, b, want) in cases {
            let (x, y) = (n(a), n(b));
            let got = match op {
                '+' => x.add(&y),
                '-' => x.sub(&y),
                '*' => x.mul(&y),
                '/' => x.div(&y).expect("non-zero"),
                '%' => x.rem(&y).expect("non-zero"),
                _ => unreachable!(),
            };
            assert_eq!(got.to_string(), *want, "{a} {op} {b}");
        }
    }

    #[test]
    fn literals_keep_their_value() {
        for (text, shown) in [
            ("0.1", "0.1"),
            ("9007199254740993", "9007199254740993"),
            (
                "123456789012345678901234567890",
                "123456789012345678901234567890",
            ),
            ("1.5e3", "1500"),
            ("2.5E-3", "0.0025"),
            ("-0.0", "0"),
            ("007", "7"),
            ("1e-5", "0.00001"),
        ] {
            assert_eq!(n(text).to_string(), shown, "{text}");
        }
        let huge = n("1e500").to_string();
        assert_eq!(huge.len(), 501);
        assert!(huge.starts_with('1') && huge[1..].bytes().all(|b| b == b'0'));
        for bad in [
            "", "-", ".", "1e", "1e+", "e5", "1x", "1.2.3", "1e100001", "--1",
        ] {
            assert!(Number::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn equal_values_have_one_form() {
        assert_eq!(n("0.50"), n("5e-1"));
        assert_eq!(n("4.0"), Number::Small(4));
        assert_eq!(n("1.5").mul(&n("2")), Number::Small(3));
        assert_eq!(n("0.1").add(&n("0.2")), n("0.3"));
        assert_ne!(
            n("0.1"),
            Number::from_f64(0.1).map(|x| x.add(&n("1e-30"))).unwrap()
        );
    }

    #[test]
    fn order_and_conversions() {
        assert!(n("0.1") < n("0.2"));
        assert!(n("-1e500") < n("-1"));
        assert!(n("1e500") > n("9007199254740993"));
        assert!(n("-0.5") < Number::ZERO);
        assert_eq!(n("0.1").to_f64(), 0.1);
        assert_eq!(n("1e500").to_f64(), f64::INFINITY);
        assert_eq!(n("-2.5").floor(), Number::Small(-3));
        assert_eq!(n("-2.5").ceil(), Number::Small(-2));
        assert_eq!(n("2.5").floor(), Number::Small(2));
        assert_eq!(n("1e20").to_i64(), None);
        assert_eq!(n("1e18").to_i64(), Some(1_000_000_000_000_000_000));
        assert_eq!(
            Number::from_f64(1.0 / 3.0)
                .map(|x| x.to_string())
                .as_deref(),
            Some("0.3333333333333333")
        );
        assert_eq!(Number::from_f64(f64::NAN), None);
        assert!(n("1").div(&Number::ZERO).is_none());
        assert!(n("1").rem(&Number::ZERO).is_none());
    }

    #[test]
    fn long_literals_round_as_their_every_digit_says() {
        // 1 + 2^-512 is exactly half an ulp above 1 and rounds to even (1); a digit two
        // thousand places further on makes it round up, though it is past the digits kept.
        let half_ulp = BigUint::from(5u32).pow(512).to_string();
        let tie = format!("1.{}{half_ulp}", "0".repeat(512 - half_ulp.len()));
        assert_eq!(n(&tie), Number::Small(1));
        let above = format!("{tie}{}1", "0".repeat(2000));
        assert!(above.len() > STICKY_DIGITS);
        assert!(n(&above) > Number::Small(1));
        let ulp = BigUint::from(5u32).pow(511).to_string();
        let next = format!("1.{}{ulp}", "0".repeat(511 - ulp.len()));
        assert_eq!(n(&above), n(&next));
        let long = format!("0.{}", "7".repeat(1_000_000));
        let start = std::time::Instant::now();
        let parsed = n(&long);
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
        assert!(parsed < n(&format!("0.{}8", "7".repeat(140))));
        assert!(parsed > n(&format!("0.{}", "7".repeat(140))));
        assert!(parsed.to_string().starts_with("0.7777777"));
        assert!(parsed.to_string().len() < 200);
    }

    #[test]
    fn far_apart_operands_add_without_aligning() {
        let big = n("1e90000");
        let tiny = n("1e-90000");
        assert_eq!(big.add(&tiny), big);
        assert_eq!(tiny.add(&big), big);
        assert_eq!(big.sub(&big), Number::ZERO);
    }
}
