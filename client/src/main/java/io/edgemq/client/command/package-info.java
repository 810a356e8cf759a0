/** The client's side of the brokers' command channels: transaction checks and replies. */
package io.edgemq.client.command;
