package dev.kadmesh.service.grpc;

import com.google.protobuf.ByteString;
import dev.kadmesh.service.api.ApiError;
import dev.kadmesh.service.api.ApiException;
import dev.kadmesh.service.api.BucketInfo;
import dev.kadmesh.service.api.ConnectionInfo;
import dev.kadmesh.service.api.LookupInfo;
import dev.kadmesh.service.api.NodeApi;
import dev.kadmesh.service.api.ProtocolInfo;
import dev.kadmesh.service.api.Subscriptions;
import dev.kadmesh.service.grpc.proto.Bootstrap;
import dev.kadmesh.service.grpc.proto.BroadcastRequest;
import dev.kadmesh.service.grpc.proto.BroadcastResponse;
import dev.kadmesh.service.grpc.proto.Bucket;
import dev.kadmesh.service.grpc.proto.Connection;
import dev.kadmesh.service.grpc.proto.ConnectionList;
import dev.kadmesh.service.grpc.proto.GetNodeRequest;
import dev.kadmesh.service.grpc.proto.GetRoutingTableRequest;
import dev.kadmesh.service.grpc.proto.KadmeshNodeGrpc;
import dev.kadmesh.service.grpc.proto.ListConnectionsRequest;
import dev.kadmesh.service.grpc.proto.ListProtocolsRequest;
import dev.kadmesh.service.grpc.proto.LookupRequest;
import dev.kadmesh.service.grpc.proto.LookupResponse;
import dev.kadmesh.service.grpc.proto.Message;
import dev.kadmesh.service.grpc.proto.NodeInfo;
import dev.kadmesh.service.grpc.proto.Peer;
import dev.kadmesh.service.grpc.proto.ProtocolList;
import dev.kadmesh.service.grpc.proto.RegisterProtocolRequest;
import dev.kadmesh.service.grpc.proto.RegisterProtocolResponse;
import dev.kadmesh.service.grpc.proto.RoutingTable;
import dev.kadmesh.service.grpc.proto.SendRequest;
import dev.kadmesh.service.grpc.proto.SendResponse;
import dev.kadmesh.service.grpc.proto.SubscribeRequest;
import dev.kadmesh.service.grpc.proto.UnregisterProtocolRequest;
import dev.kadmesh.service.grpc.proto.UnregisterProtocolResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Service;

/** The gRPC face of {@link NodeApi}; errors become status codes in {@link ApiExceptionHandler}. */
@Service
class NodeGrpcService extends KadmeshNodeGrpc.KadmeshNodeImplBase {
  private final NodeApi api;

  NodeGrpcService(NodeApi api) {
    this.api = api;
  }

  @Override
  public void getNode(GetNodeRequest request, StreamObserver<NodeInfo> out) {
    dev.kadmesh.service.api.NodeInfo n = api.info();
    reply(out, NodeInfo.newBuilder()
        .setNode(n.node())
        .setId(n.id())
        .setDhtId(n.dhtId())
        .setAdvertisedAddress(n.advertisedAddress())
        .setListenAddress(n.listenAddress())
        .setNetworkId(n.networkId())
        .setVersion(n.version())
        .setStartedAtMillis(n.startedAt().toEpochMilli())
        .setUptimeSeconds(n.uptimeSeconds())
        .setBootstrap(Bootstrap.newBuilder()
            .setState(n.bootstrap().state())
            .setAttempts(n.bootstrap().attempts())
            .setTableSize(n.bootstrap().tableSize())
            .setMinimum(n.bootstrap().minimum()))
        .setConnections(n.connections())
        .setRoutingTableSize(n.routingTableSize())
        .build());
  }

  @Override
  public void getRoutingTable(GetRoutingTableRequest request, StreamObserver<RoutingTable> out) {
    RoutingTable.Builder table = RoutingTable.newBuilder();
    for (BucketInfo b : api.routingTable()) {
      Bucket.Builder bucket = Bucket.newBuilder().setIndex(b.index())
          .setReplacements(b.replacements());
      for (BucketInfo.Peer p : b.nodes()) {
        bucket.addNodes(Peer.newBuilder().setId(p.id()).setAddress(p.address()).setNode(p.node())
            .setLastSeenMillis(p.lastSeen().toEpochMilli()));
      }
      table.addBuckets(bucket);
    }
    reply(out, table.build());
  }

  @Override
  public void listConnections(ListConnectionsRequest request, StreamObserver<ConnectionList> out) {
    ConnectionList.Builder list = ConnectionList.newBuilder();
    for (ConnectionInfo c : api.connections()) {
      list.addConnections(Connection.newBuilder()
          .setId(c.id())
          .setDirection(c.direction())
          .setRemoteAddress(c.remoteAddress())
          .setAdvertisedAddress(c.advertisedAddress() == null ? "" : c.advertisedAddress())
          .setVersion(c.version())
          .setIdleMillis(c.idleMillis()));
    }
    reply(out, list.build());
  }

  @Override
  public void lookup(LookupRequest request, StreamObserver<LookupResponse> out) {
    LookupInfo r = api.lookup(request.getId(), callerDeadline());
    reply(out, LookupResponse.newBuilder()
        .setId(r.id())
        .setAddress(r.address())
        .setNode(r.node())
        .setRounds(r.rounds())
        .setRpcs(r.rpcs())
        .setFailures(r.failures())
        .setMillis(r.millis())
        .addAllClosest(r.closest())
        .build());
  }

  @Override
  public void registerProtocol(
      RegisterProtocolRequest request, StreamObserver<RegisterProtocolResponse> out) {
    Subscriptions.Registration r = api.subscriptions().register(request.getProtocol());
    reply(out, RegisterProtocolResponse.newBuilder().setCreated(r.created())
        .setProtocol(protocol(r.protocol())).build());
  }

  @Override
  public void unregisterProtocol(
      UnregisterProtocolRequest request, StreamObserver<UnregisterProtocolResponse> out) {
    if (request.getProtocol().isEmpty()) {
      throw new ApiException(ApiError.INVALID_ARGUMENT, "protocol is required");
    }
    api.subscriptions().unregister(request.getProtocol());
    reply(out, UnregisterProtocolResponse.getDefaultInstance());
  }

  @Override
  public void listProtocols(ListProtocolsRequest request, StreamObserver<ProtocolList> out) {
    ProtocolList.Builder list = ProtocolList.newBuilder();
    api.subscriptions().protocols().forEach(p -> list.addProtocols(protocol(p)));
    reply(out, list.build());
  }

  @Override
  public void send(SendRequest request, StreamObserver<SendResponse> out) {
    api.send(request.getTo(), request.getProtocol(), request.getPayload().toByteArray(),
        callerDeadline());
    reply(out, SendResponse.newBuilder().setBytes(request.getPayload().size()).build());
  }

  @Override
  public void broadcast(BroadcastRequest request, StreamObserver<BroadcastResponse> out) {
    api.broadcast(request.getProtocol(), request.getPayload().toByteArray(), callerDeadline());
    reply(out, BroadcastResponse.newBuilder().setBytes(request.getPayload().size()).build());
  }

  @Override
  public void subscribe(SubscribeRequest request, StreamObserver<Message> out) {
    if (request.getProtocol().isEmpty()) {
      throw new ApiException(ApiError.INVALID_ARGUMENT, "protocol is required");
    }
    Subscriptions subs = api.subscriptions();
    GrpcSubscriber subscriber = new GrpcSubscriber((ServerCallStreamObserver<Message>) out,
        subs.bufferCapacity(), subs.bufferBytes());
    subs.subscribe(request.getProtocol(), subscriber);
  }

  static Message message(dev.kadmesh.p2p.swarm.Message m, long droppedBefore) {
    return Message.newBuilder()
        .setProtocol(m.protocol())
        .setPayload(ByteString.copyFrom(m.data()))
        .setSender(m.sender().toBase58())
        .setSenderAddress(m.senderAddress().map(Object::toString).orElse(""))
        .setAuthor(m.author().toBase58())
        .setTimestampMillis(m.timestamp())
        .setBroadcast(m.gossip())
        .setDroppedBefore(droppedBefore)
        .build();
  }

  private static dev.kadmesh.service.grpc.proto.ProtocolInfo protocol(ProtocolInfo p) {
    return dev.kadmesh.service.grpc.proto.ProtocolInfo.newBuilder()
        .setProtocol(p.protocol())
        .setSubscribers(p.subscribers())
        .setBacklog(p.backlog())
        .setBuffered(p.buffered())
        .setReceived(p.received())
        .setDropped(p.dropped())
        .build();
  }

  /**
   * Time left before the client's deadline (null when it set none): waiting longer would hold a
   * server thread for an answer nobody reads.
   */
  static java.time.Duration callerDeadline() {
    io.grpc.Deadline deadline = io.grpc.Context.current().getDeadline();
    return deadline == null ? null
        : java.time.Duration.ofNanos(Math.max(0, deadline.timeRemaining(
            java.util.concurrent.TimeUnit.NANOSECONDS)));
  }

  private static <T> void reply(StreamObserver<T> out, T value) {
    out.onNext(value);
    out.onCompleted();
  }
}
