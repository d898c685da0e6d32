//! The site's clock, and moments to the minute (UTC) for scheduled publishing.
//!
//! The clock is the system's, unless `HEALTHPRESS_NOW` (a moment such as `2027-01-04T09:00Z`) is
//! set when the process starts: the clock then starts at that moment and runs on from it. It lets
//! an editor see a build as it will be on a later day (`HEALTHPRESS_NOW=2027-01-04T09:00Z
//! healthpress build`), and tests move time without waiting for it.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::sync::OnceLock;
use time::OffsetDateTime;

/// The environment variable that sets where the clock starts.
pub const NOW_VARIABLE: &str = "HEALTHPRESS_NOW";

/// The clock's offset from the system's, in seconds, read once.
fn offset() -> i64 {
    static OFFSET: OnceLock<i64> = OnceLock::new();
    *OFFSET.get_or_init(|| {
        let Ok(text) = std::env::var(NOW_VARIABLE) else {
            return 0;
        };
        match Moment::parse_with_seconds(&text, true) {
            Some(start) => start.0 - OffsetDateTime::now_utc().unix_timestamp(),
            None => {
                eprintln!(
                    "warning: {NOW_VARIABLE}={text:?} is not a moment such as 2027-01-04T09:00Z; the system clock is used"
                );
                0
            }
        }
    })
}

/// Now, by the site's clock.
pub fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc() + time::Duration::seconds(offset())
}

/// A moment to the minute, in UTC: when a scheduled approval goes live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Moment(i64);

impl Moment {
    /// Now, by the site's clock (to the second, so a moment of this minute has come).
    pub fn now() -> Moment {
        Moment(now().unix_timestamp())
    }

    /// `2026-12-10` (midnight UTC), `2026-12-10T09:30Z` or `2026-12-10T09:30:00Z`; seconds must be
    /// zero. Any other form, or an impossible date or time, is `None`.
    pub fn parse(text: &str) -> Option<Moment> {
        Moment::parse_with_seconds(text, false)
    }

    /// [`Moment::parse`], and with `seconds`, any seconds (`2027-01-04T08:59:57Z`): for the clock.
    fn parse_with_seconds(text: &str, seconds: bool) -> Option<Moment> {
        let text = text.trim();
        if let Some(date) = super::Date::parse_iso(text) {
            return Some(Moment(date.to_unix()));
        }
        let (date, rest) = text.split_once('T')?;
        let date = super::Date::parse_iso(date)?;
        let rest = rest.strip_suffix('Z')?;
        let mut parts = rest.split(':');
        let hours: i64 = two_digits(parts.next()?)?;
        let minutes: i64 = two_digits(parts.next()?)?;
        let secs = match parts.next() {
            Some(text) => two_digits(text)?,
            None => 0,
        };
        if (secs != 0 && !seconds) || secs > 59 {
            return None;
        }
        if parts.next().is_some() || hours > 23 || minutes > 59 {
            return None;
        }
        Some(Moment(date.to_unix() + hours * 3600 + minutes * 60 + secs))
    }

    /// `2026-12-10T09:30Z`.
    pub fn iso(&self) -> String {
        let t = self.datetime();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute()
        )
    }

    /// `10 December 2026 at 09:30 UTC`.
    pub fn in_words(&self) -> String {
        let t = self.datetime();
        format!(
            "{} {} {} at {:02}:{:02} UTC",
            t.day(),
            t.month(),
            t.year(),
            t.hour(),
            t.minute()
        )
    }

    /// The calendar day (UTC) of this moment.
    pub fn date(&self) -> super::Date {
        let d = self.datetime().date();
        super::Date::new(d.year(), u8::from(d.month()), d.day()).expect("a real date")
    }

    /// Seconds since 1970-01-01T00:00Z.
    pub fn unix(&self) -> i64 {
        self.0
    }

    fn datetime(&self) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(self.0).unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }
}

fn two_digits(text: &str) -> Option<i64> {
    (text.len() == 2 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.in_words())
    }
}

impl Serialize for Moment {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error;
        let t = self.datetime();
        let text = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:00Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute()
        );
        let value: toml::value::Datetime = text.parse().map_err(S::Error::custom)?;
        value.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Moment {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = toml::value::Datetime::deserialize(deserializer)?;
        let text = value.to_string();
        let text = text.replace("+00:00", "Z");
        Moment::parse(&text).ok_or_else(|| {
            D::Error::custom(format!(
                "expected a moment in UTC to the minute, such as 2026-12-10T09:30:00Z, found {value}"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_parse_to_the_minute_in_utc() {
        let m = Moment::parse("2026-12-10T09:30Z").unwrap();
        assert_eq!(m.iso(), "2026-12-10T09:30Z");
        assert_eq!(m.in_words(), "10 December 2026 at 09:30 UTC");
        assert_eq!(Moment::parse("2026-12-10T09:30:00Z"), Some(m));
        assert_eq!(
            Moment::parse("2026-12-10").unwrap().iso(),
            "2026-12-10T00:00Z"
        );
        for bad in [
            "2026-12-10T09:30",
            "2026-12-10T24:00Z",
            "2026-12-10T09:60Z",
            "2026-12-10T09:30:15Z",
            "2026-02-30T09:30Z",
            "2026-12-10T9:30Z",
            "tomorrow",
            "",
        ] {
            assert_eq!(Moment::parse(bad), None, "{bad}");
        }
    }

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Holder {
        at: Moment,
    }

    #[test]
    fn moments_round_trip_through_toml() {
        let h = Holder {
            at: Moment::parse("2026-12-10T09:30Z").unwrap(),
        };
        let text = toml::to_string(&h).unwrap();
        assert_eq!(text.trim(), "at = 2026-12-10T09:30:00Z");
        assert_eq!(toml::from_str::<Holder>(&text).unwrap(), h);
        assert!(toml::from_str::<Holder>("at = 2026-12-10T09:30:00").is_err());
        assert!(toml::from_str::<Holder>("at = 2026-12-10T09:30:00+01:00").is_err());
    }
}
