//! When an entry was last true: review dates and the products and versions it applies to.

use chrono::NaiveDate;

/// The days an entry may go unreviewed when site.yaml does not say (`review_every`).
pub const DEFAULT_REVIEW_DAYS: u32 = 365;

pub const PRODUCT_HELP: &str =
    "name the product in letters, digits, spaces and `.+_-`, starting with a letter or digit, such as `nginx` or `Node.js`";
pub const RANGE_HELP: &str =
    "write comparisons joined by commas, such as \">=1.19\", \">=1.19, <1.27\", \"1.x\" or \"*\" for every version";

/// Today, for review dates: `SOURCE_DATE_EPOCH` when set, as reproducible builds use it, so a
/// check gives the same answer on any day; otherwise the system clock.
pub fn today() -> NaiveDate {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|epoch| epoch.trim().parse::<i64>().ok())
        .and_then(|seconds| chrono::DateTime::from_timestamp(seconds, 0))
        .unwrap_or_else(chrono::Utc::now)
        .date_naive()
}

/// The last day an entry reviewed on `reviewed` is not yet overdue; `None` past the calendar's end.
pub fn due(reviewed: NaiveDate, every_days: u32) -> Option<NaiveDate> {
    reviewed.checked_add_days(chrono::Days::new(u64::from(every_days)))
}

/// A product name as `applies_to` takes it.
pub fn check_product(name: &str) -> Result<(), &'static str> {
    let mut chars = name.chars();
    match chars.next() {
        None => Err("is empty"),
        Some(first) if !first.is_alphanumeric() => Err("must start with a letter or digit"),
        _ if name.chars().count() > 40 => Err("is over 40 characters long"),
        _ if chars.all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '+' | '_' | '-')) => Ok(()),
        _ => Err("holds a character other than letters, digits, spaces and `.+_-`"),
    }
}

/// A version range: `*`, or comparisons such as `>=1.19` joined by commas.
pub fn check_range(range: &str) -> Result<(), String> {
    let range = range.trim();
    if range.is_empty() {
        return Err("is empty".to_owned());
    }
    if range == "*" {
        return Ok(());
    }
    for part in range.split(',') {
        let part = part.trim();
        let version = ["==", ">=", "<=", "!=", "=", ">", "<", "~", "^"]
            .iter()
            .find_map(|op| part.strip_prefix(op))
            .unwrap_or(part)
            .trim_start();
        if part.is_empty() {
            return Err("has an empty comparison between commas".to_owned());
        }
        if !is_version(version) {
            return Err(format!("has \"{part}\", which is not a comparison with a version"));
        }
    }
    Ok(())
}

/// `1`, `1.19`, `1.19.2`, `1.x`, `3.12.*`, `2.0.0-rc1`: numbers with dots, a wildcard last,
/// and an optional pre-release or build suffix.
fn is_version(text: &str) -> bool {
    let (core, suffix) = match text.find(['-', '+']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let parts: Vec<&str> = core.split('.').collect();
    let last = parts.len() - 1;
    let parts_ok = parts.iter().enumerate().all(|(i, p)| {
        (!p.is_empty() && p.len() <= 9 && p.bytes().all(|b| b.is_ascii_digit()))
            || (i == last && i > 0 && matches!(*p, "x" | "X" | "*"))
    });
    let suffix_ok = suffix.is_none_or(|s| {
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'))
    });
    parts_ok && suffix_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        for good in
            ["*", ">=1.19", ">=1.19, <1.27", "1.x", "3.12.*", "=2", "~1.2.3", "^18", ">= 20", "2.0.0-rc1"]
        {
            assert_eq!(check_range(good), Ok(()), "{good}");
        }
        assert_eq!(check_range(""), Err("is empty".to_owned()));
        assert_eq!(check_range(">=1.19,"), Err("has an empty comparison between commas".to_owned()));
        assert_eq!(
            check_range("latest"),
            Err("has \"latest\", which is not a comparison with a version".to_owned())
        );
        for bad in [">=", "1..2", "x", "1.x.2", ">=1.19 <2", "1.2-", "v1.2", "=>1"] {
            assert!(check_range(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn products() {
        assert_eq!(check_product("Node.js"), Ok(()));
        assert_eq!(check_product("AWS CLI"), Ok(()));
        assert_eq!(check_product(""), Err("is empty"));
        assert_eq!(check_product("-x"), Err("must start with a letter or digit"));
        assert!(check_product("a<b>").is_err());
        assert!(check_product(&"n".repeat(41)).is_err());
    }

    #[test]
    fn review_dates() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(due(day("2026-01-31"), 30), Some(day("2026-03-02")));
    }
}
