# Image of synapse-bgu-exporter. Build: docker build -t synapse-bgu-exporter .  (Docker 23+ / BuildKit)
# Both base images are pinned to exact versions (src/test/.../deploy/DockerfileTest checks it). The
# runtime is Temurin's JRE rather than distroless because distroless publishes no version tags: it
# could be pinned only by digest.

FROM maven:3.9.11-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY src ./src
# mvn package makes a class-data archive with these too (unused here: the cds stage makes the image's).
COPY deploy ./deploy
# The README's build command; the cache mount keeps downloaded dependencies between builds.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests

# The class-data archive deploy/jvm.options points at, made by the runtime's own JRE for the jar at
# the path the entrypoint runs (the JVM ignores an archive from another JVM or jar). Same script as
# `mvn package`; a separate stage keeps the runtime free of RUN steps.
FROM eclipse-temurin:17.0.16_8-jre-noble AS cds
WORKDIR /app
COPY deploy/jvm.options deploy/cds-archive.sh /app/
COPY --from=build /src/target/synapse-bgu-exporter.jar /app/synapse-bgu-exporter.jar
RUN sh /app/cds-archive.sh /app/jvm.options /app/synapse-bgu-exporter.jar /app/target/synapse-bgu-exporter.jsa

FROM eclipse-temurin:17.0.16_8-jre-noble
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="synapse-bgu-exporter" \
      org.opencontainers.image.description="Prometheus exporter for the background updates of Synapse, the Matrix homeserver" \
      org.opencontainers.image.source="https://github.com/synapsebgu/synapse-bgu-exporter" \
      org.opencontainers.image.url="https://github.com/synapsebgu/synapse-bgu-exporter" \
      org.opencontainers.image.documentation="https://github.com/synapsebgu/synapse-bgu-exporter#readme" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="docker.io/library/eclipse-temurin:17.0.16_8-jre-noble"
WORKDIR /app
# The JVM flags we ship, from the one file the benchmarks measure: never repeat them here.
COPY deploy/jvm.options /app/jvm.options
COPY --from=build /src/target/synapse-bgu-exporter.jar /app/synapse-bgu-exporter.jar
COPY --from=cds /app/target/synapse-bgu-exporter.jsa /app/target/synapse-bgu-exporter.jsa
# A numeric, non-root user that needs no entry in /etc/passwd (the Helm chart runs as the same uid).
USER 65532:65532
EXPOSE 9657
# Flags given to `docker run IMAGE ...` are appended to the exporter's command line.
ENTRYPOINT ["java", "@/app/jvm.options", "-jar", "/app/synapse-bgu-exporter.jar"]
