/**
 * KV config: string entries under a namespace and a key, kept by each nameserver on its own (an
 * admin writes to every nameserver) and, when a file is configured, written to it on every change.
 */
package io.edgemq.nameserver.kv;
