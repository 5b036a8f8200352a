//! `code()` and `parse()` for the enums whose database and form codes strum
//! derives (`IntoStaticStr`, `EnumString`), written once.

/// `code()` (strum's `IntoStaticStr`) and `parse()` (its `EnumString`, an
/// unknown code being `None`).
macro_rules! codes {
    ($t:ty) => {
        impl $t {
            pub fn code(self) -> &'static str {
                self.into()
            }

            pub fn parse(code: &str) -> Option<$t> {
                code.parse().ok()
            }
        }
    };
}

/// `code()` alone, for enums read back some other way or not at all.
macro_rules! code {
    ($t:ty) => {
        impl $t {
            pub fn code(self) -> &'static str {
                self.into()
            }
        }
    };
}

pub(crate) use {code, codes};
