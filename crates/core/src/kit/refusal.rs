//! Typed refusals: why something was refused, as data. Each process declares its refusals once,
//! with [`refusals!`](crate::refusals): a stable code, the named values a person needs (unit,
//! matter, status, days left, what is missing) and the Chinese and English wording side by side.
//! The compiler, not a test, guarantees every refusal has both. Pages print the viewer's
//! language; the API answers RFC 9457 problem+json with the code and the values; the CLI prints
//! English and exits 2. Nothing anywhere branches on a message's wording: code matches variants.

use crate::kit::lang::Lang;
use serde_json::{Map, Value};
use std::any::Any;
use std::fmt;

/// How a refusal is answered: the web turns it into a status, the CLI into exit code 2.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Input a person can correct (a field, a row, a unit): 422.
    BadInput,
    /// Valid input refused in the present state (a closed matter, a second ballot): 409.
    Conflict,
    /// No such thing, or nothing this person may see: 404.
    NotFound,
    /// Not signed in: 401, or the login page.
    Unauthenticated,
    /// Signed in, not allowed: 403.
    Forbidden,
    /// Too many attempts: 429.
    TooMany,
    /// A body or file larger than allowed: 413.
    TooLarge,
    /// The request itself is not understood (not JSON, wrong media type): 400.
    Malformed,
    /// A page must first send the person elsewhere (to sign in, to change a temporary password):
    /// 303 to the refusal's `to`.
    Redirect,
}

impl Kind {
    /// A person can act on it by changing what they sent (the CLI's exit code 2).
    pub fn is_bad_input(self) -> bool {
        matches!(self, Kind::BadInput | Kind::Malformed | Kind::TooLarge)
    }
}

/// What every refusal enum provides; implemented by [`refusals!`](crate::refusals).
pub trait Refusal: fmt::Debug + Send + Sync + 'static {
    /// Stable, `process.what-happened`; API clients act on it.
    fn code(&self) -> &'static str;
    fn kind(&self) -> Kind;
    fn zh(&self) -> String;
    fn en(&self) -> String;
    /// The named values, for problem+json.
    fn values(&self) -> Map<String, Value>;
    fn as_any(&self) -> &dyn Any;
}

/// One refusal of any process, as the layers above carry it.
pub struct Refused(Box<dyn Refusal>);

impl Refused {
    pub fn new(r: impl Refusal) -> Refused {
        Refused(Box::new(r))
    }

    pub fn code(&self) -> &'static str {
        self.0.code()
    }

    pub fn kind(&self) -> Kind {
        self.0.kind()
    }

    pub fn zh(&self) -> String {
        self.0.zh()
    }

    pub fn en(&self) -> String {
        self.0.en()
    }

    pub fn say(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        }
    }

    pub fn values(&self) -> Map<String, Value> {
        self.0.values()
    }

    /// The refusal as its own type, when a caller must look inside (never by its wording).
    pub fn downcast<R: Refusal>(&self) -> Option<&R> {
        self.0.as_any().downcast_ref::<R>()
    }

    /// RFC 9457's `title`: the same for every occurrence of a code ("voting.matter-not-open" →
    /// "Matter not open").
    pub fn title(&self) -> String {
        title_of(self.code())
    }
}

/// The title of a code: its part after the process, words spaced, first letter capital.
pub fn title_of(code: &str) -> String {
    let what = code.split_once('.').map_or(code, |(_, w)| w).replace('-', " ");
    let mut c = what.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

impl fmt::Debug for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Refused({}: {})", self.code(), self.en())
    }
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en())
    }
}

impl std::error::Error for Refused {}

/// One entry of a process's catalogue: every code with its kind and both wordings' templates.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    pub code: &'static str,
    pub kind: Kind,
    pub zh: &'static str,
    pub en: &'static str,
}

/// Declares a process's refusals: an enum, its codes, kinds, named values and both wordings.
///
/// ```
/// gongzhi_core::refusals! {
///     pub enum ExampleRefusal {
///         /// The unit is not on the roll.
///         NotOnRoll { unit: String } = BadInput "example.not-on-roll",
///             zh "房屋 {unit} 不在表决名册中。",
///             en "unit {unit} is not on the roll";
///     }
/// }
/// let r = gongzhi_core::kit::Refused::new(ExampleRefusal::NotOnRoll { unit: "13-701".into() });
/// assert_eq!(r.code(), "example.not-on-roll");
/// assert_eq!(r.zh(), "房屋 13-701 不在表决名册中。");
/// ```
///
/// Each field must implement [`Say`](crate::kit::Say) (how it reads in each language) and
/// `serde::Serialize` (how an API client receives it).
#[macro_export]
macro_rules! refusals {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[doc = $doc:literal])*
                $variant:ident $({ $($field:ident : $ty:ty),* $(,)? })? = $kind:ident $code:literal,
                    zh $zh:literal,
                    en $en:literal;
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq)]
        $vis enum $name {
            $( $(#[doc = $doc])* $variant $({ $($field: $ty),* })?, )*
        }

        #[allow(dead_code)]
        impl $name {
            /// Every refusal of this enum, for the API's catalogue of problem types.
            pub const CATALOGUE: &'static [$crate::kit::refusal::Entry] = &[
                $( $crate::kit::refusal::Entry {
                    code: $code,
                    kind: $crate::kit::refusal::Kind::$kind,
                    zh: $zh,
                    en: $en,
                }, )*
            ];

            /// `Err` of this refusal in any error type that carries refusals.
            pub fn err<T, E: From<$crate::kit::refusal::Refused>>(self) -> Result<T, E> {
                Err(E::from($crate::kit::refusal::Refused::new(self)))
            }

            /// This refusal as the layers above carry it.
            pub fn refused(self) -> $crate::kit::refusal::Refused {
                $crate::kit::refusal::Refused::new(self)
            }
        }

        impl From<$name> for $crate::kit::refusal::Refused {
            fn from(r: $name) -> Self {
                $crate::kit::refusal::Refused::new(r)
            }
        }

        impl $crate::kit::refusal::Refusal for $name {
            fn code(&self) -> &'static str {
                match self { $( Self::$variant { .. } => $code, )* }
            }

            fn kind(&self) -> $crate::kit::refusal::Kind {
                match self { $( Self::$variant { .. } => $crate::kit::refusal::Kind::$kind, )* }
            }

            fn zh(&self) -> String {
                match self {
                    $( Self::$variant $({ $($field),* })? => {
                        $($( #[allow(unused_variables)] let $field = $crate::kit::say::Say::say_zh($field); )*)?
                        format!($zh)
                    } )*
                }
            }

            fn en(&self) -> String {
                match self {
                    $( Self::$variant $({ $($field),* })? => {
                        $($( #[allow(unused_variables)] let $field = $crate::kit::say::Say::say_en($field); )*)?
                        format!($en)
                    } )*
                }
            }

            fn values(&self) -> $crate::kit::refusal::ValueMap {
                #[allow(unused_mut)]
                let mut m = $crate::kit::refusal::ValueMap::new();
                match self {
                    $( Self::$variant $({ $($field),* })? => {
                        $($( m.insert(stringify!($field).into(), $crate::kit::refusal::to_value($field)); )*)?
                    } )*
                }
                m
            }

            fn as_any(&self) -> &dyn std::any::Any {
                self
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&$crate::kit::refusal::Refusal::en(self))
            }
        }

        impl std::error::Error for $name {}

        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $crate::kit::refusal::serialize(self, s)
            }
        }
    };
}

/// A refusal as JSON: `{"code", "zh", "en", "values"}` (used by [`refusals!`](crate::refusals),
/// so a refusal can be a value of another, as a file's bad rows are, and a page can list findings).
pub fn serialize<R: Refusal, S: serde::Serializer>(r: &R, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(4))?;
    m.serialize_entry("code", r.code())?;
    m.serialize_entry("zh", &r.zh())?;
    m.serialize_entry("en", &r.en())?;
    m.serialize_entry("values", &r.values())?;
    m.end()
}

/// A refusal inside a sentence reads as its own wording.
impl<T: Refusal> crate::kit::say::Say for T {
    fn say_zh(&self) -> String {
        Refusal::zh(self)
    }
    fn say_en(&self) -> String {
        Refusal::en(self)
    }
}

/// The values map of problem+json (used by [`refusals!`](crate::refusals)).
pub type ValueMap = Map<String, Value>;

/// A value as JSON (used by [`refusals!`](crate::refusals)); a value that cannot serialise is null.
pub fn to_value<T: serde::Serialize + ?Sized>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::refusals! {
        enum T {
            /// A unit twice.
            Twice { unit: String, row: usize } = BadInput "test.unit-twice",
                zh "第 {row} 行：房屋 {unit} 重复。",
                en "row {row}: unit {unit} appears twice";
            Plain = Conflict "test.plain",
                zh "不行。",
                en "no";
        }
    }

    #[test]
    fn a_refusal_carries_code_kind_values_and_both_wordings() {
        let r = Refused::new(T::Twice { unit: "13-701".into(), row: 4 });
        assert_eq!(r.code(), "test.unit-twice");
        assert_eq!(r.kind(), Kind::BadInput);
        assert_eq!(r.zh(), "第 4 行：房屋 13-701 重复。");
        assert_eq!(r.en(), "row 4: unit 13-701 appears twice");
        assert_eq!(r.values()["unit"], "13-701");
        assert_eq!(r.values()["row"], 4);
        assert_eq!(r.title(), "Unit twice");
        assert_eq!(r.downcast::<T>(), Some(&T::Twice { unit: "13-701".into(), row: 4 }));
        let p = Refused::new(T::Plain);
        assert_eq!((p.code(), p.kind(), p.say(Lang::Zh)), ("test.plain", Kind::Conflict, "不行。".into()));
        assert!(p.values().is_empty());
        assert_eq!(T::CATALOGUE.len(), 2);
    }
}
