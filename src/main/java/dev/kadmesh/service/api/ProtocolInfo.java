package dev.kadmesh.service.api;

/**
 * A protocol registered through the API.
 *
 * @param protocol its name
 * @param subscribers clients subscribed now
 * @param backlog messages waiting for a subscriber
 * @param buffered messages waiting in subscribers' buffers to be written to them
 * @param received messages received for it since it was registered
 * @param dropped messages dropped because a buffer was full (backlog and current subscribers)
 */
public record ProtocolInfo(
    String protocol, int subscribers, int backlog, int buffered, long received, long dropped) {}
