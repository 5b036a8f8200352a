//! Who is signed in, as the pages see it.

use crate::domain::account::Role;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: crate::domain::ids::UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
}

impl CurrentUser {
    pub fn is(&self, role: Role) -> bool {
        self.role == role
    }
}
