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

/// How a structured parameter is spelled (OpenAPI `style` and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code, reason = "an API uses only some styles")]
pub(crate) enum Style {
    /// `a=1&a=2`; an object's properties become parameters of their own.
    Form,
    /// `a=1,2`; an object is `a=k1,v1,k2,v2`.
    FormCompact,
    /// `a=1 2`.
    SpaceDelimited,
    /// `a=1|2`.
    PipeDelimited,
    /// `a[k]=v`, nested as `a[k][j]=v`, lists as `a[]=v`.
    DeepObject,
    /// The value as JSON text.
    Json,
}

/// The query string of one request, in the order the parameters are declared.
#[derive(Default)]
#[allow(dead_code, reason = "an API without operations never builds one")]
pub(crate) struct Query<'a> {
    pub(crate) pairs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
}

#[allow(dead_code, reason = "an API uses only some parameter shapes")]
impl<'a> Query<'a> {
    /// An optional scalar parameter, left out when `None`.
    pub(crate) fn push_opt<T: ParamValue>(&mut self, name: &'a str, value: &'a Option<T>) {
        if let Some(value) = value {
            self.push(name, value.to_param());
        }
    }

    pub(crate) fn push(&mut self, name: &'a str, value: Cow<'a, str>) {
        self.pairs.push((Cow::Borrowed(name), value));
    }

    /// A list in one parameter, `separator`-joined (`form` without explode, `spaceDelimited`,
    /// `pipeDelimited`).
    pub(crate) fn push_joined<T: ParamValue>(
        &mut self,
        name: &'a str,
        values: &'a [T],
        separator: &str,
    ) {
        self.pairs
            .push((Cow::Borrowed(name), Cow::Owned(join(values, separator))));
    }

    /// Any serializable value (objects, nested lists) in the given style.
    pub(crate) fn push_value<T: serde::Serialize>(
        &mut self,
        name: &'a str,
        value: &T,
        style: Style,
    ) -> Result<(), String> {
        let value =
            serde_json::to_value(value).map_err(|e| format!("query parameter `{name}`: {e}"))?;
        match (style, &value) {
            (Style::Json, _) => self
                .pairs
                .push((Cow::Borrowed(name), Cow::Owned(value.to_string()))),
            (Style::DeepObject, _) => deep_object(name.to_owned(), &value, &mut self.pairs),
            (Style::Form, serde_json::Value::Object(map)) => {
                for (key, v) in map {
                    flat(Cow::Owned(key.clone()), v, &mut self.pairs);
                }
            }
            (Style::Form, _) => flat(Cow::Borrowed(name), &value, &mut self.pairs),
            (_, serde_json::Value::Object(map)) => {
                let text = map
                    .iter()
                    .flat_map(|(k, v)| [k.clone(), scalar(v).unwrap_or_else(|| v.to_string())])
                    .collect::<Vec<_>>()
                    .join(",");
                self.pairs.push((Cow::Borrowed(name), Cow::Owned(text)));
            }
            (style, serde_json::Value::Array(items)) => {
                let separator = match style {
                    Style::SpaceDelimited => " ",
                    Style::PipeDelimited => "|",
                    _ => ",",
                };
                let text = items
                    .iter()
                    .map(|v| scalar(v).unwrap_or_else(|| v.to_string()))
                    .collect::<Vec<_>>()
                    .join(separator);
                self.pairs.push((Cow::Borrowed(name), Cow::Owned(text)));
            }
            (_, v) => flat(Cow::Borrowed(name), v, &mut self.pairs),
        }
        Ok(())
    }
}

/// Values joined for one path segment, header, or compact query parameter.
#[allow(dead_code, reason = "an API without list parameters never joins")]
pub(crate) fn join<T: ParamValue>(values: &[T], separator: &str) -> String {
    let mut out = String::new();
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(&value.to_param());
    }
    out
}

/// A JSON scalar as parameter text; `None` for arrays and objects, nothing for `null`.
fn scalar(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        serde_json::Value::Null => Some(String::new()),
        _ => None,
    }
}

/// `name=v` per scalar, repeated for lists; `null`s are left out.
fn flat<'a>(
    name: Cow<'a, str>,
    value: &serde_json::Value,
    out: &mut Vec<(Cow<'a, str>, Cow<'a, str>)>,
) {
    match value {
        serde_json::Value::Null => {}
        serde_json::Value::Array(items) => {
            for item in items {
                flat(name.clone(), item, out);
            }
        }
        serde_json::Value::Object(_) => out.push((name, Cow::Owned(value.to_string()))),
        v => out.push((name, Cow::Owned(scalar(v).unwrap_or_default()))),
    }
}

/// `a[k]=v`, `a[k][j]=v`, `a[]=v` (Stripe's and Rails' convention for nested data).
fn deep_object<'a>(
    name: String,
    value: &serde_json::Value,
    out: &mut Vec<(Cow<'a, str>, Cow<'a, str>)>,
) {
    match value {
        serde_json::Value::Null => {}
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                deep_object(format!("{name}[{key}]"), v, out);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                deep_object(format!("{name}[]"), item, out);
            }
        }
        v => out.push((Cow::Owned(name), Cow::Owned(scalar(v).unwrap_or_default()))),
    }
}

/// `request` with `body` as its JSON content.
#[allow(dead_code, reason = "only APIs with JSON bodies use it")]
pub(crate) fn json_body<T: serde::Serialize>(
    request: reqwest::RequestBuilder,
    content_type: &'static str,
    body: &T,
) -> Result<reqwest::RequestBuilder, crate::client::InvalidInput> {
    let bytes = serde_json::to_vec(body).map_err(|e| crate::client::InvalidInput(e.to_string()))?;
    Ok(request
        .header(reqwest::header::CONTENT_TYPE, content_type)
        .body(bytes))
}

/// An `application/x-www-form-urlencoded` body: scalars as `k=v`, lists repeated, nested
/// objects as `k[j]=v`.
#[allow(dead_code, reason = "only APIs with form bodies use it")]
pub(crate) fn form_body<T: serde::Serialize>(body: &T) -> Result<String, String> {
    let value = serde_json::to_value(body).map_err(|e| format!("form body: {e}"))?;
    let mut pairs = Vec::new();
    match &value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                match v {
                    serde_json::Value::Object(_) => deep_object(key.clone(), v, &mut pairs),
                    _ => flat(Cow::Owned(key.clone()), v, &mut pairs),
                }
            }
        }
        _ => return Err("a form body must be an object".to_owned()),
    }
    let mut form = form_urlencoded::Serializer::new(String::new());
    for (k, v) in &pairs {
        form.append_pair(k, v);
    }
    Ok(form.finish())
}

// @when string_enums
/// Equality, hashing and order of a string enum by its wire value: a value kept as unknown
/// equals the variant a later version names it by, and sorts among the known ones.
macro_rules! by_wire_value {
    // Paths in full: the expansion resolves names where the enum is, beside types named
    // like std's (`Option`, `Ord`).
    ($name:ident) => {
        impl ::std::cmp::PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }

        impl ::std::cmp::Eq for $name {}

        impl ::std::hash::Hash for $name {
            fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                ::std::hash::Hash::hash(self.as_str(), state);
            }
        }

        impl ::std::cmp::PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> ::std::option::Option<::std::cmp::Ordering> {
                ::std::option::Option::Some(::std::cmp::Ord::cmp(self, other))
            }
        }

        impl ::std::cmp::Ord for $name {
            fn cmp(&self, other: &Self) -> ::std::cmp::Ordering {
                ::std::cmp::Ord::cmp(self.as_str(), other.as_str())
            }
        }
    };
}
pub(crate) use by_wire_value;
// @end

// @when derived_double_option
/// Reads a present field as `Some(value or null)`, so `Option<Option<T>>` tells an absent
/// field (`None`, via `#[serde(default)]`) from `null` (`Some(None)`), in a struct serde's
/// derive reads (one with a flattened field; the others read through `FromMap`).
pub(crate) fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Some)
}
// @end

// @when fields
/// A struct read from a JSON object, field by field (the generated `from_map`): one shared
/// visitor instead of the four serde's derive writes per struct, which were a quarter of a
/// large crate's compile time.
pub(crate) trait FromMap<'de>: Sized {
    fn from_map<A: serde::de::MapAccess<'de>>(map: Fields<A>) -> Result<Self, A::Error>;
}

/// `Deserialize::deserialize` of a [`FromMap`] struct: `name` is what "expected struct …"
/// errors call it and `fields` its JSON names. Read as a map, not through serde's
/// `deserialize_struct`, which also reads a struct from an array of its fields (no API sends
/// one) and in serde_json's instance for each struct type costs twice the machine code.
pub(crate) fn read_struct<'de, T, D>(
    deserializer: D,
    name: &'static str,
    fields: &'static [&'static str],
) -> Result<T, D::Error>
where
    T: FromMap<'de>,
    D: serde::Deserializer<'de>,
{
    deserializer.deserialize_map(StructVisitor {
        name,
        fields,
        read: PhantomData,
    })
}

struct StructVisitor<T> {
    name: &'static str,
    fields: &'static [&'static str],
    read: PhantomData<T>,
}

impl<'de, T: FromMap<'de>> serde::de::Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "struct {}", self.name)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(Fields {
            map,
            names: self.fields,
            key: "",
        })
    }
}

/// The object a [`FromMap`] struct is read from. Its methods are what each generated
/// `from_map` would otherwise spell out with the map and the field names as arguments: a
/// few tokens less per field, over every field of a large crate, on every rebuild.
pub(crate) struct Fields<A> {
    map: A,
    names: &'static [&'static str],
    /// The key just read, for the "duplicate field" error.
    key: &'static str,
}

impl<'de, A: serde::de::MapAccess<'de>> Fields<A> {
    /// The next key, as the field name it is (`Some(None)` for a key the struct does not
    /// name); `None` at the end of the object.
    pub(crate) fn key(&mut self) -> Result<Option<Option<&'static str>>, A::Error> {
        let Some(index) = self.map.next_key_seed(FieldIndex(self.names))? else {
            return Ok(None);
        };
        let name = self.names.get(index).copied();
        self.key = name.unwrap_or_default();
        Ok(Some(name))
    }

    /// Reads the value of the key just read into `slot`; a key sent twice is an error, as
    /// with serde's derive.
    pub(crate) fn value<T: serde::Deserialize<'de>>(
        &mut self,
        slot: &mut Option<T>,
    ) -> Result<(), A::Error> {
        if slot.is_some() {
            return Err(serde::de::Error::duplicate_field(self.key));
        }
        *slot = Some(self.map.next_value()?);
        Ok(())
    }

    /// Skips the value of a key the struct does not name.
    pub(crate) fn skip(&mut self) -> Result<(), A::Error> {
        self.map.next_value::<serde::de::IgnoredAny>().map(drop)
    }
    // @when required_fields

    /// The value of a required field, or the "missing field" error.
    pub(crate) fn required<T>(&self, slot: Option<T>, key: &'static str) -> Result<T, A::Error> {
        slot.ok_or_else(|| serde::de::Error::missing_field(key))
    }
    // @end
}

struct FieldIndex(&'static [&'static str]);

impl<'de> serde::de::DeserializeSeed<'de> for FieldIndex {
    type Value = usize;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl serde::de::Visitor<'_> for FieldIndex {
    type Value = usize;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<usize, E> {
        Ok(self.0.iter().position(|f| *f == key).unwrap_or(usize::MAX))
    }

    fn visit_bytes<E: serde::de::Error>(self, key: &[u8]) -> Result<usize, E> {
        Ok(self
            .0
            .iter()
            .position(|f| f.as_bytes() == key)
            .unwrap_or(usize::MAX))
    }

    fn visit_u64<E: serde::de::Error>(self, index: u64) -> Result<usize, E> {
        Ok(usize::try_from(index)
            .ok()
            .filter(|i| *i < self.0.len())
            .unwrap_or(usize::MAX))
    }
}

/// A struct being written field by field (the generated `Serialize`). The first error is
/// kept and `end` returns it, so no field's line needs a `?` of its own (each `?` is a
/// `match` rustc lowers again on every rebuild).
pub(crate) struct WriteStruct<S: serde::Serializer>(Result<S::SerializeStruct, S::Error>);

impl<S: serde::Serializer> WriteStruct<S> {
    /// `len`: the number of fields, a left-out optional one included (serde's `skip_field`
    /// accounts for it).
    pub(crate) fn new(serializer: S, name: &'static str, len: usize) -> Self {
        Self(serializer.serialize_struct(name, len))
    }
    // @when written_fields

    /// Writes a field.
    pub(crate) fn field<T: serde::Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        use serde::ser::SerializeStruct as _;
        if let Ok(out) = &mut self.0
            && let Err(e) = out.serialize_field(key, value)
        {
            self.0 = Err(e);
        }
    }
    // @end
    // @when optional_fields

    /// Writes an optional field, or leaves it out when it is `None`.
    pub(crate) fn optional<T: serde::Serialize>(&mut self, key: &'static str, value: &Option<T>) {
        use serde::ser::SerializeStruct as _;
        if let Ok(out) = &mut self.0 {
            let written = match value {
                Some(value) => out.serialize_field(key, value),
                None => out.skip_field(key),
            };
            if let Err(e) = written {
                self.0 = Err(e);
            }
        }
    }
    // @end

    /// The struct's end, or the first error.
    pub(crate) fn end(self) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        self.0?.end()
    }
}
// @end

// @when tagged
/// Writes a variant of a tagged union: its fields (none for `None`) with the tag beside them.
pub(crate) fn tagged<S, T>(
    serializer: S,
    property: &str,
    tag: &str,
    fields: Option<&T>,
) -> Result<S::Ok, S::Error>
where
    S: serde::Serializer,
    T: serde::Serialize,
{
    use serde::ser::Error as _;
    let mut map = match fields.map(serde_json::to_value).transpose() {
        Ok(Some(serde_json::Value::Object(map))) => map,
        Ok(None) => serde_json::Map::new(),
        Ok(Some(_)) => {
            return Err(S::Error::custom(
                "a tagged union's variant is not an object",
            ));
        }
        Err(e) => return Err(S::Error::custom(e)),
    };
    map.insert(
        property.to_owned(),
        serde_json::Value::String(tag.to_owned()),
    );
    serde::Serialize::serialize(&map, serializer)
}
// @end

// @when tolerant
/// A scalar that also reads from the JSON form a server sends instead of the documented
/// one (an override in `openapi-gen.toml`): text from a number or boolean, a number from a
/// numeric string.
pub(crate) trait Tolerant: Sized {
    fn from_json(value: serde_json::Value) -> Result<Self, String>;
}

impl Tolerant for String {
    fn from_json(value: serde_json::Value) -> Result<Self, String> {
        match value {
            serde_json::Value::String(text) => Ok(text),
            serde_json::Value::Number(n) => Ok(n.to_string()),
            serde_json::Value::Bool(b) => Ok(b.to_string()),
            other => Err(format!(
                "expected a string, number or boolean, found {other}"
            )),
        }
    }
}

macro_rules! tolerant_number {
    ($($ty:ty),*) => {$(
        impl Tolerant for $ty {
            fn from_json(value: serde_json::Value) -> Result<Self, String> {
                match value {
                    serde_json::Value::String(text) => text
                        .trim()
                        .parse()
                        .map_err(|e| format!("expected a number, found {text:?}: {e}")),
                    other => serde_json::from_value(other).map_err(|e| e.to_string()),
                }
            }
        }
    )*};
}

tolerant_number!(i32, i64, f32, f64);

/// `deserialize_with` for a field with a tolerant override.
#[allow(dead_code, reason = "only required tolerant fields use it")]
pub(crate) fn tolerant<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: Tolerant,
    D: serde::Deserializer<'de>,
{
    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
    T::from_json(value).map_err(serde::de::Error::custom)
}

/// [`tolerant`] for an optional or nullable field: `null` is `None`.
#[allow(dead_code, reason = "only optional tolerant fields use it")]
pub(crate) fn tolerant_option<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
where
    T: Tolerant,
    D: serde::Deserializer<'de>,
{
    match <serde_json::Value as serde::Deserialize>::deserialize(deserializer)? {
        serde_json::Value::Null => Ok(None),
        value => T::from_json(value)
            .map(Some)
            .map_err(serde::de::Error::custom),
    }
}
// @end

/// The characters outside RFC 6265's cookie-octet (controls, space, `"`, `,`, `;`, `\`,
/// non-ASCII) and `%` itself, so a value cannot end its cookie and start another.
#[allow(dead_code, reason = "only APIs with cookies use it")]
const COOKIE_VALUE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'%')
    .add(b',')
    .add(b';')
    .add(b'\\');

/// A cookie value, percent-encoded where RFC 6265 does not allow the character.
#[allow(dead_code, reason = "only APIs with cookies use it")]
pub(crate) fn cookie_value(value: &str) -> Cow<'_, str> {
    percent_encoding::utf8_percent_encode(value, COOKIE_VALUE).into()
}

/// `name=value` for a `Cookie` header, the value encoded by [`cookie_value`].
#[allow(dead_code, reason = "only APIs with cookie parameters use it")]
pub(crate) fn cookie(name: &str, value: &str) -> String {
    format!("{name}={}", cookie_value(value))
}

/// The path and header styles of OpenAPI, as RFC 6570 spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code, reason = "an API uses only some styles")]
pub(crate) enum TextStyle {
    /// `blue,black` · `R,100,G,200` · exploded `R=100,G=200`.
    Simple,
    /// `.blue` · `.blue,black` · exploded `.blue.black`, `.R=100.G=200`.
    Label,
    /// `;color=blue` · `;color=blue,black` · exploded `;color=blue;color=black`, `;R=100;G=200`.
    Matrix,
}

/// A path or header value in `style`: scalars as text, lists and objects spread as the
/// style says, anything nested as JSON text.
#[allow(
    dead_code,
    reason = "only APIs with structured path or header values use it"
)]
pub(crate) fn styled<T: serde::Serialize>(
    name: &str,
    value: &T,
    style: TextStyle,
    explode: bool,
) -> Result<String, String> {
    use serde_json::Value;
    let value = serde_json::to_value(value).map_err(|e| format!("parameter `{name}`: {e}"))?;
    let text = |v: &Value| scalar(v).unwrap_or_else(|| v.to_string());
    let (prefix, separator) = match style {
        TextStyle::Simple => ("", ","),
        TextStyle::Label => (".", "."),
        TextStyle::Matrix => (";", ";"),
    };
    let joined = |items: Vec<String>| items.join(if explode { separator } else { "," });
    Ok(match (&value, style) {
        (Value::Array(items), TextStyle::Matrix) if explode => items
            .iter()
            .map(|item| format!(";{name}={}", text(item)))
            .collect(),
        (Value::Object(map), TextStyle::Matrix) if explode => map
            .iter()
            .map(|(key, v)| format!(";{key}={}", text(v)))
            .collect(),
        (Value::Array(items), _) => {
            let items = joined(items.iter().map(text).collect());
            match style {
                TextStyle::Matrix => format!(";{name}={items}"),
                _ => format!("{prefix}{items}"),
            }
        }
        (Value::Object(map), _) => {
            let items = if explode {
                map.iter()
                    .map(|(key, v)| format!("{key}={}", text(v)))
                    .collect::<Vec<_>>()
                    .join(separator)
            } else {
                map.iter()
                    .flat_map(|(key, v)| [key.clone(), text(v)])
                    .collect::<Vec<_>>()
                    .join(",")
            };
            match style {
                TextStyle::Matrix => format!(";{name}={items}"),
                _ => format!("{prefix}{items}"),
            }
        }
        (v, TextStyle::Matrix) => match text(v) {
            empty if empty.is_empty() => format!(";{name}"),
            v => format!(";{name}={v}"),
        },
        (v, _) => format!("{prefix}{}", text(v)),
    })
}

/// Standard base64 with padding (HTTP basic credentials, base64 fields).
#[allow(
    dead_code,
    reason = "only APIs with basic auth or base64 fields use it"
)]
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
