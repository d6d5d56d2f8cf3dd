package dev.kadmesh.service.grpc;

import dev.kadmesh.service.api.ApiException;
import dev.kadmesh.service.api.Subscriber;
import dev.kadmesh.service.grpc.proto.Message;
import io.grpc.stub.ServerCallStreamObserver;

/**
 * A subscription written to a server-streaming call. It writes only while the call is ready (gRPC
 * flow control), so a client that stops reading fills its own buffer and nothing else; a
 * cancelled call ends the subscription at once.
 */
final class GrpcSubscriber extends Subscriber {
  private final ServerCallStreamObserver<Message> call;

  GrpcSubscriber(ServerCallStreamObserver<Message> call, int capacity, long maxBytes) {
    super(capacity, maxBytes);
    this.call = call;
    call.setOnCancelHandler(() -> end(null));
    call.setOnReadyHandler(this::drainSoon);
  }

  @Override
  protected boolean isReady() {
    return call.isReady() && !call.isCancelled();
  }

  @Override
  protected void deliver(dev.kadmesh.p2p.swarm.Message message, long droppedBefore) {
    call.onNext(NodeGrpcService.message(message, droppedBefore));
  }

  @Override
  protected void onEnded(ApiException reason) {
    if (!call.isCancelled()) {
      call.onError(ApiExceptionHandler.status(reason).asRuntimeException());
    }
  }
}
