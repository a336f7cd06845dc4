//! The session handling JSON-RPC and SOAP share: log in on first use, keep the session id, and
//! log in again once when the server says the session is unknown or expired.

use std::sync::Mutex;

use crate::error::{ClientError, Result};

#[derive(Debug)]
pub(crate) struct Session {
    id: Mutex<Option<String>>,
    relogin: bool,
}

impl Session {
    pub(crate) fn new() -> Self {
        Session { id: Mutex::new(None), relogin: true }
    }

    pub(crate) fn without_relogin(mut self) -> Self {
        self.relogin = false;
        self
    }

    pub(crate) fn get(&self) -> Option<String> {
        self.id.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    pub(crate) fn set(&self, id: Option<String>) {
        *self.id.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = id;
    }

    /// Runs `call` with a session id, logging in first when there is none, and once more when
    /// the server no longer knows the session (unless re-login is off).
    pub(crate) async fn with<T, Login, LoginFuture, Call, CallFuture>(
        &self,
        login: Login,
        call: Call,
    ) -> Result<T>
    where
        Login: Fn() -> LoginFuture,
        LoginFuture: Future<Output = Result<String>>,
        Call: Fn(String) -> CallFuture,
        CallFuture: Future<Output = Result<T>>,
    {
        let id = match self.get() {
            Some(id) => id,
            None => {
                let id = login().await?;
                self.set(Some(id.clone()));
                id
            }
        };
        match call(id).await {
            Err(ClientError::Api { code, .. })
                if self.relogin && (code == "INVALID_SESSION" || code == "SESSION_EXPIRED") =>
            {
                let id = login().await?;
                self.set(Some(id.clone()));
                call(id).await
            }
            other => other,
        }
    }
}
