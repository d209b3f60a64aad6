# syntax=docker/dockerfile:1
# Lanyard's image, built from this repository alone (no jar built on the host first):
#   docker build -t lanyard:local .
# Run it (prod profile: an https issuer, a KEK and PostgreSQL; see README "Configuration"):
#   docker run --rm -p 8080:8080 -e LANYARD_ISSUER=https://id.example.com -e LANYARD_KEK=... \
#     -e LANYARD_DB_URL=jdbc:postgresql://db:5432/lanyard -e LANYARD_DB_USER=... -e LANYARD_DB_PASSWORD=... lanyard:local
# It runs read-only (readOnlyRootFilesystem) as the numeric user 10001, with /tmp as its only writable
# path. bin/image-rehearsal runs this file's build and run steps on a host without Docker.

# --- build: the Maven wrapper, Java 25 (the code targets Java 17) ---
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
# dependencies in their own layer: a source change does not download them again
RUN ./mvnw -B -q -Dlanyard.cds.skip=true dependency:go-offline
COPY src/ src/
COPY migrations/ migrations/
RUN ./mvnw -B -q -DskipTests -Dlanyard.cds.skip=true package

# --- run: the Java 25 runtime, the jar and its ahead-of-time cache ---
FROM eclipse-temurin:25-jre
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="Lanyard" \
      org.opencontainers.image.description="OpenID Connect provider and OAuth 2.0 token service for Kubernetes" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0"

RUN groupadd --system --gid 10001 lanyard \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin lanyard

WORKDIR /app
# owned by root (no --chown): the service user can read the jar and the cache but not change them
COPY --from=build /src/target/lanyard.jar /app/lanyard.jar
COPY bin/aot-train /usr/local/bin/aot-train
# trained by this stage's own JVM: a cache made by another JVM build is ignored
RUN aot-train /app/lanyard.jar /app/lanyard.aot

ENV LANYARD_PROFILE=prod \
    JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -Xms64m -Xmx256m -XX:+ExitOnOutOfMemoryError -XX:AOTCache=/app/lanyard.aot -Xlog:aot=off -Xlog:cds=off"

# numeric, so Kubernetes' runAsNonRoot can verify it without resolving a name
USER 10001:10001
# 8080: the protocol and pages (8443 instead when Lanyard serves TLS itself); 9000: health and
# metrics (keep it off the public network)
EXPOSE 8080 8443 9000
# readiness on the management port, with bash alone: no other tool is needed in the image
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9000 && printf 'GET /health/readiness HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "-jar", "/app/lanyard.jar"]
CMD ["serve"]
