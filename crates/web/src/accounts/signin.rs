//! Signing in: the password checked only after an attempt was reserved in the database, per
//! person and per source address, so no number of parallel guesses gets past the limit; a
//! locked person is told for how long. One function for the login page and the API.

use crate::AppState;
use crate::kit::AppError;
use crate::kit::password;
use gongzhi_core::accounts::AccountsRefusal;
use gongzhi_store::accounts::sessions::LOGIN_MAX_PER_ADDRESS;
use gongzhi_store::accounts::{Account, LOGIN_MAX_FAILURES};
use std::net::IpAddr;

/// Checks a login (name or phone) and password; answers the person's id.
pub async fn authenticate(state: &AppState, login: &str, pw: &str, addr: Option<IpAddr>) -> Result<String, AppError> {
    let login = login.trim();
    let found = state.store.person_for_login(login).await?;
    let mut keys = vec![match &found {
        // the person, whichever of their login or phone was typed
        Some((person, _)) => (format!("person:{person}"), LOGIN_MAX_FAILURES),
        None => (format!("handle:{login}"), LOGIN_MAX_FAILURES),
    }];
    if let Some(a) = addr {
        keys.push((format!("addr:{a}"), LOGIN_MAX_PER_ADDRESS));
    }
    let attempt = match state.store.reserve_attempt(&keys).await? {
        Ok(a) => a,
        Err(minutes) => return AccountsRefusal::TooManyLogins { minutes }.err(),
    };
    let hash = found.as_ref().map(|(_, h)| h.clone()).unwrap_or_else(|| password::decoy().to_string());
    let typed = pw.to_string();
    let ok = password::run_limited(move || password::verify(&typed, &hash)).await.unwrap_or(false);
    match found {
        Some((person, _)) if ok => {
            state.store.release_attempt(&attempt).await?;
            Ok(person)
        }
        _ => AccountsRefusal::WrongLogin.err(),
    }
}

/// The account a signed-in person acts as: their first compound (they switch on /compounds).
pub async fn first_membership(state: &AppState, person: &str) -> Result<Account, AppError> {
    let memberships = state.store.memberships(person).await?;
    let Some((compound, _)) = memberships.first() else { return AccountsRefusal::WrongLogin.err() };
    Ok(state.store.account(compound, person).await?)
}

/// Checks the current password before a change, limited like a sign-in.
pub async fn check_current_password(state: &AppState, person: &str, pw: &str) -> Result<(), AppError> {
    let keys = [(format!("person:{person}"), LOGIN_MAX_FAILURES)];
    let attempt = match state.store.reserve_attempt(&keys).await? {
        Ok(a) => a,
        Err(minutes) => return AccountsRefusal::TooManyLogins { minutes }.err(),
    };
    let hash = state.store.password_hash(person).await?.unwrap_or_else(|| password::decoy().to_string());
    let typed = pw.to_string();
    if password::run_limited(move || password::verify(&typed, &hash)).await.unwrap_or(false) {
        state.store.release_attempt(&attempt).await?;
        Ok(())
    } else {
        AccountsRefusal::WrongPassword.err()
    }
}
