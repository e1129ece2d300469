# AnimeRec headless server (HTTP API only, no Studio):
#   docker build -t recomendation-anime .
#   docker run -p 8000:8000 recomendation-anime
# The first start imports the real sample shipped in data/sample/ and trains, then serves on 8000.
# Dockerfile.headless, the name the design uses, is a git symlink to this file so that there is
# one copy; `docker build -f Dockerfile.headless .` follows it (a checkout without symlinks,
# core.symlinks=false, gets a one-line text file instead: build from this file there).
# The base image is made locally (packaging/docker/make-base-image.sh); classic builder syntax only.

FROM debian:bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      g++ cmake make qt6-base-dev qt6-httpserver-dev qt6-websockets-dev libqt6sql6-sqlite \
      libeigen3-dev libsqlite3-dev libpq-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY core core
COPY app app
COPY resources resources
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DANIMEREC_BUILD_STUDIO=OFF \
      -DANIMEREC_BUILD_TESTS=OFF -DANIMEREC_BUILD_BENCH=OFF \
 && cmake --build build --parallel 2 --target animerec \
 && strip build/bin/animerec

FROM debian:bookworm
# Runtime: Qt Core/Network/Sql/HttpServer only — no Widgets, no X11. tini is PID 1 and passes
# Ctrl-C / `docker stop` to the whole process group, so an import or training run on first start
# stops at once (a shell as PID 1 would ignore the signal until Docker kills it).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libqt6core6 libqt6network6 libqt6sql6 libqt6sql6-sqlite libqt6sql6-psql libpq5 \
      libqt6httpserver6 libqt6websockets6 \
      libsqlite3-0 curl tini \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /var/lib/animerec --shell /usr/sbin/nologin animerec
# The real sample (CooperUnion Kaggle files, origin in SOURCES.md) the first start imports.
COPY data/sample /usr/share/animerec/sample
COPY --from=build /src/build/bin/animerec /usr/local/bin/animerec
COPY packaging/docker/entrypoint.sh /usr/local/bin/animerec-entrypoint
# What the first start imports (packaging/docker/entrypoint.sh):
#   default                    /usr/share/animerec/sample: anime.csv + rating_head_users1-1036.csv
#   ANIMEREC_ANIME_CSV and ANIMEREC_INTERACTIONS_CSV   your own files, mounted with -v
#   ANIMEREC_DATASET=generated the generator, sized by ANIMEREC_USERS / ANIMEREC_ANIME / ANIMEREC_SEED
# Optional, not set here: ANIMEREC_MODELS (comma-separated families to train; unset: every
# family), ANIMEREC_DB (postgresql://... for several replicas), ANIMEREC_ROLE (init or serve,
# with PostgreSQL), ANIMEREC_ADMIN_TOKEN (admin routes).
ENV ANIMEREC_DATA_DIR=/var/lib/animerec \
    ANIMEREC_PORT=8000 \
    ANIMEREC_DATASET=sample \
    ANIMEREC_USERS=3000 \
    ANIMEREC_ANIME=4000 \
    ANIMEREC_SEED=42 \
    ANIMEREC_SASREC_EPOCHS=5 \
    ANIMEREC_GRU_EPOCHS=5 \
    ANIMEREC_MULT_VAE_EPOCHS=10 \
    ANIMEREC_LOG_LEVEL=info
VOLUME ["/var/lib/animerec"]
USER animerec
WORKDIR /var/lib/animerec
EXPOSE 8000
# The first start imports and trains before anything listens (about 2 minutes for the sample on
# 2 cores): the start period allows 15 minutes for that; failed probes within it do not count.
HEALTHCHECK --interval=15s --timeout=3s --start-period=900s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${ANIMEREC_PORT}/health" || exit 1
ENTRYPOINT ["/usr/bin/tini", "-g", "--", "/usr/local/bin/animerec-entrypoint"]
