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

ENV LANYARD_PROFILE=prod \
    JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -Xms64m -Xmx128m -XX:+ExitOnOutOfMemoryError"

# Numeric, so Kubernetes' runAsNonRoot can verify it without resolving a name.
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/lanyard.jar"]
CMD ["serve"]
