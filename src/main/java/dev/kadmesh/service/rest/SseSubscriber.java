package dev.kadmesh.service.rest;

import dev.kadmesh.p2p.swarm.Message;
import dev.kadmesh.service.api.ApiException;
import dev.kadmesh.service.api.IncomingMessage;
import dev.kadmesh.service.api.Subscriber;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** A subscription written as Server-Sent Events; ends when the client goes away. */
final class SseSubscriber extends Subscriber {
  private final SseEmitter emitter = new SseEmitter(0L);

  SseSubscriber(String protocol, int capacity, long maxBytes) {
    super(capacity, maxBytes);
    try {
      // sent at once, so that the client sees the stream open before the first message
      emitter.send(SseEmitter.event().name("subscribed")
          .data(Map.of("protocol", protocol), MediaType.APPLICATION_JSON));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot happen: nothing is written before the handler"
          + " returns", e);
    }
    emitter.onCompletion(() -> end(null));
    emitter.onTimeout(() -> end(null));
    emitter.onError(e -> end(null));
  }

  SseEmitter emitter() {
    return emitter;
  }

  @Override
  protected void deliver(Message message, long droppedBefore) throws Exception {
    emitter.send(SseEmitter.event().name("message")
        .data(IncomingMessage.of(message, droppedBefore), MediaType.APPLICATION_JSON));
  }

  /** A comment line: clients ignore it, and a failed write reveals a client that went away. */
  @Override
  protected void sendKeepAlive() throws java.io.IOException {
    emitter.send(SseEmitter.event().comment("keep-alive"));
  }

  @Override
  protected void onEnded(ApiException reason) {
    try {
      emitter.send(SseEmitter.event().name("end").data(Map.of(
          "status", reason.error().httpStatus(),
          "title", reason.error().title(),
          "detail", reason.getMessage()), MediaType.APPLICATION_JSON));
    } catch (java.io.IOException | IllegalStateException e) {
      // the client is gone
    }
    emitter.complete();
  }
}
