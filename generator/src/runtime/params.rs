//! Text forms of parameter values, and the serde glue for string enums.

use std::borrow::Cow;
use std::marker::PhantomData;

/// How a value is written in a path segment, query string or header.
#[allow(dead_code, reason = "an API without parameters never writes one")]
pub trait ParamValue {
    fn to_param(&self) -> Cow<'_, str>;
}

impl ParamValue for String {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ParamValue for bool {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

macro_rules! display_param {
    ($($ty:ty),*) => {$(
        impl ParamValue for $ty {
            fn to_param(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
    )*};
}
display_param!(i32, i64, f32, f64, chrono::NaiveDate, uuid::Uuid);

impl ParamValue for chrono::DateTime<chrono::Utc> {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }
}

/// Deserializes a string enum without allocating for the values it knows.
#[allow(dead_code, reason = "only APIs with string enums use it")]
pub(crate) struct EnumVisitor<T>(PhantomData<T>);

impl<T> EnumVisitor<T> {
    #[allow(dead_code, reason = "only APIs with string enums use it")]
    pub(crate) fn new() -> Self {
        EnumVisitor(PhantomData)
    }
}

impl<T> serde::de::Visitor<'_> for EnumVisitor<T>
where
    T: for<'a> From<&'a str> + From<String>,
{
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from(value))
    }

    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<T, E> {
        Ok(T::from(value))
    }
}
