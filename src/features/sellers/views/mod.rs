mod address;
pub mod applications;
pub mod markets;
pub mod signup;
