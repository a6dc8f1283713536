//! Behind a reverse proxy. The client's address comes from `X-Forwarded-For` only when the
//! peer that connected is a proxy we were told to trust: otherwise every client would share
//! the proxy's address (one sign-in throttle for the whole city, `/metrics` open to anyone the
//! proxy on the loopback interface forwards), or anyone could claim any address.

use std::net::IpAddr;

use axum::http::HeaderMap;
use ipnet::IpNet;

#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Networks (`10.0.0.0/8`) or single addresses (`127.0.0.1`); the bad one is named.
    pub fn parse(items: &[String]) -> Result<TrustedProxies, String> {
        let mut nets = Vec::new();
        for item in items.iter().map(|i| i.trim()).filter(|i| !i.is_empty()) {
            let net = match item.parse::<IpNet>() {
                Ok(n) => n,
                Err(_) => item.parse::<IpAddr>().map(IpNet::from).map_err(|_| {
                    format!("--trusted-proxy: {item:?} is neither an address nor a network (10.0.0.0/8)")
                })?,
            };
            nets.push(net);
        }
        Ok(TrustedProxies(nets))
    }

    pub fn trusts(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|n| n.contains(&ip))
    }

    /// The client: the peer itself, or — when the peer is a trusted proxy — the nearest
    /// address in `X-Forwarded-For` that is not a trusted proxy too (read from the right: the
    /// left part is whatever the client claimed). A header that does not parse is ignored.
    pub fn client(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let peer = peer?;
        if !self.trusts(peer) {
            return Some(peer);
        }
        let mut hops = Vec::new();
        for value in headers.get_all("x-forwarded-for") {
            let Ok(text) = value.to_str() else { return Some(peer) };
            for part in text.split(',') {
                match part.trim().parse::<IpAddr>() {
                    Ok(ip) => hops.push(ip),
                    Err(_) => return Some(peer),
                }
            }
        }
        Some(hops.into_iter().rev().find(|ip| !self.trusts(*ip)).unwrap_or(peer))
    }
}
