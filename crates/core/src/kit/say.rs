//! How a value reads inside a sentence, in each language: a refusal's unit, status or amount.

use crate::kit::lang::Lang;

/// A value as it reads in Chinese and in English. Numbers, names and unit numbers read the same
/// in both; a status or a kind reads in the language of the sentence.
pub trait Say {
    fn say_zh(&self) -> String;
    fn say_en(&self) -> String;

    fn say(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.say_zh(),
            Lang::En => self.say_en(),
        }
    }
}

/// `Say` for types whose `Display` reads the same in both languages.
#[macro_export]
macro_rules! say_as_display {
    ($($t:ty),* $(,)?) => {
        $(impl $crate::kit::say::Say for $t {
            fn say_zh(&self) -> String {
                self.to_string()
            }
            fn say_en(&self) -> String {
                self.to_string()
            }
        })*
    };
}

say_as_display!(String, &'static str, i64, i32, u64, u32, usize, bool);

impl<T: Say> Say for Option<T> {
    fn say_zh(&self) -> String {
        self.as_ref().map(Say::say_zh).unwrap_or_default()
    }
    fn say_en(&self) -> String {
        self.as_ref().map(Say::say_en).unwrap_or_default()
    }
}

/// A list reads as its items joined: `、` in Chinese, `, ` in English.
impl<T: Say> Say for Vec<T> {
    fn say_zh(&self) -> String {
        self.iter().map(Say::say_zh).collect::<Vec<_>>().join("、")
    }
    fn say_en(&self) -> String {
        self.iter().map(Say::say_en).collect::<Vec<_>>().join(", ")
    }
}

/// Lines: each item on its own line (a file's bad rows).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Lines<T>(pub Vec<T>);

impl<T: Say> Say for Lines<T> {
    fn say_zh(&self) -> String {
        self.0.iter().map(Say::say_zh).collect::<Vec<_>>().join("\n")
    }
    fn say_en(&self) -> String {
        self.0.iter().map(Say::say_en).collect::<Vec<_>>().join("\n")
    }
}

/// A text given in both languages.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Both {
    pub zh: String,
    pub en: String,
}

impl Say for Both {
    fn say_zh(&self) -> String {
        self.zh.clone()
    }
    fn say_en(&self) -> String {
        self.en.clone()
    }
}
