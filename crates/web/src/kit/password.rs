//! Passwords: Argon2id with a random salt per hash, the PHC string stored.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

pub fn hash(password: &str) -> String {
    Argon2::default().hash_password(password.as_bytes()).expect("argon2 hashing with default parameters").to_string()
}

pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// Runs Argon2 off the async workers, at most two at a time: each one takes 19 MiB and a core, so
/// a flood of logins waits here instead of growing the process by gigabytes.
pub async fn run_limited<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    static PERMITS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);
    let _permit = PERMITS.acquire().await.ok()?;
    tokio::task::spawn_blocking(f).await.ok()
}

/// A hash to verify against when the login is unknown, so both cases take the same time.
pub fn decoy() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash("decoy-password-never-used"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn argon2id_round_trip() {
        let h = super::hash("demo");
        assert!(h.starts_with("$argon2id$"));
        assert!(super::verify("demo", &h));
        assert!(!super::verify("Demo", &h));
        assert!(!super::verify("demo", "not a hash"));
    }
}
