package dev.kadmesh.p2p.gossip;

import dev.kadmesh.p2p.dht.Dht;
import dev.kadmesh.p2p.dht.RoutingTable;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.identity.NodeId;
import dev.kadmesh.p2p.swarm.Gossip;
import dev.kadmesh.p2p.swarm.Message;
import dev.kadmesh.p2p.swarm.Swarm;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Broadcast by gossip. A message's id is the digest its author signed, so it is the same at every
 * node. A node handles each id once: it runs the protocol's validator, delivers the message
 * locally, then relays the author's message over its k-buckets (see {@link #relay}), never to the
 * peer it came from nor to its author. Duplicates are counted and dropped. Thread-safe.
 */
public final class GossipService implements Gossip {
  private final GossipConfig config;
  private final Swarm swarm;
  private final Dht dht;
  private final Random random;
  private final SeenCache seen;
  private final Map<String, Predicate<Message>> validators = new ConcurrentHashMap<>();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong relayed = new AtomicLong();
  private final AtomicLong invalid = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();

  public GossipService(GossipConfig config, Swarm swarm, Dht dht, Random random) {
    this.config = config;
    this.swarm = swarm;
    this.dht = dht;
    this.random = random;
    this.seen = new SeenCache(config.seenCapacity(), config.seenTtl().toMillis());
    swarm.setGossip(this);
  }

  /**
   * Messages of {@code protocol} are delivered and relayed only if {@code validator} accepts them
   * (on a transport thread: it must be fast and must not block).
   */
  public void registerValidator(String protocol, Predicate<Message> validator) {
    validators.put(protocol, validator);
  }

  @Override
  public CompletableFuture<Void> broadcast(String protocol, byte[] payload) {
    Swarm.Authored authored = swarm.gossipEnvelope(protocol, payload);
    seen.add(authored.id(), swarm.scheduler().nowMillis());
    List<CompletableFuture<Void>> sends = relay(authored.envelope(), null, 0);
    if (sends.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    // done once at least one neighbour took it
    CompletableFuture<Void> any = new CompletableFuture<>();
    AtomicLong failures = new AtomicLong();
    for (CompletableFuture<Void> f : sends) {
      f.whenComplete((ok, e) -> {
        if (e == null) {
          any.complete(null);
        } else if (failures.incrementAndGet() == sends.size()) {
          any.completeExceptionally(e);
        }
      });
    }
    return any;
  }

  @Override
  public void onGossip(Message message, byte[] envelope, byte[] id, int relayHeight) {
    if (!seen.add(id, swarm.scheduler().nowMillis())) {
      duplicates.incrementAndGet();
      return;
    }
    Predicate<Message> validator = validators.get(message.protocol());
    if (validator != null && !validator.test(message)) {
      invalid.incrementAndGet();
      return;
    }
    if (swarm.deliver(message)) {
      delivered.incrementAndGet();
    }
    relay(envelope, message, relayHeight);
  }

  /**
   * Structured relay over the k-buckets: bucket {@code i} covers the part of the keyspace that
   * shares exactly {@code i} leading bits with us. For every bucket from {@code height} up we send
   * to {@code fanout} random members, telling them to cover their own buckets from {@code i + 1}
   * up, so every part of the keyspace is handed to {@code fanout} nodes, each of which covers it
   * further. The last bucket (which holds everything at least as close) goes to all its members.
   */
  private List<CompletableFuture<Void>> relay(byte[] envelope, Message from, int height) {
    NodeId sender = from == null ? null : from.sender();
    NodeId author = from == null ? null : from.author();
    List<RoutingTable.BucketView> buckets = dht.table().buckets();
    int last = buckets.size() - 1;
    List<Swarm.RelayTarget> targets = new ArrayList<>();
    for (int i = Math.max(0, height); i <= last; i++) {
      List<Node> members = new ArrayList<>();
      for (RoutingTable.Entry e : buckets.get(i).nodes()) {
        Node n = e.node();
        if (!n.id().equals(sender) && !n.id().equals(author)) {
          members.add(n);
        }
      }
      Collections.shuffle(members, random);
      int count = i == last ? members.size() : Math.min(config.fanout(), members.size());
      int next = i == last ? last + 1 : i + 1;
      for (Node n : members.subList(0, count)) {
        targets.add(new Swarm.RelayTarget(n, next));
      }
    }
    relayed.addAndGet(targets.size());
    return swarm.relay(envelope, targets);
  }

  /** Copies of a message that arrived after the first. */
  public long duplicates() {
    return duplicates.get();
  }

  /** Copies sent to neighbours (own broadcasts included). */
  public long relayed() {
    return relayed.get();
  }

  /** Messages the protocol's validator refused. */
  public long invalid() {
    return invalid.get();
  }

  /** Gossip messages handed to a local protocol stream. */
  public long delivered() {
    return delivered.get();
  }

  /** Ids currently remembered. */
  public int seenSize() {
    return seen.size();
  }
}
