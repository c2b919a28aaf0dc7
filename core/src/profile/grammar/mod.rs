//! Kubernetes' own grammars for the values a profile carries into objects, one small function
//! each. A grammar returns `Err` with what is wrong, in a phrase that completes "… is not valid:".

mod cidr;
mod duration;
mod names;
mod quantity;

pub use cidr::{cidr, is_everywhere};
pub use duration::duration;
pub use names::{
    ANNOTATIONS_MAX_BYTES, annotation_key, dns_label, dns_subdomain, label_key, label_value,
};
pub use quantity::quantity;
