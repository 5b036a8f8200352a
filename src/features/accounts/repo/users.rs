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
    pub email_verified_at: Option<i64>,
}

pub struct NewUser<'a> {
    pub email: &'a Email,
    pub password_hash: &'a str,
    pub role: Role,
    pub display_name: &'a str,
    /// Made by operations or the demo rather than signed up for: no
    /// address to confirm.
    pub email_verified: bool,
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
        email_verified_at: row.try_get("email_verified_at")?,
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
        "INSERT INTO users (email, password_hash, role, display_name, created_at, email_verified_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(user.email.as_str())
    .bind(user.password_hash)
    .bind(user.role.code())
    .bind(user.display_name)
    .bind(now_ms)
    .bind(user.email_verified.then_some(now_ms))
    .fetch_one(ex)
    .await
}

pub async fn find_by_email<'c>(
    ex: impl Executor<'c, Database = Any>,
    email: &Email,
) -> DbResult<Option<UserRecord>> {
    let row = sqlx::query(
        "SELECT id, email, password_hash, role, display_name, email_verified_at FROM users WHERE email = $1",
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
        sqlx::query("SELECT id, email, password_hash, role, display_name, email_verified_at FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(ex)
            .await?;
    row.as_ref().map(from_row).transpose()
}

/// Whether the account was deleted (its row stays, pseudonymous).
pub async fn is_deleted<'c>(ex: impl Executor<'c, Database = Any>, id: UserId) -> DbResult<bool> {
    let at: Option<Option<i64>> = sqlx::query_scalar("SELECT deleted_at FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(ex)
        .await?;
    Ok(at.is_none_or(|at| at.is_some()))
}

pub async fn mark_verified<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: UserId,
    now_ms: i64,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE users SET email_verified_at = $2 WHERE id = $1 AND email_verified_at IS NULL",
    )
    .bind(id)
    .bind(now_ms)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn set_password_hash<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: UserId,
    password_hash: &str,
) -> DbResult<()> {
    sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(id)
        .bind(password_hash)
        .execute(ex)
        .await?;
    Ok(())
}

/// Moves an account to a new, verified address; a taken address surfaces
/// as a unique violation.
pub async fn set_email<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: UserId,
    email: &str,
    now_ms: i64,
) -> DbResult<()> {
    sqlx::query("UPDATE users SET email = $2, email_verified_at = $3 WHERE id = $1")
        .bind(id)
        .bind(email)
        .bind(now_ms)
        .execute(ex)
        .await?;
    Ok(())
}

/// The language the user chose for the refurbisher and operations areas.
pub async fn set_lang<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: UserId,
    lang: &str,
) -> DbResult<()> {
    sqlx::query("UPDATE users SET lang = $2 WHERE id = $1")
        .bind(id)
        .bind(lang)
        .execute(ex)
        .await?;
    Ok(())
}
