package dev.kadmesh.service.rest;

import dev.kadmesh.service.api.ApiError;
import dev.kadmesh.service.api.ApiException;
import dev.kadmesh.service.api.NodeApi;
import dev.kadmesh.service.api.ProtocolInfo;
import dev.kadmesh.service.api.Subscriptions;
import java.util.Base64;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Protocol registration, direct messages, broadcasts and the Server-Sent Events subscription. */
@RestController
@RequestMapping(path = "/api/v1")
class MessageController {
  private final NodeApi api;

  MessageController(NodeApi api) {
    this.api = api;
  }

  /** A direct message: {@code to} a node id, under {@code protocol}, base64 {@code payload}. */
  record SendRequest(String to, String protocol, String payload) {}

  /** What was sent. */
  record SendReceipt(String to, String protocol, int bytes) {}

  /** A broadcast to the whole network. */
  record BroadcastRequest(String protocol, String payload) {}

  /** What was broadcast. */
  record BroadcastReceipt(String protocol, int bytes) {}

  /** A protocol to register. */
  record ProtocolRequest(String protocol) {}

  /**
   * Sends a direct message; answers 202 once it is written to the peer's encrypted connection
   * (looking the node up first if it is not in the routing table).
   */
  @PostMapping(path = "/messages", consumes = "application/json", produces = "application/json")
  ResponseEntity<SendReceipt> send(@RequestBody SendRequest request) {
    SendRequest r = required(request);
    byte[] payload = decode(r.payload());
    api.send(r.to(), r.protocol(), payload);
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .body(new SendReceipt(r.to(), r.protocol(), payload.length));
  }

  /** Broadcasts to every node through gossip; answers 202 once a neighbour took it. */
  @PostMapping(path = "/broadcasts", consumes = "application/json", produces = "application/json")
  ResponseEntity<BroadcastReceipt> broadcast(@RequestBody BroadcastRequest request) {
    BroadcastRequest r = required(request);
    byte[] payload = decode(r.payload());
    api.broadcast(r.protocol(), payload);
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .body(new BroadcastReceipt(r.protocol(), payload.length));
  }

  /** The protocols registered through the API. */
  @GetMapping(path = "/protocols", produces = "application/json")
  List<ProtocolInfo> protocols() {
    return api.subscriptions().protocols();
  }

  /**
   * Registers a protocol: the node accepts its messages and keeps them for subscribers. 201 when
   * newly registered, 200 when it already was.
   */
  @PostMapping(path = "/protocols", consumes = "application/json", produces = "application/json")
  ResponseEntity<ProtocolInfo> register(@RequestBody ProtocolRequest request) {
    String protocol = required(request).protocol();
    Subscriptions.Registration r = api.subscriptions().register(protocol);
    return ResponseEntity.status(r.created() ? HttpStatus.CREATED : HttpStatus.OK)
        .body(r.protocol());
  }

  /** Unregisters a protocol; its subscriptions end. 404 if it is not registered. */
  @DeleteMapping("/protocols")
  ResponseEntity<Void> unregister(@RequestParam(required = false) String protocol) {
    if (protocol == null || protocol.isEmpty()) {
      throw new ApiException(ApiError.INVALID_ARGUMENT, "protocol is required");
    }
    api.subscriptions().unregister(protocol);
    return ResponseEntity.noContent().build();
  }

  /**
   * Streams the messages the node receives for {@code protocol} as Server-Sent Events: a {@code
   * subscribed} event first, then a {@code message} event (JSON) per message, and an {@code end}
   * event (JSON problem) if the node ends the subscription. Registers the protocol if needed.
   */
  @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter events(@RequestParam(required = false) String protocol) {
    if (protocol == null || protocol.isEmpty()) {
      throw new ApiException(ApiError.INVALID_ARGUMENT, "protocol is required");
    }
    Subscriptions subs = api.subscriptions();
    SseSubscriber subscriber =
        new SseSubscriber(protocol, subs.bufferCapacity(), subs.bufferBytes());
    subs.subscribe(protocol, subscriber);
    return subscriber.emitter();
  }

  private static <T> T required(T body) {
    if (body == null) {
      throw new ApiException(ApiError.INVALID_ARGUMENT, "a JSON request body is required");
    }
    return body;
  }

  private static byte[] decode(String base64) {
    if (base64 == null) {
      throw new ApiException(ApiError.INVALID_ARGUMENT, "payload is required (base64)");
    }
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new ApiException(ApiError.INVALID_ARGUMENT, "payload is not valid base64: "
          + e.getMessage());
    }
  }
}
