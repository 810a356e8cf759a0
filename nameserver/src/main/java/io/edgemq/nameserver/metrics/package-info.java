/** The nameserver's meters for /metrics (Micrometer): brokers, broker groups and topics. */
package io.edgemq.nameserver.metrics;
