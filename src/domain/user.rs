//! Who is signed in, as the pages see it.

use crate::domain::account::Role;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: crate::domain::ids::UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// Signs in with a code as well as a password.
    pub two_factor: bool,
}

impl CurrentUser {
    /// A refurbisher or operations account still to set up two-factor
    /// sign-in: its area stays closed until it does.
    pub fn needs_two_factor(&self) -> bool {
        self.role.requires_two_factor() && !self.two_factor
    }
}

impl CurrentUser {
    pub fn is(&self, role: Role) -> bool {
        self.role == role
    }
}
