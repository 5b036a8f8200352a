use crate::domain::account::{Email, Role};
use crate::domain::ids::UserId;
use crate::platform::db::DbResult;
use sqlx::{Any, Executor, Row};

#[derive(Clone, Debug)]
pub struct UserRecord {
    pub id: UserId,
    pub email: String,
    pub password_hash: String,
    pub role: Role,
    pub display_name: String,
}

pub struct NewUser<'a> {
    pub email: &'a Email,
    pub password_hash: &'a str,
    pub role: Role,
    pub display_name: &'a str,
}

fn from_row(row: &sqlx::any::AnyRow) -> DbResult<UserRecord> {
    let role: String = row.try_get("role")?;
    Ok(UserRecord {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        password_hash: row.try_get("password_hash")?,
        role: Role::parse(&role)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown role {role}").into()))?,
        display_name: row.try_get("display_name")?,
    })
}

/// Inserts a user; a taken email surfaces as a unique violation
/// (see `db::is_unique_violation`).
pub async fn insert<'c>(
    ex: impl Executor<'c, Database = Any>,
    user: NewUser<'_>,
    now_ms: i64,
) -> DbResult<UserId> {
    sqlx::query_scalar(
        "INSERT INTO users (email, password_hash, role, display_name, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(user.email.as_str())
    .bind(user.password_hash)
    .bind(user.role.code())
    .bind(user.display_name)
    .bind(now_ms)
    .fetch_one(ex)
    .await
}

pub async fn find_by_email<'c>(
    ex: impl Executor<'c, Database = Any>,
    email: &Email,
) -> DbResult<Option<UserRecord>> {
    let row = sqlx::query(
        "SELECT id, email, password_hash, role, display_name FROM users WHERE email = $1",
    )
    .bind(email.as_str())
    .fetch_optional(ex)
    .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn find<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: i64,
) -> DbResult<Option<UserRecord>> {
    let row =
        sqlx::query("SELECT id, email, password_hash, role, display_name FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(ex)
            .await?;
    row.as_ref().map(from_row).transpose()
}
