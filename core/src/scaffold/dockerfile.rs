//! The Dockerfile of each runtime: a small multi-stage template whose final stage runs as the
//! platform's non-root numeric user and serves where the platform's probes look.

use super::ScaffoldSettings;
use super::header::{CommentSyntax, TAKE_OVER, header};
use crate::contract::CheckedContract;
use crate::contract::model::{Exposure, Runtime};
use crate::render::context::{GRPC_PORT, HTTP_PORT};

/// The base image of the `container` template's placeholder: a shell and a small web server.
const PLACEHOLDER_IMAGE: &str = "docker.io/library/busybox:1.37";
/// The unprivileged web server of the `static` runtime (listens on 8080, writes only `/tmp`).
const STATIC_SERVER_IMAGE: &str = "docker.io/nginxinc/nginx-unprivileged:1.27-alpine";

/// The Dockerfile for the contract's runtime.
pub(crate) fn dockerfile(contract: &CheckedContract, settings: &ScaffoldSettings) -> String {
    let about = format!("{} runtime of \"{}\"", contract.runtime, contract.name);
    let mut text = header(CommentSyntax::Hash, &about, TAKE_OVER);
    match contract.runtime {
        Runtime::Static => static_site(&mut text, settings.run_as_user),
        _ => container(&mut text, contract.exposure, settings.run_as_user),
    }
    text
}

fn container(text: &mut String, exposure: Exposure, user: u32) {
    text.push_str(&format!(
        "#
# The platform runs this image as user {user} with a read-only root file system (only /tmp is
# writable) and gives it its configuration as environment variables (see README.md).
# Replace the build stage with your toolchain; keep the final stage small and unprivileged.

# Build: compile or install your application into /out.
FROM {PLACEHOLDER_IMAGE} AS build
WORKDIR /src
COPY . .
# Placeholder until your build is here: a health endpoint served as a file.
RUN mkdir -p /out/www && printf 'ok\\n' > /out/www/healthz

# Run: only what the application needs, as a non-root numeric user.
FROM {PLACEHOLDER_IMAGE}
COPY --from=build --chown={user}:{user} /out /app
USER {user}:{user}
"
    ));
    match exposure {
        Exposure::PublicHttp | Exposure::InternalHttp => text.push_str(&format!(
            "# Listen on $PORT ({HTTP_PORT}) and answer GET /healthz with 200 once ready: the
# platform's readiness and liveness probes ask it.
ENV PORT={HTTP_PORT}
EXPOSE {HTTP_PORT}
HEALTHCHECK --interval=10s --timeout=2s --retries=3 \\
  CMD wget -q -O /dev/null \"http://127.0.0.1:${{PORT}}/healthz\" || exit 1
CMD [\"sh\", \"-c\", \"exec httpd -f -p \\\"${{PORT}}\\\" -h /app/www\"]
"
        )),
        Exposure::Grpc => text.push_str(&format!(
            "# Serve gRPC on $GRPC_PORT ({GRPC_PORT}) and implement the standard gRPC health service
# (grpc.health.v1.Health): the platform's probes call it.
ENV GRPC_PORT={GRPC_PORT}
EXPOSE {GRPC_PORT}
CMD [\"sh\", \"-c\", \"echo 'replace this placeholder with your gRPC server'; exec sleep 2147483647\"]
"
        )),
        Exposure::None | Exposure::Async => text.push_str(
            "# A worker: no port, no Service; it reaches what it needs through its environment.
CMD [\"sh\", \"-c\", \"echo 'replace this placeholder with your worker'; exec sleep 2147483647\"]
",
        ),
    }
}

fn static_site(text: &mut String, user: u32) {
    text.push_str(&format!(
        "#
# The static runtime: your site is built in the first stage and served by an unprivileged
# web server on port {HTTP_PORT}. The platform runs it as user {user} with a read-only root file
# system (the server writes only /tmp) and probes GET /.

# Build: generate the site into /out (Hugo, Jekyll, npm run build, ...).
FROM {PLACEHOLDER_IMAGE} AS build
WORKDIR /src
COPY . .
# Placeholder until your build is here: public/ as it is, or a page saying the site is coming.
RUN mkdir -p /out && if [ -d public ]; then cp -R public/. /out/; \\
  else printf '<!doctype html>\\n<title>Coming soon</title>\\n<p>Coming soon.</p>\\n' > /out/index.html; fi

# Serve: the files only, read by a non-root numeric user.
FROM {STATIC_SERVER_IMAGE}
COPY --from=build --chown={user}:{user} /out /usr/share/nginx/html
USER {user}:{user}
EXPOSE {HTTP_PORT}
HEALTHCHECK --interval=10s --timeout=2s --retries=3 \\
  CMD wget -q -O /dev/null \"http://127.0.0.1:{HTTP_PORT}/\" || exit 1
"
    ));
}
