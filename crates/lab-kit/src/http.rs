//! Loopback HTTP: serve an axum `Router` on 127.0.0.1 with a port the OS picks (in a
//! runtime, or on a thread of its own for synchronous callers), and a reqwest client that
//! never goes through a proxy.

use std::net::{Ipv4Addr, SocketAddr};

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A running server. Dropping it stops the server; [`Server::shutdown`] also waits for it.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

/// Serves `router` on `127.0.0.1:0`. Must be called inside a tokio runtime.
pub async fn serve(router: axum::Router) -> std::io::Result<Server> {
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                // Either an explicit stop or the Server being dropped ends the server.
                let _ = stopped.await;
            })
            .await
    });
    Ok(Server {
        addr,
        stop: Some(stop),
        task: Some(task),
    })
}

impl Server {
    /// `http://127.0.0.1:<port>`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The base URL joined with `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url())
    }

    /// The bound address; its port changes every run, so keep it out of snapshots.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting connections, lets open requests finish, and waits for the server.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => task.await.map_err(std::io::Error::other)?,
            None => Ok(()),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A client for loopback servers: no proxy (an `HTTP_PROXY` in the environment must not
/// route 127.0.0.1 elsewhere), no redirects followed silently.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a plain HTTP client builds without TLS or system configuration")
}

/// Runs `future` to completion on a fresh current-thread runtime (IO and timers
/// enabled): how synchronous scenario code, a variant or a property case, drives its
/// loopback server and client.
pub fn block_on<F: std::future::Future>(future: F) -> std::io::Result<F::Output> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(future))
}

/// A server on a thread of its own, for synchronous code (a harness, a worker thread)
/// that calls it with blocking requests. Dropping it stops the server at once: requests
/// still open, held ones too, are dropped rather than waited for.
#[derive(Debug)]
pub struct ThreadServer {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Serves `router` on `127.0.0.1:0` from a thread with a runtime of its own.
pub fn serve_on_thread(router: axum::Router) -> std::io::Result<ThreadServer> {
    let (bound, bound_rx) = std::sync::mpsc::channel();
    let (stop, stopped) = oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let served = block_on(async move {
            let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
            let _ = bound.send(listener.local_addr());
            tokio::select! {
                served = std::future::IntoFuture::into_future(axum::serve(listener, router)) => served,
                _ = stopped => Ok(()),
            }
        });
        if let Err(error) | Ok(Err(error)) = served {
            eprintln!("lab-kit: the loopback server stopped: {error}");
        }
    });
    let addr = bound_rx
        .recv()
        .map_err(|_| std::io::Error::other("the server thread ended before it bound a port"))??;
    Ok(ThreadServer {
        addr,
        stop: Some(stop),
        thread: Some(thread),
    })
}

impl ThreadServer {
    /// The base URL joined with `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for ThreadServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            // The runtime ends with the thread and drops every open connection with it.
            let _ = thread.join();
        }
    }
}

/// `POST url` with a JSON body, from synchronous code: the status and the body text.
pub fn post_json_blocking(url: &str, json: &str) -> crate::Result<(u16, String)> {
    block_on(async {
        let response = client()
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(json.to_owned())
            .send()
            .await?;
        let status = response.status().as_u16();
        Ok((status, response.text().await?))
    })?
}
