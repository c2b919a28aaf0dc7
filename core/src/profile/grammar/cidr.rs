//! Address blocks in CIDR notation, as a NetworkPolicy `ipBlock` takes them.

use ipnet::IpNet;

/// An IPv4 or IPv6 block such as `10.40.0.0/16`, with no host bits set past the prefix.
pub fn cidr(value: &str) -> Result<IpNet, String> {
    let net: IpNet = value
        .parse()
        .map_err(|_| "it is not an address block such as 10.0.0.0/16".to_owned())?;
    if net.trunc() != net {
        return Err(format!(
            "it has host bits set; the block is {}",
            net.trunc()
        ));
    }
    Ok(net)
}

/// Whether a block is every address (`0.0.0.0/0`, `::/0`).
pub fn is_everywhere(net: &IpNet) -> bool {
    net.prefix_len() == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_parse_and_everywhere_is_recognised() {
        assert!(cidr("10.40.0.0/16").is_ok());
        assert!(cidr("fd00::/8").is_ok());
        for bad in ["not-a-cidr", "10.40.0.0", "10.40.0.1/16", "10.0.0.0/33", ""] {
            assert!(cidr(bad).is_err(), "{bad}");
        }
        for open in ["0.0.0.0/0", "::/0"] {
            assert!(cidr(open).is_ok_and(|net| is_everywhere(&net)), "{open}");
        }
        assert!(cidr("10.0.0.0/8").is_ok_and(|net| !is_everywhere(&net)));
    }
}
