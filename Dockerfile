# Lanyard runtime image. Build the jar first, then the image, from the repository root:
#   ./mvnw -DskipTests package            # produces target/lanyard.jar
#   docker build -t lanyard:local .
# Run it (prod profile: needs an https issuer, a KEK and PostgreSQL; see README "Configuration"):
#   docker run --rm -p 8080:8080 -e LANYARD_ISSUER=https://id.example.com -e LANYARD_KEK=... \
#     -e LANYARD_DB_URL=jdbc:postgresql://db:5432/lanyard -e LANYARD_DB_USER=... -e LANYARD_DB_PASSWORD=... lanyard:local
FROM eclipse-temurin:17-jre

RUN groupadd --system --gid 10001 lanyard \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin lanyard

WORKDIR /app
# Owned by root (no --chown): the service user can read the jar but not change it.
COPY target/lanyard.jar /app/lanyard.jar

# Class-data sharing, made by this image's own JVM: one training start (in-memory H2, no port)
# records the classes Lanyard loads, and every later start maps them instead of loading them.
RUN java -XX:ArchiveClassesAtExit=/app/lanyard.jsa -Dlanyard.log.level=WARN -Dmicronaut.server.port=-1 \
      -Dlanyard.data-dir=/tmp/cds-training -Dlanyard.kek=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
      "-Dlanyard.db.url=jdbc:h2:mem:cds;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE" \
      -jar /app/lanyard.jar serve --exit-after-start > /dev/null \
 && rm -rf /tmp/cds-training

ENV LANYARD_PROFILE=prod \
    JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -Xms64m -Xmx256m -XX:+ExitOnOutOfMemoryError -XX:SharedArchiveFile=/app/lanyard.jsa -Xlog:cds=off"

# Numeric, so Kubernetes' runAsNonRoot can verify it without resolving a name.
USER 10001:10001
# 8080: the protocol and pages; 9000: health and metrics (keep it off the public network)
EXPOSE 8080 9000
ENTRYPOINT ["java", "-jar", "/app/lanyard.jar"]
CMD ["serve"]
