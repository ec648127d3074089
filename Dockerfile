# Frontline: `frontline watch` (or `serve`) in a container.
#
#   docker build -t frontline .
#   docker run -d --name frontline -p 8080:8080 \
#     -v frontline-data:/data -v $PWD/feeds.toml:/config/feeds.toml:ro \
#     frontline watch --config /config/feeds.toml --serve 0.0.0.0:8080 --allow-host '*'
#
# Multi-stage: the build stage compiles the binary (rustls for TLS, SQLite bundled: no OpenSSL
# and no system libraries beyond glibc); the runtime stage is a slim Debian with the binary, CA
# certificates are not needed (the client carries Mozilla's roots), and a non-root user whose
# data lives in the /data volume.

FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p frontline \
 && strip target/release/frontline \
 && cp target/release/frontline /frontline

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin frontline \
 && mkdir -p /data /config && chown frontline:frontline /data
COPY --from=build /frontline /usr/local/bin/frontline
COPY docs/feeds.example.toml /config/feeds.example.toml
USER frontline
WORKDIR /data
ENV FRONTLINE_DB=/data/frontline.db
VOLUME ["/data"]
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/frontline"]
CMD ["watch", "--config", "/config/feeds.toml", "--serve", "0.0.0.0:8080", "--allow-host", "*"]
