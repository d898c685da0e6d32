//! Calendar dates from TOML (`2025-07-29`, no time of day), shown in words for readers.

use serde::{Deserialize, Deserializer};
use std::fmt;

/// A calendar date. Deserialises only from a TOML local date such as `2025-07-29`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(time::Date);

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        let month = time::Month::try_from(month).ok()?;
        time::Date::from_calendar_date(year, month, day)
            .ok()
            .map(Date)
    }

    /// Today (UTC), by the site's clock ([`crate::content::clock`]).
    pub fn today() -> Self {
        Date(super::clock::now().date())
    }

    /// Seconds from 1970-01-01T00:00Z to midnight UTC at the start of this date.
    pub fn to_unix(&self) -> i64 {
        self.0.midnight().assume_utc().unix_timestamp()
    }

    /// `2025-07-29`: for `<time datetime>`, JSON-LD and sitemaps.
    pub fn iso(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}",
            self.0.year(),
            u8::from(self.0.month()),
            self.0.day()
        )
    }

    /// `29 July 2025`: day, month name, year, which screen readers read naturally.
    pub fn in_words(&self) -> String {
        format!("{} {} {}", self.0.day(), self.0.month(), self.0.year())
    }

    /// Midnight UTC at the start of this date.
    pub fn to_system_time(&self) -> std::time::SystemTime {
        let secs = self.0.midnight().assume_utc().unix_timestamp();
        std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs.max(0) as u64)
    }

    /// The month, 1 to 12.
    pub fn month(&self) -> u8 {
        u8::from(self.0.month())
    }

    pub fn day(&self) -> u8 {
        self.0.day()
    }

    pub fn year(&self) -> i32 {
        self.0.year()
    }

    /// Whole days from `earlier` to `self`: negative when `earlier` is later.
    pub fn days_since(&self, earlier: Date) -> i64 {
        (self.0 - earlier.0).whole_days()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.in_words())
    }
}

impl Date {
    /// `2026-11-27` as a date; `None` for anything else or an impossible date.
    pub fn parse_iso(text: &str) -> Option<Date> {
        let value: toml::value::Datetime = text.trim().parse().ok()?;
        match (value.date, value.time, value.offset) {
            (Some(d), None, None) => Date::new(i32::from(d.year), d.month, d.day),
            _ => None,
        }
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error;
        let value: toml::value::Datetime = self.iso().parse().map_err(S::Error::custom)?;
        value.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = toml::value::Datetime::deserialize(deserializer)?;
        match (value.date, value.time, value.offset) {
            (Some(d), None, None) => Date::new(i32::from(d.year), d.month, d.day)
                .ok_or_else(|| D::Error::custom(format!("{value} is not a real calendar date"))),
            _ => Err(D::Error::custom(format!(
                "expected a date such as 2025-07-29 (no time of day), found {value}"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Holder {
        d: Date,
    }

    #[test]
    fn date_is_written_in_words() {
        let d = Date::new(2025, 7, 29).unwrap();
        assert_eq!(d.in_words(), "29 July 2025");
        assert_eq!(d.iso(), "2025-07-29");
    }

    #[test]
    fn toml_date_deserialises_and_times_are_refused() {
        let h: Holder = toml::from_str("d = 2024-02-29").unwrap();
        assert_eq!(h.d.iso(), "2024-02-29");
        let err = toml::from_str::<Holder>("d = 2025-07-29T10:00:00")
            .err()
            .unwrap();
        assert!(err.to_string().contains("no time of day"), "{err}");
        assert!(toml::from_str::<Holder>("d = \"2025-07-29\"").is_err());
    }

    #[test]
    fn days_between_dates() {
        let a = Date::new(2025, 12, 31).unwrap();
        let b = Date::new(2026, 3, 1).unwrap();
        assert_eq!(b.days_since(a), 60);
        assert_eq!(a.days_since(b), -60);
    }

    #[test]
    fn impossible_date_is_refused() {
        assert!(Date::new(2025, 2, 30).is_none());
        assert!(toml::from_str::<Holder>("d = 2025-02-30").is_err());
    }
}
