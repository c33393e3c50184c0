//! A minimal HTTP/1.1 client over one TCP connection, enough for benchmarks and tests against
//! our own server on loopback: one request at a time, keep-alive, bodies framed by
//! Content-Length or chunked encoding, every exchange bounded in time ([`TIMEOUT`] unless
//! set otherwise).

use std::io::{Error, ErrorKind, Result};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Connecting, sending a request and reading its whole answer take less than this, or fail
/// (unless [`Conn::with_timeout`] says otherwise).
pub const TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Result<serde_json::Value> {
        serde_json::from_slice(&self.body).map_err(|e| Error::new(ErrorKind::InvalidData, e))
    }
}

/// One keep-alive connection, opened on first use and again after an error or a
/// `Connection: close`.
pub struct Conn {
    addr: SocketAddr,
    stream: Option<TcpStream>,
    buf: Vec<u8>,
    timeout: Duration,
}

fn invalid(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidData, msg.into())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Reads more bytes into `buf`; the server closing the connection is an error here.
async fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<()> {
    buf.reserve(16 * 1024);
    if stream.read_buf(buf).await? == 0 {
        return Err(Error::new(ErrorKind::UnexpectedEof, "the server closed the connection"));
    }
    Ok(())
}

async fn line(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<String> {
    let end = loop {
        if let Some(i) = find(buf, b"\r\n") {
            break i;
        }
        fill(stream, buf).await?;
    };
    let l = String::from_utf8(buf[..end].to_vec()).map_err(|_| invalid("a chunk line is not UTF-8"))?;
    buf.drain(..end + 2);
    Ok(l)
}

async fn chunked(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let size = line(stream, buf).await?;
        let size = usize::from_str_radix(size.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|_| invalid(format!("bad chunk size {size:?}")))?;
        if size == 0 {
            while !line(stream, buf).await?.is_empty() {} // trailers
            return Ok(body);
        }
        while buf.len() < size + 2 {
            fill(stream, buf).await?;
        }
        body.extend_from_slice(&buf[..size]);
        buf.drain(..size + 2);
    }
}

impl Conn {
    pub fn new(addr: SocketAddr) -> Conn {
        Conn { addr, stream: None, buf: Vec::new(), timeout: TIMEOUT }
    }

    pub fn with_timeout(self, timeout: Duration) -> Conn {
        Conn { timeout, ..self }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Opens the connection now (so that a later request measures only itself).
    pub async fn connect(&mut self) -> Result<()> {
        if self.stream.is_none() {
            let s = tokio::time::timeout(self.timeout, TcpStream::connect(self.addr))
                .await
                .map_err(|_| Error::new(ErrorKind::TimedOut, format!("connecting to {}", self.addr)))??;
            s.set_nodelay(true)?;
            self.stream = Some(s);
            self.buf.clear();
        }
        Ok(())
    }

    pub async fn get(&mut self, path: &str, headers: &[(&str, &str)]) -> Result<Response> {
        self.request("GET", path, headers, None).await
    }

    pub async fn post_json(
        &mut self,
        path: &str,
        headers: &[(&str, &str)],
        body: &serde_json::Value,
    ) -> Result<Response> {
        let mut h = vec![("content-type", "application/json")];
        h.extend_from_slice(headers);
        self.request("POST", path, &h, Some(&serde_json::to_vec(body)?)).await
    }

    /// Sends one request and reads its whole answer. On any error the connection is dropped
    /// (the next request opens a new one): whether a failed request took effect is unknown.
    pub async fn request(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Result<Response> {
        let r = match tokio::time::timeout(self.timeout, self.exchange(method, path, headers, body)).await {
            Ok(r) => r,
            Err(_) => {
                Err(Error::new(ErrorKind::TimedOut, format!("{method} {path}: no answer within {:?}", self.timeout)))
            }
        };
        if r.is_err() {
            self.stream = None;
            self.buf.clear();
        }
        r
    }

    async fn exchange(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Result<Response> {
        let mut head = format!("{method} {path} HTTP/1.1\r\nhost: {}\r\n", self.addr);
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if let Some(b) = body {
            head.push_str(&format!("content-length: {}\r\n", b.len()));
        }
        head.push_str("\r\n");
        let mut req = head.into_bytes();
        req.extend_from_slice(body.unwrap_or_default());
        self.connect().await?;
        let stream = self.stream.as_mut().expect("connected");
        stream.write_all(&req).await?;

        let head_end = loop {
            if let Some(i) = find(&self.buf, b"\r\n\r\n") {
                break i + 4;
            }
            fill(stream, &mut self.buf).await?;
        };
        let head = std::str::from_utf8(&self.buf[..head_end]).map_err(|_| invalid("response head is not UTF-8"))?;
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap_or_default();
        let status: u16 = status_line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| invalid(format!("bad status line {status_line:?}")))?;
        let (mut length, mut is_chunked, mut close) = (None, false, false);
        for l in lines {
            let Some((k, v)) = l.split_once(':') else { continue };
            let v = v.trim();
            match k.trim().to_ascii_lowercase().as_str() {
                "content-length" => {
                    length = Some(v.parse::<usize>().map_err(|_| invalid(format!("bad content-length {v:?}")))?)
                }
                "transfer-encoding" => is_chunked = v.to_ascii_lowercase().contains("chunked"),
                "connection" => close = v.eq_ignore_ascii_case("close"),
                _ => {}
            }
        }
        self.buf.drain(..head_end);
        let body = if is_chunked {
            chunked(stream, &mut self.buf).await?
        } else if let Some(n) = length {
            while self.buf.len() < n {
                fill(stream, &mut self.buf).await?;
            }
            self.buf.drain(..n).collect()
        } else if method == "HEAD" || status == 204 || status == 304 || (100..200).contains(&status) {
            Vec::new()
        } else {
            // no framing: the body runs to the end of the connection
            while stream.read_buf(&mut self.buf).await? > 0 {}
            close = true;
            std::mem::take(&mut self.buf)
        };
        if close {
            self.stream = None;
            self.buf.clear();
        }
        Ok(Response { status, body })
    }
}
