package dev.kadmesh.service.config;

import dev.kadmesh.p2p.node.P2PNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * Writes the node's endpoints ({@code kadmesh.endpoints-file}) once the application is ready, so
 * that scripts can start nodes on free ports (port 0) and still find them: the node string, the
 * P2P, HTTP and gRPC ports and the process id, as a properties file written atomically.
 */
class EndpointsFile {
  private final Path file;
  private final P2PNode node;
  private volatile int grpcPort = -1;

  EndpointsFile(Path file, P2PNode node) {
    this.file = file;
    this.node = node;
  }

  @EventListener
  void onGrpcStarted(GrpcServerStartedEvent e) {
    if (e.getPort() > 0) { // the in-process server reports -1
      grpcPort = e.getPort();
    }
  }

  @EventListener
  void onReady(ApplicationReadyEvent e) {
    write(e.getApplicationContext() instanceof WebServerApplicationContext web
        ? web.getWebServer().getPort() : -1);
  }

  private void write(int httpPort) {
    String text = "node=" + node.node() + "\n"
        + "id=" + node.node().id() + "\n"
        + "p2p.port=" + node.net().listenAddress().getPort() + "\n"
        + "http.port=" + httpPort + "\n"
        + "grpc.port=" + grpcPort + "\n"
        + "pid=" + ProcessHandle.current().pid() + "\n";
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".endpoints", ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write kadmesh.endpoints-file " + file, ex);
    }
  }
}
