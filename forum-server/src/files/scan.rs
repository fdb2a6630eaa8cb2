//! Malware scanning through ClamAV's `clamd`, with its `INSTREAM`
//! command over a Unix socket or TCP: the file is sent in chunks, clamd
//! answers `stream: OK` or `stream: <signature> FOUND`.

use std::io::{self, Read, Write};
use std::path::Path;
use std::time::Duration;

/// What clamd said about a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Clean,
    /// The signature's name.
    Infected(String),
}

/// Where clamd listens: a path (Unix socket) or `host:port`.
#[derive(Debug, Clone)]
pub struct Clamd {
    address: String,
}

const CHUNK: usize = 64 * 1024;
const TIMEOUT: Duration = Duration::from_secs(60);

trait Stream: Read + Write {}
impl<T: Read + Write> Stream for T {}

impl Clamd {
    pub fn new(address: &str) -> Clamd {
        Clamd {
            address: address.to_owned(),
        }
    }

    /// The configured address, for the start-up message.
    pub fn address(&self) -> &str {
        &self.address
    }

    fn connect(&self) -> io::Result<Box<dyn Stream>> {
        if self.address.starts_with('/') {
            let stream = std::os::unix::net::UnixStream::connect(&self.address)?;
            stream.set_read_timeout(Some(TIMEOUT))?;
            stream.set_write_timeout(Some(TIMEOUT))?;
            Ok(Box::new(stream))
        } else {
            let stream = std::net::TcpStream::connect(&self.address)?;
            stream.set_read_timeout(Some(TIMEOUT))?;
            stream.set_write_timeout(Some(TIMEOUT))?;
            Ok(Box::new(stream))
        }
    }

    /// Whether clamd answers `PING`.
    pub fn ping(&self) -> io::Result<()> {
        let mut stream = self.connect()?;
        stream.write_all(b"zPING\0")?;
        let reply = read_reply(&mut stream)?;
        if reply == "PONG" {
            Ok(())
        } else {
            Err(io::Error::other(format!("unexpected reply {reply:?}")))
        }
    }

    /// Scans the file at `path`. An error means clamd could not be asked
    /// (or answered an error): the caller refuses the upload.
    pub fn scan(&self, path: &Path) -> io::Result<Verdict> {
        let mut file = std::fs::File::open(path)?;
        let mut stream = self.connect()?;
        stream.write_all(b"zINSTREAM\0")?;
        let mut buffer = vec![0u8; CHUNK];
        loop {
            let n = file.read(&mut buffer)?;
            if n == 0 {
                break;
            }
            stream.write_all(&(n as u32).to_be_bytes())?;
            stream.write_all(&buffer[..n])?;
        }
        stream.write_all(&0u32.to_be_bytes())?;
        stream.flush()?;
        let reply = read_reply(&mut stream)?;
        parse_reply(&reply)
    }
}

fn read_reply(stream: &mut Box<dyn Stream>) -> io::Result<String> {
    let mut reply = Vec::new();
    stream.take(4096).read_to_end(&mut reply)?;
    while reply.last().is_some_and(|b| *b == 0 || *b == b'\n') {
        reply.pop();
    }
    Ok(String::from_utf8_lossy(&reply).into_owned())
}

fn parse_reply(reply: &str) -> io::Result<Verdict> {
    let body = reply.strip_prefix("stream: ").unwrap_or(reply);
    if body == "OK" {
        Ok(Verdict::Clean)
    } else if let Some(signature) = body.strip_suffix(" FOUND") {
        Ok(Verdict::Infected(signature.to_owned()))
    } else {
        Err(io::Error::other(format!("clamd: {reply}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_parse() {
        assert_eq!(parse_reply("stream: OK").unwrap(), Verdict::Clean);
        assert_eq!(
            parse_reply("stream: Eicar-Test-Signature FOUND").unwrap(),
            Verdict::Infected("Eicar-Test-Signature".into())
        );
        assert!(parse_reply("INSTREAM size limit exceeded. ERROR").is_err());
    }
}
