/**
 * The broker-to-client command channels ({@code Transaction.CommandStream}): which live client can
 * be reached for transaction checks and request-reply replies.
 */
package io.edgemq.broker.command;
