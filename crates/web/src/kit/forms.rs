//! Reading what a person sent: forms (with repeated fields), multipart uploads, JSON bodies. Every
//! rejection is a typed refusal, so the API answers problem+json and a page names the field.

use crate::kit::error::AppError;
use axum::extract::{FromRequest, Multipart, Request};
use gongzhi_core::kit::KitRefusal;
use serde::de::DeserializeOwned;
use std::collections::HashMap;

/// The CSRF token an API client signed in by cookie sends in its `X-CSRF-Token` header.
pub fn csrf(h: &axum::http::HeaderMap) -> Option<&str> {
    h.get("x-csrf-token").and_then(|x| x.to_str().ok())
}

/// A whole number as JSON may write it: `7` or `7.0` (a client in JavaScript cannot tell them
/// apart); a fraction or a number out of the target's range is a bad body naming the number.
/// For `#[serde(deserialize_with = "whole_number")]`.
pub fn whole_number<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: TryFrom<i64>,
{
    use serde::Deserialize;
    let n = serde_json::Number::deserialize(d)?;
    n.as_i64()
        .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 1e15).map(|f| f as i64))
        .and_then(|v| T::try_from(v).ok())
        .ok_or_else(|| serde::de::Error::custom(format!("{n} is not a whole number in range")))
}

/// An optional [`whole_number`]: absent or null is None.
pub fn opt_whole_number<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: TryFrom<i64>,
{
    use serde::Deserialize;
    match Option::<serde_json::Number>::deserialize(d)? {
        None => Ok(None),
        Some(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 1e15).map(|f| f as i64))
            .and_then(|v| T::try_from(v).ok())
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("{n} is not a whole number in range"))),
    }
}

/// A JSON body; a body that is not the JSON the route expects is refused with
/// [`KitRefusal::BodyInvalid`] naming what is wrong. Every body of the API is an object: an
/// array is refused too (serde would read `[]` as a struct whose fields all have defaults).
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let invalid = |detail: String| -> AppError { KitRefusal::BodyInvalid { detail }.refused().into() };
        let v = match axum::Json::<serde_json::Value>::from_request(req, state).await {
            Ok(axum::Json(v)) => v,
            Err(e) => return Err(invalid(e.body_text())),
        };
        if !v.is_object() {
            return Err(invalid("the body must be a JSON object".into()));
        }
        serde_json::from_value(v).map(Json).map_err(|e| invalid(e.to_string()))
    }
}

/// A path's parameters; a path that does not parse (an id of the wrong shape, a year out of
/// range) names nothing that exists: [`KitRefusal::NotFound`], as a page or problem+json.
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> axum::extract::FromRequestParts<S> for Path<T> {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(_) => Err(KitRefusal::NotFound.refused().into()),
        }
    }
}

/// A urlencoded form body.
pub struct Form<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Form<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(Form(v)),
            Err(e) => Err(KitRefusal::FormInvalid { detail: e.body_text() }.refused().into()),
        }
    }
}

/// A form's fields, each with every value it was sent (checkbox groups repeat a name).
#[derive(Clone, Debug, Default)]
pub struct Fields(pub HashMap<String, Vec<String>>);

impl Fields {
    /// Parses an `application/x-www-form-urlencoded` body.
    pub fn parse(body: &str) -> Fields {
        let mut m: HashMap<String, Vec<String>> = HashMap::new();
        for pair in body.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            m.entry(decode(k)).or_default().push(decode(v));
        }
        Fields(m)
    }

    /// The first value of a field, trimmed ("" if absent).
    pub fn one(&self, k: &str) -> &str {
        self.0.get(k).and_then(|v| v.first()).map(|s| s.trim()).unwrap_or("")
    }

    pub fn all(&self, k: &str) -> &[String] {
        self.0.get(k).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn get(&self, k: &str) -> Option<&str> {
        self.0.get(k).and_then(|v| v.first()).map(String::as_str)
    }
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// An uploaded file: (field, file name, content type, bytes).
pub type Upload = (String, String, String, Vec<u8>);

/// A multipart form's text fields and files.
pub async fn read_multipart(mut mp: Multipart) -> Result<(HashMap<String, String>, Vec<Upload>), AppError> {
    let bad = |e: axum::extract::multipart::MultipartError| -> AppError {
        KitRefusal::FormInvalid { detail: e.body_text() }.refused().into()
    };
    let mut fields = HashMap::new();
    let mut files = Vec::new();
    while let Some(f) = mp.next_field().await.map_err(bad)? {
        let name = f.name().unwrap_or("").to_string();
        match f.file_name().map(String::from) {
            Some(file_name) => {
                let ct = f.content_type().unwrap_or("application/octet-stream").to_string();
                let bytes = f.bytes().await.map_err(bad)?;
                if !file_name.is_empty() && !bytes.is_empty() {
                    files.push((name, file_name, ct, bytes.to_vec()));
                }
            }
            None => {
                let text = f.text().await.map_err(bad)?;
                // a checkbox group repeats its name: its values are kept joined by ';'
                fields
                    .entry(name)
                    .and_modify(|v: &mut String| {
                        v.push(';');
                        v.push_str(&text)
                    })
                    .or_insert(text);
            }
        }
    }
    Ok((fields, files))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_keep_repeated_values_and_decode() {
        let f = Fields::parse("a=1&reasons=view&reasons=cost&t=%E4%B8%AD+x&bad=%zz");
        assert_eq!(f.one("a"), "1");
        assert_eq!(f.all("reasons"), ["view", "cost"]);
        assert_eq!(f.one("t"), "中 x");
        assert_eq!(f.one("bad"), "%zz");
        assert_eq!(f.one("missing"), "");
    }
}
