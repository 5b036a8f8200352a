//! Who is on the other end of a request. Directly, the peer address. Behind
//! a load balancer listed in `TRUSTED_PROXIES`, the address it saw
//! (`X-Forwarded-For`) and whether the person came over https
//! (`X-Forwarded-Proto`). Those headers are believed only from a trusted
//! peer, since anyone else can write them; and in `X-Forwarded-For` only
//! the part the trusted proxies added: read from the right, the first
//! address that is not one of them is the client.

use http::HeaderMap;
use ipnet::IpNet;
use std::net::IpAddr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Client {
    pub ip: IpAddr,
    /// Over https, as far as this server can tell.
    pub https: bool,
}

fn trusted(proxies: &[IpNet], ip: IpAddr) -> bool {
    // An IPv4 peer can arrive as an IPv4-mapped IPv6 address.
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    };
    proxies.iter().any(|net| net.contains(&ip))
}

pub fn client(proxies: &[IpNet], peer: IpAddr, headers: &HeaderMap) -> Client {
    if !trusted(proxies, peer) {
        return Client {
            ip: peer,
            https: false,
        };
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    let ip = forwarded
        .iter()
        .rev()
        .find(|a| !trusted(proxies, **a))
        .or(forwarded.first())
        .copied()
        .unwrap_or(peer);
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"));
    Client { ip, https }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client() {
        let peer: IpAddr = "203.0.113.7".parse().unwrap();
        let h = headers(&[
            ("x-forwarded-for", "1.2.3.4"),
            ("x-forwarded-proto", "https"),
        ]);
        assert_eq!(
            client(&[], peer, &h),
            Client {
                ip: peer,
                https: false
            }
        );
    }

    #[test]
    fn a_trusted_proxy_names_the_client_it_saw() {
        let proxies = vec!["10.0.0.0/8".parse().unwrap()];
        let lb: IpAddr = "10.0.0.2".parse().unwrap();
        let h = headers(&[
            ("x-forwarded-for", "198.51.100.9"),
            ("x-forwarded-proto", "https"),
        ]);
        assert_eq!(
            client(&proxies, lb, &h),
            Client {
                ip: "198.51.100.9".parse().unwrap(),
                https: true
            }
        );
    }

    #[test]
    fn what_the_client_wrote_itself_is_ignored() {
        // The client sent "1.1.1.1" itself; the proxy appended the address it saw.
        let proxies = vec!["10.0.0.0/8".parse().unwrap()];
        let lb: IpAddr = "::ffff:10.0.0.2".parse().unwrap();
        let h = headers(&[("x-forwarded-for", "1.1.1.1, 198.51.100.9, 10.0.0.3")]);
        assert_eq!(
            client(&proxies, lb, &h).ip,
            "198.51.100.9".parse::<IpAddr>().unwrap()
        );
        assert!(!client(&proxies, lb, &h).https);
    }

    #[test]
    fn an_untrusted_peer_cannot_claim_another_address() {
        let proxies = vec!["10.0.0.0/8".parse().unwrap()];
        let peer: IpAddr = "203.0.113.7".parse().unwrap();
        let h = headers(&[("x-forwarded-for", "10.0.0.9")]);
        assert_eq!(client(&proxies, peer, &h).ip, peer);
    }
}
