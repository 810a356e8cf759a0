/**
 * The gRPC face of the nameserver: {@code NameServerService} implements {@code
 * edgemq.v1.NameServer} on top of the route table and the KV store, after checking each request as
 * the contract says. Outcomes travel in each response's {@code Status}; the gRPC status stays OK
 * for every call that got an answer.
 */
package io.edgemq.nameserver.grpc;
