pub mod applications;
pub mod signup;
