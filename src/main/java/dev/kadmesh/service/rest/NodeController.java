package dev.kadmesh.service.rest;

import dev.kadmesh.service.api.BucketInfo;
import dev.kadmesh.service.api.ConnectionInfo;
import dev.kadmesh.service.api.LookupInfo;
import dev.kadmesh.service.api.NodeApi;
import dev.kadmesh.service.api.NodeInfo;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Read-only views of the node: itself, its routing table, its connections, node lookups. */
@RestController
@RequestMapping(path = "/api/v1", produces = "application/json")
class NodeController {
  private final NodeApi api;

  NodeController(NodeApi api) {
    this.api = api;
  }

  /** This node: node string, ids, addresses, network, version, uptime, bootstrap state. */
  @GetMapping("/node")
  NodeInfo node() {
    return api.info();
  }

  /** The routing table's non-empty buckets, by index. */
  @GetMapping("/routing-table")
  List<BucketInfo> routingTable() {
    return api.routingTable();
  }

  /** Established connections. */
  @GetMapping("/connections")
  List<ConnectionInfo> connections() {
    return api.connections();
  }

  /** Finds a node by id: from the routing table, else by a network lookup. */
  @GetMapping("/nodes/{id}")
  LookupInfo lookup(@PathVariable String id) {
    return api.lookup(id);
  }
}
