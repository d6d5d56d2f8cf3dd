# Kadmesh node image: docker build -t kadmesh:0.1.0 .
# Run: docker run -p 7513:7513 -p 8080:8080 -p 9090:9090 -v kadmesh-data:/data \
#        -e KADMESH_API_TOKEN=<at least 16 characters> -e KADMESH_P2P_ADVERTISEDHOST=<host peers dial> kadmesh:0.1.0
# Without KADMESH_API_TOKEN the REST and gRPC APIs listen on the container's loopback only.

# ---- build: the Maven wrapper fetches Maven and the dependencies; tests run in CI, not here
FROM eclipse-temurin:17-jdk-jammy AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY proto/ proto/
COPY src/main/ src/main/
RUN ./mvnw -B -q package -DskipTests \
 && java -Djarmode=tools -jar target/kadmesh-*.jar extract --layers --launcher --destination /layers

# ---- run: a JRE, a non-root user, the jar's layers from least to most often changed
FROM eclipse-temurin:17-jre-jammy
RUN groupadd --system --gid 10001 kadmesh \
 && useradd --system --uid 10001 --gid kadmesh --home-dir /data --shell /usr/sbin/nologin kadmesh \
 && mkdir /data && chown kadmesh:kadmesh /data
WORKDIR /app
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
ENV KADMESH_DATA_DIR=/data \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
USER 10001:10001
VOLUME ["/data"]
# P2P, HTTP (REST and Actuator), gRPC
EXPOSE 7513 8080 9090
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
